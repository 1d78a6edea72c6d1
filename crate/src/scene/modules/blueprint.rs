//! A blueprint: a small graph whose nodes each name a module species, and the global
//! hyperparameters (learning rate, batch, epochs) its networks train with (CoDeepNEAT).

use super::graph::Graph;
use super::innovation::Innovations;
use crate::rng::Stream;
use serde::{Deserialize, Serialize};

/// The batch sizes training may take.
pub const BATCHES: &[usize] = &[25, 50, 100, 200];
/// The most nodes a blueprint grows to.
pub const MAX_NODES: usize = 6;
/// The learning rate's bounds.
pub const LR: (f32, f32) = (1e-4, 0.1);

/// How the blueprint's networks train.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hyper {
    pub lr: f32,
    pub batch: usize,
    pub epochs: usize,
}

/// The bounds the evolved epochs keep: from half to twice the configured ones.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EpochRange {
    pub min: usize,
    pub max: usize,
}

impl EpochRange {
    pub fn around(epochs: usize) -> EpochRange {
        EpochRange { min: (epochs / 2).max(1), max: (2 * epochs).max(1) }
    }
}

impl Hyper {
    /// One of the three moved: the rate by a log-normal factor, the batch or the epochs to a
    /// neighbouring value, each kept in its bounds.
    pub fn mutate(&self, epochs: EpochRange, rng: &mut Stream) -> Hyper {
        let mut h = *self;
        match rng.below(3) {
            0 => h.lr = (h.lr * libm::expf(0.5 * rng.normal())).clamp(LR.0, LR.1),
            1 => {
                let k = BATCHES.iter().position(|&b| b == h.batch).unwrap_or(2);
                let k = if rng.chance(0.5) { (k + 1).min(BATCHES.len() - 1) } else { k.saturating_sub(1) };
                h.batch = BATCHES[k];
            }
            _ => {
                let step = 1 + rng.below(2);
                h.epochs = if rng.chance(0.5) { h.epochs + step } else { h.epochs.saturating_sub(step) };
                h.epochs = h.epochs.clamp(epochs.min, epochs.max);
            }
        }
        h
    }

    /// Whether it lies in the bounds (a hyperparameter set read from a job).
    pub fn check(&self) -> Result<(), String> {
        let ok = (LR.0..=LR.1).contains(&self.lr) && BATCHES.contains(&self.batch) && (1..=1000).contains(&self.epochs);
        ok.then_some(()).ok_or_else(|| format!("hyperparameters out of bounds: {self:?}"))
    }
}

/// A graph of module-species slots, and the hyperparameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Blueprint {
    /// Each node's gene is the id of the module species it draws from.
    pub graph: Graph<u32>,
    pub hyper: Hyper,
}

/// What a blueprint's mutations need to know: the live species and the epoch bounds.
pub struct Rates<'a> {
    pub species: &'a [u32],
    pub epochs: EpochRange,
}

impl Blueprint {
    /// One node drawing from `species`.
    pub fn minimal(species: u32, hyper: Hyper, innovations: &mut Innovations) -> Blueprint {
        Blueprint { graph: Graph::single(species, innovations), hyper }
    }

    /// The species its nodes draw from, each once, ascending.
    pub fn species(&self) -> Vec<u32> {
        let mut ids: Vec<u32> = self.graph.nodes.iter().map(|n| n.gene).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// One mutation: a node's species, a new node (splitting a link, drawing from a random
    /// species), a new link, a link switched, or the hyperparameters. A structural draw that
    /// finds nothing to do changes the hyperparameters instead.
    pub fn mutate(&self, rates: &Rates, innovations: &mut Innovations, rng: &mut Stream) -> Blueprint {
        let graph = match rng.below(10) {
            0..=2 => {
                let mut graph = self.graph.clone();
                let k = rng.below(graph.nodes.len());
                graph.nodes[k].gene = *rng.pick(rates.species);
                Some(graph)
            }
            3..=4 if self.graph.nodes.len() < MAX_NODES => self.graph.split(*rng.pick(rates.species), innovations, rng),
            5..=6 => self.graph.connect(innovations, rng),
            7 => self.graph.toggle(rng),
            _ => None,
        };
        match graph {
            Some(graph) => Blueprint { graph, hyper: self.hyper },
            None => Blueprint { graph: self.graph.clone(), hyper: self.hyper.mutate(rates.epochs, rng) },
        }
    }

    /// NEAT's crossover, `self` the fitter: matching nodes take either parent's species, and
    /// the hyperparameters come from either parent.
    pub fn crossover(&self, other: &Blueprint, rng: &mut Stream) -> Blueprint {
        let graph = self.graph.crossover(&other.graph, rng, |&a, &b, rng| if rng.chance(0.5) { a } else { b });
        let hyper = if rng.chance(0.5) { self.hyper } else { other.hyper };
        Blueprint { graph, hyper }
    }

    /// Nodes drawing from species no longer alive are pointed at a live one.
    pub fn repoint(&mut self, live: &[u32], rng: &mut Stream) {
        for node in &mut self.graph.nodes {
            if !live.contains(&node.gene) {
                node.gene = *rng.pick(live);
            }
        }
    }
}
