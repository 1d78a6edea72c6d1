//! Training a population: settings, per-genome outcomes, fitness, and the split over threads.
//!
//! Each genome trains on its own with full-batch steps and no randomness, so splitting the
//! population over any number of threads (or workers) cannot change a single bit.

pub mod cpu;
pub mod gpu;
pub mod kernels;
pub mod lanes;
pub mod packed;

use crate::link::names::named_enum;

named_enum!(
    pub enum Optimizer {
        Adam = "adam",
        Rmsprop = "rmsprop",
    }
);
use crate::dataset::Dataset;
use crate::hyper::Hyper;
use crate::program::Program;
use serde::{Deserialize, Serialize};

/// How every genome of a generation is trained (a genome's Hyper overrides lr and steps).
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub steps: usize,
    pub lr: f32,
    pub clip: f32,
    /// Decoupled weight decay (AdamW): each step also takes lr * decay * w off every weight.
    pub decay: f32,
    pub optimizer: Optimizer,
    /// Input noise: each step moves every training point by up to `jitter` in x and in y
    /// (uniform, `rng::jitter_unit` under `jitter_key`); 0 trains on the points as they are.
    pub jitter: f32,
    pub jitter_key: u32,
}

impl Settings {
    /// These settings for one genome: its own lr and steps where it evolves them.
    pub fn for_genome(&self, hyper: Option<Hyper>) -> Settings {
        hyper.map_or(*self, |h| Settings { steps: h.steps as usize, lr: h.lr, ..*self })
    }
}

/// What training one genome produced.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// Mean cross-entropy on the training points after training.
    pub loss: f32,
    pub train_accuracy: f32,
    pub test_accuracy: f32,
    /// True when the loss or a gradient turned non-finite; the weights were restored.
    pub failed: bool,
    /// Connections that reach the output (the ones trained).
    pub active_connections: usize,
}

impl Outcome {
    pub fn failed(active_connections: usize) -> Outcome {
        Outcome { loss: f32::INFINITY, train_accuracy: 0.0, test_accuracy: 0.0, failed: true, active_connections }
    }
}

/// One genome after training: its outcome and its connection weights, in gene order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trained {
    pub outcome: Outcome,
    pub weights: Vec<f32>,
}

/// Threads to use natively: what the machine offers. The browser build trains on one thread
/// per wasm instance (parallelism there is a pool of workers).
pub fn available_threads() -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
    #[cfg(target_arch = "wasm32")]
    {
        1
    }
}

/// Genomes a thread takes at a time: small enough to balance uneven genomes across threads.
const BATCH: usize = 4;

/// Trains every program in place and returns their outcomes, in order. Threads take small
/// batches from a shared queue as they finish (genomes differ in size, so fixed slices would
/// leave threads idle); each program's result is independent of which thread trained it.
pub fn train_all(programs: &mut [Program], data: &Dataset, settings: &Settings, threads: usize) -> Vec<Outcome> {
    let train = |p: &mut Program, ws: &mut cpu::Workspace| cpu::train(p, &data.train, &data.test, settings, ws);
    let threads = threads.clamp(1, programs.len().div_ceil(BATCH).max(1));
    if threads == 1 || cfg!(target_arch = "wasm32") {
        let mut ws = cpu::Workspace::default();
        return programs.iter_mut().map(|p| train(p, &mut ws)).collect();
    }
    let queue = std::sync::Mutex::new(programs.chunks_mut(BATCH).enumerate());
    let mut done: Vec<(usize, Vec<Outcome>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut ws = cpu::Workspace::default();
                    let mut out = Vec::new();
                    while let Some((k, batch)) = queue.lock().map_or(None, |mut q| q.next()) {
                        out.push((k, batch.iter_mut().map(|p| train(p, &mut ws)).collect()));
                    }
                    out
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("a trainer thread panicked")).collect()
    });
    done.sort_by_key(|(k, _)| *k);
    done.into_iter().flat_map(|(_, outcomes)| outcomes).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation;
    use crate::genome::{Genome, Innovations};
    use crate::rng::{Purpose, Stream};
    use crate::scene::neat::compile::compile;
    use crate::scene::neat::mutation::add_node;

    /// A chain of square nodes with large weights: its values overflow to infinity.
    fn exploding() -> Program {
        let mut registry = Innovations::default();
        let mut rng = Stream::new(3, Purpose::Bench, 0, 0);
        let mut g = Genome::logistic(&mut registry, &mut rng);
        for _ in 0..4 {
            add_node(&mut g, &[Activation::Square], &mut registry, &mut rng);
        }
        for c in &mut g.conns {
            c.weight = 40.0;
        }
        compile(&g)
    }

    #[test]
    fn a_diverging_genome_fails_alone_and_keeps_its_weights() {
        let config = crate::Config::from_link("dataset=xor&points=100").unwrap();
        let data = crate::dataset::generate(&config.data_spec()).unwrap();
        let settings = config.train_settings(0);
        let (healthy, _) = crate::bench::workload(1, 10);
        let mut alone = healthy.clone();
        let expected = train_all(&mut alone, &data, &settings, 1);
        let bad = exploding();
        let mut mixed = vec![bad.clone(), healthy[0].clone()];
        let outcomes = train_all(&mut mixed, &data, &settings, 2);
        assert!(outcomes[0].failed);
        assert_eq!(outcomes[0].loss, f32::INFINITY);
        assert_eq!(mixed[0].weights, bad.weights);
        assert_eq!(outcomes[1], expected[0]);
        assert_eq!(mixed[1].weights, alone[0].weights);
    }
}
