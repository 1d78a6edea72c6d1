//! Evolved recurrent cells under the Scene contract: its jobs are cells with their weight streams, its trainer the task's sequences.

use super::fitness::Outcome;
use super::job::Job;
use super::run::{RecurrentRun, RunState, Summary};
use crate::contract::Scene;

/// The run is its own trainer: a worker builds it from the link, and its sequences and
/// settings are what a cell trains on (no copy of the data).
impl Scene for RecurrentRun {
    type Job = Job;
    type Outcome = Outcome;
    type Trainer = RecurrentRun;
    type Summary = Summary;
    type State = RunState;
    const NAME: &'static str = "recurrent";

    fn trainer(&self) -> &RecurrentRun {
        self
    }

    fn train(run: &RecurrentRun, job: &Job) -> Outcome {
        job.train(&run.data, &run.config)
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
        RecurrentRun::summary(self)
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
        RecurrentRun::state(self)
    }
}
