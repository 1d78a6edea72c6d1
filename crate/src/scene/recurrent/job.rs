//! One cell to train: what a recurrent run hands a trainer, anywhere.

use super::cell::Cell;
use super::config::RecurrentConfig;
use super::fitness::{self, Budget, Outcome};
use super::task::TaskData;
use crate::rng::{Purpose, Stream};
use serde::{Deserialize, Serialize};

/// One cell to train, its initial weights drawn from the stream (seed, generation, index).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Job {
    pub cell: Cell,
    pub generation: u64,
    pub index: u64,
}

impl Job {
    /// The job trained on the run's data with the config's budget (`fitness::train`).
    pub fn train(&self, data: &TaskData, config: &RecurrentConfig) -> Outcome {
        let budget = Budget { width: config.hidden, steps: config.steps, lr: config.lr, clip: config.clip };
        fitness::train(&self.cell, data, &budget, &mut Stream::new(config.seed, Purpose::Recurrent, self.generation, self.index))
    }
}
