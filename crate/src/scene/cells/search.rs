//! Cell search on NAS-Bench-201's recorded accuracies: aging evolution, its non-aging variant, random and local search.
//!
//! Every table lookup is one evaluation. A search sees a cell's validation accuracy (plus,
//! optionally, Gaussian noise standing in for the spread between training runs) and never its
//! test accuracy; test accuracy is read only to report how good the best-by-validation cell
//! really is. Accuracies are in percent throughout.

use crate::scene::cells::config::CellConfig;

pub use super::strategy::CellStrategy;
use crate::rng::{Purpose, Stream};
use crate::scene::cells::cell::{Cell, CELLS};
use crate::scene::cells::nasbench::{Bench, Table};
use crate::search::aging::{Queue, Removal};
use crate::search::{local, random, Evaluate, Mutation, Neighbourhood, Sampling};
use serde::{Deserialize, Serialize};

/// One search: what runs, on which dataset, for how many evaluations, from which seed.
///
/// The defaults suit budgets of a few hundred evaluations, where NAS-Bench-201 searches are
/// usually compared: a queue of 20 leaves nine tenths of a 300-evaluation budget to evolution
/// rather than to the random start, and a sample of 5, a quarter of the queue (the ratio of
/// Real et al.'s 100 and 25), keeps selection firm without always breeding from the one best
/// cell. Noise 0 searches on the recorded accuracies as they are.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CellSearch {
    pub strategy: CellStrategy,
    pub bench: Bench,
    /// Table lookups the search may make.
    pub evaluations: usize,
    /// Aging evolution's queue length P, the first P cells random.
    pub population: usize,
    /// Aging evolution's tournament size S, drawn from the queue without replacement.
    pub sample: usize,
    /// Standard deviation, in percentage points, of the Gaussian noise added to every
    /// validation accuracy the search sees, drawn afresh at every evaluation.
    pub noise: f32,
    pub seed: u64,
}

impl Default for CellSearch {
    fn default() -> CellSearch {
        CellSearch::from_config(&CellConfig::default(), CellStrategy::Aging, 1)
    }
}

/// Upper bounds, so a typo cannot ask for memory the trace cannot hold.
pub const MAX_EVALUATIONS: usize = 1_000_000;
pub const MAX_POPULATION: usize = CELLS;
pub const MAX_NOISE: f32 = 100.0;

impl CellSearch {
    /// One search of `strategy` from `seed`, with a cell link's settings.
    pub fn from_config(config: &CellConfig, strategy: CellStrategy, seed: u64) -> CellSearch {
        CellSearch {
            strategy,
            bench: config.dataset,
            evaluations: config.budget,
            population: config.population,
            sample: config.sample,
            noise: config.eval_noise,
            seed,
        }
    }

    /// Checks every field's range, naming the first one out of it.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=MAX_EVALUATIONS).contains(&self.evaluations) {
            return Err(format!("evaluations {} is not from 1 to {MAX_EVALUATIONS}", self.evaluations));
        }
        if !(1..=MAX_POPULATION).contains(&self.population) {
            return Err(format!("population {} is not from 1 to {MAX_POPULATION}", self.population));
        }
        if !(1..=self.population).contains(&self.sample) {
            return Err(format!("sample {} is not from 1 to the population {}", self.sample, self.population));
        }
        if !(self.noise.is_finite() && (0.0..=MAX_NOISE).contains(&self.noise)) {
            return Err(format!("noise {} is not a standard deviation from 0 to {MAX_NOISE} points", self.noise));
        }
        Ok(())
    }
}

/// The stream indices of one (seed, strategy): the search's own draws, and the noise.
const SEARCH_STREAM: u64 = 0;
const NOISE_STREAM: u64 = 1;

/// The evaluations a search may still make (a search stops at the first refused one), and
/// the latest `keep` cells evaluated, newest last.
struct Budget<'a> {
    objective: &'a mut dyn FnMut(Cell) -> f32,
    left: usize,
    latest: std::collections::VecDeque<Cell>,
    keep: usize,
}

impl Budget<'_> {
    fn evaluate(&mut self, cell: Cell) -> Option<f32> {
        self.left = self.left.checked_sub(1)?;
        if self.latest.len() == self.keep {
            self.latest.pop_front();
        }
        self.latest.push_back(cell);
        Some((self.objective)(cell))
    }
}

/// The cell space as the generic searches see it: one-edge mutations, uniform random cells and
/// the 24 one-edge neighbours.
struct CellSpace;

impl Mutation<Cell> for CellSpace {
    fn mutate(&mut self, cell: &mut Cell, rng: &mut Stream) {
        cell.mutate(rng);
    }
}

impl Sampling<Cell> for CellSpace {
    fn random(&mut self, rng: &mut Stream) -> Cell {
        Cell::random(rng)
    }
}

impl Neighbourhood<Cell> for CellSpace {
    fn neighbours(&mut self, cell: &Cell) -> Vec<Cell> {
        cell.neighbours()
    }
}

/// Runs `params.strategy` from `params.seed`, calling `objective` (a cell's validation accuracy
/// as the search sees it, higher is better) exactly `params.evaluations` times. Returns the
/// population at the end: aging evolution's queue (oldest first); for random and local search,
/// which keep none, the latest `params.population` cells evaluated.
pub fn search(params: &CellSearch, objective: &mut dyn FnMut(Cell) -> f32) -> Result<Vec<Cell>, String> {
    params.validate()?;
    let mut rng = Stream::new(params.seed, Purpose::Cells, params.strategy as u64, SEARCH_STREAM);
    let keep = params.population;
    let mut budget = Budget { objective, left: params.evaluations, latest: Default::default(), keep };
    // The searches minimise: a cell's cost is its validation accuracy negated (exactly).
    let mut evaluate = |cell: &Cell| budget.evaluate(*cell).map(|accuracy| -accuracy);
    let queue = match params.strategy {
        CellStrategy::Aging => aging(params, Removal::Oldest, &mut rng, &mut evaluate),
        CellStrategy::AgingWorst => aging(params, Removal::Worst, &mut rng, &mut evaluate),
        CellStrategy::Random => {
            random::run(&mut CellSpace, &mut rng, &mut evaluate);
            None
        }
        CellStrategy::Local => {
            local::run(&mut CellSpace, &mut rng, &mut evaluate);
            None
        }
    };
    Ok(queue.unwrap_or_else(|| budget.latest.into_iter().collect()))
}

/// Regularized evolution: P random cells, then cycles until the budget is spent; returns the
/// queue (None when the budget ran out while it was still filling).
fn aging(params: &CellSearch, removal: Removal, rng: &mut Stream, evaluate: &mut Evaluate<Cell>) -> Option<Vec<Cell>> {
    let mut queue = Queue::fill(params.population, &mut CellSpace, rng, evaluate)?;
    while queue.cycle(params.sample, removal, &mut CellSpace, rng, evaluate) {}
    Some(queue.members)
}

/// A change of a search's best cell by validation.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Improvement {
    /// Evaluations made when the cell was found (1 for the first cell).
    pub evaluated: usize,
    /// Its validation accuracy as the search saw it (noise included).
    pub validation: f32,
    pub test_accuracy: f32,
    pub cell: u16,
}

/// One seed's search: each change of its best cell by validation, in order. The best after k
/// evaluations is the last improvement made by then, so a trace costs memory per improvement
/// (tens), not per evaluation: a page holds hundreds of searches of up to 100,000 evaluations.
/// The first cell seen at the best value stays the best, so a re-evaluation's equal luck
/// changes nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    pub seed: u64,
    /// Evaluations the search made.
    pub evaluations: usize,
    pub improvements: Vec<Improvement>,
    /// The codes of the population at the end (see `search`).
    #[serde(default)]
    pub population: Vec<u16>,
}

impl Trace {
    /// The best cell by validation after `budget` evaluations (at most those made); None
    /// before the first.
    pub fn best_after(&self, budget: usize) -> Option<&Improvement> {
        let made = budget.min(self.evaluations);
        let count = self.improvements.partition_point(|i| i.evaluated <= made);
        count.checked_sub(1).map(|k| &self.improvements[k])
    }
}

/// Runs `params` on `table`. Stream names: (seed, `Purpose::Cells`, strategy, 0) for the
/// search, (seed, `Purpose::Cells`, strategy, 1) for the noise, so strategies and seeds never
/// share draws and the noise does not shift the search's own draws.
pub fn trace(table: &Table, params: &CellSearch) -> Result<Trace, String> {
    params.validate()?;
    let mut noise = Stream::new(params.seed, Purpose::Cells, params.strategy as u64, NOISE_STREAM);
    let mut out = Trace { seed: params.seed, evaluations: 0, improvements: Vec::new(), population: Vec::new() };
    let population = search(params, &mut |cell| {
        let seen = table.validation(cell, params.bench) + params.noise * noise.normal();
        out.evaluations += 1;
        if out.improvements.last().is_none_or(|best| seen > best.validation) {
            let test_accuracy = table.test(cell, params.bench);
            out.improvements.push(Improvement { evaluated: out.evaluations, validation: seen, test_accuracy, cell: cell.code() });
        }
        seen
    })?;
    out.population = population.iter().map(|c| c.code()).collect();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A queue of `p` random cells whose costs are their codes, and an objective scoring a cell
    /// by a bijection of its code, so no two different cells tie.
    fn queue(p: usize, rng: &mut Stream) -> Queue<Cell> {
        let cells: Vec<Cell> = (0..p).map(|_| Cell::random(rng)).collect();
        Queue { costs: cells.iter().map(|c| -score(*c)).collect(), members: cells }
    }

    fn score(cell: Cell) -> f32 {
        (cell.code() as usize * 7919 % CELLS) as f32
    }

    #[test]
    fn a_cycle_keeps_the_queue_length_and_removes_the_oldest_or_the_worst() {
        // The objective notes each cell it is asked about, so the test knows the child.
        let evaluated = std::cell::Cell::new(0u16);
        let mut objective = |c: Cell| {
            evaluated.set(c.code());
            score(c)
        };
        for (seed, removal) in (0..40).zip([Removal::Oldest, Removal::Worst].into_iter().cycle()) {
            let mut rng = Stream::new(seed, Purpose::Bench, 0, 0);
            let p = 1 + rng.below(12);
            let mut q = queue(p, &mut rng);
            let mut budget = Budget { objective: &mut objective, left: 30, latest: Default::default(), keep: 1 };
            let mut evaluate = |c: &Cell| budget.evaluate(*c).map(|v| -v);
            for _ in 0..30 {
                let before = q.members.clone();
                assert!(q.cycle(1 + rng.below(p), removal, &mut CellSpace, &mut rng, &mut evaluate));
                let child = Cell::from_code(evaluated.get()).unwrap();
                assert_eq!((q.members.len(), q.costs.len()), (p, p), "the queue keeps its length");
                assert!(before.iter().any(|b| b.neighbours().contains(&child)), "the child is one edge from a member");
                let mut all = before.clone();
                all.push(child);
                let gone = all.iter().position(|c| all.iter().filter(|&x| x == c).count() > q.members.iter().filter(|&x| x == c).count());
                let gone = gone.expect("one cell left");
                match removal {
                    // The oldest left and everyone else moved up one, the child last.
                    Removal::Oldest => assert_eq!((gone, &q.members[..p - 1], q.members[p - 1]), (0, &before[1..], child)),
                    // The one who left was no better than anyone who stayed.
                    Removal::Worst => assert!(q.members.iter().all(|&c| score(c) >= score(all[gone]))),
                }
                assert!(q.members.iter().zip(&q.costs).all(|(c, &k)| k == -score(*c)), "costs travel with cells");
            }
            let before = q.members.clone();
            assert!(!q.cycle(1, removal, &mut CellSpace, &mut rng, &mut evaluate), "the budget is spent");
            assert_eq!(q.members, before);
        }
    }
}
