//! A module: a small graph of layers (CoDeepNEAT's building block), its NEAT operators and its
//! compatibility distance, by which the modules fall into species.

use super::block::Block;
use super::graph::Graph;
use super::innovation::Innovations;
use crate::rng::Stream;

/// A module's graph of layers.
pub type Module = Graph<Block>;

/// The most layers a module grows to.
pub const MAX_LAYERS: usize = 6;

/// The weight of hyperparameter differences against structural ones in the distance.
const GENE_WEIGHT: f32 = 1.0;

/// Checks a module from outside (a worker's job, a save file): its graph's rules and every
/// layer's bounds.
pub fn check(module: &Module) -> Result<(), String> {
    module.check()?;
    module.nodes.iter().try_for_each(|n| n.gene.check())
}

/// A one-layer module with a random conv block: where every module species begins.
pub fn minimal(rng: &mut Stream, innovations: &mut Innovations) -> Module {
    Graph::single(Block::random(rng), innovations)
}

/// One mutation: a layer's hyperparameter (half the time), a new layer splitting a link, a
/// new link, or a link switched off or on. A structural draw that finds nothing to do falls
/// back to a hyperparameter change, so a mutant always differs from its parent's genes or links.
pub fn mutate(module: &Module, innovations: &mut Innovations, rng: &mut Stream) -> Module {
    let structural = match rng.below(10) {
        0..=4 => None,
        5..=6 if module.nodes.len() < MAX_LAYERS => module.split(Block::random(rng), innovations, rng),
        7..=8 => module.connect(innovations, rng),
        9 => module.toggle(rng),
        _ => None,
    };
    structural.unwrap_or_else(|| {
        let mut child = module.clone();
        let k = rng.below(child.nodes.len());
        child.nodes[k].gene = child.nodes[k].gene.mutate(rng);
        child
    })
}

/// NEAT's crossover of two modules, `fitter` first; matching layers mix their hyperparameters.
pub fn crossover(fitter: &Module, other: &Module, rng: &mut Stream) -> Module {
    fitter.crossover(other, rng, |a, b, rng| a.cross(b, rng))
}

/// NEAT's compatibility distance: unmatched genes over the larger genome's, plus the mean share
/// of hyperparameters that differ between the layers both have.
pub fn distance(a: &Module, b: &Module) -> f32 {
    let (structural, shared) = a.structural_distance(b);
    let genes = |id| a.node(id).zip(b.node(id)).map_or(0.0, |(x, y)| x.gene.distance(&y.gene));
    let differ = if shared.is_empty() { 1.0 } else { shared.iter().map(|&id| genes(id)).sum::<f32>() / shared.len() as f32 };
    structural + GENE_WEIGHT * differ
}

/// The module written out: its layers in order, and which each reads.
pub fn describe(module: &Module) -> String {
    module.describe(Block::describe)
}
