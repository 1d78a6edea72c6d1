//! Feed-forward nets of layers (dense, conv1d, pooling, merges, dropout) against finite
//! differences, layer by layer and for random nets, and each sample's bits against its batch.

use evonas::activation::Activation;
use evonas::rng::{Purpose, Stream};
use evonas::tensor::net::exec::Pass;
use evonas::tensor::net::{Layer, Net, NetTrainer, NetWorkspace, Pool, Shape};
use evonas::tensor::{Batch, Target};

/// `real` random samples of the net's input shape with random classes.
pub fn samples(stream: &mut Stream, net: &Net, real: usize) -> Batch {
    let x: Vec<Vec<f32>> = (0..real).map(|_| (0..net.input.rows()).map(|_| stream.uniform(-1.0, 1.0)).collect()).collect();
    let labels = (0..real).map(|_| stream.below(net.classes) as u32).collect();
    Batch::from_sequences(&x, net.input.rows(), false, Target::Classes(labels)).unwrap()
}

/// Checks every parameter's gradient (or about `most`, spread evenly) against central
/// differences of the loss, dropout's masks held fixed: |a - n| <= 2e-2 max(|a|, |n|) + 3e-4.
pub fn check_gradients(net: &Net, batch: &Batch, seed: u64, most: usize) {
    let trainer = NetTrainer::new(net.clone(), &mut Stream::new(seed, Purpose::Bench, 0, 2)).unwrap();
    let mut params = trainer.params.clone();
    let pass = Some(Pass { key: 99 });
    let mut w = NetWorkspace::new(net, batch.batch).unwrap();
    w.forward(net, &params, batch, pass);
    let mut analytic = vec![0.0; params.len()];
    w.backward(net, &params, batch, &mut analytic);
    let stride = params.len().div_ceil(most.max(1)).max(1);
    for k in (0..params.len()).step_by(stride) {
        let (base, eps) = (params[k], 1e-3f32);
        params[k] = base + eps;
        let up = w.forward(net, &params, batch, pass).loss;
        params[k] = base - eps;
        let down = w.forward(net, &params, batch, pass).loss;
        params[k] = base;
        let (a, numeric) = (analytic[k], (up - down) / (2.0 * eps));
        assert!(
            (a - numeric).abs() <= 2e-2 * a.abs().max(numeric.abs()) + 3e-4,
            "parameter {k} of {}: analytic {a}, numeric {numeric}\nnet {:?}",
            params.len(),
            net.layers
        );
    }
}

/// Layers to put after layer `a`, reading it.
type Middle = fn(usize) -> Vec<Layer>;

/// A net with `middle` between a conv over the input (2 channels, 11 positions) and the logits.
fn around(middle: Middle) -> Net {
    let mut layers = vec![Layer::Input, Layer::Conv { from: 0, channels: 3, kernel: 3, stride: 1, pad: 1 }];
    layers.extend(middle(1));
    let last = layers.len() - 1;
    layers.push(Layer::Dense { from: vec![last], out: 4 });
    Net { input: Shape { length: 11, channels: 2 }, layers, classes: 4 }
}

#[test]
fn every_layer_has_the_gradient_finite_differences_give() {
    let kinds: Vec<(&str, Middle)> = vec![
        ("conv stride 2 pad 2", |a| vec![Layer::Conv { from: a, channels: 2, kernel: 4, stride: 2, pad: 2 }]),
        ("max pool", |a| vec![Layer::Pool { from: a, kind: Pool::Max, size: 3, stride: 2 }]),
        ("average pool", |a| vec![Layer::Pool { from: a, kind: Pool::Average, size: 2, stride: 1 }]),
        ("relu", |a| vec![Layer::Act(Activation::Relu, a)]),
        ("tanh", |a| vec![Layer::Act(Activation::Tanh, a)]),
        ("sigmoid", |a| vec![Layer::Act(Activation::Sigmoid, a)]),
        ("gaussian", |a| vec![Layer::Act(Activation::Gaussian, a)]),
        ("sine", |a| vec![Layer::Act(Activation::Sine, a)]),
        ("skip add", |a| vec![Layer::Act(Activation::Tanh, a), Layer::Add(a, a + 1)]),
        ("concat", |a| vec![Layer::Act(Activation::Sigmoid, a), Layer::Concat(vec![a + 1, a])]),
        ("dropout", |a| vec![Layer::Dropout(a, 0.3)]),
        ("dense over two", |a| vec![Layer::Act(Activation::Tanh, a), Layer::Dense { from: vec![a, a + 1], out: 5 }]),
    ];
    let mut stream = Stream::new(3, Purpose::Bench, 0, 0);
    for (name, middle) in kinds {
        let net = around(middle);
        net.check().unwrap_or_else(|e| panic!("{name}: {e}"));
        let batch = samples(&mut stream, &net, 13);
        check_gradients(&net, &batch, 5, 400);
    }
}

/// A random valid net over 2 x 16 inputs: convs, pools, activations, skips and concatenations
/// where the shapes allow, then a dense layer to 3 classes.
fn random_net(stream: &mut Stream) -> Net {
    let input = Shape { length: 16, channels: 2 };
    let mut net = Net { input, layers: vec![Layer::Input], classes: 3 };
    let mut shapes = vec![input];
    for _ in 0..stream.below(6) + 1 {
        let a = if shapes.len() == 1 { 0 } else { 1 + stream.below(shapes.len() - 1) };
        let same: Vec<usize> = (1..shapes.len()).filter(|&j| j != a && shapes[j] == shapes[a]).collect();
        let lengths: Vec<usize> = (1..shapes.len()).filter(|&j| j != a && shapes[j].length == shapes[a].length).collect();
        let layer = match stream.below(6) {
            _ if a == 0 => Layer::Conv { from: 0, channels: 1 + stream.below(3), kernel: 1 + stream.below(3), stride: 1, pad: 0 },
            0 => Layer::Conv { from: a, channels: 1 + stream.below(3), kernel: 2 + stream.below(2), stride: 1 + stream.below(2), pad: 1 },
            1 if shapes[a].length >= 2 => Layer::Pool { from: a, kind: [Pool::Max, Pool::Average][stream.below(2)], size: 2, stride: 1 + stream.below(2) },
            2 if !same.is_empty() => Layer::Add(a, *stream.pick(&same)),
            3 if !lengths.is_empty() => Layer::Concat(vec![*stream.pick(&lengths), a]),
            4 => Layer::Dropout(a, 0.25),
            _ => Layer::Act(*stream.pick(&[Activation::Tanh, Activation::Relu, Activation::Sigmoid, Activation::Square]), a),
        };
        net.layers.push(layer);
        shapes = net.shapes().unwrap();
    }
    let from = vec![shapes.len() - 1, 1 + stream.below(shapes.len() - 1)];
    net.layers.push(Layer::Dense { from: if from[0] == from[1] { vec![from[0]] } else { from }, out: 3 });
    net
}

#[test]
fn random_nets_have_the_gradients_finite_differences_give() {
    let mut stream = Stream::new(11, Purpose::Bench, 0, 0);
    for k in 0..40 {
        let net = random_net(&mut stream);
        net.check().unwrap_or_else(|e| panic!("net {k}: {e}\n{:?}", net.layers));
        let batch = samples(&mut stream, &net, 9);
        check_gradients(&net, &batch, k, 60);
    }
}

/// Lanes never mix: a sample's logits have the same bits in a batch of 8 or of 40, at any lane.
#[test]
fn a_samples_logits_do_not_depend_on_its_batch() {
    let mut stream = Stream::new(4, Purpose::Bench, 0, 0);
    let net = around(|a| vec![Layer::Act(Activation::Relu, a), Layer::Pool { from: a + 1, kind: Pool::Max, size: 2, stride: 2 }]);
    let big = samples(&mut stream, &net, 37);
    let trainer = NetTrainer::new(net.clone(), &mut stream).unwrap();
    let mut w = NetWorkspace::new(&net, big.batch).unwrap();
    w.forward(&net, &trainer.params, &big, None);
    let all = w.logits().to_vec();
    for lane in [0, 17, 36] {
        let x: Vec<f32> = (0..net.input.rows()).map(|r| big.x[r * big.batch + lane]).collect();
        let one = Batch::from_sequences(&[x], net.input.rows(), false, Target::Classes(vec![0])).unwrap();
        let mut small = NetWorkspace::new(&net, one.batch).unwrap();
        small.forward(&net, &trainer.params, &one, None);
        for c in 0..net.classes {
            assert_eq!(small.logits()[c * one.batch].to_bits(), all[c * big.batch + lane].to_bits(), "lane {lane}, class {c}");
        }
    }
}

#[test]
fn nets_that_break_the_rules_are_refused_with_the_layer_named() {
    let input = Shape { length: 8, channels: 1 };
    let bad = |layers: Vec<Layer>| Net { input, layers, classes: 2 }.check().unwrap_err();
    let conv = Layer::Conv { from: 0, channels: 2, kernel: 3, stride: 1, pad: 0 };
    assert!(bad(vec![Layer::Input, conv.clone(), Layer::Add(1, 0), Layer::Dense { from: vec![2], out: 2 }]).contains("layer 2"));
    assert!(bad(vec![Layer::Input, Layer::Conv { from: 0, channels: 2, kernel: 9, stride: 1, pad: 0 }]).contains("does not fit"));
    assert!(bad(vec![Layer::Input, conv.clone(), Layer::Dense { from: vec![1], out: 3 }]).contains("logits"));
    assert!(bad(vec![Layer::Input, conv.clone(), Layer::Dense { from: vec![1, 1], out: 2 }]).contains("twice"));
    assert!(bad(vec![Layer::Input, Layer::Dense { from: vec![2], out: 2 }, Layer::Input]).contains("before"));
    assert!(bad(vec![Layer::Input, conv, Layer::Dropout(1, 1.0), Layer::Dense { from: vec![2], out: 2 }]).contains("dropout"));
}
