//! Lane kernels: the loops over a batch of points, written in fixed 8-lane order.
//!
//! Float addition is not associative, so a plain `sum()` cannot be vectorised without changing
//! its result. Accumulating in eight independent lanes and adding the lanes in a fixed tree is
//! both vectorisable (SSE, AVX, wasm simd128) and bit-identical on every target. Every batch is
//! padded to a multiple of `LANES`.

pub const LANES: usize = 8;

/// Rounds a point count up to whole lanes.
pub fn padded(count: usize) -> usize {
    count.div_ceil(LANES).max(1) * LANES
}

/// Adds the lanes in a fixed tree.
#[inline(always)]
pub fn reduce(acc: [f32; LANES]) -> f32 {
    ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]))
}

/// `out = w * src`.
#[inline(always)]
pub fn scaled(out: &mut [f32], w: f32, src: &[f32]) {
    for (o, s) in out.iter_mut().zip(src) {
        *o = w * s;
    }
}

/// `out += w * src`.
#[inline(always)]
pub fn axpy(out: &mut [f32], w: f32, src: &[f32]) {
    for (o, s) in out.iter_mut().zip(src) {
        *o += w * s;
    }
}

/// `out *= w * src`.
#[inline(always)]
pub fn mul_scaled(out: &mut [f32], w: f32, src: &[f32]) {
    for (o, s) in out.iter_mut().zip(src) {
        *o *= w * s;
    }
}

/// `out *= by`.
#[inline(always)]
pub fn mul(out: &mut [f32], by: &[f32]) {
    for (o, b) in out.iter_mut().zip(by) {
        *o *= b;
    }
}

/// `sum(a * b)`.
#[inline(always)]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; LANES];
    for (a8, b8) in a.chunks_exact(LANES).zip(b.chunks_exact(LANES)) {
        for k in 0..LANES {
            acc[k] += a8[k] * b8[k];
        }
    }
    reduce(acc)
}

/// Backward through one edge in one pass: returns `sum(g * src)` (the weight's gradient)
/// while adding `w * g` to the source's gradient.
#[inline(always)]
pub fn dot_axpy(g: &[f32], src: &[f32], src_grad: &mut [f32], w: f32) -> f32 {
    let mut acc = [0.0f32; LANES];
    for ((g8, s8), d8) in g.chunks_exact(LANES).zip(src.chunks_exact(LANES)).zip(src_grad.chunks_exact_mut(LANES)) {
        for k in 0..LANES {
            acc[k] += g8[k] * s8[k];
            d8[k] += w * g8[k];
        }
    }
    reduce(acc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernels_match_plain_loops() {
        let a: Vec<f32> = (0..24).map(|i| (i as f32 * 0.37).sin()).collect();
        let b: Vec<f32> = (0..24).map(|i| (i as f32 * 0.11).cos()).collect();
        let plain: f64 = a.iter().zip(&b).map(|(x, y)| (*x as f64) * (*y as f64)).sum();
        assert!((dot(&a, &b) as f64 - plain).abs() < 1e-5);
        let mut grad = vec![1.0f32; 24];
        let d = dot_axpy(&a, &b, &mut grad, 2.0);
        assert_eq!(d, dot(&a, &b));
        assert!(grad.iter().zip(&a).all(|(g, x)| *g == 1.0 + 2.0 * x));
        assert_eq!(padded(0), 8);
        assert_eq!(padded(9), 16);
    }
}
