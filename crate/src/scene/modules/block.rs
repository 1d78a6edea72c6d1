//! A module node's gene: one layer and its hyperparameters (kind, width, kernel, stride,
//! activation, pooling, dropout) and how it merges several inputs, as CoDeepNEAT's module
//! nodes carry them.

use crate::activation::Activation;
use crate::link::names::named_enum;
use crate::rng::Stream;
use serde::{Deserialize, Serialize};

named_enum! {
    /// What the layer is: a 1-D convolution (padded to keep the length at stride 1) or a dense
    /// layer over all positions (one position out).
    pub enum Kind { Conv = "conv", Dense = "dense" }
}

named_enum! {
    /// How a node combines several inputs: channels side by side, or an elementwise sum.
    pub enum Merge { Concat = "concat", Sum = "sum" }
}

named_enum! {
    /// The pooling after a conv layer's activation (window 2, stride 2), or none.
    pub enum Pooling { None = "none", Max = "max", Average = "average" }
}

/// The widths (channels or units) a layer may take.
pub const WIDTHS: &[usize] = &[8, 16, 24, 32, 48, 64];
/// Conv kernels (odd, so padding of kernel / 2 keeps the length).
pub const KERNELS: &[usize] = &[1, 3, 5, 7];
pub const STRIDES: &[usize] = &[1, 2];
pub const DROPOUTS: &[f32] = &[0.0, 0.1, 0.2, 0.3];
/// The activations a layer may take (the table's, less the product kinds a layer has no use for).
pub const ACTIVATIONS: &[Activation] = &[Activation::Relu, Activation::Tanh, Activation::Sigmoid, Activation::Gaussian, Activation::Abs, Activation::Identity];

/// One layer's hyperparameters.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub kind: Kind,
    pub width: usize,
    pub kernel: usize,
    pub stride: usize,
    pub activation: Activation,
    pub pooling: Pooling,
    pub dropout: f32,
    pub merge: Merge,
}

/// How many hyperparameters a block has (the distance's denominator).
const FIELDS: f32 = 8.0;

impl Block {
    /// A conv layer drawn at random: width, kernel, stride, activation (ReLU half the time),
    /// pooling; no dropout.
    pub fn random(rng: &mut Stream) -> Block {
        let activation = if rng.chance(0.5) { Activation::Relu } else { *rng.pick(ACTIVATIONS) };
        Block {
            kind: Kind::Conv,
            width: *rng.pick(WIDTHS),
            kernel: *rng.pick(&KERNELS[1..]),
            stride: *rng.pick(STRIDES),
            activation,
            pooling: if rng.chance(0.7) { Pooling::None } else { *rng.pick(&Pooling::ALL[1..]) },
            dropout: 0.0,
            merge: *rng.pick(Merge::ALL),
        }
    }

    /// One hyperparameter changed: a width or kernel to a neighbouring choice, any other to
    /// another value.
    pub fn mutate(&self, rng: &mut Stream) -> Block {
        let mut b = *self;
        match rng.below(8) {
            0 => b.kind = if b.kind == Kind::Conv { Kind::Dense } else { Kind::Conv },
            1 | 2 => b.width = neighbour(WIDTHS, b.width, rng),
            3 => b.kernel = neighbour(KERNELS, b.kernel, rng),
            4 => b.stride = if b.stride == 1 { 2 } else { 1 },
            5 => b.activation = *rng.pick(ACTIVATIONS),
            6 => b.pooling = *rng.pick(Pooling::ALL),
            _ if rng.chance(0.5) => b.dropout = *rng.pick(DROPOUTS),
            _ => b.merge = if b.merge == Merge::Concat { Merge::Sum } else { Merge::Concat },
        }
        b
    }

    /// Each hyperparameter from either parent at even odds.
    pub fn cross(&self, other: &Block, rng: &mut Stream) -> Block {
        Block {
            kind: either(self.kind, other.kind, rng),
            width: either(self.width, other.width, rng),
            kernel: either(self.kernel, other.kernel, rng),
            stride: either(self.stride, other.stride, rng),
            activation: either(self.activation, other.activation, rng),
            pooling: either(self.pooling, other.pooling, rng),
            dropout: either(self.dropout, other.dropout, rng),
            merge: either(self.merge, other.merge, rng),
        }
    }

    /// The share of hyperparameters that differ (NEAT's weight-difference term, for layers).
    pub fn distance(&self, other: &Block) -> f32 {
        let differ = [
            self.kind != other.kind,
            self.width != other.width,
            self.kernel != other.kernel,
            self.stride != other.stride,
            self.activation != other.activation,
            self.pooling != other.pooling,
            self.dropout != other.dropout,
            self.merge != other.merge,
        ];
        differ.iter().filter(|&&d| d).count() as f32 / FIELDS
    }

    /// Whether the block's values come from the table of choices (a block read from a job).
    pub fn check(&self) -> Result<(), String> {
        let ok = WIDTHS.contains(&self.width)
            && KERNELS.contains(&self.kernel)
            && STRIDES.contains(&self.stride)
            && DROPOUTS.contains(&self.dropout)
            && ACTIVATIONS.contains(&self.activation);
        ok.then_some(()).ok_or_else(|| format!("a block's hyperparameters are not among the choices: {self:?}"))
    }

    /// Short text: `conv32k5s2 relu max`, `dense64 tanh d0.2`.
    pub fn describe(&self) -> String {
        let mut text = match self.kind {
            Kind::Conv => format!("conv{}k{}{}", self.width, self.kernel, if self.stride == 2 { "s2" } else { "" }),
            Kind::Dense => format!("dense{}", self.width),
        };
        text += &format!(" {}", self.activation.name());
        if self.kind == Kind::Conv && self.pooling != Pooling::None {
            text += &format!(" {}pool", self.pooling.name());
        }
        if self.dropout > 0.0 {
            text += &format!(" d{}", self.dropout);
        }
        text
    }
}

/// A choice next to `value` in `choices` (or the first, if `value` is not one).
fn neighbour<T: Copy + PartialEq>(choices: &[T], value: T, rng: &mut Stream) -> T {
    let k = choices.iter().position(|&c| c == value).unwrap_or(0);
    let up = k + 1 < choices.len() && (k == 0 || rng.chance(0.5));
    choices[if up { k + 1 } else { k.saturating_sub(1) }]
}

/// `a` or `b` at even odds.
fn either<T>(a: T, b: T, rng: &mut Stream) -> T {
    if rng.chance(0.5) {
        a
    } else {
        b
    }
}
