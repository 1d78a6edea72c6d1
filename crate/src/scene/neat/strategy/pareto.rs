//! Multi-objective search, NSGA-II style: non-dominated fronts, crowding distance, selection, breeding.
//!
//! Each genome has two objectives, both MINIMISED: `[training loss (INFINITY if it failed),
//! enabled connection count]`, the accuracy-versus-size trade-off of LEAF. Test accuracy is never
//! an objective. Selection keeps whole non-dominated fronts in order and cuts the last one by
//! crowding distance, with copies of one objective point last, so the kept set spreads along
//! the trade-off instead of bunching up.
//! NaN objectives are read as INFINITY, so dominance stays a strict partial order.

use crate::genome::{Genome, Innovations};
use crate::rng::{Purpose, Stream};
use crate::scene::neat::config::Config;
use crate::scene::neat::mutation::{crossover, mutate, Rates};
use crate::search::nsga2::{binary_tournament, value};
pub use crate::search::nsga2::{crowding, fronts, rank_and_crowding, select};

/// The two objectives of a genome: its training loss and its enabled connection count.
pub fn objectives(loss: f32, genome: &Genome) -> [f32; 2] {
    [loss, genome.enabled_connections() as f32]
}

/// `count` children: parents by binary tournament on (lower rank, then larger crowding
/// distance); with chance `config.crossover` a child is the crossover of two tournament winners,
/// the one with the lower loss (then fewer connections, then lower index) passing its structure
/// and disjoint genes; otherwise a copy of one winner; then `mutate`. Child k draws from
/// `Stream::new(config.seed, Purpose::Pareto, generation, k)`; the registry is updated in child
/// order. Only the first min(population, objectives) members take part; none gives no children.
pub fn breed(population: &[Genome], objectives: &[[f32; 2]], count: usize, config: &Config, registry: &mut Innovations, generation: u64) -> Vec<Genome> {
    let rates = Rates::of(config);
    let n = population.len().min(objectives.len());
    if n == 0 {
        return Vec::new();
    }
    let objectives = &objectives[..n];
    let standing = rank_and_crowding(objectives);
    let fitter_first = |a: usize, b: usize| {
        let (x, y) = (&objectives[a], &objectives[b]);
        value(x, 0).total_cmp(&value(y, 0)).then(value(x, 1).total_cmp(&value(y, 1))).then(a.cmp(&b)).is_le()
    };
    (0..count)
        .map(|k| {
            let mut rng = Stream::new(config.seed, Purpose::Pareto, generation, k as u64);
            let a = binary_tournament(&standing, &mut rng);
            let mut child = if n > 1 && rng.chance(config.crossover) {
                let b = binary_tournament(&standing, &mut rng);
                let (fitter, other) = if fitter_first(a, b) { (a, b) } else { (b, a) };
                crossover(&population[fitter], &population[other], &mut rng)
            } else {
                population[a].clone()
            };
            mutate(&mut child, &rates, registry, &mut rng);
            child
        })
        .collect()
}
