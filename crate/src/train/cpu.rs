//! The CPU trainer: forward, backward and optimizer over a whole batch of points, slot by slot.
//!
//! Values live as structure of arrays (`values[slot * width + point]`), so each edge is one
//! vectorisable loop over the batch. Forward records each node's value and local slope;
//! backward walks the Program in reverse, applying each op's local derivative. This is the
//! reference executor: the GPU trainer is checked against it.

use super::kernels::{Kernels, Portable};
use super::lanes::{self, padded};
use super::{Outcome, Settings};
use crate::activation::Activation;
use crate::dataset::Points;
use crate::program::{Program, INPUT_SLOTS};
use crate::rng::jitter_unit;
use crate::train::Optimizer;

const BETA1: f32 = 0.9;
const BETA2: f32 = 0.999;
const RMS_DECAY: f32 = 0.9;
const EPSILON: f32 = 1e-8;

/// Reusable buffers for one trainer thread; sized on demand, never shrunk.
#[derive(Default)]
pub struct Workspace {
    width: usize,
    count: usize,
    values: Vec<f32>,
    slopes: Vec<f32>,
    grads: Vec<f32>,
    /// The result node's combined input (its logit), kept for a stable cross-entropy.
    logits: Vec<f32>,
    labels: Vec<f32>,
    /// 1/count on real points and 0 on padding, so padding never moves a gradient.
    scale: Vec<f32>,
    scratch: Vec<f32>,
    /// Per slot: no gradient has reached it yet in this backward pass.
    fresh: Vec<bool>,
    /// The current node's inputs as (source slot, weight).
    terms: Vec<(usize, f32)>,
    weight_grads: Vec<f32>,
    moment1: Vec<f32>,
    moment2: Vec<f32>,
}

impl Workspace {
    /// Puts a batch of points into the input slots; padding repeats the first point.
    pub fn load(&mut self, program: &Program, xs: &[f32], ys: &[f32], labels: Option<&[f32]>) {
        let count = xs.len();
        let width = padded(count);
        let (w, n) = (width, program.slots * width);
        for buf in [&mut self.values, &mut self.slopes, &mut self.grads] {
            if buf.len() < n {
                buf.resize(n, 0.0);
            }
        }
        for buf in [&mut self.logits, &mut self.labels, &mut self.scale, &mut self.scratch] {
            buf.resize(w, 0.0);
        }
        let first = |v: &[f32]| v.first().copied().unwrap_or(0.0);
        for p in 0..w {
            let real = p < count;
            self.values[p] = if real { xs[p] } else { first(xs) };
            self.values[w + p] = if real { ys[p] } else { first(ys) };
            self.values[2 * w + p] = 1.0;
            self.labels[p] = labels.map_or(0.0, |l| if real { l[p] } else { 0.0 });
            self.scale[p] = if real { 1.0 / count as f32 } else { 0.0 };
        }
        self.width = width;
        self.count = count;
    }

    /// Moves the loaded training points by this step's input noise (their padding stays: it
    /// carries no weight). Noise in the inputs regularises like a penalty on the network's
    /// slopes (Bishop 1995, "Training with noise is equivalent to Tikhonov regularization").
    fn jitter(&mut self, train: &Points, settings: &Settings, step: usize) {
        let (w, key, step) = (self.width, settings.jitter_key, step as u32);
        for p in 0..self.count {
            self.values[p] = train.x[p] + settings.jitter * jitter_unit(key, step, p as u32, 0);
            self.values[w + p] = train.y[p] + settings.jitter * jitter_unit(key, step, p as u32, 1);
        }
    }

    /// Values of every slot for the loaded batch.
    #[inline(always)]
    pub fn forward(&mut self, program: &Program) {
        self.forward_with::<super::kernels::Native>(program)
    }

    #[inline(always)]
    fn forward_with<K: Kernels>(&mut self, program: &Program) {
        for node in &program.nodes {
            let slot = node.slot as usize;
            self.terms.clear();
            self.terms.extend(program.edges[node.edge_range()].iter().map(|e| (e.source as usize, program.weights[e.weight as usize])));
            let act = node.activation();
            let keep_logits = slot == program.result_slot;
            let product = act.is_product();
            macro_rules! run {
                ($kind:expr) => {
                    self.forward_node::<K>(slot, product, keep_logits, |x| $kind.value_and_slope(x))
                };
            }
            match act {
                Activation::Sigmoid => run!(Activation::Sigmoid),
                Activation::Tanh => run!(Activation::Tanh),
                Activation::Relu => run!(Activation::Relu),
                Activation::Gaussian => run!(Activation::Gaussian),
                Activation::Sine => run!(Activation::Sine),
                Activation::Abs => run!(Activation::Abs),
                Activation::Square => run!(Activation::Square),
                Activation::Identity | Activation::Add | Activation::Mult => run!(Activation::Identity),
            }
        }
    }

    /// One node over the batch: combine the weighted inputs (`self.terms`), then apply the
    /// activation, recording its slope.
    #[inline(always)]
    fn forward_node<K: Kernels>(&mut self, slot: usize, product: bool, keep_logits: bool, act: impl Fn(f32) -> (f32, f32)) {
        let w = self.width;
        let (before, rest) = self.values.split_at_mut(slot * w);
        let out = &mut rest[..w];
        let slopes = &mut self.slopes[slot * w..][..w];
        K::combine(out, before, &self.terms, product);
        if keep_logits {
            self.logits.copy_from_slice(out);
        }
        for (o, s) in out.iter_mut().zip(slopes.iter_mut()) {
            (*o, *s) = act(*o);
        }
    }

    /// The loaded batch's result values (after `forward`), one per real point.
    pub fn result(&self, program: &Program) -> &[f32] {
        &self.values[program.result_slot * self.width..][..self.count]
    }

    /// Gradients of the mean cross-entropy with respect to every weight (after `forward`).
    #[inline(always)]
    fn backward<K: Kernels>(&mut self, program: &Program) {
        let w = self.width;
        // Every computed node below the result feeds some later node, so reverse order meets
        // each slot's consumers first; the first contribution writes, the rest add.
        self.fresh.clear();
        self.fresh.resize(program.slots, true);
        self.weight_grads.clear();
        self.weight_grads.resize(program.weights.len(), 0.0);
        let r = program.result_slot * w;
        // Sigmoid output with cross-entropy: d loss / d logit = (p - y) / count.
        let out = self.values[r..r + w].iter().zip(&self.labels[..w]).zip(&self.scale[..w]);
        for (g, ((p, y), s)) in self.grads[r..r + w].iter_mut().zip(out) {
            *g = (p - y) * s;
        }
        for node in program.nodes.iter().rev() {
            let slot = node.slot as usize;
            let (lower, upper) = self.grads.split_at_mut(slot * w);
            let g = &mut upper[..w];
            // Sum-only kinds have slope 1: multiplying by it would change nothing.
            if slot != program.result_slot && !matches!(node.activation(), Activation::Identity | Activation::Add | Activation::Mult) {
                lanes::mul(g, &self.slopes[slot * w..][..w]);
            }
            let edges = &program.edges[node.edge_range()];
            if node.activation().is_product() {
                product_backward::<K>(program, edges, g, lower, &self.values, &mut self.scratch, &mut self.fresh, &mut self.weight_grads, w);
                continue;
            }
            // Edge by edge, so each weight's gradient accumulates in registers over the batch.
            for e in edges {
                let weight = program.weights[e.weight as usize];
                self.weight_grads[e.weight as usize] += edge_backward::<K>(g, e.source as usize, weight, &self.values, lower, &mut self.fresh, w);
            }
        }
    }

    /// Mean cross-entropy and accuracy of the result on the loaded batch (after `forward`).
    fn loss_and_accuracy(&self) -> (f32, f32) {
        let (mut loss, mut correct) = (0.0f32, 0usize);
        for p in 0..self.count {
            let (z, y) = (self.logits[p], self.labels[p]);
            loss += z.max(0.0) - y * z + libm::log1pf(crate::math::exp(-z.abs()));
            correct += ((z > 0.0) == (y > 0.5)) as usize;
        }
        (loss / self.count as f32, correct as f32 / self.count as f32)
    }

    /// One optimizer step with global-norm clipping; false if the gradient is not finite.
    #[inline(always)]
    fn update(&mut self, weights: &mut [f32], settings: &Settings, step: usize) -> bool {
        let norm2: f32 = self.weight_grads.iter().map(|g| g * g).sum();
        if !norm2.is_finite() {
            return false;
        }
        let norm = libm::sqrtf(norm2);
        let clip = if norm > settings.clip { settings.clip / norm } else { 1.0 };
        let lr = settings.lr;
        // Decoupled weight decay (AdamW) shrinks the weights before the step; with none, the
        // step is exactly the one links of version 1 reproduce.
        if settings.decay > 0.0 {
            for w in weights.iter_mut() {
                *w -= lr * settings.decay * *w;
            }
        }
        let t = step as f32 + 1.0;
        let (c1, c2) = (1.0 - libm::powf(BETA1, t), 1.0 - libm::powf(BETA2, t));
        let moments = self.moment1.iter_mut().zip(self.moment2.iter_mut());
        let params = weights.iter_mut().zip(&self.weight_grads).zip(moments);
        match settings.optimizer {
            Optimizer::Adam => {
                for ((w, g), (m, v)) in params {
                    let g = g * clip;
                    *m = BETA1 * *m + (1.0 - BETA1) * g;
                    *v = BETA2 * *v + (1.0 - BETA2) * g * g;
                    *w -= lr * (*m / c1) / ((*v / c2).sqrt() + EPSILON);
                }
            }
            Optimizer::Rmsprop => {
                for ((w, g), (_, v)) in params {
                    let g = g * clip;
                    *v = RMS_DECAY * *v + (1.0 - RMS_DECAY) * g * g;
                    *w -= lr * g / (v.sqrt() + EPSILON);
                }
            }
        }
        true
    }
}

/// Backward through one edge from a node whose input gradient is `g`: returns the weight's
/// gradient and passes `weight * g` on to a computed source's gradient.
#[inline(always)]
fn edge_backward<K: Kernels>(g: &[f32], source: usize, weight: f32, values: &[f32], lower_grads: &mut [f32], fresh: &mut [bool], w: usize) -> f32 {
    let src = &values[source * w..][..w];
    if source < INPUT_SLOTS {
        return K::dot(g, src);
    }
    let grad = &mut lower_grads[source * w..][..w];
    if std::mem::replace(&mut fresh[source], false) {
        K::dot_scaled(g, src, grad, weight)
    } else {
        K::dot_axpy(g, src, grad, weight)
    }
}

/// Backward through a product node: each input's gradient is `g` times the product of the
/// other weighted inputs (recomputed, so zeros need no special case).
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn product_backward<K: Kernels>(
    program: &Program,
    edges: &[crate::program::Edge],
    g: &[f32],
    lower_grads: &mut [f32],
    values: &[f32],
    scratch: &mut [f32],
    fresh: &mut [bool],
    weight_grads: &mut [f32],
    w: usize,
) {
    for (i, e) in edges.iter().enumerate() {
        scratch.copy_from_slice(g);
        for (j, other) in edges.iter().enumerate() {
            if j != i {
                lanes::mul_scaled(scratch, program.weights[other.weight as usize], &values[other.source as usize * w..][..w]);
            }
        }
        let weight = program.weights[e.weight as usize];
        weight_grads[e.weight as usize] += edge_backward::<K>(scratch, e.source as usize, weight, values, lower_grads, fresh, w);
    }
}

/// Trains `program` for `settings.steps` steps (or its own, see hyper.rs) on `train`, then scores it on `train` and
/// `test`. A non-finite gradient or loss marks the genome failed and restores its weights.
pub fn train(program: &mut Program, train: &Points, test: &Points, settings: &Settings, ws: &mut Workspace) -> Outcome {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") && std::env::var("EVONAS_PORTABLE").is_err() {
        // SAFETY: the CPU has just been found to support AVX2.
        return unsafe { train_avx2(program, train, test, settings, ws) };
    }
    train_with::<super::kernels::Native>(program, train, test, settings, ws)
}

/// The same code compiled for AVX2's 8-wide registers. Every lane loop is elementwise or
/// reduces in explicit lanes, and Rust never contracts a multiply-add, so the results are
/// bit-identical to the portable build.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn train_avx2(program: &mut Program, train: &Points, test: &Points, settings: &Settings, ws: &mut Workspace) -> Outcome {
    train_with::<super::kernels::Avx2>(program, train, test, settings, ws)
}

#[inline(always)]
fn train_with<K: Kernels>(program: &mut Program, train: &Points, test: &Points, settings: &Settings, ws: &mut Workspace) -> Outcome {
    let settings = &settings.for_genome(program.hyper);
    let start = program.weights.clone();
    ws.load(program, &train.x, &train.y, Some(&train.label));
    ws.moment1.clear();
    ws.moment1.resize(program.weights.len(), 0.0);
    ws.moment2.clear();
    ws.moment2.resize(program.weights.len(), 0.0);
    let mut failed = false;
    for step in 0..settings.steps {
        if settings.jitter > 0.0 {
            ws.jitter(train, settings, step);
        }
        ws.forward_with::<K>(program);
        ws.backward::<K>(program);
        if !ws.update(&mut program.weights, settings, step) {
            failed = true;
            break;
        }
    }
    if settings.jitter > 0.0 {
        ws.load(program, &train.x, &train.y, Some(&train.label));
    }
    ws.forward_with::<K>(program);
    let (loss, train_accuracy) = ws.loss_and_accuracy();
    if failed || !loss.is_finite() {
        program.weights = start;
        return Outcome::failed(program.edges.len());
    }
    ws.load(program, &test.x, &test.y, Some(&test.label));
    ws.forward_with::<K>(program);
    let test_accuracy = if test.is_empty() { 0.0 } else { ws.loss_and_accuracy().1 };
    Outcome { loss, train_accuracy, test_accuracy, failed: false, active_connections: program.edges.len() }
}

/// The program's result at each point (x, y), with the weights as they are.
pub fn outputs(program: &Program, xs: &[f32], ys: &[f32]) -> Vec<f32> {
    let mut ws = Workspace::default();
    ws.load(program, xs, ys, None);
    ws.forward(program);
    ws.result(program).to_vec()
}

/// Mean cross-entropy and accuracy of the program, with its weights as they are, on `points`
/// (0 and 0 on no points).
pub fn loss_and_accuracy(program: &Program, points: &Points) -> (f32, f32) {
    if points.is_empty() {
        return (0.0, 0.0);
    }
    let mut ws = Workspace::default();
    ws.load(program, &points.x, &points.y, Some(&points.label));
    ws.forward(program);
    ws.loss_and_accuracy()
}

/// The mean cross-entropy gradient of every weight on a batch (for checks against finite
/// differences) and the loss it belongs to.
pub fn gradient(program: &Program, points: &Points) -> (f32, Vec<f32>) {
    let mut ws = Workspace::default();
    ws.load(program, &points.x, &points.y, Some(&points.label));
    ws.forward(program);
    ws.backward::<Portable>(program);
    (ws.loss_and_accuracy().0, ws.weight_grads.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weight_decay_shrinks_the_trained_weights() {
        let (programs, data) = crate::bench::workload(6, 20);
        let plain = Settings { steps: 30, lr: 0.05, clip: 1.0, decay: 0.0, optimizer: Optimizer::Adam, ..Default::default() };
        let norm = |p: &Program| p.weights.iter().map(|w| w * w).sum::<f32>();
        for program in &programs {
            let (mut a, mut b) = (program.clone(), program.clone());
            train(&mut a, &data.train, &data.test, &plain, &mut Workspace::default());
            train(&mut b, &data.train, &data.test, &Settings { decay: 0.5, ..plain }, &mut Workspace::default());
            assert!(norm(&b) < norm(&a), "decay should leave smaller weights: {} vs {}", norm(&b), norm(&a));
        }
    }

    #[test]
    fn input_noise_trains_on_moved_points_and_scores_on_the_points_as_they_are() {
        let (programs, data) = crate::bench::workload(6, 20);
        let plain = Settings { steps: 1, lr: 0.05, ..Settings::default() };
        let noisy = Settings { jitter: 0.5, jitter_key: 9, ..plain };
        for program in &programs {
            // One step with noise is one step of plain training on the moved points.
            let mut moved = data.train.clone();
            for p in 0..moved.len() {
                moved.x[p] += 0.5 * jitter_unit(9, 0, p as u32, 0);
                moved.y[p] += 0.5 * jitter_unit(9, 0, p as u32, 1);
            }
            let (mut a, mut b) = (program.clone(), program.clone());
            let noisy_outcome = train(&mut a, &data.train, &data.test, &noisy, &mut Workspace::default());
            train(&mut b, &moved, &data.test, &plain, &mut Workspace::default());
            assert_eq!(a.weights, b.weights);
            assert_ne!(a.weights, program.weights);
            // The outcome scores the trained weights on the training points as they are.
            assert_eq!(noisy_outcome.loss, loss_and_accuracy(&a, &data.train).0);
        }
    }

    #[test]
    fn the_dispatched_trainer_gives_the_portable_bits() {
        let (programs, data) = crate::bench::workload(12, 20);
        let settings = Settings { steps: 15, lr: 0.05, clip: 1.0, decay: 0.0, optimizer: Optimizer::Adam, ..Default::default() };
        for program in &programs {
            let (mut a, mut b) = (program.clone(), program.clone());
            let (mut wa, mut wb) = (Workspace::default(), Workspace::default());
            let oa = train(&mut a, &data.train, &data.test, &settings, &mut wa);
            let ob = train_with::<Portable>(&mut b, &data.train, &data.test, &settings, &mut wb);
            assert_eq!(oa.loss.to_bits(), ob.loss.to_bits());
            assert!(a.weights.iter().zip(&b.weights).all(|(x, y)| x.to_bits() == y.to_bits()));
        }
    }
}
