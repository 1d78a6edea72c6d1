//! Multi-objective search, NSGA-II style: non-dominated fronts, crowding distance, selection, breeding.
//!
//! Each genome has two objectives, both MINIMISED: `[training loss (INFINITY if it failed),
//! enabled connection count]`, the accuracy-versus-size trade-off of LEAF. Test accuracy is never
//! an objective. Selection keeps whole non-dominated fronts in order and cuts the last one by
//! crowding distance, so the kept set spreads along the trade-off instead of bunching up.
//! NaN objectives are read as INFINITY, so dominance stays a strict partial order.

use crate::config::Config;
use crate::genome::{Genome, Innovations};
use crate::mutation::{crossover, mutate};
use crate::rng::{Purpose, Stream};

/// The two objectives of a genome: its training loss and its enabled connection count.
pub fn objectives(loss: f32, genome: &Genome) -> [f32; 2] {
    [loss, genome.enabled_connections() as f32]
}

/// Objective `k` of `point`, NaN read as a failure (INFINITY).
fn value(point: &[f32; 2], k: usize) -> f32 {
    if point[k].is_nan() {
        f32::INFINITY
    } else {
        point[k]
    }
}

/// `a` dominates `b`: no worse in both objectives and better in at least one.
fn dominates(a: &[f32; 2], b: &[f32; 2]) -> bool {
    let (a0, a1, b0, b1) = (value(a, 0), value(a, 1), value(b, 0), value(b, 1));
    a0 <= b0 && a1 <= b1 && (a0 < b0 || a1 < b1)
}

/// Fast non-dominated sort: fronts of indices, front 0 the non-dominated set. a dominates b
/// when a is no worse in both objectives and better in at least one. Within a front, indices
/// ascending. O(n^2) comparisons; equal points never dominate each other, so they share a front.
pub fn fronts(objectives: &[[f32; 2]]) -> Vec<Vec<usize>> {
    let n = objectives.len();
    let mut beaten_by = vec![0usize; n]; // how many members dominate each one
    let mut beats: Vec<Vec<usize>> = vec![Vec::new(); n]; // whom each one dominates
    for i in 0..n {
        for j in i + 1..n {
            if dominates(&objectives[i], &objectives[j]) {
                beats[i].push(j);
                beaten_by[j] += 1;
            } else if dominates(&objectives[j], &objectives[i]) {
                beats[j].push(i);
                beaten_by[i] += 1;
            }
        }
    }
    // Peel: a member joins the next front once everyone dominating it sits in earlier fronts.
    let mut current: Vec<usize> = (0..n).filter(|&i| beaten_by[i] == 0).collect();
    let mut out = Vec::new();
    while !current.is_empty() {
        let mut next = Vec::new();
        for &i in &current {
            for &j in &beats[i] {
                beaten_by[j] -= 1;
                if beaten_by[j] == 0 {
                    next.push(j);
                }
            }
        }
        next.sort_unstable();
        out.push(std::mem::replace(&mut current, next));
    }
    out
}

/// Crowding distance of each member of `front` (same order): boundary points (min and max of
/// each objective) get INFINITY; others the sum over objectives of the normalised gap between
/// neighbours. Deterministic under ties (sort by value, then index): of several members sharing
/// the minimum only the lowest index is the boundary, of several sharing the maximum only the
/// highest. Gaps are normalised by the objective's finite range, and an infinite value (a failed
/// genome's loss) counts as the range's end for its neighbours, so interior distances stay finite.
pub fn crowding(objectives: &[[f32; 2]], front: &[usize]) -> Vec<f32> {
    let m = front.len();
    let mut distance = vec![0.0f32; m];
    if m == 0 {
        return distance;
    }
    for k in 0..2 {
        let at = |p: usize| value(&objectives[front[p]], k);
        let mut order: Vec<usize> = (0..m).collect();
        order.sort_by(|&a, &b| at(a).total_cmp(&at(b)).then(front[a].cmp(&front[b])));
        distance[order[0]] = f32::INFINITY;
        distance[order[m - 1]] = f32::INFINITY;
        let finite = order.iter().map(|&p| at(p)).filter(|x| x.is_finite());
        let (lo, hi) = finite.fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), x| (lo.min(x), hi.max(x)));
        // No spread (all equal, or fewer than two finite values) adds nothing for this objective.
        if lo < hi {
            let clamped = |p: usize| at(p).clamp(lo, hi);
            for w in order.windows(3) {
                distance[w[1]] += (clamped(w[2]) - clamped(w[0])) / (hi - lo);
            }
        }
    }
    distance
}

/// Environmental selection: `count` indices (all of them if there are fewer), whole fronts in
/// order, the last front cut by descending crowding distance (ties by index). Returns indices
/// ascending.
pub fn select(objectives: &[[f32; 2]], count: usize) -> Vec<usize> {
    let mut chosen = Vec::with_capacity(count.min(objectives.len()));
    for front in fronts(objectives) {
        let room = count - chosen.len();
        if front.len() <= room {
            chosen.extend(front);
            continue;
        }
        // The front that does not fit: keep its most spread-out members, the boundaries first.
        let distance = crowding(objectives, &front);
        let mut order: Vec<usize> = (0..front.len()).collect();
        order.sort_by(|&a, &b| distance[b].total_cmp(&distance[a]).then(front[a].cmp(&front[b])));
        chosen.extend(order[..room].iter().map(|&p| front[p]));
        break;
    }
    chosen.sort_unstable();
    chosen
}

/// Rank (front number) and crowding distance (within its front) of every member, for binary tournaments.
pub fn rank_and_crowding(objectives: &[[f32; 2]]) -> Vec<(usize, f32)> {
    let mut out = vec![(0, 0.0); objectives.len()];
    for (rank, front) in fronts(objectives).iter().enumerate() {
        for (&i, d) in front.iter().zip(crowding(objectives, front)) {
            out[i] = (rank, d);
        }
    }
    out
}

/// NSGA-II's crowded comparison: two distinct members drawn uniformly; the lower rank wins,
/// then the larger crowding distance, then the lower index. A lone member wins by default.
fn binary_tournament(standing: &[(usize, f32)], rng: &mut Stream) -> usize {
    let n = standing.len();
    if n < 2 {
        return 0;
    }
    let a = rng.below(n);
    let b = (a + 1 + rng.below(n - 1)) % n; // uniform over everyone but a
    let (ra, da) = standing[a];
    let (rb, db) = standing[b];
    if ra.cmp(&rb).then(db.total_cmp(&da)).then(a.cmp(&b)).is_lt() {
        a
    } else {
        b
    }
}

/// `count` children: parents by binary tournament on (lower rank, then larger crowding
/// distance); with chance `config.crossover` a child is the crossover of two tournament winners,
/// the one with the lower loss (then fewer connections, then lower index) passing its structure
/// and disjoint genes; otherwise a copy of one winner; then `mutate`. Child k draws from
/// `Stream::new(config.seed, Purpose::Pareto, generation, k)`; the registry is updated in child
/// order. Only the first min(population, objectives) members take part; none gives no children.
pub fn breed(
    population: &[Genome],
    objectives: &[[f32; 2]],
    count: usize,
    config: &Config,
    registry: &mut Innovations,
    generation: u64,
) -> Vec<Genome> {
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
            mutate(&mut child, config, registry, &mut rng);
            child
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const INF: f32 = f32::INFINITY;

    /// The definition, written out again: a is no worse in both and better in one.
    fn brute_dominates(a: [f32; 2], b: [f32; 2]) -> bool {
        a[0] <= b[0] && a[1] <= b[1] && (a[0] < b[0] || a[1] < b[1])
    }

    /// Random objective pairs on a coarse grid (many duplicates) with some failed losses.
    fn points(seed: u64, n: usize) -> Vec<[f32; 2]> {
        let mut rng = Stream::new(seed, Purpose::Bench, 0, 0);
        (0..n)
            .map(|_| {
                let loss = if rng.chance(0.1) { INF } else { rng.below(15) as f32 * 0.25 };
                [loss, rng.below(25) as f32]
            })
            .collect()
    }

    /// Hand example: front 0 = {0, 2, 3, 4, 5} on the line from (1, 10) to (10, 1); then {1}; then {6}.
    const HAND: [[f32; 2]; 7] = [[1.0, 10.0], [5.0, 5.0], [2.0, 7.0], [7.0, 2.0], [4.0, 4.0], [10.0, 1.0], [9.0, 9.0]];

    #[test]
    fn fronts_match_a_brute_force_dominance_check() {
        for seed in 0..10 {
            let p = points(seed, 200);
            let fs = fronts(&p);
            let mut seen: Vec<usize> = fs.concat();
            seen.sort_unstable();
            assert_eq!(seen, (0..200).collect::<Vec<_>>(), "the fronts must partition the indices");
            for (k, front) in fs.iter().enumerate() {
                assert!(!front.is_empty() && front.windows(2).all(|w| w[0] < w[1]));
                for &i in front {
                    // Nobody in this front or a later one dominates i ...
                    for &j in fs[k..].iter().flatten() {
                        assert!(!brute_dominates(p[j], p[i]), "seed {seed}: {j} dominates {i} in front {k}");
                    }
                    // ... and, past front 0, someone in the front just before does.
                    if k > 0 {
                        assert!(fs[k - 1].iter().any(|&j| brute_dominates(p[j], p[i])), "seed {seed}: {i}");
                    }
                }
            }
            // Front 0 is exactly the set nobody dominates.
            let free: Vec<usize> = (0..200).filter(|&i| (0..200).all(|j| !brute_dominates(p[j], p[i]))).collect();
            assert_eq!(fs[0], free);
        }
        assert_eq!(fronts(&HAND), vec![vec![0, 2, 3, 4, 5], vec![1], vec![6]]);
        assert!(fronts(&[]).is_empty());
        // NaN is a failure: [NaN, 1] is [INF, 1], dominated by [INF, 0] and beside [0, 5].
        assert_eq!(fronts(&[[f32::NAN, 1.0], [INF, 0.0], [0.0, 5.0]]), vec![vec![1, 2], vec![0]]);
    }

    #[test]
    fn crowding_matches_the_hand_formula() {
        // Front 0 of HAND, both objectives range over 9 (1 to 10). Sorted by loss: 1, 2, 4, 7, 10;
        // by size: 1, 2, 4, 7, 10 (reversed members). Interior distances:
        //   (2, 7): loss (4 - 1) / 9 + size (10 - 4) / 9 = 9 / 9
        //   (4, 4): loss (7 - 2) / 9 + size (7 - 2) / 9  = 10 / 9
        //   (7, 2): loss (10 - 4) / 9 + size (4 - 1) / 9 = 9 / 9
        let d = crowding(&HAND, &[5, 2, 0, 4, 3]);
        let expected = [INF, 1.0, INF, 10.0 / 9.0, 1.0];
        for (got, want) in d.iter().zip(expected) {
            assert!(got == &want || (got - want).abs() < 1e-6, "{d:?}");
        }
        // A failed genome on the front: losses 0.1, 0.3, 0.5 and INF (finite range 0.4, INF
        // counts as 0.5 for its neighbour); sizes 9, 6, 4, 1 (range 8).
        //   (0.3, 6): loss (0.5 - 0.1) / 0.4 + size (9 - 4) / 8 = 1 + 0.625
        //   (0.5, 4): loss (0.5 - 0.3) / 0.4 + size (6 - 1) / 8 = 0.5 + 0.625
        let p = [[INF, 1.0], [0.5, 4.0], [0.3, 6.0], [0.1, 9.0]];
        let d = crowding(&p, &[0, 1, 2, 3]);
        assert!(d[0] == INF && d[3] == INF, "{d:?}");
        assert!((d[1] - 1.125).abs() < 1e-5 && (d[2] - 1.625).abs() < 1e-5, "{d:?}");
        // Two or fewer members are all boundary; equal points add no spread.
        assert_eq!(crowding(&HAND, &[1, 6]), vec![INF, INF]);
        assert_eq!(crowding(&[[1.0, 1.0]; 4], &[0, 1, 2, 3]), vec![INF, 0.0, 0.0, INF]);
        assert!(crowding(&HAND, &[]).is_empty());
    }

    #[test]
    fn crowding_is_finite_inside_and_infinite_at_the_ends_on_random_fronts() {
        for seed in 0..10 {
            let p = points(seed, 200);
            for front in fronts(&p) {
                let d = crowding(&p, &front);
                for k in [0, 1] {
                    let (lo, hi) = front.iter().fold((INF, -INF), |(lo, hi), &i| (lo.min(p[i][k]), hi.max(p[i][k])));
                    // Some member at each extreme of each objective is a boundary.
                    for extreme in [lo, hi] {
                        assert!(front.iter().zip(&d).any(|(&i, &x)| p[i][k] == extreme && x == INF));
                    }
                }
                // At most four boundary points (two per objective); the rest finite and non-negative.
                assert!(d.iter().filter(|x| x.is_infinite()).count() <= 4);
                assert!(d.iter().all(|x| *x >= 0.0 && !x.is_nan()), "{d:?}");
            }
        }
    }

    #[test]
    fn select_keeps_whole_fronts_then_the_most_crowded_apart() {
        assert_eq!(select(&HAND, 3), vec![0, 4, 5]); // the two ends, then (4, 4) at 10/9
        assert_eq!(select(&HAND, 4), vec![0, 2, 4, 5]); // (2, 7) and (7, 2) tie at 1: lower index
        assert_eq!(select(&HAND, 6), vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(select(&HAND, 99), (0..7).collect::<Vec<_>>());
        assert!(select(&HAND, 0).is_empty() && select(&[], 5).is_empty());
        for seed in 0..10 {
            let p = points(seed, 200);
            let fs = fronts(&p);
            for count in [1, 7, 50, 101, 199, 200, 260] {
                let chosen = select(&p, count);
                assert_eq!(chosen.len(), count.min(200));
                assert!(chosen.windows(2).all(|w| w[0] < w[1]), "distinct and ascending");
                // Fronts before the cut are whole, fronts after it absent.
                let cut = fs.iter().position(|f| !f.iter().all(|i| chosen.contains(i))).unwrap_or(fs.len());
                for f in fs.iter().skip(cut + 1) {
                    assert!(f.iter().all(|i| !chosen.contains(i)), "seed {seed} count {count}");
                }
                let Some(front) = fs.get(cut) else { continue };
                // In the cut front every kept member is at least as spread out as every dropped one.
                let d = crowding(&p, front);
                for (a, &i) in front.iter().enumerate() {
                    for (b, &j) in front.iter().enumerate() {
                        if chosen.contains(&i) && !chosen.contains(&j) {
                            assert!(d[a] > d[b] || (d[a] == d[b] && i < j), "seed {seed} count {count}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn rank_and_crowding_agree_with_fronts_and_crowding() {
        let rc = rank_and_crowding(&HAND);
        let ranks: Vec<usize> = rc.iter().map(|r| r.0).collect();
        assert_eq!(ranks, vec![0, 1, 0, 0, 0, 0, 2]);
        assert_eq!((rc[1].1, rc[6].1, rc[0].1), (INF, INF, INF)); // singleton fronts and ends
        assert!((rc[4].1 - 10.0 / 9.0).abs() < 1e-6 && (rc[2].1 - 1.0).abs() < 1e-6);
        assert!(rank_and_crowding(&[]).is_empty());
    }

    /// A grown genome, so the population holds distinct structures.
    fn grown(registry: &mut Innovations, seed: u64, rounds: u64) -> Genome {
        let config = Config { add_node: 0.5, add_conn: 0.6, ..Config::default() };
        let mut rng = Stream::new(seed, Purpose::Bench, 0, 0);
        let mut g = Genome::logistic(registry, &mut rng);
        for _ in 0..rounds {
            mutate(&mut g, &config, registry, &mut rng);
        }
        g
    }

    /// No mutation at all, so children show exactly what selection and crossover made.
    fn still(crossover: f32) -> Config {
        let off = Config { add_node: 0.0, add_conn: 0.0, toggle: 0.0, perturb: 0.0, ..Config::default() };
        Config { crossover, act_change: 0.0, ..off }
    }

    #[test]
    fn breed_returns_valid_children_repeatably() {
        let mut registry = Innovations::default();
        let population: Vec<Genome> = (0..12).map(|s| grown(&mut registry, 200 + s, s * 2)).collect();
        let losses = [0.4, 0.2, INF, 0.9, 0.3, 0.2, 0.6, 0.1, 0.5, 0.7, 0.25, 0.35];
        let objectives: Vec<[f32; 2]> = population.iter().zip(losses).map(|(g, l)| objectives(l, g)).collect();
        let config = Config { crossover: 0.8, add_node: 0.4, add_conn: 0.5, ..Config::default() };
        let mut again = registry.clone();
        let children = breed(&population, &objectives, 30, &config, &mut registry, 4);
        assert_eq!(children, breed(&population, &objectives, 30, &config, &mut again, 4), "not repeatable");
        assert_eq!(children.len(), 30);
        for child in &children {
            child.validate().unwrap();
        }
        assert!(breed(&population, &objectives, 0, &config, &mut registry, 5).is_empty());
        assert!(breed(&[], &[], 5, &config, &mut registry, 5).is_empty());
        assert_eq!(breed(&population[..1], &objectives[..1], 3, &config, &mut registry, 5).len(), 3);
    }

    #[test]
    fn breed_never_copies_the_loser_of_every_tournament_and_crossover_keeps_a_parent_shape() {
        let mut registry = Innovations::default();
        let population: Vec<Genome> = (0..8).map(|s| grown(&mut registry, 300 + s, s * 2)).collect();
        // Ranks: 0 = {0, 1, 2}, then 1 = {3, 4}, then 2 = {5, 6}, then 3 = {7}: member 7 loses to all.
        let objectives =
            [[1.0, 9.0], [2.0, 5.0], [4.0, 2.0], [3.0, 9.0], [5.0, 6.0], [4.0, 9.0], [6.0, 7.0], [7.0, 9.0]];
        let copies = breed(&population, &objectives, 200, &still(0.0), &mut registry, 1);
        assert!(copies.iter().all(|c| population.contains(c)), "without crossover or mutation, children are copies");
        assert!(!copies.contains(&population[7]), "the loser of every pair was picked");
        // Crossover children take the fitter (lower-loss) parent's structure, never a blend.
        let shape = |g: &Genome| g.conns.iter().map(|c| (c.innovation, c.from, c.to)).collect::<Vec<_>>();
        let mixed = breed(&population, &objectives, 100, &still(1.0), &mut registry, 2);
        for child in &mixed {
            child.validate().unwrap();
            assert!(population[..7].iter().any(|p| shape(p) == shape(child)));
        }
    }

    #[test]
    fn crossover_passes_the_lower_loss_parents_structure() {
        // One front of three: a = (1, 9) and c = (4, 2) are its ends (infinite crowding), b the
        // middle. Of the three equally likely pairs a wins two ({a, b}, and {a, c} by index) and
        // c one, so each tournament gives a with chance 2/3. The lower-loss parent passes its
        // structure, so a child has a's shape unless both winners are c: chance 1 - 1/9 = 8/9.
        // (Taking the first winner's structure instead would give a's shape with chance 2/3.)
        let mut registry = Innovations::default();
        let population = [grown(&mut registry, 401, 12), grown(&mut registry, 402, 6), grown(&mut registry, 403, 12)];
        let shape = |g: &Genome| g.conns.iter().map(|c| (c.innovation, c.from, c.to)).collect::<Vec<_>>();
        assert_ne!(shape(&population[0]), shape(&population[2]));
        let objectives = [[1.0, 9.0], [2.0, 5.0], [4.0, 2.0]];
        let children = breed(&population, &objectives, 900, &still(1.0), &mut registry, 3);
        let like_a = children.iter().filter(|c| shape(c) == shape(&population[0])).count();
        let like_c = children.iter().filter(|c| shape(c) == shape(&population[2])).count();
        assert_eq!(like_a + like_c, 900, "b never wins a tournament");
        // 800 expected, standard deviation about 9.4; the wrong rule gives about 600.
        assert!(like_a > 740, "{like_a} of 900 children have the lower-loss parent's structure");
    }
}
