//! Lane kernels: the loops over a batch of points, written in fixed 8-lane order.
//!
//! Float addition is not associative, so a plain `sum()` cannot be vectorised without changing
//! its result. Accumulating in eight independent lanes and adding the lanes in a fixed tree is
//! both vectorisable (SSE, AVX, wasm simd128) and bit-identical on every target. Every batch is
//! padded to a multiple of `LANES`. Each chunk is copied into registers (`load`) before
//! anything is stored: once inlined, the compiler can no longer prove that the slices do not
//! overlap, and without the copies it falls back to scalar code. The reductions here still
//! vectorise only two lanes at a time, which is why `kernels` has hand-written AVX2 and simd128
//! versions of the backward loops.

pub const LANES: usize = 8;

/// Rounds a point count up to whole lanes.
pub fn padded(count: usize) -> usize {
    count.div_ceil(LANES).max(1) * LANES
}

/// A chunk copied into registers before anything is stored (see the module doc).
#[inline(always)]
pub fn load(chunk: &[f32; LANES]) -> [f32; LANES] {
    std::array::from_fn(|k| chunk[k])
}

/// Adds the lanes in a fixed tree.
#[inline(always)]
pub fn reduce(acc: [f32; LANES]) -> f32 {
    ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]))
}

/// A node's combined input: the sum (or, for `product`, the product) of `weight * row source`
/// over `terms`, where `rows` holds one batch-wide row per slot. Chunk by chunk, so the sum
/// stays in registers across the terms and each value is written once. Per point this adds
/// in `Program::eval_point`'s order, so both give the same bits.
#[inline(always)]
pub fn combine_by_chunk(out: &mut [f32], rows: &[f32], terms: &[(usize, f32)], product: bool) {
    let w = out.len();
    let start = if product && !terms.is_empty() { 1.0 } else { 0.0 };
    for (c, o) in out.as_chunks_mut::<LANES>().0.iter_mut().enumerate() {
        let mut acc = [start; LANES];
        for &(source, weight) in terms {
            let src = load(rows[source * w + c * LANES..][..LANES].try_into().unwrap_or(&[0.0; LANES]));
            acc = if product { std::array::from_fn(|k| acc[k] * (weight * src[k])) } else { std::array::from_fn(|k| acc[k] + weight * src[k]) };
        }
        *o = acc;
    }
}

/// As `combine_by_chunk`, one term at a time over the whole batch (better where registers
/// are 4 lanes wide), with the same bits.
#[inline(always)]
pub fn combine_by_term(out: &mut [f32], rows: &[f32], terms: &[(usize, f32)], product: bool) {
    let w = out.len();
    out.fill(if product && !terms.is_empty() { 1.0 } else { 0.0 });
    for &(source, weight) in terms {
        let src = &rows[source * w..][..w];
        if product {
            mul_scaled(out, weight, src);
        } else {
            axpy(out, weight, src);
        }
    }
}

/// `out += w * src`.
#[inline(always)]
pub fn axpy(out: &mut [f32], w: f32, src: &[f32]) {
    for (o, s) in out.as_chunks_mut::<LANES>().0.iter_mut().zip(src.as_chunks::<LANES>().0) {
        let (s, v) = (load(s), load(o));
        *o = std::array::from_fn(|k| v[k] + w * s[k]);
    }
}

/// `out *= w * src`.
#[inline(always)]
pub fn mul_scaled(out: &mut [f32], w: f32, src: &[f32]) {
    for (o, s) in out.as_chunks_mut::<LANES>().0.iter_mut().zip(src.as_chunks::<LANES>().0) {
        let (s, v) = (load(s), load(o));
        *o = std::array::from_fn(|k| v[k] * (w * s[k]));
    }
}

/// `out *= by`.
#[inline(always)]
pub fn mul(out: &mut [f32], by: &[f32]) {
    for (o, b) in out.as_chunks_mut::<LANES>().0.iter_mut().zip(by.as_chunks::<LANES>().0) {
        let (b, v) = (load(b), load(o));
        *o = std::array::from_fn(|k| v[k] * b[k]);
    }
}

/// `sum(a * b)`.
#[inline(always)]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; LANES];
    for (a8, b8) in a.as_chunks::<LANES>().0.iter().zip(b.as_chunks::<LANES>().0) {
        let (a8, b8) = (load(a8), load(b8));
        acc = std::array::from_fn(|k| acc[k] + a8[k] * b8[k]);
    }
    reduce(acc)
}

/// Backward through one edge in one pass: returns `sum(g * src)` (the weight's gradient)
/// while passing `w * g` to the source's gradient: added when `ADD`, else written (the first
/// contribution, which spares clearing every gradient before each backward pass).
#[inline(always)]
pub fn dot_update<const ADD: bool>(g: &[f32], src: &[f32], src_grad: &mut [f32], w: f32) -> f32 {
    let mut acc = [0.0f32; LANES];
    let chunks = g.as_chunks::<LANES>().0.iter().zip(src.as_chunks::<LANES>().0);
    for ((g8, s8), d8) in chunks.zip(src_grad.as_chunks_mut::<LANES>().0) {
        let (g8, s8, d) = (load(g8), load(s8), if ADD { load(d8) } else { [0.0; LANES] });
        acc = std::array::from_fn(|k| acc[k] + g8[k] * s8[k]);
        *d8 = std::array::from_fn(|k| if ADD { d[k] + w * g8[k] } else { w * g8[k] });
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
        let d = dot_update::<true>(&a, &b, &mut grad, 2.0);
        assert_eq!(d, dot(&a, &b));
        assert!(grad.iter().zip(&a).all(|(g, x)| *g == 1.0 + 2.0 * x));
        assert_eq!(padded(0), 8);
        assert_eq!(padded(9), 16);
    }
}
