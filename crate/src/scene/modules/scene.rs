//! Modules and blueprints under the Scene contract: its jobs are assembled networks (and the baselines), its trainer the run's data.

use super::config::ModulesConfig;
use super::data::SceneData;
use super::run::{Job, ModulesRun, RunState};
use super::summary::Summary;
use super::training::Outcome;
use crate::contract::Scene;

/// What a worker trains networks with: the run's data and the seed its streams are named by.
pub struct Trainer {
    pub data: SceneData,
    pub seed: u64,
}

/// A modules run and its trainer.
pub struct ModulesScene {
    pub run: ModulesRun,
    trainer: Trainer,
}

impl ModulesScene {
    pub fn new(run: ModulesRun) -> ModulesScene {
        let trainer = Trainer { data: run.data.clone(), seed: run.config.seed };
        ModulesScene { run, trainer }
    }

    /// A run of `config` on `data` as `state` left it.
    pub fn resume(config: &ModulesConfig, data: SceneData, state: RunState, threads: usize) -> Result<ModulesScene, String> {
        Ok(ModulesScene::new(ModulesRun::resume(config, data, state, threads)?))
    }
}

impl Scene for ModulesScene {
    type Job = Job;
    type Outcome = Outcome;
    type Trainer = Trainer;
    type Summary = Summary;
    type State = RunState;
    const NAME: &'static str = "modules";

    fn trainer(&self) -> &Trainer {
        &self.trainer
    }

    fn train(trainer: &Trainer, job: &Job) -> Outcome {
        job.train(&trainer.data, trainer.seed)
    }

    fn ask(&mut self) -> Vec<Job> {
        self.run.begin_step()
    }

    fn tell(&mut self, outcomes: Vec<Outcome>) -> Result<(), String> {
        self.run.finish_step(outcomes)
    }

    fn generation(&self) -> u64 {
        self.run.generation
    }

    fn summary(&self) -> Summary {
        self.run.summary()
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
        self.run.state()
    }
}
