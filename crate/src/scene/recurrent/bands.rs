//! Bands over weight seeds: the cells a summary reports, each trained again from other initial
//! weights on the same data, their test losses' mean and 95% band.
//!
//! One run's figures depend on one draw of initial weights; a band says how much. The first
//! seed is the run's own training of the cell, the others come from streams no search reaches,
//! the same for every cell, so two cells' bands differ by the cells alone.

use super::cell::Cell;
use super::fitness::Outcome;
use super::job::Job;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Weight seeds per band, the run's own training included.
pub const SEEDS: usize = 5;
/// The generation the extra seeds' streams are named by: one no search reaches.
const BAND_GENERATION: u64 = u64::MAX - 1;

/// One cell's band: its test losses (and accuracies) over the seeds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub test_losses: Vec<f32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub test_accuracies: Vec<f32>,
    /// The losses' mean and 95% band (Student's t).
    pub mean: f32,
    pub low: f32,
    pub high: f32,
}

impl Band {
    fn of(outcomes: &[&Outcome]) -> Band {
        let test_losses: Vec<f32> = outcomes.iter().map(|o| o.test_loss).collect();
        let test_accuracies = outcomes.iter().filter_map(|o| o.test_accuracy).collect();
        let (mean, low, high) = crate::stats::band(&test_losses);
        Band { test_losses, test_accuracies, mean, low, high }
    }
}

/// The bands found so far, by the trained cell: its text and its own test loss's bits (a
/// cell of the population may have a named cell's structure and still be another training).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bands {
    done: BTreeMap<(String, u32), Band>,
}

/// A reported cell and its training in the run.
pub type Row<'a> = (&'a Cell, &'a Outcome);

fn key((cell, own): Row) -> (String, u32) {
    (cell.describe(), own.test_loss.to_bits())
}

impl Bands {
    pub fn get(&self, row: Row) -> Option<&Band> {
        self.done.get(&key(row))
    }

    /// The rows of `rows` without a band, each trained cell once, in order.
    fn missing<'a>(&self, rows: &[Row<'a>]) -> Vec<Row<'a>> {
        let mut seen = std::collections::BTreeSet::new();
        rows.iter().copied().filter(|&row| !self.done.contains_key(&key(row)) && seen.insert(key(row))).collect()
    }

    /// The extra seeds' jobs of each row without a band.
    pub fn jobs(&self, rows: &[Row]) -> Vec<Job> {
        let cells = self.missing(rows).into_iter().map(|(cell, _)| cell);
        cells.flat_map(|cell| (1..SEEDS as u64).map(|index| Job { cell: cell.clone(), generation: BAND_GENERATION, index })).collect()
    }

    /// Records the outcomes of the jobs `jobs(rows)` gave, in their order.
    pub fn record(&mut self, rows: &[Row], outcomes: &[Outcome]) -> Result<(), String> {
        let missing = self.missing(rows);
        if outcomes.len() != missing.len() * (SEEDS - 1) {
            return Err(format!("{} band jobs, {} outcomes", missing.len() * (SEEDS - 1), outcomes.len()));
        }
        for (row, trained) in missing.into_iter().zip(outcomes.chunks(SEEDS - 1)) {
            let all: Vec<&Outcome> = std::iter::once(row.1).chain(trained).collect();
            self.done.insert(key(row), Band::of(&all));
        }
        Ok(())
    }
}
