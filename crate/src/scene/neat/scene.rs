//! Backprop NEAT under the Scene contract: its jobs are genomes of a generation, its trainer the run's points.

use super::run::{Run, RunState};
use super::summary::Summary;
use super::training::train_genomes;
use crate::contract::Scene;
use crate::genome::Genome;
use crate::train::Trained;
use serde::{Deserialize, Serialize};

/// One genome to train in the generation that bred it (which names its input noise).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Job {
    pub genome: Genome,
    pub generation: u64,
}

/// The run is its own trainer: a worker builds it from the link, and its settings and points
/// are what a genome trains on (no copy of the data).
impl Scene for Run {
    type Job = Job;
    type Outcome = Trained;
    type Trainer = Run;
    type Summary = Summary;
    type State = RunState;
    const NAME: &'static str = "neat";

    fn trainer(&self) -> &Run {
        self
    }

    fn train(run: &Run, job: &Job) -> Trained {
        Self::train_all(run, std::slice::from_ref(job), 1).pop().expect("one result per genome")
    }

    /// A generation trains as one batch (the engine's lanes); a genome's result depends on
    /// nothing but itself, its generation and the points, so batches give `train`'s bits.
    fn train_all(run: &Run, jobs: &[Job], threads: usize) -> Vec<Trained> {
        let mut out = Vec::with_capacity(jobs.len());
        for batch in jobs.chunk_by(|a, b| a.generation == b.generation) {
            let genomes: Vec<Genome> = batch.iter().map(|j| j.genome.clone()).collect();
            out.extend(train_genomes(&genomes, run.data(), &run.config().train_settings(batch[0].generation), threads));
        }
        out
    }

    fn ask(&mut self) -> Vec<Job> {
        let generation = self.generation();
        self.begin_step().iter().map(|genome| Job { genome: genome.clone(), generation }).collect()
    }

    fn tell(&mut self, outcomes: Vec<Trained>) -> Result<(), String> {
        self.finish_step(outcomes).map(|_| ())
    }

    fn generation(&self) -> u64 {
        Run::generation(self)
    }

    fn summary(&self) -> Summary {
        Run::summary(self)
    }

    fn text(summary: &Summary, elapsed_ms: f64) -> String {
        let b = &summary.best;
        format!(
            "gen {:4}  fitness {:.4}  train {:5.1}%  test {:5.1}%  nodes {:3}  conns {:3}  species {:2}  {:7.0} ms",
            summary.generation,
            b.fitness,
            b.train_accuracy * 100.0,
            b.test_accuracy * 100.0,
            b.nodes,
            b.connections,
            summary.species.len(),
            elapsed_ms
        )
    }

    /// Run's own step: it trains on the GPU where one was given, falling back to the CPU.
    fn step_here(&mut self, threads: usize) -> Result<(), String> {
        self.set_threads(threads);
        self.step();
        Ok(())
    }

    fn notice(&self) -> Option<String> {
        Run::notice(self).map(str::to_string)
    }

    fn champion(&self) -> Option<String> {
        Some(self.champion_link())
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn use_gpu(&mut self, gpu: crate::train::gpu::Gpu) -> Result<(), String> {
        Run::use_gpu(self, gpu);
        Ok(())
    }

    fn state(&self) -> RunState {
        Run::state(self)
    }
}
