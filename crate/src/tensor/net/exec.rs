//! Running a net over a batch: forward, the softmax cross-entropy of its logits, and backward.
//!
//! Layers run in order and their gradients flow back in reverse, each adding into the
//! gradients of what it read; parameter gradients keep LANES partials (`kernels::reduce`), so a
//! batch gives the same bits natively and in wasm.

use super::super::batch::Batch;
use super::super::exec::disjoint_rows;
use super::super::kernels::{self, dense_backward, dense_forward, LANES};
use super::super::loss::{self, Score};
use super::super::tape::DenseAt;
use super::conv::{conv_backward, conv_forward, pool_backward, pool_forward, ConvShape, PoolShape};
use super::{Layer, Net, Shape};
use crate::rng;

/// Dropout's draw: which lanes keep their values in one training pass (`key` names the pass).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pass {
    pub key: u32,
}

/// The values and gradients of one net over batches of one size, kept between steps.
pub struct NetWorkspace {
    batch: usize,
    shapes: Vec<Shape>,
    /// Where layer i's value starts; values and grads share the layout.
    at: Vec<usize>,
    values: Vec<f32>,
    grads: Vec<f32>,
    /// Each conv layer's zero-padded input and its gradient; each dropout layer's kept scales.
    scratch: Vec<Vec<f32>>,
    scratch_grads: Vec<Vec<f32>>,
    partials: Vec<f32>,
    layout: Vec<Option<DenseAt>>,
}

impl NetWorkspace {
    /// A workspace for `net` (checked) over batches of `batch` lanes.
    pub fn new(net: &Net, batch: usize) -> Result<NetWorkspace, String> {
        let shapes = net.check()?;
        let mut at = Vec::with_capacity(shapes.len());
        let mut total = 0;
        for shape in &shapes {
            at.push(total);
            total += shape.rows() * batch;
        }
        let scratch: Vec<Vec<f32>> = net
            .layers
            .iter()
            .map(|layer| match layer {
                Layer::Conv { .. } => vec![0.0; conv_shape(&shapes, layer).padded_rows() * batch],
                Layer::Dropout(a, _) => vec![0.0; shapes[*a].rows() * batch],
                _ => Vec::new(),
            })
            .collect();
        let layout = net.layout(&shapes);
        let parameters = net.parameters();
        Ok(NetWorkspace {
            batch,
            at,
            values: vec![0.0; total],
            grads: vec![0.0; total],
            scratch_grads: scratch.clone(),
            scratch,
            partials: vec![0.0; parameters * LANES],
            layout,
            shapes,
        })
    }

    pub fn fits(&self, batch: &Batch) -> bool {
        self.batch == batch.batch
    }

    /// Layer i's value: its shape's rows of the batch's lanes.
    pub fn value(&self, i: usize) -> &[f32] {
        &self.values[self.at[i]..][..self.shapes[i].rows() * self.batch]
    }

    /// The logits of the last forward pass: `classes` rows of lanes.
    pub fn logits(&self) -> &[f32] {
        self.value(self.shapes.len() - 1)
    }

    /// Runs the net over `batch` (one step of the net's input rows); `pass` draws dropout's
    /// masks when training (none at evaluation). The loss and accuracy of its classes.
    pub fn forward(&mut self, net: &Net, params: &[f32], batch: &Batch, pass: Option<Pass>) -> Score {
        assert!(self.fits(batch) && batch.length == 1 && batch.inputs == net.input.rows(), "a workspace serves batches of its net's shape");
        for i in 0..net.layers.len() {
            self.forward_layer(net, params, batch, i, pass);
        }
        loss::score(self.logits(), net.classes, batch, None)
    }

    fn forward_layer(&mut self, net: &Net, params: &[f32], batch: &Batch, i: usize, pass: Option<Pass>) {
        let lanes = self.batch;
        let (before, rest) = self.values.split_at_mut(self.at[i]);
        let out = &mut rest[..self.shapes[i].rows() * lanes];
        let (at, shapes) = (&self.at, &self.shapes);
        let value = |j: usize| -> &[f32] { &before[at[j]..][..shapes[j].rows() * lanes] };
        let weights = |i: usize| self.layout[i].map(|at| (&params[at.offset..at.bias()], &params[at.bias()..at.end()]));
        match &net.layers[i] {
            Layer::Input => out.copy_from_slice(batch.input(0)),
            Layer::Dense { from, .. } => {
                let (w, b) = weights(i).expect("a dense layer has parameters");
                dense_forward(out, w, b, &from.iter().map(|&j| value(j)).collect::<Vec<_>>(), lanes);
            }
            layer @ Layer::Conv { from, .. } => {
                let shape = conv_shape(shapes, layer);
                conv_forward(out, weights(i).expect("a conv layer has parameters"), value(*from), &mut self.scratch[i], &shape, lanes);
            }
            Layer::Pool { from, kind, size, stride } => {
                let shape = PoolShape { channels: shapes[*from].channels, size: *size, stride: *stride };
                pool_forward(*kind, out, value(*from), &shape, lanes);
            }
            Layer::Act(kind, a) => kernels::activate(*kind, out, value(*a)),
            Layer::Add(a, b) => out.iter_mut().zip(value(*a).iter().zip(value(*b))).for_each(|(o, (x, y))| *o = x + y),
            Layer::Concat(from) => {
                let mut row = 0;
                for p in 0..shapes[i].length {
                    for &j in from {
                        let n = shapes[j].channels * lanes;
                        out[row..row + n].copy_from_slice(&value(j)[p * n..][..n]);
                        row += n;
                    }
                }
            }
            Layer::Dropout(a, rate) => {
                let keep = &mut self.scratch[i];
                match pass {
                    Some(pass) if *rate > 0.0 => draw_mask(keep, *rate, pass.key ^ (i as u32).wrapping_mul(0x9e37_79b9), lanes, batch.real),
                    _ => keep.fill(1.0),
                }
                out.iter_mut().zip(value(*a).iter().zip(keep.iter())).for_each(|(o, (x, k))| *o = x * k);
            }
        }
    }

    /// After `forward` on the same batch, params and pass: the loss's gradient with respect to
    /// every parameter, into `grads` (one per parameter).
    pub fn backward(&mut self, net: &Net, params: &[f32], batch: &Batch, grads: &mut [f32]) {
        let last = net.layers.len() - 1;
        self.grads.fill(0.0);
        self.partials.fill(0.0);
        loss::gradient(&self.values[self.at[last]..], &mut self.grads[self.at[last]..], net.classes, batch);
        for i in (1..net.layers.len()).rev() {
            self.backward_layer(net, params, i);
        }
        for (g, p) in grads.iter_mut().zip(self.partials.chunks_exact(LANES)) {
            *g = kernels::reduce(p);
        }
    }

    fn backward_layer(&mut self, net: &Net, params: &[f32], i: usize) {
        let lanes = self.batch;
        let (lower, rest) = self.grads.split_at_mut(self.at[i]);
        let g = &rest[..self.shapes[i].rows() * lanes];
        let (at, shapes, values) = (&self.at, &self.shapes, &self.values);
        let place = |j: usize| (at[j], shapes[j].rows() * lanes);
        let value = |j: usize| &values[at[j]..][..shapes[j].rows() * lanes];
        let add = |d: &mut [f32], g: &[f32]| d.iter_mut().zip(g).for_each(|(d, g)| *d += g);
        let partials = self.layout[i].map(|at| self.partials[at.offset * LANES..at.end() * LANES].split_at_mut(at.rows * at.cols * LANES));
        let weights = self.layout[i].map(|at| &params[at.offset..at.bias()]);
        match &net.layers[i] {
            Layer::Input => {}
            Layer::Dense { from, .. } => {
                let mut targets = disjoint_rows(lower, from, |j| j != 0, place);
                let inputs: Vec<&[f32]> = from.iter().map(|&j| value(j)).collect();
                dense_backward(g, weights.expect("parameters"), &inputs, &mut targets, partials.expect("parameters"), lanes);
            }
            layer @ Layer::Conv { from, .. } => {
                let shape = conv_shape(shapes, layer);
                let dx = (*from != 0).then(|| (&mut lower[at[*from]..][..shapes[*from].rows() * lanes], &mut self.scratch_grads[i][..]));
                conv_backward(g, weights.expect("parameters"), &self.scratch[i], dx, partials.expect("parameters"), &shape, lanes);
            }
            Layer::Pool { from, kind, size, stride } => {
                let shape = PoolShape { channels: shapes[*from].channels, size: *size, stride: *stride };
                pool_backward(*kind, &mut lower[at[*from]..][..shapes[*from].rows() * lanes], g, value(*from), &shape, lanes);
            }
            Layer::Act(kind, a) => kernels::activate_backward(*kind, &mut lower[at[*a]..][..shapes[*a].rows() * lanes], g, value(*a), value(i)),
            Layer::Add(a, b) => {
                for j in [*a, *b] {
                    add(&mut lower[at[j]..][..g.len()], g);
                }
            }
            Layer::Concat(from) => {
                let mut row = 0;
                for p in 0..shapes[i].length {
                    for &j in from {
                        let n = shapes[j].channels * lanes;
                        add(&mut lower[at[j] + p * n..][..n], &g[row..row + n]);
                        row += n;
                    }
                }
            }
            Layer::Dropout(a, _) => {
                let d = &mut lower[at[*a]..][..g.len()];
                d.iter_mut().zip(g.iter().zip(&self.scratch[i])).for_each(|(d, (g, k))| *d += g * k);
            }
        }
    }
}

/// The geometry of conv layer `layer`.
fn conv_shape(shapes: &[Shape], layer: &Layer) -> ConvShape {
    let Layer::Conv { from, channels, kernel, stride, pad } = *layer else { unreachable!("a conv layer") };
    ConvShape { in_channels: shapes[from].channels, in_length: shapes[from].length, channels, kernel, stride, pad }
}

/// Dropout's kept scales for one pass: each real lane of each row keeps its value (scaled by
/// 1 / (1 - rate)) unless its hash falls below `rate`; padded lanes are zero.
fn draw_mask(keep: &mut [f32], rate: f32, key: u32, lanes: usize, real: usize) {
    let scale = 1.0 / (1.0 - rate);
    let threshold = (rate as f64 * 4_294_967_296.0) as u64;
    for (row, keep) in keep.chunks_exact_mut(lanes).enumerate() {
        for (b, k) in keep.iter_mut().enumerate() {
            let h = rng::hash32(rng::hash32(key ^ (row as u32).wrapping_mul(0x85eb_ca6b)) ^ b as u32);
            *k = if b < real && u64::from(h) >= threshold { scale } else { 0.0 };
        }
    }
}
