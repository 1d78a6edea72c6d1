//! Search: written once over a few small traits, so every scene's genomes share it.
//!
//! A scene says how its genomes vary (`Mutation`), how one is drawn at random (`Sampling`) and,
//! where its space has them, what its neighbours are (`Neighbourhood`); the searches do the
//! rest. They see costs, lower is better (a scene whose objective is higher-is-better negates
//! it), and evaluate through a closure that returns None once the budget is spent.

pub mod aging;
pub mod local;
pub mod nsga2;
pub mod random;

use crate::rng::Stream;

/// How a scene's genomes vary: one mutation, drawn from `rng`, with whatever state it keeps
/// (NEAT's innovation registry).
pub trait Mutation<G> {
    fn mutate(&mut self, genome: &mut G, rng: &mut Stream);
}

/// How a genome is drawn at random (the start of random and local search, and of a queue).
pub trait Sampling<G> {
    fn random(&mut self, rng: &mut Stream) -> G;
}

/// The genomes one step away, in a fixed order (local search shuffles them).
pub trait Neighbourhood<G> {
    fn neighbours(&mut self, genome: &G) -> Vec<G>;
}

/// Evaluates a genome: its cost, or None once the budget is spent (and nothing was evaluated).
pub type Evaluate<'a, G> = dyn FnMut(&G) -> Option<f32> + 'a;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Purpose;

    /// A toy space, so the searches are seen to work on a genome that is neither NEAT's nor a
    /// cell: integers 0..100, mutation and neighbours one step left or right.
    struct Line;
    impl Mutation<i32> for Line {
        fn mutate(&mut self, x: &mut i32, rng: &mut Stream) {
            *x = (*x + if rng.chance(0.5) { 1 } else { -1 }).clamp(0, 99);
        }
    }
    impl Sampling<i32> for Line {
        fn random(&mut self, rng: &mut Stream) -> i32 {
            rng.below(100) as i32
        }
    }
    impl Neighbourhood<i32> for Line {
        fn neighbours(&mut self, x: &i32) -> Vec<i32> {
            [x - 1, x + 1].into_iter().filter(|v| (0..100).contains(v)).collect()
        }
    }

    /// A cost with one minimum at 70, and a budget of `n` evaluations that records each.
    fn budgeted(n: usize, seen: &mut Vec<i32>) -> impl FnMut(&i32) -> Option<f32> + '_ {
        move |x| {
            (seen.len() < n).then(|| {
                seen.push(*x);
                ((x - 70) as f32).abs()
            })
        }
    }

    #[test]
    fn each_search_spends_exactly_its_budget_and_finds_what_it_should() {
        let mut rng = Stream::new(3, Purpose::Bench, 0, 0);
        let mut seen = Vec::new();
        random::run(&mut Line, &mut rng, &mut budgeted(50, &mut seen));
        assert_eq!(seen.len(), 50);
        // A unimodal cost: one climb from anywhere reaches the minimum.
        let mut seen = Vec::new();
        local::run(&mut Line, &mut rng, &mut budgeted(300, &mut seen));
        assert_eq!(seen.len(), 300);
        assert!(seen.contains(&70));
        // Aging evolution walks its queue towards the minimum.
        let mut seen = Vec::new();
        let mut evaluate = budgeted(400, &mut seen);
        let mut queue = aging::Queue::fill(10, &mut Line, &mut rng, &mut evaluate).unwrap();
        while queue.cycle(3, aging::Removal::Oldest, &mut Line, &mut rng, &mut evaluate) {}
        assert_eq!(queue.members.len(), 10);
        assert!(queue.costs.iter().all(|&c| c <= 3.0), "the queue ends near 70: {:?}", queue.members);
        drop(evaluate);
        assert_eq!(seen.len(), 400);
    }
}
