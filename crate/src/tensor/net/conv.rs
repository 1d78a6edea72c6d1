//! Conv1d and pooling over position-major rows of lanes, forward and backward.
//!
//! A conv is a dense layer over each output position's window: with the input copied once into
//! a zero-padded buffer, the window of position p is the contiguous rows from `p * stride`, so
//! the dense kernels (register-blocked, never fused) do the work and every lane's sum is the
//! bias then the window's terms in order, natively and in wasm alike.

use super::super::kernels::{dense_backward, dense_forward};
use super::Pool;

/// A conv layer's geometry: input channels and positions, filters, kernel, stride, padding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConvShape {
    pub in_channels: usize,
    pub in_length: usize,
    pub channels: usize,
    pub kernel: usize,
    pub stride: usize,
    pub pad: usize,
}

impl ConvShape {
    pub fn out_length(&self) -> usize {
        (self.in_length + 2 * self.pad - self.kernel) / self.stride + 1
    }
    /// Rows of the padded input.
    pub fn padded_rows(&self) -> usize {
        (self.in_length + 2 * self.pad) * self.in_channels
    }
    fn window(&self, p: usize, batch: usize) -> std::ops::Range<usize> {
        let start = p * self.stride * self.in_channels * batch;
        start..start + self.kernel * self.in_channels * batch
    }
    fn interior(&self, batch: usize) -> std::ops::Range<usize> {
        let start = self.pad * self.in_channels * batch;
        start..start + self.in_length * self.in_channels * batch
    }
}

/// `out` = the conv of `x` (weights `channels x (kernel * in_channels)` row by row, then
/// biases); `padded` is scratch of `padded_rows` rows whose pad rows are zero.
pub fn conv_forward(out: &mut [f32], params: (&[f32], &[f32]), x: &[f32], padded: &mut [f32], shape: &ConvShape, batch: usize) {
    padded[shape.interior(batch)].copy_from_slice(x);
    let (weights, bias) = params;
    for (p, out) in out.chunks_exact_mut(shape.channels * batch).enumerate() {
        dense_forward(out, weights, bias, &[&padded[shape.window(p, batch)]], batch);
    }
}

/// The conv's backward pass for the gradient `g` of its value: adds to the weights' and biases'
/// lane partials and, when given, to `dx` (through `padded_grad`, scratch like `padded`).
#[allow(clippy::too_many_arguments)]
pub fn conv_backward(
    g: &[f32],
    weights: &[f32],
    padded: &[f32],
    dx: Option<(&mut [f32], &mut [f32])>,
    partials: (&mut [f32], &mut [f32]),
    shape: &ConvShape,
    batch: usize,
) {
    let (weight_partials, bias_partials) = partials;
    let mut dx = dx;
    if let Some((_, padded_grad)) = dx.as_mut() {
        padded_grad.fill(0.0);
    }
    for (p, g) in g.chunks_exact(shape.channels * batch).enumerate() {
        let window = shape.window(p, batch);
        let mut grad = dx.as_mut().map(|(_, padded_grad)| &mut padded_grad[window.clone()]);
        dense_backward(g, weights, &[&padded[window]], std::slice::from_mut(&mut grad), (&mut *weight_partials, &mut *bias_partials), batch);
    }
    if let Some((dx, padded_grad)) = dx {
        dx.iter_mut().zip(&padded_grad[shape.interior(batch)]).for_each(|(d, g)| *d += g);
    }
}

/// A pooling layer's geometry: channels, input positions, window and stride.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolShape {
    pub channels: usize,
    pub size: usize,
    pub stride: usize,
}

/// Input row of window position j of output position p, channel c.
fn source(shape: &PoolShape, p: usize, j: usize, c: usize) -> usize {
    (p * shape.stride + j) * shape.channels + c
}

/// `out` = each window's max (the first of equals) or mean, lane by lane, in window order.
pub fn pool_forward(kind: Pool, out: &mut [f32], x: &[f32], shape: &PoolShape, batch: usize) {
    let scale = 1.0 / shape.size as f32;
    for (row, out) in out.chunks_exact_mut(batch).enumerate() {
        let (p, c) = (row / shape.channels, row % shape.channels);
        out.copy_from_slice(&x[source(shape, p, 0, c) * batch..][..batch]);
        for j in 1..shape.size {
            let x = &x[source(shape, p, j, c) * batch..][..batch];
            match kind {
                Pool::Max => out.iter_mut().zip(x).for_each(|(o, &x)| *o = if x > *o { x } else { *o }),
                Pool::Average => out.iter_mut().zip(x).for_each(|(o, &x)| *o += x),
            }
        }
        if kind == Pool::Average {
            out.iter_mut().for_each(|o| *o *= scale);
        }
    }
}

/// Adds the pool's gradient to `dx`: a max window's to its first largest input (found again
/// from `x`), a mean window's shared evenly.
pub fn pool_backward(kind: Pool, dx: &mut [f32], g: &[f32], x: &[f32], shape: &PoolShape, batch: usize) {
    let scale = 1.0 / shape.size as f32;
    for (row, g) in g.chunks_exact(batch).enumerate() {
        let (p, c) = (row / shape.channels, row % shape.channels);
        for (b, &g) in g.iter().enumerate() {
            let at = |j: usize| source(shape, p, j, c) * batch + b;
            match kind {
                Pool::Max => {
                    let top = (1..shape.size).fold(0, |best, j| if x[at(j)] > x[at(best)] { j } else { best });
                    dx[at(top)] += g;
                }
                Pool::Average => (0..shape.size).for_each(|j| dx[at(j)] += g * scale),
            }
        }
    }
}
