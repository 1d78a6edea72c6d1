//! Regularized (aging) evolution (Real et al. 2019): tournaments, mutated copies, the oldest leaves.
//!
//! The population is a queue of trained models in age order, index 0 the oldest. Each step a
//! batch of children is bred from the queue as it stands (a batched, parallel version of the
//! one-child cycle), each a mutated copy of a tournament winner; then one member leaves per
//! child joining. Removing the oldest rather than the worst is the regularization: a model
//! survives only by having descendants that keep scoring well, not by one lucky evaluation.
//! Fitness is a cost (lower is better); NaN is read as INFINITY, a failed genome.

use crate::genome::{Genome, Innovations};
use crate::rng::{Purpose, Stream};
use crate::scene::neat::config::Config;
use crate::scene::neat::mutation::{Rates, Variation};
use crate::search::aging::offspring;
pub use crate::search::aging::{survivors, tournament, Removal};

/// `count` children: each a mutated copy (no crossover: aging evolution varies by mutation
/// alone) of a tournament winner, drawn from the queue as it is, so all children of one step
/// see the same queue. Child k draws from `Stream::new(config.seed, Purpose::Aging,
/// generation, k)`, so the batch is repeatable and each child independent of the others'
/// draws; the registry is updated in child order, as in NEAT's breed. `generation` is the
/// step number. Only the first min(queue, fitness) members take part; none gives no children.
pub fn breed(queue: &[Genome], fitness: &[f32], sample: usize, count: usize, config: &Config, registry: &mut Innovations, generation: u64) -> Vec<Genome> {
    let n = queue.len().min(fitness.len());
    if n == 0 {
        return Vec::new();
    }
    let rates = Rates::of(config);
    let mut variation = Variation { rates: &rates, registry };
    (0..count)
        .map(|k| {
            let mut rng = Stream::new(config.seed, Purpose::Aging, generation, k as u64);
            offspring(&queue[..n], &fitness[..n], sample, &mut variation, &mut rng)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::genome::{ConnGene, NodeGene};
    use crate::scene::neat::mutation::{grown, growth_rates};

    /// Random costs with repeats and failures, so ties and INFINITY are exercised.
    fn costs(rng: &mut Stream, n: usize) -> Vec<f32> {
        (0..n).map(|_| if rng.chance(0.15) { f32::INFINITY } else { rng.below(6) as f32 * 0.5 }).collect()
    }

    #[test]
    fn survivors_keep_the_length_and_the_oldest_leave_whatever_their_fitness() {
        let mut rng = Stream::new(3, Purpose::Bench, 0, 0);
        for _ in 0..200 {
            let n = rng.below(12);
            let queue = costs(&mut rng, n);
            let n = rng.below(queue.len() + 1);
            let children = costs(&mut rng, n);
            let kept = survivors(&queue, &children, Removal::Oldest);
            assert_eq!(kept.len(), queue.len());
            // Exactly the first children.len() members leave, the rest stay in age order.
            let expected: Vec<usize> = (children.len()..queue.len() + children.len()).collect();
            assert_eq!(kept, expected, "queue {queue:?} children {children:?}");
        }
        // More children than members: the length still holds and the youngest stay.
        assert_eq!(survivors(&[1.0, 2.0], &[0.5, 0.1, 9.0], Removal::Oldest), vec![3, 4]);
        assert_eq!(survivors(&[], &[], Removal::Oldest), Vec::<usize>::new());
        assert_eq!(survivors(&[], &[1.0], Removal::Worst), Vec::<usize>::new());
    }

    #[test]
    fn survivors_with_worst_removal_drop_the_worst_and_on_ties_the_oldest() {
        let mut rng = Stream::new(4, Purpose::Bench, 0, 0);
        for _ in 0..300 {
            let n = rng.below(12);
            let queue = costs(&mut rng, n);
            let n = rng.below(queue.len() + 3);
            let children = costs(&mut rng, n);
            let all: Vec<f32> = queue.iter().chain(&children).copied().collect();
            let kept = survivors(&queue, &children, Removal::Worst);
            assert_eq!(kept.len(), queue.len());
            assert!(kept.windows(2).all(|w| w[0] < w[1]), "not in age order: {kept:?}");
            let gone: Vec<usize> = (0..all.len()).filter(|i| !kept.contains(i)).collect();
            // Brute force: no one who left is better than anyone who stayed, and on equal
            // fitness the one who left is the older.
            for &g in &gone {
                for &k in &kept {
                    assert!(all[g] > all[k] || (all[g] == all[k] && g < k), "{all:?}: {g} left, {k} stayed");
                }
            }
        }
        assert_eq!(survivors(&[3.0, 1.0, f32::INFINITY, 1.0], &[2.0, 1.0], Removal::Worst), vec![1, 3, 4, 5]);
        // A child worse than everyone leaves at once; NaN counts as a failure.
        assert_eq!(survivors(&[1.0, f32::NAN], &[5.0, 9.0], Removal::Worst), vec![0, 2]);
    }

    #[test]
    fn tournament_of_the_whole_queue_is_the_global_best_and_ties_go_to_the_younger() {
        let mut rng = Stream::new(5, Purpose::Bench, 0, 0);
        for t in 0..200 {
            let n = 1 + rng.below(10);
            let fitness = costs(&mut rng, n);
            let n = fitness.len();
            // The youngest of the members no worse than all others.
            let best = (0..n).filter(|&i| fitness.iter().all(|&f| fitness[i] <= f)).max().unwrap();
            let mut draw = Stream::new(5, Purpose::Aging, 0, t);
            assert_eq!(tournament(&fitness, n + t as usize % 3, &mut draw), best, "{fitness:?}");
        }
        assert_eq!(tournament(&[2.0; 5], 5, &mut rng), 4);
        assert_eq!(tournament(&[], 3, &mut rng), 0);
        assert_eq!(tournament(&[7.0], 0, &mut rng), 0);
    }

    #[test]
    fn tournament_wins_match_the_exact_sampling_probabilities() {
        // Ranks (0 best) of the members: a member of rank r wins a sample of s iff it is drawn
        // and the other s - 1 all come from the n - 1 - r worse ones: C(n-1-r, s-1) / C(n, s).
        let fitness = [3.0, 0.0, 5.0, 1.0, 4.0, 2.0];
        let rank = [3, 0, 5, 1, 4, 2];
        let choose = |n: u64, k: u64| if k > n { 0 } else { (0..k).fold(1, |acc, i| acc * (n - i) / (i + 1)) };
        let trials = 20_000;
        let mut wins = [0usize; 6];
        for t in 0..trials {
            wins[tournament(&fitness, 3, &mut Stream::new(6, Purpose::Aging, 1, t))] += 1;
        }
        for m in 0..6 {
            let exact = choose(5 - rank[m], 2) as f64 / choose(6, 3) as f64;
            let seen = wins[m] as f64 / trials as f64;
            assert!((seen - exact).abs() < 0.015, "member {m}: {seen} vs {exact}");
            if exact == 0.0 {
                assert_eq!(wins[m], 0, "member {m} can never beat two others");
            }
        }
        // All equal with s = 2: the younger of the pair wins, so member i wins with chance i / C(5, 2).
        let mut wins = [0usize; 5];
        for t in 0..trials {
            wins[tournament(&[1.0; 5], 2, &mut Stream::new(7, Purpose::Aging, 1, t))] += 1;
        }
        for (i, &w) in wins.iter().enumerate() {
            assert!((w as f64 / trials as f64 - i as f64 / 10.0).abs() < 0.015, "member {i}: {wins:?}");
        }
    }

    /// True when `child` is `parent` plus mutations that neither perturb weights nor toggle:
    /// every parent node kept as it was, every parent connection kept with its endpoints and
    /// weight (and enabled only if the parent's was: a split disables it).
    fn descends_from(child: &Genome, parent: &Genome) -> bool {
        let node_kept = |n: &NodeGene| child.node(n.id) == Some(n);
        let conn_kept = |p: &ConnGene| {
            child.conns.iter().any(|c| {
                let same = (c.innovation, c.from, c.to, c.weight) == (p.innovation, p.from, p.to, p.weight);
                same && (!c.enabled || p.enabled)
            })
        };
        parent.nodes.iter().all(node_kept) && parent.conns.iter().all(conn_kept)
    }

    #[test]
    fn breed_makes_valid_mutated_copies_of_one_parent_without_crossover() {
        let mut registry = Innovations::default();
        let queue: Vec<Genome> =
            (0..8).map(|s| grown(&mut registry, &mut Stream::new(100 + s, Purpose::Bench, 0, 0), s as usize * 3, &growth_rates())).collect();
        let fitness = [4.0, 2.5, f32::INFINITY, 0.5, 3.0, 2.0, 6.0, 1.0];
        // Crossover at 1.0 must be ignored; weights stay put so ancestry can be read off exactly
        // (the genomes share the three starting innovations with different weights, so a
        // crossover child would mix them).
        let config = Config { crossover: 1.0, perturb: 0.0, toggle: 0.0, act_change: 0.0, add_node: 0.5, add_conn: 0.5, ..Config::default() };
        let mut again = registry.clone();
        let children = breed(&queue, &fitness, 3, 40, &config, &mut registry, 9);
        assert_eq!(children, breed(&queue, &fitness, 3, 40, &config, &mut again, 9), "not repeatable");
        assert_eq!(children.len(), 40);
        for child in &children {
            child.validate().unwrap();
            let parents: Vec<usize> = (0..8).filter(|&p| descends_from(child, &queue[p])).collect();
            assert_eq!(parents.len(), 1, "a child must descend from exactly one member: {parents:?}");
            // A tournament of 3 is never won by one of the two worst (members 6 and 2).
            assert!(parents[0] != 6 && parents[0] != 2, "won by {}", parents[0]);
        }
        // A tournament of the whole queue (or more) always picks the best, member 3.
        for child in breed(&queue, &fitness, 50, 10, &config, &mut registry, 10) {
            assert!(descends_from(&child, &queue[3]));
        }
        assert!(breed(&queue, &fitness, 3, 0, &config, &mut registry, 11).is_empty());
        assert!(breed(&[], &[], 3, 5, &config, &mut registry, 11).is_empty());
    }
}
