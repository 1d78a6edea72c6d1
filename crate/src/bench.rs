//! The fixed workloads the throughput benchmarks time, natively (`evonas bench`) and in the page.

use crate::dataset::{self, Dataset};
use crate::genome::{Genome, Innovations};
use crate::program::Program;
use crate::rng::{Purpose, Stream};
use crate::scene::neat::compile::compile;
use crate::scene::neat::config::Config;
use crate::scene::neat::mutation::{grown, growth_rates, Rates};

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
