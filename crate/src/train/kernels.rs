//! The backward pass's edge kernels: portable, and hand-vectorised for AVX2 and wasm simd128.
//!
//! Both compute exactly the same lane operations in the same order (multiply, then add: no
//! fused multiply-add) and reduce the lanes with the same tree, so they give the same bits.
//! The AVX2 version exists because the compiler splits the portable 8-lane accumulator into
//! pairs of lanes, which left the backward pass at a quarter of the register width.

use super::lanes;

/// The loops whose best shape depends on the target: a node's combined input, and the three
/// that carry a gradient back through an edge.
pub trait Kernels {
    /// See `lanes::combine_by_chunk`.
    #[inline(always)]
    fn combine(out: &mut [f32], rows: &[f32], terms: &[(usize, f32)], product: bool) {
        lanes::combine_by_chunk(out, rows, terms, product)
    }
    /// `sum(a * b)`.
    fn dot(a: &[f32], b: &[f32]) -> f32;
    /// `sum(g * src)`, while adding `w * g` to `src_grad`.
    fn dot_axpy(g: &[f32], src: &[f32], src_grad: &mut [f32], w: f32) -> f32;
    /// `sum(g * src)`, while setting `src_grad` to `w * g`.
    fn dot_scaled(g: &[f32], src: &[f32], src_grad: &mut [f32], w: f32) -> f32;
}

/// Plain Rust, vectorised as far as the compiler manages; used on every target.
pub struct Portable;

impl Kernels for Portable {
    #[inline(always)]
    fn dot(a: &[f32], b: &[f32]) -> f32 {
        lanes::dot(a, b)
    }
    #[inline(always)]
    fn dot_axpy(g: &[f32], src: &[f32], src_grad: &mut [f32], w: f32) -> f32 {
        lanes::dot_update::<true>(g, src, src_grad, w)
    }
    #[inline(always)]
    fn dot_scaled(g: &[f32], src: &[f32], src_grad: &mut [f32], w: f32) -> f32 {
        lanes::dot_update::<false>(g, src, src_grad, w)
    }
}

/// AVX2 registers hold exactly the 8 lanes. Only valid where the CPU has AVX2: the trainer
/// picks it after `is_x86_feature_detected!("avx2")`.
#[cfg(target_arch = "x86_64")]
pub struct Avx2;

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use crate::train::lanes::LANES;
    use core::arch::x86_64::*;

    /// Lane sums out of a register, reduced by the portable tree.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn reduce(acc: __m256) -> f32 {
        let mut lanes = [0.0f32; LANES];
        // SAFETY: `lanes` holds 8 floats, the width of the store.
        unsafe { _mm256_storeu_ps(lanes.as_mut_ptr(), acc) };
        super::lanes::reduce(lanes)
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    pub fn dot(a: &[f32], b: &[f32]) -> f32 {
        let n = a.len().min(b.len()) / LANES * LANES;
        let mut acc = _mm256_setzero_ps();
        for i in (0..n).step_by(LANES) {
            // SAFETY: i + 8 <= n <= both lengths.
            let (x, y) = unsafe { (_mm256_loadu_ps(a.as_ptr().add(i)), _mm256_loadu_ps(b.as_ptr().add(i))) };
            acc = _mm256_add_ps(acc, _mm256_mul_ps(x, y));
        }
        reduce(acc)
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    pub fn dot_update(g: &[f32], src: &[f32], src_grad: &mut [f32], w: f32, add: bool) -> f32 {
        let n = g.len().min(src.len()).min(src_grad.len()) / LANES * LANES;
        let mut acc = _mm256_setzero_ps();
        let wv = _mm256_set1_ps(w);
        for i in (0..n).step_by(LANES) {
            // SAFETY: i + 8 <= n <= every slice's length; `src_grad` is a distinct &mut slice.
            unsafe {
                let gv = _mm256_loadu_ps(g.as_ptr().add(i));
                let sv = _mm256_loadu_ps(src.as_ptr().add(i));
                acc = _mm256_add_ps(acc, _mm256_mul_ps(gv, sv));
                let step = _mm256_mul_ps(wv, gv);
                let out = src_grad.as_mut_ptr().add(i);
                let value = if add { _mm256_add_ps(_mm256_loadu_ps(out), step) } else { step };
                _mm256_storeu_ps(out, value);
            }
        }
        reduce(acc)
    }
}

#[cfg(target_arch = "x86_64")]
impl Kernels for Avx2 {
    #[inline(always)]
    fn dot(a: &[f32], b: &[f32]) -> f32 {
        // SAFETY: Avx2 is only chosen on CPUs with AVX2 (see the type's doc).
        unsafe { avx2::dot(a, b) }
    }
    #[inline(always)]
    fn dot_axpy(g: &[f32], src: &[f32], src_grad: &mut [f32], w: f32) -> f32 {
        // SAFETY: as above.
        unsafe { avx2::dot_update(g, src, src_grad, w, true) }
    }
    #[inline(always)]
    fn dot_scaled(g: &[f32], src: &[f32], src_grad: &mut [f32], w: f32) -> f32 {
        // SAFETY: as above.
        unsafe { avx2::dot_update(g, src, src_grad, w, false) }
    }
}

/// wasm simd128: two 4-lane registers hold the 8 lanes (lanes 0-3 and 4-7). Selected at
/// compile time: the page's wasm is built with `+simd128`.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub struct Simd128;

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128 {
    use crate::train::lanes::LANES;
    use core::arch::wasm32::*;

    fn reduce(lo: v128, hi: v128) -> f32 {
        let lanes = [
            f32x4_extract_lane::<0>(lo),
            f32x4_extract_lane::<1>(lo),
            f32x4_extract_lane::<2>(lo),
            f32x4_extract_lane::<3>(lo),
            f32x4_extract_lane::<0>(hi),
            f32x4_extract_lane::<1>(hi),
            f32x4_extract_lane::<2>(hi),
            f32x4_extract_lane::<3>(hi),
        ];
        crate::train::lanes::reduce(lanes)
    }

    /// Loads the 4 floats at `i` (bounds-checked).
    #[inline(always)]
    fn load(s: &[f32], i: usize) -> v128 {
        let four = &s[i..i + 4];
        // SAFETY: `four` is 16 readable bytes; wasm loads need no alignment.
        unsafe { v128_load(four.as_ptr() as *const v128) }
    }

    /// Stores 4 floats at `i` (bounds-checked).
    #[inline(always)]
    fn store(s: &mut [f32], i: usize, value: v128) {
        let four = &mut s[i..i + 4];
        // SAFETY: `four` is 16 writable bytes; wasm stores need no alignment.
        unsafe { v128_store(four.as_mut_ptr() as *mut v128, value) }
    }

    #[inline(always)]
    pub fn dot(a: &[f32], b: &[f32]) -> f32 {
        let n = a.len().min(b.len()) / LANES * LANES;
        let (mut lo, mut hi) = (f32x4_splat(0.0), f32x4_splat(0.0));
        for i in (0..n).step_by(LANES) {
            lo = f32x4_add(lo, f32x4_mul(load(a, i), load(b, i)));
            hi = f32x4_add(hi, f32x4_mul(load(a, i + 4), load(b, i + 4)));
        }
        reduce(lo, hi)
    }

    #[inline(always)]
    pub fn dot_update(g: &[f32], src: &[f32], src_grad: &mut [f32], w: f32, add: bool) -> f32 {
        let n = g.len().min(src.len()).min(src_grad.len()) / LANES * LANES;
        let (mut lo, mut hi) = (f32x4_splat(0.0), f32x4_splat(0.0));
        let wv = f32x4_splat(w);
        for i in (0..n).step_by(LANES) {
            let (g0, g1) = (load(g, i), load(g, i + 4));
            lo = f32x4_add(lo, f32x4_mul(g0, load(src, i)));
            hi = f32x4_add(hi, f32x4_mul(g1, load(src, i + 4)));
            for (k, gk) in [(i, g0), (i + 4, g1)] {
                let step = f32x4_mul(wv, gk);
                let value = if add { f32x4_add(load(src_grad, k), step) } else { step };
                store(src_grad, k, value);
            }
        }
        reduce(lo, hi)
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
impl Kernels for Simd128 {
    #[inline(always)]
    fn combine(out: &mut [f32], rows: &[f32], terms: &[(usize, f32)], product: bool) {
        lanes::combine_by_term(out, rows, terms, product)
    }
    #[inline(always)]
    fn dot(a: &[f32], b: &[f32]) -> f32 {
        simd128::dot(a, b)
    }
    #[inline(always)]
    fn dot_axpy(g: &[f32], src: &[f32], src_grad: &mut [f32], w: f32) -> f32 {
        simd128::dot_update(g, src, src_grad, w, true)
    }
    #[inline(always)]
    fn dot_scaled(g: &[f32], src: &[f32], src_grad: &mut [f32], w: f32) -> f32 {
        simd128::dot_update(g, src, src_grad, w, false)
    }
}

/// The kernels the trainer uses on this build when no runtime choice applies.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub type Native = Simd128;
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub type Native = Portable;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn avx2_kernels_give_the_portable_bits() {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            let g: Vec<f32> = (0..200).map(|i| (i as f32 * 0.731).sin() * 3.0).collect();
            let s: Vec<f32> = (0..200).map(|i| (i as f32 * 0.117).cos() / 7.0).collect();
            assert_eq!(Avx2::dot(&g, &s).to_bits(), Portable::dot(&g, &s).to_bits());
            let (mut a, mut b) = (s.clone(), s.clone());
            let da = Avx2::dot_axpy(&g, &s, &mut a, 0.3);
            let db = Portable::dot_axpy(&g, &s, &mut b, 0.3);
            assert_eq!((da.to_bits(), &a), (db.to_bits(), &b));
            let da = Avx2::dot_scaled(&g, &s, &mut a, -1.7);
            let db = Portable::dot_scaled(&g, &s, &mut b, -1.7);
            assert_eq!((da.to_bits(), &a), (db.to_bits(), &b));
        }
    }
}
