//! Modules and blueprints under the Scene contract: its jobs are assembled networks (and the baselines), its trainer the run's data.

use super::run::{Job, ModulesRun, RunState};
use super::summary::Summary;
use super::training::Outcome;
use crate::contract::Scene;

/// The run is its own trainer: a worker builds it from the link and the data, which every
/// network trains on (no copy of MNIST-1D).
impl Scene for ModulesRun {
    type Job = Job;
    type Outcome = Outcome;
    type Trainer = ModulesRun;
    type Summary = Summary;
    type State = RunState;
    const NAME: &'static str = "modules";

    fn trainer(&self) -> &ModulesRun {
        self
    }

    fn train(run: &ModulesRun, job: &Job) -> Outcome {
        job.train(&run.data, run.config.seed)
    }

    fn ask(&mut self) -> Vec<Job> {
        self.begin_step()
    }

    fn tell(&mut self, outcomes: Vec<Outcome>) -> Result<(), String> {
        self.finish_step(outcomes)
    }

    fn generation(&self) -> u64 {
        self.generation
    }

    fn summary(&self) -> Summary {
        ModulesRun::summary(self)
    }

    fn text(summary: &Summary, elapsed_ms: f64) -> String {
        let baselines: Vec<String> = summary.baselines.iter().map(|(name, s)| format!("{name} {:.1}%", 100.0 * s.test_accuracy)).collect();
        let best = summary.best.as_ref().map_or("none".to_string(), |b| {
            format!(
                "test {:.1}% (validation {:.1}%), {} parameters, {} modules",
                100.0 * b.test_accuracy,
                100.0 * b.validation_accuracy,
                b.parameters,
                b.modules.len()
            )
        });
        format!(
            "generation {:4} ({:6.1} s, {} networks trained, {} species): best {best}; baselines: {}",
            summary.generation,
            elapsed_ms / 1e3,
            summary.trained,
            summary.species,
            baselines.join(", ")
        )
    }

    fn state(&self) -> RunState {
        ModulesRun::state(self)
    }
}
