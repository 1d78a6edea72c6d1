//! Aging evolution's selection, for any genome: tournaments over costs, and who leaves the queue.
//!
//! Regularized evolution (Real et al. 2019) keeps a queue in age order, index 0 the oldest:
//! a tournament picks each parent, and one member leaves per child joining, the oldest (the
//! regularization: a model survives only through descendants that keep scoring well) or, in
//! the non-aging baseline, the worst. Costs are lower-is-better; NaN is read as INFINITY.

pub use crate::config::Removal;
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
