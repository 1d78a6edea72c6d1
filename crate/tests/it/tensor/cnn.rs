//! Conv1d and dense layers in the engine against a NumPy reference (float64, its own forward
//! pass and backpropagation): the MNIST-1D paper's CNN, narrowed, agrees on logits, loss and
//! every parameter's gradient within 1e-4 relative.

use super::lstm::{assert_close, floats, run_numpy};
use evonas::rng::{Purpose, Stream};
use evonas::scene::modules::baselines::mnist1d_cnn;
use evonas::tensor::net::{NetTrainer, NetWorkspace, Shape};

const REFERENCE: &str = r#"
import json, sys
import numpy as np
a = json.load(sys.stdin)
p = np.array(a["params"], dtype=np.float64)
x = np.array(a["x"], dtype=np.float64).reshape(-1, 1, a["L"])     # sample, channel, position
y = np.array(a["y"])
B, C = x.shape[0], a["C"]
# Our layout: each conv's weights as W[o, k, c] (kernel position major), then its biases; the
# dense layer reads the flattened value position by position (row p * C + c).
at = 0
def take(shape):
    global at
    n = int(np.prod(shape)); v = p[at:at + n].reshape(shape); at += n; return v
convs = []
for cin, k, s in [(1, 5, 2), (C, 3, 1), (C, 3, 1)]:
    W = take((C, k, cin)).transpose(0, 2, 1)                       # o, c, k
    convs.append((W, take((C,)), s))
def conv(h, W, b, s, pad=1):
    h = np.pad(h, ((0, 0), (0, 0), (pad, pad)))
    k = W.shape[2]; L = (h.shape[2] - k) // s + 1
    cols = np.stack([h[:, :, q * s:q * s + k] for q in range(L)], axis=1)    # B, L, c, k
    return np.einsum("blck,ock->bol", cols, W) + b[None, :, None], cols
hs, keep = x, []
for W, b, s in convs:
    z, cols = conv(hs, W, b, s)
    keep.append((hs, cols, z, s)); hs = np.maximum(z, 0)
L3 = hs.shape[2]
flat = hs.transpose(0, 2, 1).reshape(B, -1)
V = take((10, flat.shape[1])); d = take((10,))
logits = flat @ V.T + d
e = np.exp(logits - logits.max(1, keepdims=True)); prob = e / e.sum(1, keepdims=True)
loss = -np.mean(np.log(prob[np.arange(B), y]))
dlog = prob.copy(); dlog[np.arange(B), y] -= 1; dlog /= B
gV, gd = dlog.T @ flat, dlog.sum(0)
dh = (dlog @ V).reshape(B, L3, C).transpose(0, 2, 1)
grads = []
for (W, b, s), (h_in, cols, z, _) in reversed(list(zip(convs, keep))):
    dz = dh * (z > 0)
    gW = np.einsum("bol,blck->ock", dz, cols); gb = dz.sum((0, 2))
    dcols = np.einsum("bol,ock->blck", dz, W)
    dpad = np.zeros((B, h_in.shape[1], h_in.shape[2] + 2))
    k = W.shape[2]
    for q in range(dz.shape[2]):
        dpad[:, :, q * s:q * s + k] += dcols[:, q]
    dh = dpad[:, :, 1:-1]
    grads = [gW.transpose(0, 2, 1).ravel(), gb] + grads
grad = np.concatenate(grads + [gV.ravel(), gd])
print(json.dumps({"loss": loss, "logits": logits.ravel().tolist(), "grad": grad.tolist()}))
"#;

#[test]
fn the_mnist1d_cnn_in_the_engine_matches_numpy() {
    let (channels, real) = (4, 11);
    let net = mnist1d_cnn(Shape { length: 40, channels: 1 }, channels, 10);
    let mut stream = Stream::new(8, Purpose::Bench, 0, 0);
    let batch = super::net::samples(&mut stream, &net, real);
    let mut trainer = NetTrainer::new(net.clone(), &mut Stream::new(9, Purpose::Bench, 0, 0)).unwrap();
    for (k, v) in trainer.params.iter_mut().enumerate() {
        *v += 0.05 * ((k % 7) as f32 - 3.0); // nonzero biases, so every path carries weight
    }
    let grad = trainer.gradient(&batch, None).1.to_vec();
    let mut w = NetWorkspace::new(&net, batch.batch).unwrap();
    let score = w.forward(&net, &trainer.params, &batch, None);
    let logits: Vec<f32> = (0..real).flat_map(|b| (0..10).map(move |c| (b, c))).map(|(b, c)| w.logits()[c * batch.batch + b]).collect();
    let x: Vec<f32> = (0..real).flat_map(|b| (0..40).map(move |r| (b, r))).map(|(b, r)| batch.x[r * batch.batch + b]).collect();
    let evonas::tensor::Target::Classes(y) = &batch.target else { unreachable!() };
    let input = serde_json::json!({ "C": channels, "L": 40, "params": trainer.params, "x": x, "y": y[..real] });
    let reference = run_numpy(REFERENCE, &input.to_string());
    assert_close("loss", &[score.loss], &[reference["loss"].as_f64().unwrap()]);
    assert_close("logits", &logits, &floats(&reference["logits"]));
    assert_close("gradient", &grad, &floats(&reference["grad"]));
}
