//! What a generation reports to the UI and the CLI: the champion, species sizes, the history.

use serde::{Deserialize, Serialize};

/// The champion (lowest fitness) of the latest evaluated generation.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Best {
    /// Its index in the population.
    pub index: usize,
    pub train_accuracy: f32,
    pub test_accuracy: f32,
    /// Node genes, inputs, bias and output included.
    pub nodes: usize,
    /// Enabled connection genes.
    pub connections: usize,
    /// Penalised loss, lower is better (null in JSON before the first generation).
    pub fitness: f32,
    /// Mean cross-entropy on the training points backprop fitted.
    pub loss: f32,
    /// Mean cross-entropy on the points selection scores on: the validation share, or the
    /// training points where the run holds none back.
    pub selection_loss: f32,
    /// The learning rate and steps it trained with: its own where the run evolves them.
    pub lr: f32,
    pub steps: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpeciesSize {
    pub id: u32,
    pub size: usize,
    pub best_fitness: f32,
}

/// One generation at a glance.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Generations evaluated so far (0 before the first step).
    pub generation: u64,
    pub best: Best,
    /// Mean fitness over the genomes that did not fail.
    pub mean_fitness: f32,
    pub species: Vec<SpeciesSize>,
    /// Genomes whose training diverged this generation.
    pub failed: usize,
    /// Connection-sample-steps trained this generation (the throughput numerator).
    pub work: u64,
    /// Networks trained since the start: the budget strategies are compared on.
    pub trained: u64,
}

/// One row of the per-generation history the charts draw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryEntry {
    pub generation: u64,
    pub best_fitness: f32,
    pub mean_fitness: f32,
    pub best_train_accuracy: f32,
    pub best_test_accuracy: f32,
    /// (species id, size) pairs, for the stacked species chart.
    pub species: Vec<(u32, usize)>,
}
