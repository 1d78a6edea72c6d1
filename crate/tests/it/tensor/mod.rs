//! The tensor engine against independent truth: finite differences for every op and for random
//! tapes through time, an LSTM against a NumPy reference, and the lane loops' determinism.

mod cnn;
mod lstm;
mod mnist1d;
pub mod net;

use evonas::activation::Activation;
use evonas::rng::{Purpose, Stream};
use evonas::tensor::{Batch, Builder, Op, Tape, Target, Trainer};

/// Random sequences: `real` of them, `length` steps of `inputs` values in [-1, 1].
pub fn sequences(stream: &mut Stream, real: usize, length: usize, inputs: usize) -> Vec<Vec<f32>> {
    (0..real).map(|_| (0..length * inputs).map(|_| stream.uniform(-1.0, 1.0)).collect()).collect()
}

/// A batch scored by MSE at the last step against random targets, or by classes at every step.
pub fn batch(stream: &mut Stream, tape: &Tape, real: usize, length: usize, classes: bool) -> Batch {
    let x = sequences(stream, real, length, tape.inputs);
    if classes {
        let labels = (0..real * length).map(|_| stream.below(tape.outputs) as u32).collect();
        Batch::from_sequences(&x, tape.inputs, true, Target::Classes(labels)).unwrap()
    } else {
        let values = (0..real * tape.outputs).map(|_| stream.uniform(-1.0, 1.0)).collect();
        Batch::from_sequences(&x, tape.inputs, false, Target::Values(values)).unwrap()
    }
}

/// Checks every parameter's gradient (or `most` of them, spread evenly) against central
/// differences of the loss: |analytic - numeric| <= 2e-2 * max(|a|, |n|) + 3e-4.
pub fn check_gradients(tape: &Tape, batch: &Batch, seed: u64, most: usize) {
    let mut trainer = Trainer::new(tape.clone(), &mut Stream::new(seed, Purpose::Bench, 0, 1));
    let analytic = trainer.gradient(batch).1.to_vec();
    let n = analytic.len();
    let stride = n.div_ceil(most.max(1)).max(1);
    for k in (0..n).step_by(stride) {
        let base = trainer.params[k];
        let eps = 1e-3f32;
        trainer.params[k] = base + eps;
        let up = trainer.evaluate(batch).loss;
        trainer.params[k] = base - eps;
        let down = trainer.evaluate(batch).loss;
        trainer.params[k] = base;
        let numeric = (up - down) / (2.0 * eps);
        let a = analytic[k];
        assert!((a - numeric).abs() <= 2e-2 * a.abs().max(numeric.abs()) + 3e-4, "parameter {k} of {n}: analytic {a}, numeric {numeric}\ntape {:?}", tape.ops);
    }
}

/// Makes an op of two earlier ones.
type MakeOp = fn(usize, usize) -> Op;

/// A tape with one op of each kind between the input and h, two slots deep.
fn one_of(op: MakeOp) -> Tape {
    let mut b = Builder::new(2, 3, 2, 2);
    let a = b.dense(&[Builder::INPUT, Builder::prev(0)]);
    let c = b.dense(&[Builder::prev(1), Builder::INPUT]);
    let t = b.act(Activation::Tanh, a);
    let mid = b.op(op(t, c));
    let h = b.act(Activation::Tanh, mid);
    let cell = b.add(mid, Builder::prev(1));
    b.finish(&[h, cell]).unwrap()
}

#[test]
fn every_op_has_the_gradient_finite_differences_give() {
    let mut stream = Stream::new(7, Purpose::Bench, 0, 0);
    let kinds: Vec<(&str, MakeOp)> = vec![
        ("add", Op::Add),
        ("sub", Op::Sub),
        ("bias", |_, _| Op::Dense(vec![])),
        ("mult", Op::Mult),
        ("sigmoid", |a, _| Op::Act(Activation::Sigmoid, a)),
        ("tanh", |a, _| Op::Act(Activation::Tanh, a)),
        ("relu", |a, _| Op::Act(Activation::Relu, a)),
        ("identity", |a, _| Op::Act(Activation::Identity, a)),
        ("gaussian", |a, _| Op::Act(Activation::Gaussian, a)),
        ("sine", |a, _| Op::Act(Activation::Sine, a)),
        ("square", |a, _| Op::Act(Activation::Square, a)),
        ("abs", |a, _| Op::Act(Activation::Abs, a)),
        ("dense", |a, b| Op::Dense(vec![a, b])),
    ];
    for (name, op) in kinds {
        let tape = one_of(op);
        for classes in [false, true] {
            let batch = batch(&mut stream, &tape, 5, 6, classes);
            eprintln!("{name}, {}", if classes { "softmax cross-entropy at every step" } else { "MSE at the last step" });
            check_gradients(&tape, &batch, 3, 200);
        }
    }
}

/// A random tape: `size` ops over the input and `slots` slots, each reading earlier ops, with
/// smooth kinds (no kinks for a difference to straddle).
pub fn random_tape(stream: &mut Stream, size: usize, slots: usize) -> Tape {
    let mut b = Builder::new(3, 4, slots, 2);
    let first = b.dense(&[Builder::INPUT, Builder::prev(0)]);
    let mut made = vec![first];
    let kinds = [Activation::Sigmoid, Activation::Tanh, Activation::Identity, Activation::Sine, Activation::Square];
    for _ in 0..size {
        let pool: Vec<usize> = made.iter().copied().chain((0..slots).map(Builder::prev)).collect();
        let (x, y) = (*stream.pick(&pool), *stream.pick(&pool));
        let op = match stream.below(6) {
            0 => Op::Add(x, y),
            1 => Op::Mult(x, y),
            2 => Op::Act(*stream.pick(&kinds), x),
            3 => Op::Sub(x, y),
            4 if x == y => Op::Dense(vec![]),
            _ if x == y => Op::Dense(vec![x, Builder::INPUT]),
            _ => Op::Dense(vec![x, y]),
        };
        made.push(b.op(op));
    }
    let picks: Vec<usize> = (0..slots).map(|k| if k == 0 { *made.last().unwrap() } else { *stream.pick(&made) }).collect();
    let h = picks[0];
    let squashed = b.act(Activation::Tanh, h);
    let mut slots_ops = picks;
    slots_ops[0] = squashed;
    b.finish(&slots_ops).unwrap()
}

#[test]
fn random_tapes_through_time_have_the_gradients_finite_differences_give() {
    let mut stream = Stream::new(11, Purpose::Bench, 0, 0);
    for case in 0..12 {
        let tape = random_tape(&mut stream, 4 + case % 6, 1 + case % 3);
        let batch = batch(&mut stream, &tape, 3, 5, case % 2 == 1);
        check_gradients(&tape, &batch, case as u64, 120);
    }
}

#[test]
fn a_tape_that_breaks_its_rules_is_named() {
    let tape = |ops: Vec<Op>, slots: Vec<usize>| Tape { inputs: 2, width: 3, ops, slots, outputs: 1, open: Vec::new() };
    let cases = [
        (tape(vec![Op::Input, Op::Add(0, 0)], vec![1]), "op 1 reads the input directly"),
        (tape(vec![Op::Input, Op::Prev(0), Op::Add(1, 3)], vec![2]), "op 2 reads op 3, which does not come before it"),
        (tape(vec![Op::Input, Op::Prev(2)], vec![1]), "op 1 reads slot 2, and the tape has 1 slots"),
        (tape(vec![Op::Input, Op::Prev(0), Op::Dense(vec![1, 1])], vec![2]), "op 2 reads op 1 twice"),
        (tape(vec![Op::Input, Op::Prev(0)], vec![0]), "slot 0 takes op 0"),
        (tape(vec![Op::Input], vec![]), "a tape needs slot 0"),
    ];
    for (tape, want) in cases {
        let error = tape.check().unwrap_err();
        assert!(error.starts_with(want), "{error}");
    }
}

/// The same tape, parameters and batch give the same bits however often they run, and a step
/// that meets a non-finite loss changes nothing.
#[test]
fn training_is_deterministic_and_a_non_finite_step_is_refused() {
    let mut stream = Stream::new(5, Purpose::Bench, 0, 0);
    let tape = random_tape(&mut stream, 6, 2);
    let data = batch(&mut stream, &tape, 13, 7, false);
    let run = || {
        let mut t = Trainer::new(tape.clone(), &mut Stream::new(9, Purpose::Bench, 0, 0));
        let losses: Vec<u32> = (0..20).map(|_| t.step(&data, 0.01, 1.0).score.loss.to_bits()).collect();
        (losses, t.params.iter().map(|p| p.to_bits()).collect::<Vec<_>>())
    };
    let first = run();
    assert_eq!(first, run());
    assert!(f32::from_bits(first.0[19]) < f32::from_bits(first.0[0]), "training lowers the loss");
    let mut t = Trainer::new(tape.clone(), &mut Stream::new(9, Purpose::Bench, 0, 0));
    t.params[0] = f32::NAN;
    let before = t.params.clone();
    assert!(!t.step(&data, 0.01, 1.0).applied);
    assert_eq!(t.params.iter().map(|p| p.to_bits()).collect::<Vec<_>>(), before.iter().map(|p| p.to_bits()).collect::<Vec<_>>());
}

/// The LSTM workload's parameters after 20 steps, folded (`LstmWorkload::checksum`); the
/// browser test (tests/tensor.test.mjs) expects the same word from the wasm build.
pub const LSTM_CHECKSUM: u32 = 0xa94d_7f0a;

#[test]
fn the_lstm_workload_trains_to_the_bits_the_browser_gets_too() {
    let mut workload = evonas::bench::LstmWorkload::new(8, 12, 16);
    workload.train(20);
    assert_eq!(workload.checksum(), LSTM_CHECKSUM, "{:#010x}", workload.checksum());
}
