//! A feed-forward network of shaped layers (dense, conv1d, pooling, merges, dropout) over a batch.
//!
//! A value is a sequence of `length` positions of `channels` values, stored position-major:
//! row `p * channels + c`, each row the batch's lanes. So flattening is free (a dense layer reads
//! the rows as they lie), a conv1d window is one contiguous run of rows, and concatenation is
//! along channels. The rules a net keeps (`Net::check`, which every executor relies on):
//! - layer 0 is the input, and only layer 0; a layer reads only layers before it;
//! - `Add` reads two values of one shape, `Concat` values of one length;
//! - a dense layer reads each value at most once (any layer may read the input: the gradient
//!   that reaches it is dropped, and dense and conv layers skip computing it);
//! - the last layer's value is the logits: one position of `classes` channels;
//! - parameters are each dense and conv layer's weights then biases, in layer order: a dense
//!   layer `out` rows over its inputs' rows in order; a conv layer `channels` rows of `kernel x
//!   in-channels` (kernel position major), as a dense layer over its window.

pub mod conv;
pub mod exec;
pub mod trainer;

pub use exec::NetWorkspace;
pub use trainer::NetTrainer;

use super::tape::DenseAt;
use crate::activation::Activation;

/// The shape of a value: `length` positions of `channels` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    pub length: usize,
    pub channels: usize,
}

impl Shape {
    pub fn rows(self) -> usize {
        self.length * self.channels
    }
}

/// How a pooling layer reduces its window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pool {
    Max,
    Average,
}

/// One layer; each reads layers before it by index.
#[derive(Clone, Debug, PartialEq)]
pub enum Layer {
    /// The sample, in the net's input shape.
    Input,
    /// A learned matrix over the listed values' rows, concatenated, plus a bias: `out` channels
    /// at one position.
    Dense { from: Vec<usize>, out: usize },
    /// A 1-D convolution: `channels` filters of `kernel` positions, moved by `stride`, over the
    /// value padded with `pad` zero positions each side.
    Conv { from: usize, channels: usize, kernel: usize, stride: usize, pad: usize },
    /// Max or average over windows of `size` positions moved by `stride`, channel by channel.
    Pool { from: usize, kind: Pool, size: usize, stride: usize },
    /// An activation of the table, elementwise.
    Act(Activation, usize),
    /// Elementwise sum (a skip connection).
    Add(usize, usize),
    /// The values' channels side by side, position by position.
    Concat(Vec<usize>),
    /// Training only: each value zeroed with chance `rate`, the rest scaled by 1 / (1 - rate).
    Dropout(usize, f32),
}

impl Layer {
    /// The layers this one reads.
    pub fn reads(&self) -> Vec<usize> {
        match self {
            Layer::Input => Vec::new(),
            Layer::Dense { from, .. } | Layer::Concat(from) => from.clone(),
            Layer::Conv { from, .. } | Layer::Pool { from, .. } => vec![*from],
            Layer::Act(_, a) | Layer::Dropout(a, _) => vec![*a],
            Layer::Add(a, b) => vec![*a, *b],
        }
    }
}

/// A network of layers over samples of one shape, ending in class logits.
#[derive(Clone, Debug, PartialEq)]
pub struct Net {
    pub input: Shape,
    pub layers: Vec<Layer>,
    pub classes: usize,
}

/// A conv window's output length: `(length + 2 pad - kernel) / stride + 1`, none if it does not fit.
pub fn conv_length(length: usize, kernel: usize, stride: usize, pad: usize) -> Option<usize> {
    let padded = length + 2 * pad;
    (padded >= kernel && stride > 0).then(|| (padded - kernel) / stride + 1)
}

impl Net {
    /// Each layer's shape, or the first layer whose inputs do not fit it.
    pub fn shapes(&self) -> Result<Vec<Shape>, String> {
        let mut shapes: Vec<Shape> = Vec::with_capacity(self.layers.len());
        for (i, layer) in self.layers.iter().enumerate() {
            if let Some(&j) = layer.reads().iter().find(|&&j| j >= i) {
                return Err(format!("layer {i} reads layer {j}, which does not come before it"));
            }
            let shape = self.shape_of(i, layer, &shapes)?;
            if shape.rows() == 0 {
                return Err(format!("layer {i} has no values ({shape:?})"));
            }
            shapes.push(shape);
        }
        Ok(shapes)
    }

    /// Layer `i`'s shape given the shapes of the layers before it, or why its inputs do not fit.
    pub fn shape_of(&self, i: usize, layer: &Layer, shapes: &[Shape]) -> Result<Shape, String> {
        let bad = |why: String| Err(format!("layer {i}: {why}"));
        Ok(match *layer {
            Layer::Input if i == 0 => self.input,
            Layer::Input => return bad("only layer 0 is the input".into()),
            _ if i == 0 => return bad("layer 0 must be the input".into()),
            Layer::Dense { ref from, out } => {
                if let Some(j) = from.iter().enumerate().find_map(|(k, j)| from[..k].contains(j).then_some(j)) {
                    return bad(format!("a dense layer reads layer {j} twice; one matrix over it is the same"));
                }
                Shape { length: 1, channels: out }
            }
            Layer::Conv { from, channels, kernel, stride, pad } => {
                if kernel == 0 || stride == 0 || pad >= kernel {
                    return bad(format!(
                        "a conv needs kernel and stride of at least 1 and padding below the kernel (kernel {kernel}, stride {stride}, pad {pad})"
                    ));
                }
                match conv_length(shapes[from].length, kernel, stride, pad) {
                    Some(length) => Shape { length, channels },
                    None => return bad(format!("a kernel of {kernel} does not fit {} positions padded by {pad}", shapes[from].length)),
                }
            }
            Layer::Pool { from, size, stride, .. } => match conv_length(shapes[from].length, size, stride, 0) {
                Some(length) if size > 0 => Shape { length, channels: shapes[from].channels },
                _ => return bad(format!("a pool of {size} (stride {stride}) does not fit {} positions", shapes[from].length)),
            },
            Layer::Act(_, a) => shapes[a],
            Layer::Dropout(a, rate) if (0.0..1.0).contains(&rate) => shapes[a],
            Layer::Dropout(_, rate) => return bad(format!("a dropout rate is at least 0 and below 1, not {rate}")),
            Layer::Add(a, b) if shapes[a] == shapes[b] => shapes[a],
            Layer::Add(a, b) => return bad(format!("adds layer {a} {:?} to layer {b} {:?}, of another shape", shapes[a], shapes[b])),
            Layer::Concat(ref from) => {
                let length = from.first().map(|&j| shapes[j].length).ok_or_else(|| format!("layer {i}: a concatenation of nothing"))?;
                if let Some(&j) = from.iter().find(|&&j| shapes[j].length != length) {
                    return bad(format!("concatenates layer {j} of {} positions with values of {length}", shapes[j].length));
                }
                Shape { length, channels: from.iter().map(|&j| shapes[j].channels).sum() }
            }
        })
    }

    /// Checks the rules of the module doc; the error names the layer and what is wrong.
    pub fn check(&self) -> Result<Vec<Shape>, String> {
        if self.input.rows() == 0 || self.classes == 0 {
            return Err(format!("a net needs an input ({:?}) and classes ({})", self.input, self.classes));
        }
        let shapes = self.shapes()?;
        let last = shapes.last().copied().ok_or("a net needs layers")?;
        if last != (Shape { length: 1, channels: self.classes }) {
            return Err(format!("the last layer is the logits, 1 position of {} classes, not {last:?}", self.classes));
        }
        Ok(shapes)
    }

    /// Each dense and conv layer's parameters (as a dense matrix over its rows or its window).
    pub fn layout(&self, shapes: &[Shape]) -> Vec<Option<DenseAt>> {
        let mut offset = 0;
        let mut place = |rows: usize, cols: usize| {
            let at = DenseAt { offset, rows, cols };
            offset = at.end();
            Some(at)
        };
        let layout = self.layers.iter().map(|layer| match layer {
            Layer::Dense { from, out } => place(*out, from.iter().map(|&j| shapes[j].rows()).sum()),
            Layer::Conv { from, channels, kernel, .. } => place(*channels, kernel * shapes[*from].channels),
            _ => None,
        });
        layout.collect()
    }

    /// How many parameters the net trains (0 if it is not valid).
    pub fn parameters(&self) -> usize {
        self.shapes().map_or(0, |shapes| self.layout(&shapes).iter().flatten().last().map_or(0, |at| at.end()))
    }
}
