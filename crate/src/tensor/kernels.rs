//! The loops of the tensor engine, over a batch laid out as the fastest-moving axis.
//!
//! A value of width W over a batch of B sequences is W rows of B lanes (`B` a multiple of
//! `LANES`). Every loop runs across the lanes of a row, so each sequence's arithmetic is the
//! same chain of IEEE multiplies and adds (never fused) whatever the vector width: the compiler
//! vectorises the fixed 8-lane chunks for SSE, AVX2 or wasm simd128 and the bits stay the same.
//! Sums over the batch (a weight's gradient) keep 8 partial sums, one per lane position, which
//! `reduce` adds by one fixed tree.

use crate::activation::Activation;
use crate::math;

/// Lanes a batch is padded to a multiple of, and partial sums a weight's gradient keeps.
pub const LANES: usize = 8;

/// The sum of 8 partials, by one fixed tree (the same on every target).
#[inline(always)]
pub fn reduce(p: &[f32]) -> f32 {
    ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]))
}

/// `partial[l] += sum over chunks of g` at lane position l.
#[inline(always)]
pub fn sum_partials(partial: &mut [f32], g: &[f32]) {
    for g in g.chunks_exact(LANES) {
        for l in 0..LANES {
            partial[l] += g[l];
        }
    }
}

/// Lanes one pass of a dense kernel keeps per row: 4 chunks, 4 AVX registers (8 SSE).
const BLOCK: usize = 4 * LANES;

/// `acc[l] += w * x[l]` over a block of `N` lanes held in a local array (kept in registers).
#[inline(always)]
fn block_axpy<const N: usize>(acc: &mut [f32; N], w: f32, x: &[f32]) {
    let x: &[f32; N] = x.try_into().expect("a whole block");
    for l in 0..N {
        acc[l] += w * x[l];
    }
}

/// Two output rows `o, o + 1` (or one) of a dense op over lanes `start..start + N`: each lane
/// starts at its bias and adds the columns' terms in order; an x block loaded once serves both.
#[inline(always)]
fn forward_block<const N: usize, const R: usize>(out: &mut [f32], weights: &[f32], bias: &[f32], inputs: &[&[f32]], at: (usize, usize, usize, usize)) {
    let (o, start, cols, batch) = at;
    let mut acc = [[0.0f32; N]; R];
    for (r, acc) in acc.iter_mut().enumerate() {
        *acc = [bias[o + r]; N];
    }
    let mut c = 0;
    for x in inputs {
        for x in x.chunks_exact(batch) {
            let x = &x[start..start + N];
            for (r, acc) in acc.iter_mut().enumerate() {
                block_axpy(acc, weights[(o + r) * cols + c], x);
            }
            c += 1;
        }
    }
    for (r, acc) in acc.iter().enumerate() {
        out[(o + r) * batch + start..][..N].copy_from_slice(acc);
    }
}

/// A dense op's value: `out = W [x_0; x_1; ...] + bias`, its inputs given as row blocks
/// (`inputs[j]` holds its rows, `batch` lanes each), `weights` row by row. Each lane's sum is
/// the bias, then each column's term in order, whatever the blocking.
pub fn dense_forward(out: &mut [f32], weights: &[f32], bias: &[f32], inputs: &[&[f32]], batch: usize) {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2.
        return unsafe { avx2::dense_forward(out, weights, bias, inputs, batch) };
    }
    dense_forward_lanes(out, weights, bias, inputs, batch)
}

#[inline(always)]
fn dense_forward_lanes(out: &mut [f32], weights: &[f32], bias: &[f32], inputs: &[&[f32]], batch: usize) {
    let cols: usize = inputs.iter().map(|x| x.len() / batch).sum();
    let rows = out.len() / batch;
    let mut o = 0;
    while o < rows {
        let two = rows - o >= 2;
        let mut start = 0;
        while start < batch {
            let at = (o, start, cols, batch);
            match (batch - start >= BLOCK, two) {
                (true, true) => forward_block::<BLOCK, 2>(out, weights, bias, inputs, at),
                (true, false) => forward_block::<BLOCK, 1>(out, weights, bias, inputs, at),
                (false, true) => forward_block::<LANES, 2>(out, weights, bias, inputs, at),
                (false, false) => forward_block::<LANES, 1>(out, weights, bias, inputs, at),
            }
            start += if batch - start >= BLOCK { BLOCK } else { LANES };
        }
        o += if two { 2 } else { 1 };
    }
}

/// Input rows `r, r + 1` (or one) of a gradient over lanes `start..start + N`: each lane adds
/// `w[o][c + r] * g[o]` for the output rows o in order; a g block loaded once serves both.
#[inline(always)]
fn gather_block<const N: usize, const R: usize>(grad: &mut [f32], g: &[f32], weights: &[f32], at: (usize, usize, usize, usize, usize)) {
    let (r0, c, start, cols, batch) = at;
    let mut acc = [[0.0f32; N]; R];
    for (k, acc) in acc.iter_mut().enumerate() {
        acc.copy_from_slice(&grad[(r0 + k) * batch + start..][..N]);
    }
    for (o, g) in g.chunks_exact(batch).enumerate() {
        let g = &g[start..start + N];
        for (k, acc) in acc.iter_mut().enumerate() {
            block_axpy(acc, weights[o * cols + c + r0 + k], g);
        }
    }
    for (k, acc) in acc.iter().enumerate() {
        grad[(r0 + k) * batch + start..][..N].copy_from_slice(acc);
    }
}

/// `partial[i][j][l] += sum over chunks of g_i * x_j` at lane position l, for `RO` gradient rows
/// and `RC` input rows: each chunk of g and x is loaded once for all the pairs.
#[inline(always)]
fn partials_block<const RO: usize, const RC: usize>(wp: &mut [f32], g: [&[f32]; RO], x: [&[f32]; RC], at: (usize, usize)) {
    let (c, cols) = at;
    let mut acc = [[[0.0f32; LANES]; RC]; RO];
    for (i, acc) in acc.iter_mut().enumerate() {
        for (j, acc) in acc.iter_mut().enumerate() {
            acc.copy_from_slice(&wp[(i * cols + c + j) * LANES..][..LANES]);
        }
    }
    for k in (0..g[0].len()).step_by(LANES) {
        for (i, acc) in acc.iter_mut().enumerate() {
            let g: &[f32; LANES] = g[i][k..k + LANES].try_into().expect("a chunk");
            for (j, acc) in acc.iter_mut().enumerate() {
                let x: &[f32; LANES] = x[j][k..k + LANES].try_into().expect("a chunk");
                for l in 0..LANES {
                    acc[l] += g[l] * x[l];
                }
            }
        }
    }
    for (i, acc) in acc.iter().enumerate() {
        for (j, acc) in acc.iter().enumerate() {
            wp[(i * cols + c + j) * LANES..][..LANES].copy_from_slice(acc);
        }
    }
}

/// A dense op's backward pass for the gradient `g` of its value: adds to each weight's and
/// bias's lane partials (`weight_partials`, `bias_partials`: LANES per parameter) and to the
/// gradient of each input that has one (`input_grads[j]`, its rows like `inputs[j]`). An input
/// lane's gradient gains each output row's term in row order, as an unblocked loop would; a
/// partial gains each chunk's term in chunk order.
pub fn dense_backward(g: &[f32], weights: &[f32], inputs: &[&[f32]], input_grads: &mut [Option<&mut [f32]>], partials: (&mut [f32], &mut [f32]), batch: usize) {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2.
        return unsafe { avx2::dense_backward(g, weights, inputs, input_grads, partials, batch) };
    }
    dense_backward_lanes(g, weights, inputs, input_grads, partials, batch)
}

#[inline(always)]
fn dense_backward_lanes(
    g: &[f32],
    weights: &[f32],
    inputs: &[&[f32]],
    input_grads: &mut [Option<&mut [f32]>],
    partials: (&mut [f32], &mut [f32]),
    batch: usize,
) {
    let (weight_partials, bias_partials) = partials;
    for (o, g_row) in g.chunks_exact(batch).enumerate() {
        sum_partials(&mut bias_partials[o * LANES..][..LANES], g_row);
    }
    add_weight_partials(weight_partials, g, inputs, batch);
    add_input_grads(input_grads, g, weights, inputs, batch);
}

/// Each weight's lane partials gain `g[o] * x[c]`, two gradient rows by two input rows a pass.
#[inline(always)]
fn add_weight_partials(weight_partials: &mut [f32], g: &[f32], inputs: &[&[f32]], batch: usize) {
    let cols: usize = inputs.iter().map(|x| x.len() / batch).sum();
    let rows = g.len() / batch;
    let mut o = 0;
    while o < rows {
        let g_at = |k: usize| &g[(o + k) * batch..][..batch];
        let wp = &mut weight_partials[o * cols * LANES..];
        let mut c = 0;
        for x in inputs {
            let width = x.len() / batch;
            let mut r = 0;
            while r < width {
                let x_at = |k: usize| &x[(r + k) * batch..][..batch];
                let two_cols = width - r >= 2;
                match (rows - o >= 2, two_cols) {
                    (true, true) => partials_block::<2, 2>(wp, [g_at(0), g_at(1)], [x_at(0), x_at(1)], (c + r, cols)),
                    (true, false) => partials_block::<2, 1>(wp, [g_at(0), g_at(1)], [x_at(0)], (c + r, cols)),
                    (false, true) => partials_block::<1, 2>(wp, [g_at(0)], [x_at(0), x_at(1)], (c + r, cols)),
                    (false, false) => partials_block::<1, 1>(wp, [g_at(0)], [x_at(0)], (c + r, cols)),
                }
                r += if two_cols { 2 } else { 1 };
            }
            c += width;
        }
        o += if rows - o >= 2 { 2 } else { 1 };
    }
}

/// Each input that has a gradient gains `W^T g`, two of its rows a pass.
#[inline(always)]
fn add_input_grads(input_grads: &mut [Option<&mut [f32]>], g: &[f32], weights: &[f32], inputs: &[&[f32]], batch: usize) {
    let cols: usize = inputs.iter().map(|x| x.len() / batch).sum();
    let mut c = 0;
    for (x, grad) in inputs.iter().zip(input_grads.iter_mut()) {
        let width = x.len() / batch;
        if let Some(grad) = grad {
            let mut r = 0;
            while r < width {
                let two = width - r >= 2;
                let mut start = 0;
                while start < batch {
                    let at = (r, c, start, cols, batch);
                    match (batch - start >= BLOCK, two) {
                        (true, true) => gather_block::<BLOCK, 2>(grad, g, weights, at),
                        (true, false) => gather_block::<BLOCK, 1>(grad, g, weights, at),
                        (false, true) => gather_block::<LANES, 2>(grad, g, weights, at),
                        (false, false) => gather_block::<LANES, 1>(grad, g, weights, at),
                    }
                    start += if batch - start >= BLOCK { BLOCK } else { LANES };
                }
                r += if two { 2 } else { 1 };
            }
        }
        c += width;
    }
}

/// The same loops compiled for AVX2 (8 lanes a register, still never fused: Rust contracts no
/// multiply-add unless asked), chosen at run time, so the bits equal the portable build's.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    #[target_feature(enable = "avx2")]
    pub fn dense_forward(out: &mut [f32], weights: &[f32], bias: &[f32], inputs: &[&[f32]], batch: usize) {
        super::dense_forward_lanes(out, weights, bias, inputs, batch)
    }

    #[target_feature(enable = "avx2")]
    pub fn dense_backward(
        g: &[f32],
        weights: &[f32],
        inputs: &[&[f32]],
        input_grads: &mut [Option<&mut [f32]>],
        partials: (&mut [f32], &mut [f32]),
        batch: usize,
    ) {
        super::dense_backward_lanes(g, weights, inputs, input_grads, partials, batch)
    }
}

/// `out = kind(x)`, one loop per kind, so each vectorises (the kind is chosen once, outside).
pub fn activate(kind: Activation, out: &mut [f32], x: &[f32]) {
    let each = |out: &mut [f32], f: fn(f32) -> f32| out.iter_mut().zip(x).for_each(|(o, &x)| *o = f(x));
    match kind {
        Activation::Sigmoid => each(out, math::sigmoid),
        Activation::Tanh => each(out, math::tanh),
        Activation::Identity | Activation::Mult | Activation::Add => out.copy_from_slice(x),
        kind => out.iter_mut().zip(x).for_each(|(o, &x)| *o = kind.value(x)),
    }
}

/// `d += g * kind'(x)`, where `y = kind(x)` is the op's value: the slopes of sigmoid and tanh
/// come from y (as the table's own `value_and_slope` computes them), so no exp is evaluated
/// again; the other kinds take the table's slope.
pub fn activate_backward(kind: Activation, d: &mut [f32], g: &[f32], x: &[f32], y: &[f32]) {
    let lanes = d.iter_mut().zip(g).zip(x.iter().zip(y));
    match kind {
        Activation::Sigmoid => lanes.for_each(|((d, g), (_, y))| *d += g * (y * (1.0 - y))),
        Activation::Tanh => lanes.for_each(|((d, g), (_, y))| *d += g * (1.0 - y * y)),
        Activation::Identity | Activation::Mult | Activation::Add => d.iter_mut().zip(g).for_each(|(d, g)| *d += g),
        kind => lanes.for_each(|((d, g), (&x, _))| *d += g * kind.value_and_slope(x).1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values with many significant bits, so a change of summation order changes results.
    fn noisy(n: usize, salt: u32) -> Vec<f32> {
        (0..n).map(|i| crate::rng::hash32(i as u32 ^ salt.rotate_left(16)) as f32 / u32::MAX as f32 - 0.37).collect()
    }

    /// The blocked kernels give, bit for bit, the plain lane-by-lane loops their docs describe,
    /// for batches that use whole blocks, single chunks and both.
    #[test]
    fn blocked_dense_kernels_give_the_plain_loops_bits() {
        for batch in [8, 16, 24, 32, 40, 72] {
            let (rows, widths) = (5, [3, 4]);
            let cols = 7;
            let w = noisy(rows * cols, 1);
            let bias = noisy(rows, 2);
            let xs = [noisy(widths[0] * batch, 3), noisy(widths[1] * batch, 4)];
            let inputs = [xs[0].as_slice(), xs[1].as_slice()];
            let mut out = vec![0.0; rows * batch];
            dense_forward(&mut out, &w, &bias, &inputs, batch);
            let column = |c: usize, b: usize| if c < 3 { xs[0][c * batch + b] } else { xs[1][(c - 3) * batch + b] };
            for o in 0..rows {
                for b in 0..batch {
                    let plain = (0..cols).fold(bias[o], |acc, c| acc + w[o * cols + c] * column(c, b));
                    assert_eq!(out[o * batch + b].to_bits(), plain.to_bits(), "forward, batch {batch}");
                }
            }
            let g = noisy(rows * batch, 5);
            let mut grads = [noisy(widths[0] * batch, 6), noisy(widths[1] * batch, 7)];
            let before = grads.clone();
            let (mut wp, mut bp) = (vec![0.0; rows * cols * LANES], vec![0.0; rows * LANES]);
            let (g0, g1) = grads.split_at_mut(1);
            dense_backward(&g, &w, &inputs, &mut [Some(&mut g0[0]), Some(&mut g1[0])], (&mut wp, &mut bp), batch);
            for c in 0..cols {
                for b in 0..batch {
                    let (j, r) = if c < 3 { (0, c) } else { (1, c - 3) };
                    let plain = (0..rows).fold(before[j][r * batch + b], |acc, o| acc + w[o * cols + c] * g[o * batch + b]);
                    assert_eq!(grads[j][r * batch + b].to_bits(), plain.to_bits(), "input gradient, batch {batch}");
                }
            }
            for o in 0..rows {
                for c in 0..cols {
                    let mut lanes = [0.0f32; LANES];
                    for b in 0..batch {
                        lanes[b % LANES] += g[o * batch + b] * column(c, b);
                    }
                    assert_eq!(reduce(&wp[(o * cols + c) * LANES..][..LANES]).to_bits(), reduce(&lanes).to_bits(), "weight gradient, batch {batch}");
                }
            }
        }
    }
}
