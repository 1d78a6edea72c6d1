//! Backprop NEAT in a comparison (`compare::Contest`): a strategy with aging evolution's removal,
//! run from a seed until its budget of networks is trained.

use super::config::{Config, Contender, Removal, Strategy};
use super::run::Run;
use crate::compare::{check_budget, Contest, Trace};
use crate::link::page::Page;
use serde::Serialize;

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

/// A NEAT link's comparison as the page runs it, each run in a worker of its own.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// The link every run is given: the experiment, without a champion, a comparison or page keys.
    pub link: String,
    /// What the runs compare on: the link less what each run sets for itself (its strategy,
    /// removal and seed; traces train on the CPU) and the comparison's own seeds and budget. Two
    /// links with the same experiment compare alike, whatever else differs.
    pub experiment: String,
}

impl Config {
    /// The link's comparison: the link its runs get, and the experiment it compares on.
    pub fn comparison(&self) -> Comparison {
        let run = Config { genome: None, compare: Vec::new(), page: Page::default(), ..self.clone() };
        let base = Config::default();
        let (strategy, removal, backend, seed) = (base.strategy, base.removal, base.backend, base.seed);
        let experiment = Config { strategy, removal, backend, seed, seeds: base.seeds, budget: base.budget, ..run.clone() };
        Comparison { link: run.to_link(), experiment: experiment.to_link() }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn comparison(link: &str) -> Comparison {
        Config::from_link(link).unwrap().comparison()
    }

    #[test]
    fn a_comparison_runs_on_the_experiment_less_what_each_run_sets_itself() {
        let link = "dataset=xor&lr=0.1&seed=7&strategy=aging&removal=worst&compare=neat,aging&seeds=3&budget=50&embed=1&show=compare";
        let made = comparison(link);
        let run = Config::from_link(&made.link).unwrap();
        let given = Config::from_link(link).unwrap();
        assert_eq!(run, Config { compare: Vec::new(), page: Page::default(), ..given.clone() }, "the runs get the experiment");
        assert_eq!(run.trace(Contender::Pareto, 2, 16).unwrap(), given.trace(Contender::Pareto, 2, 16).unwrap());
        // What each run sets for itself, the comparison's own keys and the page's change nothing.
        let same = ["dataset=xor&lr=0.1", "dataset=xor&lr=0.1&seed=2&strategy=pareto&backend=cpu&seeds=9&budget=200&autoplay=1"];
        for other in same {
            assert_eq!(comparison(other).experiment, made.experiment, "{other}");
        }
        for other in ["dataset=xor&lr=0.2", "dataset=circle&lr=0.1", "dataset=xor&lr=0.1&population=30"] {
            assert_ne!(comparison(other).experiment, made.experiment, "{other}");
        }
    }
}
