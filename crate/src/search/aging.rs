//! Aging evolution's selection, for any genome: tournaments over costs, and who leaves the queue.
//!
//! Regularized evolution (Real et al. 2019) keeps a queue in age order, index 0 the oldest:
//! a tournament picks each parent, and one member leaves per child joining, the oldest (the
//! regularization: a model survives only through descendants that keep scoring well) or, in
//! the non-aging baseline, the worst. Costs are lower-is-better; NaN is read as INFINITY.

use super::{Evaluate, Mutation, Sampling};
use crate::link::names::named_enum;

named_enum! {
    /// Aging evolution: which member leaves when a child joins, the oldest (regularized
    /// evolution) or the worst (the non-aging baseline).
    pub enum Removal { Oldest = "oldest", Worst = "worst" }
}
use crate::rng::Stream;

/// A fitness as a cost to compare: NaN counts as a failure, so it loses to everything finite.
fn cost(fitness: f32) -> f32 {
    if fitness.is_nan() {
        f32::INFINITY
    } else {
        fitness
    }
}

/// Tournament: `sample` distinct members drawn uniformly at random; the index of the best
/// (lowest fitness; ties to the younger = higher index). `sample` is clamped to 1..=len (larger
/// than the queue means the whole queue); an empty queue gives 0 and draws nothing.
pub fn tournament(fitness: &[f32], sample: usize, rng: &mut Stream) -> usize {
    let n = fitness.len();
    if n == 0 {
        return 0;
    }
    let sample = sample.clamp(1, n);
    // A partial Fisher-Yates shuffle: the first `sample` slots end up a uniform draw without
    // replacement, with exactly one random number per slot.
    let mut pool: Vec<usize> = (0..n).collect();
    for i in 0..sample {
        let j = i + rng.below(n - i);
        pool.swap(i, j);
    }
    // The order is total (cost, then younger first), so the winner does not depend on draw order.
    pool[..sample].iter().copied().min_by(|&a, &b| cost(fitness[a]).total_cmp(&cost(fitness[b])).then(b.cmp(&a))).unwrap_or(0)
}

/// Appends the children (in order) and removes one member per child, the oldest or the worst
/// (lowest goodness = highest fitness; ties: the oldest), so the queue keeps its length. Works
/// on index lists so the caller can move genomes, outcomes and fitness together: returns the
/// indices (into the concatenation queue ++ children) that survive, in age order (oldest
/// first). The choice is over the whole concatenation: with `Worst` a child worse than every
/// member leaves at once, and with `Oldest` more children than members push out the oldest
/// children too.
pub fn survivors(queue_fitness: &[f32], children_fitness: &[f32], removal: Removal) -> Vec<usize> {
    let kept = queue_fitness.len();
    let total = kept + children_fitness.len();
    let leaving = total - kept;
    match removal {
        // The concatenation is already in age order: the first `leaving` are the oldest.
        Removal::Oldest => (leaving..total).collect(),
        Removal::Worst => {
            let at = |i: usize| cost(if i < kept { queue_fitness[i] } else { children_fitness[i - kept] });
            let mut order: Vec<usize> = (0..total).collect();
            // Worst first: highest cost, and among equal costs the oldest (lowest index).
            order.sort_by(|&a, &b| at(b).total_cmp(&at(a)).then(a.cmp(&b)));
            let mut staying = order.split_off(leaving);
            staying.sort_unstable();
            staying
        }
    }
}

/// A child: a mutated copy (no crossover: aging evolution varies by mutation alone) of the
/// winner of a tournament of `sample` over `costs`. Draws the tournament, then the mutation.
pub fn offspring<G: Clone>(queue: &[G], costs: &[f32], sample: usize, mutation: &mut impl Mutation<G>, rng: &mut Stream) -> G {
    let mut child = queue[tournament(costs, sample, rng)].clone();
    mutation.mutate(&mut child, rng);
    child
}

/// A queue in age order (index 0 the oldest) with each member's cost, evolved one child at a
/// time: the sequential form of regularized evolution.
pub struct Queue<G> {
    pub members: Vec<G>,
    pub costs: Vec<f32>,
}

impl<G: Clone> Queue<G> {
    /// `population` random members, each evaluated; None if the budget ran out first.
    pub fn fill(population: usize, space: &mut impl Sampling<G>, rng: &mut Stream, evaluate: &mut Evaluate<G>) -> Option<Queue<G>> {
        let mut queue = Queue { members: Vec::with_capacity(population + 1), costs: Vec::with_capacity(population + 1) };
        while queue.members.len() < population {
            let genome = space.random(rng);
            let cost = evaluate(&genome)?;
            queue.members.push(genome);
            queue.costs.push(cost);
        }
        Some(queue)
    }

    /// One cycle: a child of a tournament of `sample`, evaluated and appended, and one member
    /// removed. False, with the queue untouched, once the budget is spent.
    pub fn cycle(&mut self, sample: usize, removal: Removal, mutation: &mut impl Mutation<G>, rng: &mut Stream, evaluate: &mut Evaluate<G>) -> bool {
        let child = offspring(&self.members, &self.costs, sample, mutation, rng);
        let Some(cost) = evaluate(&child) else { return false };
        self.members.push(child);
        self.costs.push(cost);
        // `survivors`' rule for one child, in one pass (queues of thousands cycle 100,000
        // times): the oldest leaves, or the worst, the oldest of equals.
        let leaving = match removal {
            Removal::Oldest => 0,
            Removal::Worst => (1..self.costs.len()).fold(0, |worst, i| if self.costs[i].total_cmp(&self.costs[worst]).is_gt() { i } else { worst }),
        };
        self.members.remove(leaving);
        self.costs.remove(leaving);
        true
    }
}
