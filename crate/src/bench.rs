//! The fixed workloads the throughput benchmarks time, natively (`evonas bench`) and in the page.

use crate::dataset::{self, Dataset};
use crate::genome::{Genome, Innovations};
use crate::program::Program;
use crate::rng::{Purpose, Stream};
use crate::scene::modules::baselines::mnist1d_cnn;
use crate::scene::neat::compile::compile;
use crate::scene::neat::config::Config;
use crate::scene::neat::mutation::{grown, growth_rates, Rates};
use crate::scene::recurrent::compile::compile as compile_cell;
use crate::scene::recurrent::named::Named;
use crate::tensor::net::{NetTrainer, Shape};
use crate::tensor::{Batch, Tape, Target, Trainer};

/// The benchmark's data (add a seed): spiral, noise 0.5, 400 points.
pub const BENCH_DATA: &str = "dataset=spiral&noise=0.5&points=400";

/// A fixed mixed-activation population: `size` genomes grown by `rounds` mutations each, all
/// activations allowed, weights scaled down so training stays finite.
pub fn population(size: usize, rounds: usize) -> Vec<Genome> {
    // The workload's own rates, fixed since the first figures so that figures stay comparable:
    // no toggling, so every grown connection is trained.
    let rates = Rates { add_conn: 0.7, toggle: 0.0, act_change: 0.2, activations: crate::scene::neat::config::default_activations(), ..growth_rates() };
    let mut registry = Innovations::default();
    (0..size as u64)
        .map(|i| {
            let mut g = grown(&mut registry, &mut Stream::new(7, Purpose::Bench, 0, i), rounds, &rates);
            for c in &mut g.conns {
                c.weight *= 0.5;
            }
            g
        })
        .collect()
}

/// The benchmark's programs and data.
pub fn workload(size: usize, rounds: usize) -> (Vec<Program>, Dataset) {
    workload_with_points(size, rounds, 400)
}

/// The benchmark's programs on the benchmark's spiral drawn with `points` points.
pub fn workload_with_points(size: usize, rounds: usize, points: usize) -> (Vec<Program>, Dataset) {
    let link = format!("{}&seed=1", BENCH_DATA.replace("points=400", &format!("points={points}")));
    let config = Config::from_link(&link).expect("the bench link is valid");
    let data = dataset::generate(&config.data_spec()).expect("the bench data is valid");
    (population(size, rounds).iter().map(compile).collect(), data)
}

/// Connection-sample-steps in training `programs` for `steps` steps on `data`.
pub fn work(programs: &[Program], data: &Dataset, steps: usize) -> u64 {
    programs.iter().map(|p| (p.edges.len() * data.train.len() * steps) as u64).sum()
}

/// The LSTM (`cell=lstm`, Hochreiter & Schmidhuber 1997 with the forget gate of Gers et al.
/// 2000) compiled to a tape, the recurrent engine's reference workload: slots h and c, its four
/// gates (f, i, g, o) each one dense op over [x; h(t-1)].
pub fn lstm_tape(inputs: usize, width: usize, outputs: usize) -> Tape {
    compile_cell(&Named::Lstm.cell(), inputs, width, outputs)
}

/// A batch shaped as the adding problem's (`real` sequences of `length` steps, a value in
/// [0, 1] and a marker on two of the steps; the target is the sum of the two marked values).
pub fn adding_batch(real: usize, length: usize, seed: u64) -> Batch {
    crate::scene::recurrent::task::adding(real, length, &mut Stream::new(seed, Purpose::Bench, 0, 0))
}

/// The LSTM workload: a trainer of `cell=lstm` (hidden `width`) and one adding-problem batch.
pub struct LstmWorkload {
    trainer: Trainer,
    batch: Batch,
}

impl LstmWorkload {
    pub fn new(width: usize, length: usize, real: usize) -> LstmWorkload {
        let batch = adding_batch(real, length, 1);
        let trainer = Trainer::new(lstm_tape(2, width, 1), &mut Stream::new(1, Purpose::Bench, 0, 1));
        LstmWorkload { trainer, batch }
    }

    /// Runs `steps` training steps (the caller times them).
    pub fn train(&mut self, steps: usize) {
        for _ in 0..steps {
            self.trainer.step(&self.batch, 0.01, 1.0);
        }
    }

    /// The parameters' bits folded into one word: equal natively and in wasm when training
    /// gave the same bits in both (a native and a browser test check one value).
    pub fn checksum(&self) -> u32 {
        self.trainer.params.iter().fold(0u32, |h, p| h.rotate_left(5) ^ p.to_bits())
    }
}

/// Training steps per second of an LSTM (hidden `width`) on adding-problem batches, one thread.
pub fn lstm_steps_per_s(width: usize, length: usize, real: usize, steps: usize) -> f64 {
    let mut workload = LstmWorkload::new(width, length, real);
    workload.train(1);
    let start = std::time::Instant::now();
    workload.train(steps);
    steps as f64 / start.elapsed().as_secs_f64()
}

/// Milliseconds from a freshly bred cell (a mutant of the LSTM) to its first training step
/// done: compiling it to a tape, drawing its weights and one step of 32 sequences of 50. The
/// median of `cells` mutants.
pub fn new_cell_first_step_ms(cells: usize) -> f64 {
    let batch = adding_batch(32, 50, 1);
    let mut rng = Stream::new(1, Purpose::Bench, 0, 2);
    let mut times: Vec<f64> = (0..cells)
        .map(|_| {
            let cell = crate::scene::recurrent::gp::mutate(&Named::Lstm.cell(), &mut rng);
            let start = std::time::Instant::now();
            let mut trainer = Trainer::new(compile_cell(&cell, 2, 16, 1), &mut rng);
            trainer.step(&batch, 0.01, 1.0);
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// The CNN workload: the paper's CNN and 4,000 random samples in batches of 100, an epoch's
/// shape (the arithmetic does not depend on the values).
pub struct CnnWorkload {
    trainer: NetTrainer,
    batches: Vec<Batch>,
}

impl CnnWorkload {
    pub fn new() -> CnnWorkload {
        let mut stream = Stream::new(1, Purpose::Bench, 0, 3);
        let batches = (0..40)
            .map(|_| {
                let x: Vec<Vec<f32>> = (0..100).map(|_| (0..40).map(|_| stream.normal()).collect()).collect();
                let labels = (0..100).map(|_| stream.below(10) as u32).collect();
                Batch::from_sequences(&x, 40, false, Target::Classes(labels)).expect("whole samples")
            })
            .collect();
        let trainer = NetTrainer::new(mnist1d_cnn(Shape { length: 40, channels: 1 }, 25, 10), &mut stream).expect("the paper's CNN is a valid net");
        CnnWorkload { trainer, batches }
    }

    /// One epoch: 40 Adam steps of 100 samples at the paper's rate.
    pub fn epoch(&mut self) {
        for batch in &self.batches {
            self.trainer.step(batch, 0.01, f32::INFINITY, 1);
        }
    }
}

impl Default for CnnWorkload {
    fn default() -> CnnWorkload {
        CnnWorkload::new()
    }
}

/// Seconds per epoch of the MNIST-1D CNN (4,000 samples, batch 100, Adam), one thread; the
/// median of `epochs` after one untimed.
pub fn mnist1d_cnn_epoch_s(epochs: usize) -> f64 {
    let mut workload = CnnWorkload::new();
    workload.epoch();
    let mut times: Vec<f64> = (0..epochs.max(1))
        .map(|_| {
            let start = std::time::Instant::now();
            workload.epoch();
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}
