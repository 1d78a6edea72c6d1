//! Module species: modules fall into species by compatibility distance to each species'
//! representative (NEAT), the threshold moving so the count stays near a target, and each
//! species gets offspring in proportion to its members' mean fitness.

use super::module::{self, Module};
use serde::{Deserialize, Serialize};

/// A species: its id (what blueprints point to), the module new members are compared with,
/// and its members (indices into the module population).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Species {
    pub id: u32,
    pub representative: Module,
    pub members: Vec<usize>,
}

/// How far the threshold moves per generation toward the target species count.
pub const THRESHOLD_STEP: f32 = 0.05;
pub const MIN_THRESHOLD: f32 = 0.05;

/// Assigns each module to the first species (of `previous`, in order, then new ones) whose
/// representative is within `threshold`; a module near none founds a species with id
/// `*next_id` (then incremented). Species that gain no member end; each keeps its old
/// representative, a new one its founder.
pub fn speciate(modules: &[Module], previous: &[Species], threshold: f32, next_id: &mut u32) -> Vec<Species> {
    let mut species: Vec<Species> = previous.iter().map(|s| Species { members: Vec::new(), ..s.clone() }).collect();
    for (k, m) in modules.iter().enumerate() {
        match species.iter_mut().find(|s| module::distance(&s.representative, m) <= threshold) {
            Some(s) => s.members.push(k),
            None => {
                species.push(Species { id: *next_id, representative: m.clone(), members: vec![k] });
                *next_id += 1;
            }
        }
    }
    species.retain(|s| !s.members.is_empty());
    species
}

/// The threshold for the next generation: lower with fewer species than the target, higher
/// with more.
pub fn adjust(threshold: f32, count: usize, target: usize) -> f32 {
    match count.cmp(&target) {
        std::cmp::Ordering::Less => (threshold - THRESHOLD_STEP).max(MIN_THRESHOLD),
        std::cmp::Ordering::Greater => threshold + THRESHOLD_STEP,
        std::cmp::Ordering::Equal => threshold,
    }
}

/// Offspring per species, summing to `total`: in proportion to each species' mean fitness
/// (NEAT's shared fitness), at least one each while `total` allows, remainders by size of
/// the fraction (ties to the earlier species).
pub fn offspring(mean_fitness: &[f32], total: usize) -> Vec<usize> {
    let n = mean_fitness.len();
    if n == 0 {
        return Vec::new();
    }
    let floor = if total >= n { 1 } else { 0 };
    let spare = total - floor * n;
    let weights: Vec<f64> = mean_fitness.iter().map(|&f| if f.is_finite() { f64::from(f.max(0.0)) + 1e-3 } else { 1e-3 }).collect();
    let sum: f64 = weights.iter().sum();
    let shares: Vec<f64> = weights.iter().map(|w| w / sum * spare as f64).collect();
    let mut counts: Vec<usize> = shares.iter().map(|s| floor + s.floor() as usize).collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| (shares[b] - shares[b].floor()).total_cmp(&(shares[a] - shares[a].floor())).then(a.cmp(&b)));
    let given: usize = counts.iter().sum();
    for &k in order.iter().cycle().take(total - given) {
        counts[k] += 1;
    }
    counts
}
