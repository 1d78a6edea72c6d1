//! Backprop NEAT in a comparison (`compare::Contest`): a strategy with aging evolution's removal,
//! run from a seed until its budget of networks is trained.

use super::config::{Config, Contender, Removal, Strategy};
use super::run::Run;
use crate::compare::{check_budget, Contest, Trace};

impl Contender {
    /// The strategy and aging evolution's removal this contender runs with.
    pub fn settings(self) -> (Strategy, Removal) {
        match self {
            Contender::Neat => (Strategy::Neat, Removal::Oldest),
            Contender::Aging => (Strategy::Aging, Removal::Oldest),
            Contender::AgingWorst => (Strategy::Aging, Removal::Worst),
            Contender::Pareto => (Strategy::Pareto, Removal::Oldest),
        }
    }
}

/// The experiment a NEAT comparison runs its contenders on (its link's other settings).
impl Contest for Config {
    type Contender = Contender;
    const CEILING: f32 = 1.0;

    fn name(contender: Contender) -> &'static str {
        contender.name()
    }

    /// Networks trained are the evaluations; after each generation (or aging step), the best
    /// network so far by fitness, never by test accuracy.
    fn trace(&self, contender: Contender, seed: u64, budget: u64) -> Result<Trace, String> {
        check_budget(budget)?;
        let (strategy, removal) = contender.settings();
        let config = Config { strategy, removal, seed, genome: None, ..self.clone() };
        let mut run = Run::new(config)?;
        let mut out = Trace { seed, trained: Vec::new(), test_accuracy: Vec::new(), connections: Vec::new() };
        let mut best = (f32::INFINITY, 0.0, 0);
        while run.trained() < budget {
            let summary = run.step();
            // Strictly better fitness replaces the best so far: selection never sees test accuracy.
            if summary.best.fitness < best.0 {
                best = (summary.best.fitness, summary.best.test_accuracy, summary.best.connections);
            }
            out.trained.push(summary.trained);
            out.test_accuracy.push(best.1);
            out.connections.push(best.2);
        }
        Ok(out)
    }
}
