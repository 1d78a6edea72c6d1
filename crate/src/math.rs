//! Portable transcendentals for the hot loops: exp and sin/cos from IEEE basic operations only.
//!
//! libm's exp and sin are exact to an ulp but scalar: calls with branches and tables that no
//! compiler vectorises, and they took most of the trainer's time. These use only +, -, *, /,
//! comparisons and bit moves, which IEEE 754 rounds the same way on every target (Rust never
//! fuses a multiply-add on its own), so they stay bit-identical natively and in wasm while
//! vectorising over a batch of points. Accuracy: within a few ulp of libm over the ranges a
//! network uses (checked in the tests below).

/// Adding then subtracting 1.5 * 2^23 rounds an f32 below 2^22 to the nearest integer.
const ROUND: f32 = 12_582_912.0;
const LOG2_E: f32 = core::f32::consts::LOG2_E;
/// ln 2 split so that n * LN2_HI is exact for |n| < 2^8.
const LN2_HI: f32 = 0.693_145_75;
const LN2_LO: f32 = 1.428_606_8e-6;
/// Keeps 2^n a finite normal number: the result stays within (0, f32::MAX].
const EXP_MIN: f32 = -87.33;
const EXP_MAX: f32 = 88.37;

/// The integer n held in `t = n + ROUND` (|n| < 2^22), plus the f32 exponent bias 127: the
/// bits of t are those of ROUND plus n, so integer arithmetic reads n without a conversion
/// (a float-to-int cast would need NaN and overflow checks that do not vectorise).
#[inline(always)]
fn biased_exponent(t: f32) -> u32 {
    t.to_bits().wrapping_sub(ROUND.to_bits()).wrapping_add(127)
}

/// e^x.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    let x = x.clamp(EXP_MIN, EXP_MAX);
    let t = x * LOG2_E + ROUND;
    let n = t - ROUND;
    let r = (x - n * LN2_HI) - n * LN2_LO;
    // Taylor series of e^r to degree 7 on |r| <= ln2/2: truncation error below 2e-8.
    let p = 1.0 + r * (1.0 + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0 + r * (1.0 / 5040.0)))))));
    p * f32::from_bits(biased_exponent(t) << 23)
}

/// pi/2 split in three so that k * part is exact for |k| < 2^12 (Cody and Waite).
const PIO2_1: f32 = 1.570_312_5;
const PIO2_2: f32 = 4.837_513e-4;
const PIO2_3: f32 = 7.549_79e-8;

/// (sin x, cos x). Exact to a few ulp for |x| < 6000; beyond that still finite and
/// repeatable, with an absolute error that grows slowly.
#[inline(always)]
pub fn sin_cos(x: f32) -> (f32, f32) {
    let t = x * core::f32::consts::FRAC_2_PI + ROUND;
    let k = t - ROUND;
    let r = ((x - k * PIO2_1) - k * PIO2_2) - k * PIO2_3;
    let r2 = r * r;
    // Taylor series on |r| <= pi/4: sin to degree 9, cos to degree 10.
    let s = r + r * r2 * (-1.0 / 6.0 + r2 * (1.0 / 120.0 + r2 * (-1.0 / 5040.0 + r2 * (1.0 / 362_880.0))));
    let c = 1.0 + r2 * (-0.5 + r2 * (1.0 / 24.0 + r2 * (-1.0 / 720.0 + r2 * (1.0 / 40_320.0))));
    // Quadrant k mod 4 rotates (sin, cos) by k quarter turns.
    // The low bits of t are k's (see `biased_exponent`): bit 0 swaps, bit 1 negates both.
    let q = t.to_bits();
    let (a, b) = if q & 1 == 0 { (s, c) } else { (c, -s) };
    let flip = (q & 2) << 30;
    (f32::from_bits(a.to_bits() ^ flip), f32::from_bits(b.to_bits() ^ flip))
}

/// The logistic function 1 / (1 + e^-x); never overflows, since `exp` is clamped.
#[inline(always)]
pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + exp(-x))
}

/// tanh x = 1 - 2 / (e^2x + 1), with the sign restored from |x| (absolute error ~6e-8).
#[inline(always)]
pub fn tanh(x: f32) -> f32 {
    let t = 1.0 - 2.0 / (exp(2.0 * x.abs()) + 1.0);
    if x < 0.0 {
        -t
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> impl Iterator<Item = f32> {
        (-20_000..=20_000).map(|i| i as f32 * 0.004_321)
    }

    #[test]
    fn exp_matches_libm() {
        for x in samples().map(|x| x * 1.2).filter(|x| (EXP_MIN..=EXP_MAX).contains(x)) {
            let (a, b) = (exp(x) as f64, libm::expf(x) as f64);
            assert!((a - b).abs() <= 4e-7 * b, "exp({x}) = {a}, libm {b}");
        }
        // Outside the range the input is clamped: tiny or huge, but finite and positive.
        assert!(exp(1e6).is_finite() && exp(1e6) > 1e38);
        assert!(exp(-1e6) > 0.0 && exp(-1e6) < 2e-38);
        assert!(exp(f32::NAN).is_nan());
    }

    #[test]
    fn sin_cos_match_libm() {
        for x in samples() {
            let (s, c) = sin_cos(x);
            let (ls, lc) = libm::sincosf(x);
            assert!((s - ls).abs() < 4e-7 && (c - lc).abs() < 4e-7, "sincos({x}) = {s},{c}; libm {ls},{lc}");
        }
        let (s, c) = sin_cos(1e7);
        assert!(s.abs() <= 1.01 && c.abs() <= 1.01);
    }

    #[test]
    fn sigmoid_and_tanh_match_libm() {
        for x in samples().map(|x| x * 0.1) {
            assert!((sigmoid(x) - 1.0 / (1.0 + libm::expf(-x))).abs() < 2e-7, "sigmoid({x})");
            assert!((tanh(x) - libm::tanhf(x)).abs() < 2e-7, "tanh({x})");
        }
        assert!(sigmoid(-1e9) < 1e-30);
        assert_eq!((sigmoid(1e9), tanh(1e9), tanh(-1e9)), (1.0, 1.0, -1.0));
    }
}
