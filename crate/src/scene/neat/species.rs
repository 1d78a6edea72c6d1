//! Speciation: compatibility distance, species membership, an adaptive threshold, stagnation.
//!
//! NEAT protects new structure by letting genomes compete mostly within their species: a
//! genome joins the first species whose representative is within the compatibility threshold,
//! and the threshold drifts so the number of species approaches the configured target.

use crate::genome::{Genome, Role};
use serde::{Deserialize, Serialize};

const EXCESS: f32 = 1.0;
const DISJOINT: f32 = 1.0;
const WEIGHT: f32 = 0.4;
/// Hidden nodes present in both genomes but with different activations differ in function,
/// not just in parameters, so each counts like a disjoint gene.
const ACTIVATION: f32 = 1.0;
const THRESHOLD_START: f32 = 2.0;
const THRESHOLD_STEP: f32 = 0.1;
const THRESHOLD_MIN: f32 = 0.2;

/// NEAT's compatibility distance: excess and disjoint genes and differing activations per
/// gene, plus the mean weight difference of matching genes.
pub fn distance(a: &Genome, b: &Genome) -> f32 {
    let (ca, cb) = (&a.conns, &b.conns);
    let (mut i, mut j) = (0, 0);
    let (mut disjoint, mut matching, mut weight_diff) = (0usize, 0usize, 0.0f32);
    while i < ca.len() && j < cb.len() {
        match ca[i].innovation.cmp(&cb[j].innovation) {
            std::cmp::Ordering::Equal => {
                matching += 1;
                weight_diff += (ca[i].weight - cb[j].weight).abs();
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => {
                disjoint += 1;
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                disjoint += 1;
                j += 1;
            }
        }
    }
    let excess = (ca.len() - i) + (cb.len() - j);
    let mismatched = a.nodes.iter().filter(|n| n.role == Role::Hidden).filter(|n| b.node(n.id).is_some_and(|m| m.activation != n.activation)).count();
    let genes = ca.len().max(cb.len()).max(1) as f32;
    let mean_weight = if matching > 0 { weight_diff / matching as f32 } else { 0.0 };
    (EXCESS * excess as f32 + DISJOINT * disjoint as f32 + ACTIVATION * mismatched as f32) / genes + WEIGHT * mean_weight
}

#[derive(Clone, Debug, Serialize)]
pub struct Species {
    pub id: u32,
    #[serde(skip)]
    pub representative: Genome,
    /// Indices into the current population.
    pub members: Vec<usize>,
    /// Best (lowest) fitness any member has had.
    pub best_fitness: f32,
    pub last_improved: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(into = "SavedSpeciation", from = "SavedSpeciation")]
pub struct Speciation {
    pub species: Vec<Species>,
    pub threshold: f32,
    next_id: u32,
}

/// Speciation as a save file holds it: each species with its representative, which the page's
/// summaries leave out.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedSpeciation {
    species: Vec<(u32, Genome, Vec<usize>, f32, u64)>,
    threshold: f32,
    next_id: u32,
}

impl From<Speciation> for SavedSpeciation {
    fn from(s: Speciation) -> SavedSpeciation {
        let species = s.species.into_iter().map(|x| (x.id, x.representative, x.members, x.best_fitness, x.last_improved)).collect();
        SavedSpeciation { species, threshold: s.threshold, next_id: s.next_id }
    }
}

impl From<SavedSpeciation> for Speciation {
    fn from(s: SavedSpeciation) -> Speciation {
        let species = s.species.into_iter().map(|(id, representative, members, best_fitness, last_improved)| Species {
            id,
            representative,
            members,
            best_fitness,
            last_improved,
        });
        Speciation { species: species.collect(), threshold: s.threshold, next_id: s.next_id }
    }
}

impl Default for Speciation {
    fn default() -> Self {
        Speciation { species: Vec::new(), threshold: THRESHOLD_START, next_id: 0 }
    }
}

impl Speciation {
    /// Sorts an evaluated population into species, in population order, then picks each
    /// species' best member as its next representative and records improvement.
    pub fn assign(&mut self, population: &[Genome], fitness: &[f32], generation: u64, target: usize) {
        for s in &mut self.species {
            s.members.clear();
        }
        for (i, genome) in population.iter().enumerate() {
            match self.species.iter_mut().find(|s| distance(&s.representative, genome) < self.threshold) {
                Some(s) => s.members.push(i),
                None => {
                    self.species.push(Species {
                        id: self.next_id,
                        representative: genome.clone(),
                        members: vec![i],
                        best_fitness: f32::INFINITY,
                        last_improved: generation,
                    });
                    self.next_id += 1;
                }
            }
        }
        self.species.retain(|s| !s.members.is_empty());
        for s in &mut self.species {
            let best = best_of(&s.members, fitness);
            s.representative = population[best].clone();
            if fitness[best] < s.best_fitness {
                s.best_fitness = fitness[best];
                s.last_improved = generation;
            }
        }
        let n = self.species.len();
        if n < target {
            self.threshold = (self.threshold - THRESHOLD_STEP).max(THRESHOLD_MIN);
        } else if n > target {
            self.threshold += THRESHOLD_STEP;
        }
    }

    /// The species index holding population member `i`.
    pub fn species_of(&self, i: usize) -> Option<usize> {
        self.species.iter().position(|s| s.members.contains(&i))
    }
}

/// The member with the lowest fitness; ties go to the earliest.
pub fn best_of(members: &[usize], fitness: &[f32]) -> usize {
    let mut best = members[0];
    for &m in &members[1..] {
        if fitness[m] < fitness[best] {
            best = m;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::genome::Innovations;
    use crate::rng::{Purpose, Stream};
    use crate::scene::neat::config::Config;
    use crate::scene::neat::mutation::{mutate, Rates};

    #[test]
    fn distance_is_a_symmetric_premetric() {
        let mut registry = Innovations::default();
        let config = Config { add_node: 0.5, add_conn: 0.5, ..Config::default() };
        let genomes: Vec<Genome> = (0..10)
            .map(|seed| {
                let mut rng = Stream::new(seed, Purpose::Bench, 0, 0);
                let mut g = Genome::logistic(&mut registry, &mut rng);
                for _ in 0..seed * 3 {
                    mutate(&mut g, &Rates::of(&config), &mut registry, &mut rng);
                }
                g
            })
            .collect();
        for a in &genomes {
            assert_eq!(distance(a, a), 0.0);
            for b in &genomes {
                assert_eq!(distance(a, b), distance(b, a));
                assert!(distance(a, b) >= 0.0);
            }
        }
    }

    #[test]
    fn same_structure_differing_weights_by_known_amount() {
        let mut registry = Innovations::default();
        let a = Genome::logistic(&mut registry, &mut Stream::new(1, Purpose::Bench, 0, 0));
        let mut b = a.clone();
        for c in &mut b.conns {
            c.weight += 1.0;
        }
        assert!((distance(&a, &b) - WEIGHT).abs() < 1e-6);
    }

    #[test]
    fn threshold_steers_toward_the_target() {
        let mut registry = Innovations::default();
        let pop: Vec<Genome> = (0..20).map(|s| Genome::logistic(&mut registry, &mut Stream::new(s, Purpose::Bench, 0, 0))).collect();
        let fitness = vec![1.0; 20];
        let mut sp = Speciation::default();
        let before = sp.threshold;
        sp.assign(&pop, &fitness, 0, 50);
        assert!(sp.threshold < before);
        let members: usize = sp.species.iter().map(|s| s.members.len()).sum();
        assert_eq!(members, 20);
    }
}
