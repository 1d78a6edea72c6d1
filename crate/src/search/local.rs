//! Local search: first-improvement hill climbing with random restarts (White et al. 2020).
//!
//! From a random genome, evaluate its neighbours in random order and move to the first that
//! beats it; at a genome none beats (a local optimum) restart from a random one. Moving on the
//! first improvement rather than the best of all neighbours spends fewer evaluations per move,
//! which counts at small budgets. Within one climb a genome is evaluated once: one already seen
//! lost to a genome no better than the current one, so evaluating it again could only spend
//! budget.

use super::{Evaluate, Neighbourhood, Sampling};
use crate::rng::Stream;
use std::collections::HashSet;
use std::hash::Hash;

/// Climbs and restarts until `evaluate` says the budget is spent.
pub fn run<G: Clone + Eq + Hash, S: Sampling<G> + Neighbourhood<G>>(space: &mut S, rng: &mut Stream, evaluate: &mut Evaluate<G>) {
    let mut seen = HashSet::new();
    loop {
        seen.clear();
        let mut current = space.random(rng);
        let Some(mut cost) = evaluate(&current) else { return };
        seen.insert(current.clone());
        'climb: loop {
            let mut near = space.neighbours(&current);
            rng.shuffle(&mut near);
            for genome in near {
                if !seen.insert(genome.clone()) {
                    continue;
                }
                let Some(c) = evaluate(&genome) else { return };
                if c < cost {
                    (current, cost) = (genome, c);
                    continue 'climb;
                }
            }
            break;
        }
    }
}
