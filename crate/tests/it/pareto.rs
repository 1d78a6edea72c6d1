//! NSGA-II's rules against independent truth: brute-force dominance, hand-computed crowding,
//! selection by whole fronts then spread, and breeding's parents.

use evonas::genome::{Genome, Innovations};
use evonas::rng::{Purpose, Stream};
use evonas::scene::neat::config::Config;
use evonas::scene::neat::mutation::{grown, growth_rates};
use evonas::scene::neat::strategy::pareto::*;
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
        // The first member of each objective point; the rest are copies.
        let firsts: Vec<usize> = (0..p.len()).filter(|&i| !p[..i].contains(&p[i])).collect();
        let unique: Vec<[f32; 2]> = firsts.iter().map(|&i| p[i]).collect();
        let fs = fronts(&unique);
        for count in [1, 7, 50, 101, 199, 200, 260] {
            let chosen = select(&p, count);
            assert_eq!(chosen.len(), count.min(200));
            assert!(chosen.windows(2).all(|w| w[0] < w[1]), "distinct and ascending");
            // A copy is chosen only once every first member is.
            let copies_chosen = chosen.iter().any(|i| !firsts.contains(i));
            assert!(!copies_chosen || firsts.iter().all(|i| chosen.contains(i)), "seed {seed} count {count}");
            if count >= firsts.len() {
                continue;
            }
            // Among the first members: fronts before the cut whole, fronts after it absent.
            let kept = |k: usize| chosen.contains(&firsts[k]);
            let cut = fs.iter().position(|f| !f.iter().all(|&k| kept(k))).unwrap_or(fs.len());
            for f in fs.iter().skip(cut + 1) {
                assert!(f.iter().all(|&k| !kept(k)), "seed {seed} count {count}");
            }
            let Some(front) = fs.get(cut) else { continue };
            // In the cut front every kept member is at least as spread out as every dropped one.
            let d = crowding(&unique, front);
            for (a, &i) in front.iter().enumerate() {
                for (b, &j) in front.iter().enumerate() {
                    if kept(i) && !kept(j) {
                        assert!(d[a] > d[b] || (d[a] == d[b] && i < j), "seed {seed} count {count}");
                    }
                }
            }
        }
    }
}

#[test]
fn copies_wait_until_every_distinct_point_is_kept() {
    // Five copies of the empty network's point crowd a front of three distinct points.
    let p = [[0.7, 0.0], [0.7, 0.0], [0.3, 4.0], [0.7, 0.0], [0.1, 9.0], [0.7, 0.0], [0.5, 6.0], [0.7, 0.0]];
    assert_eq!(select(&p, 4), vec![0, 2, 4, 6]); // (0.5, 6) is dominated, yet beats the copies
    assert_eq!(select(&p, 5), vec![0, 1, 2, 4, 6]); // then copies, lowest index first
    assert_eq!(select(&p, 8), (0..8).collect::<Vec<_>>());
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

/// A grown genome from its own seed, so the population holds distinct structures.
fn grown_from(registry: &mut Innovations, seed: u64, rounds: u64) -> Genome {
    grown(registry, &mut Stream::new(seed, Purpose::Bench, 0, 0), rounds as usize, &growth_rates())
}

/// No mutation at all, so children show exactly what selection and crossover made.
fn still(crossover: f32) -> Config {
    let off = Config { add_node: 0.0, add_conn: 0.0, toggle: 0.0, perturb: 0.0, ..Config::default() };
    Config { crossover, act_change: 0.0, ..off }
}

#[test]
fn breed_returns_valid_children_repeatably() {
    let mut registry = Innovations::default();
    let population: Vec<Genome> = (0..12).map(|s| grown_from(&mut registry, 200 + s, s * 2)).collect();
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
    let population: Vec<Genome> = (0..8).map(|s| grown_from(&mut registry, 300 + s, s * 2)).collect();
    // Ranks: 0 = {0, 1, 2}, then 1 = {3, 4}, then 2 = {5, 6}, then 3 = {7}: member 7 loses to all.
    let objectives = [[1.0, 9.0], [2.0, 5.0], [4.0, 2.0], [3.0, 9.0], [5.0, 6.0], [4.0, 9.0], [6.0, 7.0], [7.0, 9.0]];
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
    let population = [grown_from(&mut registry, 401, 12), grown_from(&mut registry, 402, 6), grown_from(&mut registry, 403, 12)];
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
