//! NSGA-II's selection over two minimised objectives, for any genome: fronts, crowding, the cut.
//!
//! Selection keeps whole non-dominated fronts in order and cuts the last one by crowding
//! distance, with copies of one objective point last, so the kept set spreads along the
//! trade-off instead of bunching up. NaN objectives are read as INFINITY, so dominance stays a
//! strict partial order.

use crate::rng::Stream;

/// Objective `k` of `point`, NaN read as a failure (INFINITY).
pub fn value(point: &[f32; 2], k: usize) -> f32 {
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

/// Environmental selection: `count` indices (all of them if there are fewer), returned
/// ascending. Copies come last: of members with equal objectives only the lowest index takes
/// part at first, so a crowd of identical networks (say, many copies of the empty network)
/// cannot fill the population and squeeze the trade-off out; copies fill only the room left,
/// second copies before third. Among the members taking part: whole fronts in order, the last
/// front cut by descending crowding distance (ties by index).
pub fn select(objectives: &[[f32; 2]], count: usize) -> Vec<usize> {
    let mut chosen = Vec::with_capacity(count.min(objectives.len()));
    let mut waiting: Vec<usize> = (0..objectives.len()).collect();
    while chosen.len() < count && !waiting.is_empty() {
        let (firsts, copies) = first_copies(objectives, &waiting);
        let points: Vec<[f32; 2]> = firsts.iter().map(|&i| objectives[i]).collect();
        chosen.extend(select_distinct(&points, count - chosen.len()).into_iter().map(|k| firsts[k]));
        waiting = copies;
    }
    chosen.sort_unstable();
    chosen
}

/// Splits `members` (ascending) into the first of each objective point and the later copies
/// (points compare exactly, by their bits).
fn first_copies(objectives: &[[f32; 2]], members: &[usize]) -> (Vec<usize>, Vec<usize>) {
    let mut seen = std::collections::HashSet::new();
    members.iter().copied().partition(|&i| seen.insert(objectives[i].map(f32::to_bits)))
}

/// Selection by whole fronts then crowding distance, over points taken as they are.
fn select_distinct(objectives: &[[f32; 2]], count: usize) -> Vec<usize> {
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
pub fn binary_tournament(standing: &[(usize, f32)], rng: &mut Stream) -> usize {
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
