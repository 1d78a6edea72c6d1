//! The LSTM (cell=lstm, compiled to a tape) against one written out in NumPy (float64, its own
//! forward pass and its own backpropagation through time): hidden states, loss and every
//! parameter's gradient agree within 1e-4 relative.

use evonas::bench::lstm_tape;
use evonas::rng::{Purpose, Stream};
use evonas::tensor::{Batch, Target, Trainer};
use std::io::Write;
use std::process::{Command, Stdio};

const D: usize = 3;
const H: usize = 5;
const OUT: usize = 2;
const T: usize = 9;
const B: usize = 6;

const REFERENCE: &str = r#"
import json, sys
import numpy as np
a = json.load(sys.stdin)
D, H, OUT, T = a["D"], a["H"], a["OUT"], a["T"]
p = np.array(a["params"], dtype=np.float64)
x = np.array(a["x"], dtype=np.float64).reshape(-1, T, D)      # sequence, step, input
y = np.array(a["y"], dtype=np.float64).reshape(-1, OUT)
B = x.shape[0]
# Our layout: the four gates in the tape's order (cell=lstm compiles f, i, g, o), each
# W (H x (D + H)) row by row then b (H); then the readout V, d.
def take(at, shape):
    n = int(np.prod(shape))
    return p[at:at + n].reshape(shape), at + n
at, W, bias = 0, {}, {}
for gate in a["order"]:
    W[gate], at = take(at, (H, D + H)); bias[gate], at = take(at, (H,))
W, bias = [W[k] for k in "ifgo"], [bias[k] for k in "ifgo"]
V, at = take(at, (OUT, H)); d, at = take(at, (OUT,))
sig = lambda z: 1 / (1 + np.exp(-z))
h, c = np.zeros((B, H)), np.zeros((B, H))
keep = []
for t in range(T):
    xh = np.concatenate([x[:, t], h], axis=1)
    z = [xh @ W[k].T + bias[k] for k in range(4)]
    i, f, g, o = sig(z[0]), sig(z[1]), np.tanh(z[2]), sig(z[3])
    c_prev = c
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    keep.append((xh, i, f, g, o, c_prev, c))
    keep[-1] += (h,)
out = h @ V.T + d
loss = np.mean((out - y) ** 2)
dout = 2 * (out - y) / out.size
gV, gd = dout.T @ h, dout.sum(0)
gW = [np.zeros_like(w) for w in W]; gb = [np.zeros(H) for _ in range(4)]
dh, dc = dout @ V, np.zeros((B, H))
for t in reversed(range(T)):
    xh, i, f, g, o, c_prev, c, _ = keep[t]
    tc = np.tanh(c)
    do = dh * tc
    dc = dc + dh * o * (1 - tc ** 2)
    di, df, dg = dc * g, dc * c_prev, dc * i
    dz = [di * i * (1 - i), df * f * (1 - f), dg * (1 - g ** 2), do * o * (1 - o)]
    dxh = np.zeros_like(xh)
    for k in range(4):
        gW[k] += dz[k].T @ xh; gb[k] += dz[k].sum(0); dxh += dz[k] @ W[k]
    dh, dc = dxh[:, D:], dc * f
grad = np.concatenate([np.concatenate([gW["ifgo".index(k)].ravel(), gb["ifgo".index(k)]]) for k in a["order"]] + [gV.ravel(), gd])
hs = np.array([k[7] for k in keep])                                # step, sequence, unit
print(json.dumps({"loss": loss, "h": hs.ravel().tolist(), "grad": grad.tolist()}))
"#;

/// Each engine value within 1e-4 of the reference's, relative to its size (and, for values
/// near zero, to a hundredth of the largest).
pub fn assert_close(what: &str, engine: &[f32], reference: &[f64]) {
    assert_eq!(engine.len(), reference.len(), "{what}: counts");
    let largest = reference.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    for (k, (&e, &r)) in engine.iter().zip(reference).enumerate() {
        let tolerance = 1e-4 * r.abs().max(0.01 * largest);
        assert!((f64::from(e) - r).abs() <= tolerance, "{what} {k}: engine {e}, NumPy {r}");
    }
}

#[test]
fn an_lstm_in_the_engine_matches_numpy() {
    let tape = lstm_tape(D, H, OUT);
    let mut stream = Stream::new(21, Purpose::Bench, 0, 0);
    let x = super::sequences(&mut stream, B, T, D);
    let y: Vec<f32> = (0..B * OUT).map(|_| stream.uniform(-1.0, 1.0)).collect();
    let batch = Batch::from_sequences(&x, D, false, Target::Values(y.clone())).unwrap();
    let mut trainer = Trainer::new(tape.clone(), &mut Stream::new(4, Purpose::Bench, 0, 0));
    // Larger biases than an initialisation's zeros, so every path carries weight.
    for v in trainer.params.iter_mut() {
        *v *= 1.5;
    }
    let (score, grad) = trainer.gradient(&batch);
    let grad = grad.to_vec();
    let mut workspace = evonas::tensor::Workspace::new(&tape, &batch);
    workspace.forward(&tape, &trainer.params, &batch);
    // h(t) by step, sequence and unit, as the reference prints it.
    let mut h = Vec::new();
    for t in 0..T {
        let v = workspace.value(t, tape.slots[0]);
        h.extend((0..B).flat_map(|b| (0..H).map(move |u| v[u * batch.batch + b])));
    }

    let input = serde_json::json!({ "D": D, "H": H, "OUT": OUT, "T": T, "order": "figo", "params": trainer.params, "x": x.concat(), "y": y });
    let reference = run_numpy(REFERENCE, &input.to_string());
    assert_close("loss", &[score.loss], &[reference["loss"].as_f64().unwrap()]);
    assert_close("h(t)", &h, &floats(&reference["h"]));
    assert_close("gradient", &grad, &floats(&reference["grad"]));
}

pub fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

/// Runs `script` under Python with NumPy, `input` on its stdin; its stdout as JSON.
pub fn run_numpy(script: &str, input: &str) -> serde_json::Value {
    let mut child = Command::new(crate::export::python_with_numpy())
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the NumPy reference failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}
