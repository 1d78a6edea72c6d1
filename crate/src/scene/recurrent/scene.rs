//! Evolved recurrent cells under the Scene contract: its jobs are cells with their weight streams, its trainer the task's sequences.

use super::config::RecurrentConfig;
use super::fitness::Outcome;
use super::job::Job;
use super::run::{RecurrentRun, RunState, Summary};
use super::task::TaskData;
use crate::contract::Scene;

/// What a worker trains cells with: the run's settings and sequences.
pub struct Trainer {
    pub config: RecurrentConfig,
    pub data: TaskData,
}

/// A recurrent run and its trainer.
pub struct RecurrentScene {
    pub run: RecurrentRun,
    trainer: Trainer,
}

impl RecurrentScene {
    pub fn new(run: RecurrentRun) -> RecurrentScene {
        let trainer = Trainer { config: run.config.clone(), data: run.data.clone() };
        RecurrentScene { run, trainer }
    }

    /// A run of `config` as `state` left it.
    pub fn resume(config: &RecurrentConfig, state: RunState, threads: usize) -> Result<RecurrentScene, String> {
        Ok(RecurrentScene::new(RecurrentRun::resume(config, state, threads)?))
    }
}

impl Scene for RecurrentScene {
    type Job = Job;
    type Outcome = Outcome;
    type Trainer = Trainer;
    type Summary = Summary;
    type State = RunState;
    const NAME: &'static str = "recurrent";

    fn trainer(&self) -> &Trainer {
        &self.trainer
    }

    fn train(trainer: &Trainer, job: &Job) -> Outcome {
        job.train(&trainer.data, &trainer.config)
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
        let named: Vec<String> = summary.baselines.iter().map(|(name, s)| format!("{name} {:.4}", s.test_loss)).collect();
        let best = summary.best.as_ref().map_or("none".to_string(), |b| {
            let accuracy = b.test_accuracy.map_or(String::new(), |a| format!(", accuracy {:.1}%", 100.0 * a));
            format!("test loss {:.4}{accuracy}, {} memory cells, {} nodes, {} parameters", b.test_loss, b.memory_cells, b.nodes, b.parameters)
        });
        format!(
            "generation {:4} ({:6.1} s, {} cells trained): best {best}; named: {} (chance {:.4})",
            summary.generation,
            elapsed_ms / 1e3,
            summary.trained,
            named.join(", "),
            summary.chance_loss
        )
    }

    fn state(&self) -> RunState {
        self.run.state()
    }
}
