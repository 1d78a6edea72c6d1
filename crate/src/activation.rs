//! The activation set: each node kind's name, value and exact derivative, in one table.
//!
//! Every transcendental goes through `math`, whose kernels are bit-identical natively and in
//! wasm and vectorise over a batch.

use crate::link::names::named_enum;
use crate::math;

named_enum! {
    /// What a node does with its weighted inputs. Every kind but `Mult` sums them first;
    /// `Mult` multiplies them (a product of weighted inputs, so networks can form x*y directly).
    /// The order is the one links and the page list them in, and gives each kind its `code`.
    pub enum Activation {
        Sigmoid = "sigmoid", Tanh = "tanh", Relu = "relu", Gaussian = "gaussian", Sine = "sine",
        Abs = "abs", Square = "square", Identity = "identity", Mult = "mult", Add = "add",
    }
}

/// The whole table, in the order links and the page list them.
pub const ALL: &[Activation] = Activation::ALL;

impl Activation {
    /// A small integer for flat encodings (the Program, the GPU buffers); stable.
    pub fn code(self) -> u32 {
        ALL.iter().position(|&a| a == self).unwrap_or(0) as u32
    }

    pub fn from_code(code: u32) -> Option<Activation> {
        ALL.get(code as usize).copied()
    }

    /// True for the kind that multiplies its weighted inputs instead of summing them.
    pub fn is_product(self) -> bool {
        self == Activation::Mult
    }

    /// `(f(x), f'(x))` for the node's combined input `x`. For `Mult` the combination is the
    /// product, after which the node passes it through unchanged, as `Add` does the sum.
    #[inline(always)]
    pub fn value_and_slope(self, x: f32) -> (f32, f32) {
        match self {
            Activation::Sigmoid => {
                let s = sigmoid(x);
                (s, s * (1.0 - s))
            }
            Activation::Tanh => {
                let t = math::tanh(x);
                (t, 1.0 - t * t)
            }
            Activation::Relu => {
                if x > 0.0 {
                    (x, 1.0)
                } else {
                    (0.0, 0.0)
                }
            }
            Activation::Gaussian => {
                let g = math::exp(-x * x);
                (g, -2.0 * x * g)
            }
            Activation::Sine => {
                let (s, c) = math::sin_cos(x);
                (s, c)
            }
            Activation::Abs => (
                x.abs(),
                if x > 0.0 {
                    1.0
                } else if x < 0.0 {
                    -1.0
                } else {
                    0.0
                },
            ),
            Activation::Square => (x * x, 2.0 * x),
            Activation::Identity | Activation::Mult | Activation::Add => (x, 1.0),
        }
    }

    /// `f(x)` alone.
    #[inline]
    pub fn value(self, x: f32) -> f32 {
        self.value_and_slope(x).0
    }
}

pub use math::sigmoid;

/// Parses a comma list of activation names; an unknown name is named in the error.
pub fn parse_list(text: &str) -> Result<Vec<Activation>, String> {
    let mut out = Vec::new();
    for name in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let a = Activation::from_name(name).map_err(|_| format!("unknown activation '{}' (known: {})", name, Activation::NAMES.join(", ")))?;
        if !out.contains(&a) {
            out.push(a);
        }
    }
    if out.is_empty() {
        return Err("the activation list is empty; name at least one".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slopes_match_finite_differences() {
        for &a in ALL.iter() {
            for i in -40..=40 {
                let x = i as f64 * 0.1 + 0.013;
                let h = 1e-3f64;
                let f = |x: f64| a.value(x as f32) as f64;
                let numeric = (f(x + h) - f(x - h)) / (2.0 * h);
                let (_, slope) = a.value_and_slope(x as f32);
                let tol = 2e-2 * (1.0 + numeric.abs());
                assert!((numeric - slope as f64).abs() < tol, "{:?} at {}: {} vs {}", a, x, numeric, slope);
            }
        }
    }

    #[test]
    fn names_round_trip_and_codes_are_stable() {
        for (i, &a) in ALL.iter().enumerate() {
            assert_eq!(Activation::from_name(a.name()), Ok(a));
            assert_eq!(a.code(), i as u32);
            assert_eq!(Activation::from_code(i as u32), Some(a));
        }
        assert!(parse_list("sine,bogus").unwrap_err().contains("bogus"));
        assert!(parse_list("").is_err());
    }
}
