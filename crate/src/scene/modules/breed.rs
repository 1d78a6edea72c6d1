//! Reproduction between generations: each module species breeds its share of the module
//! population from its fittest members, and the blueprints are selected by NSGA-II over
//! (validation error, parameters) and bred by crowded tournaments (LEAF's two objectives).

use super::blueprint::{Blueprint, Rates};
use super::fitness::Mean;
use super::innovation::Innovations;
use super::module::{self, Module};
use super::species::{self, Species};
use crate::rng::Stream;
use crate::search::nsga2;

/// What breeding needs beyond the genomes: the crossover chance and the elite share.
#[derive(Clone, Copy, Debug)]
pub struct Breeding {
    pub crossover: f32,
    pub elitism: f32,
}

/// Fitness read for ranking: the mean accuracy, -1 for a genome that took part in no network.
fn score(mean: &Option<Mean>) -> f32 {
    mean.map_or(-1.0, |m| m.accuracy)
}

/// The next module population, `total` modules: each species' share (`species::offspring`
/// of its mean fitness) as its elites unchanged, then children of its better half.
pub fn modules(
    population: &[Module],
    fitness: &[Option<Mean>],
    groups: &[Species],
    total: usize,
    how: Breeding,
    innovations: &mut Innovations,
    rng: &mut Stream,
) -> Vec<Module> {
    let means: Vec<f32> = groups
        .iter()
        .map(|s| {
            let scored: Vec<f32> = s.members.iter().filter_map(|&k| fitness[k].map(|m| m.accuracy)).collect();
            if scored.is_empty() {
                0.0
            } else {
                scored.iter().sum::<f32>() / scored.len() as f32
            }
        })
        .collect();
    let counts = species::offspring(&means, total);
    let mut next = Vec::with_capacity(total);
    for (s, &count) in groups.iter().zip(&counts) {
        let mut ranked = s.members.clone();
        ranked.sort_by(|&a, &b| score(&fitness[b]).total_cmp(&score(&fitness[a])).then(a.cmp(&b)));
        let elites = ((how.elitism * ranked.len() as f32).ceil() as usize).min(count);
        next.extend(ranked[..elites].iter().map(|&k| population[k].clone()));
        let parents = &ranked[..ranked.len().div_ceil(2)];
        for _ in elites..count {
            let a = *rng.pick(parents);
            let child = if parents.len() > 1 && rng.chance(how.crossover) {
                let b = *rng.pick(parents);
                let (fitter, other) = if score(&fitness[b]) > score(&fitness[a]) { (b, a) } else { (a, b) };
                module::crossover(&population[fitter], &population[other], rng)
            } else {
                population[a].clone()
            };
            next.push(module::mutate(&child, innovations, rng));
        }
    }
    next
}

/// NSGA-II's objectives for each blueprint: validation error and parameters (NaN, read as a
/// failure, for one that took part in no network).
pub fn objectives(fitness: &[Option<Mean>]) -> Vec<[f32; 2]> {
    fitness.iter().map(|m| m.map_or([f32::NAN, f32::NAN], |m| [1.0 - m.accuracy, m.parameters])).collect()
}

/// The next blueprints, as many as now: NSGA-II's elite share unchanged, the rest children of
/// crowded binary tournaments (crossover with its chance, the lower-ranked parent the fitter),
/// then mutated; every node pointed at a live species.
pub fn blueprints(
    population: &[Blueprint],
    fitness: &[Option<Mean>],
    rates: &Rates,
    how: Breeding,
    innovations: &mut Innovations,
    rng: &mut Stream,
) -> Vec<Blueprint> {
    let objectives = objectives(fitness);
    let elites = ((how.elitism * population.len() as f32).ceil() as usize).min(population.len());
    let mut next: Vec<Blueprint> = nsga2::select(&objectives, elites).into_iter().map(|k| population[k].clone()).collect();
    let standing = nsga2::rank_and_crowding(&objectives);
    while next.len() < population.len() {
        let a = nsga2::binary_tournament(&standing, rng);
        let child = if rng.chance(how.crossover) {
            let b = nsga2::binary_tournament(&standing, rng);
            let (fitter, other) = if standing[b].0 < standing[a].0 { (b, a) } else { (a, b) };
            population[fitter].crossover(&population[other], rng)
        } else {
            population[a].clone()
        };
        next.push(child.mutate(rates, innovations, rng));
    }
    for b in &mut next {
        b.repoint(rates.species, rng);
    }
    next
}
