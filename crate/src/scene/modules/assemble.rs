//! Assembly: a blueprint with one module substituted for each species it names becomes a
//! network of the layer engine (every node of one species gets the same module), merges
//! aligned by pooling or projection, and a dense layer to the classes at the end.
//!
//! The alignment rules: values merged at a node are pooled (max, with the window and stride
//! that give exactly the shortest length) to the shortest one's length; a sum then projects
//! the narrower ones to the widest's channels with a 1-wide conv. Blueprint nodes and module
//! outputs concatenate. A block's pooling is skipped where fewer than 2 positions are left.

use super::block::{Block, Kind, Merge, Pooling};
use super::blueprint::Blueprint;
use super::graph::{Graph, INPUT};
use super::module::Module;
use crate::tensor::net::{Layer, Net, Pool, Shape};
use std::collections::BTreeMap;

/// The most multiply-adds per sample an assembled network may cost (about 20 times the
/// MNIST-1D paper's CNN): bigger ones are refused, not trained for minutes.
pub const MAX_COST: usize = 2_000_000;

/// A net under construction, with each layer's shape.
struct Builder {
    net: Net,
    shapes: Vec<Shape>,
}

impl Builder {
    fn push(&mut self, layer: Layer) -> Result<usize, String> {
        let i = self.net.layers.len();
        let shape = self.net.shape_of(i, &layer, &self.shapes)?;
        self.net.layers.push(layer);
        self.shapes.push(shape);
        Ok(i)
    }

    /// `value` pooled down to `length` positions (max over windows that tile it exactly).
    fn shorten(&mut self, value: usize, length: usize) -> Result<usize, String> {
        let have = self.shapes[value].length;
        if have == length {
            return Ok(value);
        }
        let stride = have / length;
        self.push(Layer::Pool { from: value, kind: Pool::Max, size: have - (length - 1) * stride, stride })
    }

    /// The values merged as `merge` says (one value is itself).
    fn merge(&mut self, values: &[usize], merge: Merge) -> Result<usize, String> {
        if let [one] = values {
            return Ok(*one);
        }
        let length = values.iter().map(|&v| self.shapes[v].length).min().ok_or("a merge of nothing")?;
        let aligned = values.iter().map(|&v| self.shorten(v, length)).collect::<Result<Vec<_>, _>>()?;
        match merge {
            Merge::Concat => self.push(Layer::Concat(aligned)),
            Merge::Sum => {
                let channels = aligned.iter().map(|&v| self.shapes[v].channels).max().unwrap_or(1);
                let mut sum = None;
                for v in aligned {
                    let v = match self.shapes[v].channels == channels {
                        true => v,
                        false => self.push(Layer::Conv { from: v, channels, kernel: 1, stride: 1, pad: 0 })?,
                    };
                    sum = Some(match sum {
                        None => v,
                        Some(s) => self.push(Layer::Add(s, v))?,
                    });
                }
                sum.ok_or_else(|| "a merge of nothing".into())
            }
        }
    }

    /// A block's layers over `value`; its output.
    fn block(&mut self, block: &Block, value: usize) -> Result<usize, String> {
        let mut v = match block.kind {
            Kind::Conv => {
                let pad = block.kernel / 2;
                self.push(Layer::Conv { from: value, channels: block.width, kernel: block.kernel, stride: block.stride, pad })?
            }
            Kind::Dense => self.push(Layer::Dense { from: vec![value], out: block.width })?,
        };
        v = self.push(Layer::Act(block.activation, v))?;
        let kind = match block.pooling {
            Pooling::Max => Some(Pool::Max),
            Pooling::Average => Some(Pool::Average),
            Pooling::None => None,
        };
        if let Some(kind) = kind.filter(|_| block.kind == Kind::Conv && self.shapes[v].length >= 2) {
            v = self.push(Layer::Pool { from: v, kind, size: 2, stride: 2 })?;
        }
        if block.dropout > 0.0 {
            v = self.push(Layer::Dropout(v, block.dropout))?;
        }
        Ok(v)
    }

    /// A graph's nodes over `input` in order, each merging what it reads and applying
    /// `node(self, gene, merged)`; its sinks' outputs.
    fn graph<T: Clone>(
        &mut self,
        graph: &Graph<T>,
        input: usize,
        merge_of: impl Fn(&T) -> Merge,
        mut node: impl FnMut(&mut Builder, &T, usize) -> Result<usize, String>,
    ) -> Result<Vec<usize>, String> {
        let order = graph.order().ok_or("the graph's links form a cycle")?;
        let mut out: BTreeMap<u32, usize> = BTreeMap::new();
        for id in order {
            let gene = &graph.node(id).expect("ordered nodes exist").gene;
            let reads: Vec<usize> = graph.inputs(id).map(|f| if f == INPUT { input } else { out[&f] }).collect();
            let merged = self.merge(&reads, merge_of(gene))?;
            out.insert(id, node(self, gene, merged)?);
        }
        Ok(graph.sinks().iter().map(|id| out[id]).collect())
    }
}

/// The network `blueprint` makes with `modules` (one per species it names) over samples of
/// `input`, ending in `classes` logits; an error names what does not fit.
pub fn assemble(blueprint: &Blueprint, modules: &BTreeMap<u32, &Module>, input: Shape, classes: usize) -> Result<Net, String> {
    let mut b = Builder { net: Net { input, layers: Vec::new(), classes }, shapes: Vec::new() };
    let input = b.push(Layer::Input)?;
    let module_of = |species: &u32| modules.get(species).copied().ok_or_else(|| format!("no module for species {species}"));
    let sinks = b.graph(
        &blueprint.graph,
        input,
        |_| Merge::Concat,
        |b, species, value| {
            let module = module_of(species)?;
            let outs = b.graph(module, value, |block: &Block| block.merge, |b, block, v| b.block(block, v))?;
            b.merge(&outs, Merge::Concat)
        },
    )?;
    b.push(Layer::Dense { from: sinks, out: classes })?;
    b.net.check()?;
    let cost = cost(&b.net, &b.shapes);
    if cost > MAX_COST {
        return Err(format!("the network costs {cost} multiply-adds per sample, more than {MAX_COST}"));
    }
    Ok(b.net)
}

/// Multiply-adds per sample of a net's dense and conv layers.
pub fn cost(net: &Net, shapes: &[Shape]) -> usize {
    let layout = net.layout(shapes);
    net.layers.iter().zip(&layout).zip(shapes).map(|((_, at), shape)| at.map_or(0, |at| at.rows * at.cols * shape.length)).sum()
}
