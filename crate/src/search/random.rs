//! Random search: genomes drawn independently until the budget is spent, the baseline every search must beat.

use super::{Evaluate, Sampling};
use crate::rng::Stream;

/// Draws and evaluates genomes until `evaluate` says the budget is spent.
pub fn run<G>(space: &mut impl Sampling<G>, rng: &mut Stream, evaluate: &mut Evaluate<G>) {
    while evaluate(&space.random(rng)).is_some() {}
}
