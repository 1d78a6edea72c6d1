//! Evolved recurrent cells in a comparison (`compare::Contest`): aging GP, aging GP that weighs
//! novelty, and random cells, each from a seed until its budget of cells is trained.
//!
//! A comparison's figure is the test loss of the best cell by validation cost (selection never
//! sees test data), so lower is better, as the scene's own figures are.

use super::config::{RecurrentConfig, Start};
use super::run::{Breeding, RecurrentRun};
use crate::compare::{check_budget, Contest, Trace};
use crate::link::names::named_enum;

named_enum! {
    /// What a recurrent comparison runs: the lecture's contrast (Rawal & Miikkulainen 2018) of
    /// evolution by loss alone, evolution that also rewards behaving differently, and random
    /// cells with the same training and queue. A new one goes at the end.
    pub enum CellContender: "strategy" { Aging = "aging", Novelty = "novelty", Random = "random" }
}

/// The weight of novelty the `novelty` contender gives where the link sets none.
const NOVELTY: f32 = 0.5;

impl CellContender {
    /// The link's settings as this contender runs them.
    pub fn config(self, base: &RecurrentConfig, seed: u64) -> (RecurrentConfig, Breeding) {
        let config = RecurrentConfig { seed, cell: None, ..base.clone() };
        match self {
            CellContender::Aging => (RecurrentConfig { novelty: 0.0, ..config }, Breeding::Gp),
            CellContender::Novelty => (RecurrentConfig { novelty: if base.novelty > 0.0 { base.novelty } else { NOVELTY }, ..config }, Breeding::Gp),
            CellContender::Random => (RecurrentConfig { start: Start::Random, novelty: 0.0, ..config }, Breeding::Random),
        }
    }
}

impl Contest for RecurrentConfig {
    type Contender = CellContender;
    /// A loss has no ceiling.
    const CEILING: f32 = f32::INFINITY;
    const METRIC: &'static str = "test loss";

    fn name(contender: CellContender) -> &'static str {
        contender.name()
    }

    /// Cells trained are the evaluations (the named cells not counted); after each generation,
    /// the test loss of the best cell so far by validation cost.
    fn trace(&self, contender: CellContender, seed: u64, budget: u64) -> Result<Trace, String> {
        check_budget(budget)?;
        let (config, breeding) = contender.config(self, seed);
        let mut run = RecurrentRun::new(&config, crate::train::available_threads());
        run.breeding = breeding;
        let mut out = Trace { seed, trained: Vec::new(), test_accuracy: Vec::new(), connections: Vec::new() };
        while run.trained < budget {
            run.step();
            let best = run.best.as_ref().ok_or("a generation trained no cell")?;
            out.trained.push(run.trained);
            out.test_accuracy.push(best.outcome.test_loss);
            out.connections.push(best.outcome.parameters);
        }
        Ok(out)
    }
}
