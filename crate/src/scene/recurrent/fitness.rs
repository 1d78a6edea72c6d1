//! A cell's fitness: its held-out loss after a fixed training budget on the task's batches.
//!
//! Every cell (and every baseline) trains from its own seeded initial weights on the same
//! batches in the same order for the same number of steps; partial training is the point
//! (Rawal & Miikkulainen 2018), so a cell that learns fast scores well.

use super::cell::Cell;
use super::compile::compile;
use super::task::TaskData;
use crate::rng::Stream;
use crate::tensor::Trainer;
use serde::{Deserialize, Serialize};

/// How every candidate trains.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Budget {
    /// Hidden width H.
    pub width: usize,
    pub steps: usize,
    pub lr: f32,
    pub clip: f32,
}

/// What training a cell gave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// Validation loss after training, what selection sees (infinite when training diverged).
    pub validation_loss: f32,
    /// Test loss and accuracy after training, what is reported.
    pub test_loss: f32,
    pub test_accuracy: Option<f32>,
    /// The training batches' loss at each step (before that step's update).
    pub curve: Vec<f32>,
    pub parameters: usize,
    pub memory_cells: usize,
    pub nodes: usize,
    /// What the trained cell does: its readout at the last scored step on the first `PROBES`
    /// validation sequences (novelty search's behaviour descriptor).
    pub behaviour: Vec<f32>,
    /// The trained parameters (the page runs the cell on sequences it shows).
    pub params: Vec<f32>,
}

/// Validation sequences a behaviour descriptor reads.
pub const PROBES: usize = 16;

/// Trains `cell` for the budget, its weights drawn from `init`, and scores it on the validation
/// and the test batch.
pub fn train(cell: &Cell, data: &TaskData, budget: &Budget, init: &mut Stream) -> Outcome {
    let tape = compile(cell, data.inputs, budget.width, data.outputs);
    let parameters = tape.parameters();
    let mut trainer = Trainer::new(tape, init);
    let mut curve = Vec::with_capacity(budget.steps);
    for step in 0..budget.steps {
        let batch = &data.train[step % data.train.len()];
        let stepped = trainer.step(batch, budget.lr, budget.clip);
        curve.push(stepped.score.loss);
    }
    let finite = |loss: f32| if loss.is_finite() { loss } else { f32::INFINITY };
    let validation = trainer.evaluate(&data.validation);
    let behaviour = behaviour_of(&trainer, &data.validation);
    let test = trainer.evaluate(&data.test);
    Outcome {
        validation_loss: finite(validation.loss),
        test_loss: finite(test.loss),
        test_accuracy: test.accuracy,
        curve,
        parameters,
        memory_cells: cell.cells.len(),
        nodes: cell.nodes.len(),
        behaviour,
        params: trainer.params.clone(),
    }
}

/// The readout at the batch's last scored step, for its first `PROBES` sequences (a
/// non-finite value counts as 0, so a diverged cell still has a place to be compared).
fn behaviour_of(trainer: &Trainer, batch: &crate::tensor::Batch) -> Vec<f32> {
    let Some(readout) = trainer.readout(batch.scored_steps() - 1) else { return Vec::new() };
    let probes = PROBES.min(batch.real);
    readout.chunks_exact(batch.batch).flat_map(|row| row[..probes].iter().map(|&v| if v.is_finite() { v } else { 0.0 })).collect()
}
