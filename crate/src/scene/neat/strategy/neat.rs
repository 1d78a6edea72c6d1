//! NEAT reproduction: explicit fitness sharing, stagnation culling, elitism, crossover.
//!
//! Offspring are shared out among species in proportion to their mean goodness (fitness
//! sharing: a species' members split its share), species that have not improved for
//! `stagnation` generations are culled unless they hold the champion, the best of each
//! species is copied unchanged (the champion always), and the rest are children of the top
//! `survival` fraction of their species. Every child draws from its own random stream,
//! named by its position, so breeding is repeatable.

use crate::genome::{Genome, Innovations};
use crate::rng::{Purpose, Stream};
use crate::scene::neat::config::Config;
use crate::scene::neat::mutation::{crossover, mutate, Rates};
use crate::scene::neat::species::{best_of, Speciation};

/// Higher is better, in (0, 1]; failed genomes score 0.
fn goodness(fitness: f32) -> f64 {
    if fitness.is_finite() {
        1.0 / (1.0 + fitness as f64)
    } else {
        0.0
    }
}

/// How many children each species gets: proportional to its mean goodness, rounded by
/// largest remainder so the total is exactly `total`.
pub fn quotas(shares: &[f64], total: usize) -> Vec<usize> {
    let sum: f64 = shares.iter().sum();
    if sum <= 0.0 {
        let mut q = vec![0; shares.len()];
        if let Some(first) = q.first_mut() {
            *first = total;
        }
        return q;
    }
    let exact: Vec<f64> = shares.iter().map(|s| s / sum * total as f64).collect();
    let mut q: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())).then(a.cmp(&b)));
    let missing = total - q.iter().sum::<usize>();
    for &i in order.iter().cycle().take(missing) {
        q[i] += 1;
    }
    q
}

/// Breeds the next population from an evaluated, speciated one.
pub fn breed(population: &[Genome], fitness: &[f32], speciation: &Speciation, config: &Config, registry: &mut Innovations, generation: u64) -> Vec<Genome> {
    let rates = Rates::of(config);
    let all: Vec<usize> = (0..population.len()).collect();
    let champion = best_of(&all, fitness);
    let kept: Vec<&crate::scene::neat::species::Species> =
        speciation.species.iter().filter(|s| generation - s.last_improved < config.stagnation as u64 || s.members.contains(&champion)).collect();
    let shares: Vec<f64> = kept.iter().map(|s| s.members.iter().map(|&m| goodness(fitness[m])).sum::<f64>() / s.members.len() as f64).collect();
    let mut quota = quotas(&shares, config.population);
    // Rounding must never starve the champion's species: the champion is always kept.
    if let Some(k) = kept.iter().position(|s| s.members.contains(&champion)) {
        if quota[k] == 0 {
            let largest = (0..quota.len()).max_by_key(|&i| (quota[i], usize::MAX - i)).unwrap_or(k);
            quota[largest] -= 1;
            quota[k] = 1;
        }
    }
    let mut next = Vec::with_capacity(config.population);
    for (s, &q) in kept.iter().zip(&quota) {
        let mut ranked = s.members.clone();
        ranked.sort_by(|&a, &b| fitness[a].total_cmp(&fitness[b]).then(a.cmp(&b)));
        let elites = if ranked[0] == champion { config.elitism.max(1) } else { config.elitism };
        let elites = elites.min(q).min(ranked.len());
        next.extend(ranked[..elites].iter().map(|&m| population[m].clone()));
        let parents = &ranked[..((ranked.len() as f32 * config.survival).ceil() as usize).clamp(1, ranked.len())];
        for _ in elites..q {
            let mut rng = Stream::new(config.seed, Purpose::Breed, generation, next.len() as u64);
            let mut child = child_of(parents, population, config, &mut rng);
            mutate(&mut child, &rates, registry, &mut rng);
            next.push(child);
        }
    }
    next
}

/// One child: a crossover of two parents (the fitter one first in `parents`) or a copy.
fn child_of(parents: &[usize], population: &[Genome], config: &Config, rng: &mut Stream) -> Genome {
    let a = *rng.pick(parents);
    if parents.len() > 1 && rng.chance(config.crossover) {
        let b = *rng.pick(parents);
        // `parents` is ranked best first, so the smaller rank is the fitter parent.
        let (fitter, other) = if parents.iter().position(|&p| p == a) <= parents.iter().position(|&p| p == b) { (a, b) } else { (b, a) };
        crossover(&population[fitter], &population[other], rng)
    } else {
        population[a].clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotas_are_proportional_and_exact() {
        assert_eq!(quotas(&[1.0, 1.0], 10), vec![5, 5]);
        assert_eq!(quotas(&[3.0, 1.0], 10), vec![8, 2]);
        assert_eq!(quotas(&[1.0, 1.0, 1.0], 10).iter().sum::<usize>(), 10);
        assert_eq!(quotas(&[0.0, 0.0], 4), vec![4, 0]);
    }

    #[test]
    fn the_champion_survives_unchanged_and_size_is_kept() {
        let config = Config { population: 30, ..Config::default() };
        let mut registry = Innovations::default();
        let population: Vec<Genome> = (0..30).map(|i| Genome::logistic(&mut registry, &mut Stream::new(i, Purpose::Initial, 0, i))).collect();
        let fitness: Vec<f32> = (0..30).map(|i| 1.0 + ((i * 7) % 30) as f32).collect();
        let mut speciation = Speciation::default();
        speciation.assign(&population, &fitness, 0, 4);
        let next = breed(&population, &fitness, &speciation, &config, &mut registry, 0);
        assert_eq!(next.len(), 30);
        let champion = &population[best_of(&(0..30).collect::<Vec<_>>(), &fitness)];
        assert!(next.contains(champion));
        for g in &next {
            g.validate().unwrap();
        }
    }
}
