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
    Best {
        test_accuracy: n.outcome.test_accuracy,
        validation_accuracy: n.outcome.validation_accuracy,
        parameters: n.outcome.parameters,
        cost: n.outcome.cost,
        generation: n.generation,
        lr: n.blueprint.hyper.lr,
        batch: n.blueprint.hyper.batch,
        epochs: n.blueprint.hyper.epochs,
        blueprint: graph.describe(|species| format!("s{species}")),
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

/// A module as the species list shows it: its index, layers, and mean accuracy over the
/// networks of the last generation it took part in (none if it took part in none).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Member {
    pub index: usize,
    pub layers: String,
    pub accuracy: Option<f32>,
    pub networks: usize,
}

/// A module species and its members, the most accurate first (unused ones last, then by index).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    pub id: u32,
    pub members: Vec<Member>,
}

/// The run's module species as the page lists them.
pub fn species(run: &ModulesRun) -> Vec<Group> {
    let fitness = |k: usize| run.module_fitness.get(k).copied().flatten();
    let member = |k: usize| Member {
        index: k,
        layers: module::describe(&run.modules[k]),
        accuracy: fitness(k).map(|m| m.accuracy),
        networks: fitness(k).map_or(0, |m| m.networks),
    };
    let group = |s: &super::species::Species| {
        let mut members: Vec<Member> = s.members.iter().map(|&k| member(k)).collect();
        members.sort_by(|a, b| b.accuracy.unwrap_or(-1.0).total_cmp(&a.accuracy.unwrap_or(-1.0)).then(a.index.cmp(&b.index)));
        Group { id: s.id, members }
    };
    run.species.iter().map(group).collect()
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
