//! Where a run stands, as the CLI prints it and the page reads it: the best network (its test
//! and validation accuracy, size, blueprint and modules), the baselines beside their published
//! figures, and the accuracy-vs-size front of every network trained.

use super::config::DataKind;
use super::module;
use super::run::{ModulesRun, Network, Point};
use super::training::Outcome;
use crate::search::nsga2;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub generation: u64,
    pub trained: u64,
    pub best: Option<Best>,
    pub baselines: BTreeMap<&'static str, Scored>,
    pub species: usize,
    /// How many networks trained so far none beats on both accuracy and size.
    pub front: usize,
}

/// A network's scores.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scored {
    pub test_accuracy: f32,
    pub validation_accuracy: f32,
    pub parameters: usize,
    /// The paper's test accuracy, for the baselines on MNIST-1D.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<f32>,
}

/// A module of the best network: its species, how many blueprint nodes use it, its layers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModuleUse {
    pub species: u32,
    pub uses: usize,
    pub layers: String,
}

/// The best network so far.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Best {
    pub test_accuracy: f32,
    pub validation_accuracy: f32,
    pub parameters: usize,
    /// Multiply-adds per sample.
    pub cost: usize,
    pub generation: u64,
    pub lr: f32,
    pub batch: usize,
    pub epochs: usize,
    /// The blueprint's nodes by species, each `id:s<species><-inputs`.
    pub blueprint: String,
    pub modules: Vec<ModuleUse>,
}

fn scored(o: &Outcome, published: Option<f32>) -> Scored {
    Scored { test_accuracy: o.test_accuracy, validation_accuracy: o.validation_accuracy, parameters: o.parameters, published }
}

/// The best network's report.
pub fn best(n: &Network) -> Best {
    let graph = &n.blueprint.graph;
    let uses = |species: u32| graph.nodes.iter().filter(|node| node.gene == species).count();
    let order = graph.order().unwrap_or_default();
    let node = |id: u32| {
        let from: Vec<String> = graph.inputs(id).map(|f| if f == 0 { "in".into() } else { f.to_string() }).collect();
        format!("{id}:s{}<-{}", graph.node(id).map_or(0, |n| n.gene), from.join("+"))
    };
    Best {
        test_accuracy: n.outcome.test_accuracy,
        validation_accuracy: n.outcome.validation_accuracy,
        parameters: n.outcome.parameters,
        cost: n.outcome.cost,
        generation: n.generation,
        lr: n.blueprint.hyper.lr,
        batch: n.blueprint.hyper.batch,
        epochs: n.blueprint.hyper.epochs,
        blueprint: order.into_iter().map(node).collect::<Vec<_>>().join(", "),
        modules: n.modules.iter().map(|(s, _, m)| ModuleUse { species: *s, uses: uses(*s), layers: module::describe(m) }).collect(),
    }
}

/// The archive's points none beats on both validation accuracy and parameters, by size
/// (networks that could not be trained, of no parameters, take no part).
pub fn front(points: &[Point]) -> Vec<usize> {
    let objective = |p: &Point| if p.parameters == 0 { [f32::NAN; 2] } else { [1.0 - p.validation_accuracy, p.parameters as f32] };
    let objectives: Vec<[f32; 2]> = points.iter().map(objective).collect();
    let mut first = nsga2::fronts(&objectives).into_iter().next().unwrap_or_default();
    first.retain(|&k| points[k].parameters > 0);
    first.sort_by_key(|&k| (points[k].parameters, k));
    first
}

impl ModulesRun {
    pub fn summary(&self) -> Summary {
        let mnist = self.config.dataset == DataKind::Mnist1d;
        let baselines = self.baselines.iter().map(|(b, o)| (b.name(), scored(o, mnist.then(|| b.published(self.config.shuffled))))).collect();
        Summary {
            generation: self.generation,
            trained: self.trained,
            best: self.best.as_ref().map(best),
            baselines,
            species: self.species.len(),
            front: front(&self.archive).len(),
        }
    }
}

/// Counts of (true class, predicted class) over the test set: row = truth.
pub fn confusion(labels: &[u32], predictions: &[u8], classes: usize) -> Vec<Vec<u32>> {
    let mut counts = vec![vec![0u32; classes]; classes];
    for (&truth, &p) in labels.iter().zip(predictions) {
        if let Some(row) = counts.get_mut(truth as usize) {
            if let Some(c) = row.get_mut(usize::from(p)) {
                *c += 1;
            }
        }
    }
    counts
}
