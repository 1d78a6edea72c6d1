//! Modules and blueprints in a comparison (`compare::Contest`): coevolution, coevolution
//! without module species, and random assemblies, each from a seed until its budget of networks
//! is trained.

use super::config::ModulesConfig;
use super::data::SceneData;
use super::run::{ModulesRun, Search};
use crate::compare::{check_budget, Contest, Trace};
use crate::link::names::named_enum;

named_enum! {
    /// What a modules comparison runs: CoDeepNEAT's coevolution of module species and
    /// blueprints, the same with every module in one species (no reuse by species), and random
    /// modules and blueprints drawn afresh every generation. A new one goes at the end.
    pub enum ModulesContender: "strategy" { Coevolution = "coevolution", OneSpecies = "one-species", Random = "random" }
}

/// A modules comparison: the link's settings and the data it names (made once, shared by
/// every run).
pub struct ModulesContest<'a> {
    pub config: &'a ModulesConfig,
    pub data: &'a SceneData,
}

impl Contest for ModulesContest<'_> {
    type Contender = ModulesContender;
    /// Accuracies are fractions.
    const CEILING: f32 = 1.0;

    fn name(contender: ModulesContender) -> &'static str {
        contender.name()
    }

    /// Networks trained are the evaluations (the baselines not counted); after each generation,
    /// the test accuracy and size of the best network so far by validation accuracy.
    fn trace(&self, contender: ModulesContender, seed: u64, budget: u64) -> Result<Trace, String> {
        check_budget(budget)?;
        let config = match contender {
            ModulesContender::OneSpecies => ModulesConfig { seed, species: 1, ..self.config.clone() },
            _ => ModulesConfig { seed, ..self.config.clone() },
        };
        let mut run = ModulesRun::new(&config, self.data.clone(), crate::train::available_threads());
        run.search = if contender == ModulesContender::Random { Search::Random } else { Search::Coevolution };
        let mut out = Trace { seed, trained: Vec::new(), test_accuracy: Vec::new(), connections: Vec::new() };
        while run.trained < budget {
            run.step();
            let best = run.best.as_ref().ok_or("a generation trained no network")?;
            out.trained.push(run.trained);
            out.test_accuracy.push(best.outcome.test_accuracy);
            out.connections.push(best.outcome.parameters);
        }
        Ok(out)
    }
}
