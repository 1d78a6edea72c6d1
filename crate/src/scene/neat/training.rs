//! Training a NEAT population: genomes compiled to Programs, trained by the engine (CPU
//! threads or the GPU), and their trained weights back in gene order.

use super::compile::{compile, trained_weights};
use super::config::Config;
use crate::dataset::Dataset;
use crate::genome::Genome;
use crate::program::Program;
use crate::rng::{Purpose, Stream};
use crate::train::{gpu, train_all, Outcome, Settings, Trained};

impl Config {
    /// How the run trains generation `generation`; the input noise has a key of its own each
    /// generation, shared by every genome in it (the same draws for all: a fair comparison).
    pub fn train_settings(&self, generation: u64) -> Settings {
        let jitter_key = Stream::new(self.seed, Purpose::Jitter, generation, 0).bits();
        Settings { steps: self.steps, lr: self.lr, clip: self.clip, decay: self.decay, optimizer: self.optimizer, jitter: self.jitter, jitter_key }
    }
}

/// The default NEAT experiment's training on the points as they are (no input noise): what
/// tests and benchmarks start from. The values come from `Config::default()`, never re-listed
/// (the engine has no defaults of its own: a scene's settings say how it trains).
impl Default for Settings {
    fn default() -> Settings {
        Settings { jitter: 0.0, jitter_key: 0, ..Config::default().train_settings(0) }
    }
}

/// Compiles and trains each genome (without changing it) and returns its trained weights.
pub fn train_genomes(genomes: &[Genome], data: &Dataset, settings: &Settings, threads: usize) -> Vec<Trained> {
    let mut programs: Vec<Program> = genomes.iter().map(compile).collect();
    let outcomes = train_all(&mut programs, data, settings, threads);
    genomes.iter().zip(&programs).zip(outcomes).map(|((genome, program), outcome)| Trained { outcome, weights: trained_weights(program, genome) }).collect()
}

/// As `train_genomes`, on the GPU: programs the shader holds (`gpu::fits`) train there, the
/// rest on the CPU threads; results come back in genome order. A GPU error is returned, and
/// the caller trains the generation on the CPU instead.
pub async fn train_genomes_on_gpu(gpu: &gpu::Gpu, genomes: &[Genome], data: &Dataset, settings: &Settings, threads: usize) -> Result<Vec<Trained>, String> {
    let mut programs: Vec<Program> = genomes.iter().map(compile).collect();
    let (small, large): (Vec<usize>, Vec<usize>) = (0..programs.len()).partition(|&i| gpu::fits(&programs[i]));
    let mut on_gpu: Vec<Program> = small.iter().map(|&i| programs[i].clone()).collect();
    let mut on_cpu: Vec<Program> = large.iter().map(|&i| programs[i].clone()).collect();
    let gpu_outcomes = gpu.train_async(&mut on_gpu, data, settings).await?;
    let cpu_outcomes = train_all(&mut on_cpu, data, settings, threads);
    let mut outcomes = vec![Outcome::failed(0); programs.len()];
    for ((i, program), outcome) in small.iter().zip(on_gpu).zip(gpu_outcomes).chain(large.iter().zip(on_cpu).zip(cpu_outcomes)) {
        programs[*i] = program;
        outcomes[*i] = outcome;
    }
    Ok(genomes.iter().zip(&programs).zip(outcomes).map(|((genome, program), outcome)| Trained { outcome, weights: trained_weights(program, genome) }).collect())
}
