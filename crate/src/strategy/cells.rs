//! Cell search on NAS-Bench-201's recorded accuracies: aging evolution, its non-aging variant, random and local search.
//!
//! Every table lookup is one evaluation. A search sees a cell's validation accuracy (plus,
//! optionally, Gaussian noise standing in for the spread between training runs) and never its
//! test accuracy; test accuracy is read only to report how good the best-by-validation cell
//! really is. Accuracies are in percent throughout.

use crate::cell::{Cell, CELLS};
use crate::compare::band;
use crate::nasbench::{Bench, Table};
use crate::rng::{Purpose, Stream};
use crate::strategy::aging::{survivors, tournament, Removal};
use serde::{Deserialize, Serialize};

/// A cell search strategy. Its index in `ALL` names its random streams, so a new strategy goes
/// at the end and old seeds still reproduce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CellStrategy {
    /// Regularized evolution (Real et al. 2019): the oldest cell leaves the queue.
    Aging,
    /// The non-aging baseline: the worst cell leaves instead.
    AgingWorst,
    /// Cells drawn uniformly at random.
    Random,
    /// First-improvement local search with random restarts (White et al. 2020).
    Local,
}

impl CellStrategy {
    pub const ALL: [CellStrategy; 4] = [CellStrategy::Aging, CellStrategy::AgingWorst, CellStrategy::Random, CellStrategy::Local];
    pub const NAMES: [&'static str; 4] = ["aging", "aging-worst", "random", "local"];

    pub fn name(self) -> &'static str {
        CellStrategy::NAMES[self as usize]
    }

    pub fn from_name(name: &str) -> Result<CellStrategy, String> {
        match CellStrategy::NAMES.iter().position(|&n| n == name) {
            Some(i) => Ok(CellStrategy::ALL[i]),
            None => Err(format!("strategy '{name}' is not one of {}", CellStrategy::NAMES.join(", "))),
        }
    }
}

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
        CellSearch {
            strategy: CellStrategy::Aging,
            bench: Bench::Cifar10,
            evaluations: 300,
            population: 20,
            sample: 5,
            noise: 0.0,
            seed: 1,
        }
    }
}

/// Upper bounds, so a typo cannot ask for memory the trace cannot hold.
pub const MAX_EVALUATIONS: usize = 1_000_000;
pub const MAX_POPULATION: usize = CELLS;
pub const MAX_NOISE: f32 = 100.0;

impl CellSearch {
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

/// The evaluations a search may still make; a search stops at the first refused one.
struct Budget<'a> {
    objective: &'a mut dyn FnMut(Cell) -> f32,
    left: usize,
}

impl Budget<'_> {
    fn evaluate(&mut self, cell: Cell) -> Option<f32> {
        self.left = self.left.checked_sub(1)?;
        Some((self.objective)(cell))
    }
}

/// Runs `params.strategy` from `params.seed`, calling `objective` (a cell's validation accuracy
/// as the search sees it, higher is better) exactly `params.evaluations` times.
pub fn search(params: &CellSearch, objective: &mut dyn FnMut(Cell) -> f32) -> Result<(), String> {
    params.validate()?;
    let mut rng = Stream::new(params.seed, Purpose::Cells, params.strategy as u64, SEARCH_STREAM);
    let mut budget = Budget { objective, left: params.evaluations };
    match params.strategy {
        CellStrategy::Aging => aging(params, Removal::Oldest, &mut rng, &mut budget),
        CellStrategy::AgingWorst => aging(params, Removal::Worst, &mut rng, &mut budget),
        CellStrategy::Random => while budget.evaluate(Cell::random(&mut rng)).is_some() {},
        CellStrategy::Local => local(&mut rng, &mut budget),
    }
    Ok(())
}

/// Aging evolution's queue in age order (index 0 the oldest), with each cell's cost: the
/// negated validation accuracy it was seen with, since tournaments and removal want lower is
/// better.
#[derive(Default)]
struct Queue {
    cells: Vec<Cell>,
    costs: Vec<f32>,
}

impl Queue {
    /// One cycle: a tournament of `sample`, its winner mutated and evaluated, the child
    /// appended and one cell removed. False, with the queue untouched, once the budget is spent.
    fn cycle(&mut self, sample: usize, removal: Removal, rng: &mut Stream, budget: &mut Budget) -> bool {
        let mut child = self.cells[tournament(&self.costs, sample, rng)];
        child.mutate(rng);
        let Some(seen) = budget.evaluate(child) else { return false };
        let kept = survivors(&self.costs, &[-seen], removal);
        self.cells.push(child);
        self.costs.push(-seen);
        self.cells = kept.iter().map(|&i| self.cells[i]).collect();
        self.costs = kept.iter().map(|&i| self.costs[i]).collect();
        true
    }
}

/// Regularized evolution: P random cells, then cycles until the budget is spent.
fn aging(params: &CellSearch, removal: Removal, rng: &mut Stream, budget: &mut Budget) {
    let mut queue = Queue::default();
    while queue.cells.len() < params.population {
        let cell = Cell::random(rng);
        let Some(seen) = budget.evaluate(cell) else { return };
        queue.cells.push(cell);
        queue.costs.push(-seen);
    }
    while queue.cycle(params.sample, removal, rng, budget) {}
}

/// Shuffles in place (Fisher-Yates), one draw per slot.
fn shuffle<T>(items: &mut [T], rng: &mut Stream) {
    for i in (1..items.len()).rev() {
        items.swap(i, rng.below(i + 1));
    }
}

/// Local search: from a random cell, evaluate its neighbours in random order and move to the
/// first that beats it; at a cell none beats (a local optimum) restart from a random cell.
/// Moving on the first improvement rather than the best of all 24 neighbours spends fewer
/// evaluations per move, which counts at budgets of a few hundred.
/// Within one climb a cell is evaluated once: one already seen lost to a cell no better than
/// the current one, so evaluating it again could only spend budget.
fn local(rng: &mut Stream, budget: &mut Budget) {
    let mut seen = vec![false; CELLS];
    loop {
        seen.fill(false);
        let mut current = Cell::random(rng);
        let Some(mut value) = budget.evaluate(current) else { return };
        seen[current.code() as usize] = true;
        'climb: loop {
            let mut near = current.neighbours();
            shuffle(&mut near, rng);
            for cell in near {
                if std::mem::replace(&mut seen[cell.code() as usize], true) {
                    continue;
                }
                let Some(v) = budget.evaluate(cell) else { return };
                if v > value {
                    (current, value) = (cell, v);
                    continue 'climb;
                }
            }
            break;
        }
    }
}

/// One seed's search, evaluation by evaluation: the best validation accuracy seen so far (with
/// its noise), that cell's test accuracy and its code. The first cell seen at the best value
/// stays the best, so a re-evaluation's equal luck changes nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    pub seed: u64,
    pub validation: Vec<f32>,
    pub test_accuracy: Vec<f32>,
    pub cell: Vec<u16>,
}

/// Runs `params` on `table`. Stream names: (seed, `Purpose::Cells`, strategy, 0) for the
/// search, (seed, `Purpose::Cells`, strategy, 1) for the noise, so strategies and seeds never
/// share draws and the noise does not shift the search's own draws.
pub fn trace(table: &Table, params: &CellSearch) -> Result<Trace, String> {
    params.validate()?;
    let mut noise = Stream::new(params.seed, Purpose::Cells, params.strategy as u64, NOISE_STREAM);
    let n = params.evaluations;
    let mut out = Trace { seed: params.seed, validation: Vec::with_capacity(n), test_accuracy: Vec::with_capacity(n), cell: Vec::with_capacity(n) };
    let mut best: Option<(f32, Cell)> = None;
    search(params, &mut |cell| {
        let seen = table.validation(cell, params.bench) + params.noise * noise.normal();
        let (value, winner) = match best {
            Some((value, winner)) if value >= seen => (value, winner),
            _ => (seen, cell),
        };
        best = Some((value, winner));
        out.validation.push(value);
        out.test_accuracy.push(table.test(winner, params.bench));
        out.cell.push(winner.code());
        seen
    })?;
    Ok(out)
}

/// A strategy's best-by-validation test accuracy against cells evaluated, over seeds: the mean
/// and the 95% band (mean +- Student's t x standard error) at each sampled budget.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Curve {
    pub evaluated: Vec<usize>,
    pub mean_test_accuracy: Vec<f32>,
    pub low: Vec<f32>,
    pub high: Vec<f32>,
}

/// A strategy's result over seeds, accuracies in percent: the final test accuracy of the
/// best-by-validation cell (mean, 95% band, per seed), the mean regret (the table's best test
/// accuracy minus the final test accuracy) and the curve.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub strategy: String,
    pub dataset: String,
    pub evaluations: usize,
    pub population: usize,
    pub sample: usize,
    pub noise: f32,
    pub seeds: Vec<u64>,
    pub mean_test_accuracy: f32,
    pub low: f32,
    pub high: f32,
    pub test_accuracy: Vec<f32>,
    pub mean_regret: f32,
    pub oracle_test_accuracy: f32,
    pub curve: Curve,
}

/// Mean and 95% band, clamped to what an accuracy can be.
fn accuracy_band(values: &[f32]) -> (f32, f32, f32) {
    let (mean, low, high) = band(values);
    (mean, low.max(0.0), high.min(100.0))
}

/// The report of `params.strategy` from its traces (one per seed, from `trace`, run anywhere),
/// the curve sampled at `points` evenly spaced budgets up to `params.evaluations` (at most one
/// per evaluation). A trace shorter than a budget counts with its last value; empty ones not.
pub fn report(table: &Table, params: &CellSearch, traces: &[Trace], points: usize) -> Report {
    let traces: Vec<&Trace> = traces.iter().filter(|t| !t.test_accuracy.is_empty()).collect();
    let at = |t: &Trace, budget: usize| t.test_accuracy[budget.min(t.test_accuracy.len()).max(1) - 1];
    let n = params.evaluations.max(1);
    let points = points.clamp(1, n);
    let mut curve = Curve { evaluated: Vec::new(), mean_test_accuracy: Vec::new(), low: Vec::new(), high: Vec::new() };
    for budget in (1..=points).map(|k| (n * k).div_ceil(points)) {
        let values: Vec<f32> = traces.iter().map(|t| at(t, budget)).collect();
        let (mean, low, high) = accuracy_band(&values);
        curve.evaluated.push(budget);
        curve.mean_test_accuracy.push(mean);
        curve.low.push(low);
        curve.high.push(high);
    }
    let finals: Vec<f32> = traces.iter().map(|t| at(t, n)).collect();
    let (mean, low, high) = accuracy_band(&finals);
    let oracle = table.oracle(params.bench).test_accuracy;
    let mean_regret = finals.iter().map(|f| oracle - f).sum::<f32>() / finals.len().max(1) as f32;
    Report {
        strategy: params.strategy.name().to_string(),
        dataset: params.bench.name().to_string(),
        evaluations: params.evaluations,
        population: params.population,
        sample: params.sample,
        noise: params.noise,
        seeds: traces.iter().map(|t| t.seed).collect(),
        mean_test_accuracy: mean,
        low,
        high,
        test_accuracy: finals,
        mean_regret,
        oracle_test_accuracy: oracle,
        curve,
    }
}

/// Runs each strategy over `seeds` with the rest of `base`, one report per strategy in order.
pub fn compare(table: &Table, base: &CellSearch, strategies: &[CellStrategy], seeds: &[u64], points: usize) -> Result<Vec<Report>, String> {
    if strategies.is_empty() || seeds.is_empty() || points == 0 {
        return Err("a comparison needs at least one strategy, one seed and one point".into());
    }
    base.validate()?;
    strategies
        .iter()
        .map(|&strategy| {
            let params = CellSearch { strategy, ..base.clone() };
            let traces = seeds.iter().map(|&seed| trace(table, &CellSearch { seed, ..params.clone() })).collect::<Result<Vec<_>, _>>()?;
            Ok(report(table, &params, &traces, points))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A queue of `p` random cells whose costs are their codes, and an objective scoring a cell
    /// by a bijection of its code, so no two different cells tie.
    fn queue(p: usize, rng: &mut Stream) -> Queue {
        let cells: Vec<Cell> = (0..p).map(|_| Cell::random(rng)).collect();
        Queue { costs: cells.iter().map(|c| -score(*c)).collect(), cells }
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
            let mut budget = Budget { objective: &mut objective, left: 30 };
            for _ in 0..30 {
                let before = q.cells.clone();
                assert!(q.cycle(1 + rng.below(p), removal, &mut rng, &mut budget));
                let child = Cell::from_code(evaluated.get()).unwrap();
                assert_eq!((q.cells.len(), q.costs.len()), (p, p), "the queue keeps its length");
                assert!(before.iter().any(|b| b.neighbours().contains(&child)), "the child is one edge from a member");
                let mut all = before.clone();
                all.push(child);
                let gone = all.iter().position(|c| all.iter().filter(|&x| x == c).count() > q.cells.iter().filter(|&x| x == c).count());
                let gone = gone.expect("one cell left");
                match removal {
                    // The oldest left and everyone else moved up one, the child last.
                    Removal::Oldest => assert_eq!((gone, &q.cells[..p - 1], q.cells[p - 1]), (0, &before[1..], child)),
                    // The one who left was no better than anyone who stayed.
                    Removal::Worst => assert!(q.cells.iter().all(|&c| score(c) >= score(all[gone]))),
                }
                assert!(q.cells.iter().zip(&q.costs).all(|(c, &k)| k == -score(*c)), "costs travel with cells");
            }
            let before = q.cells.clone();
            assert!(!q.cycle(1, removal, &mut rng, &mut budget), "the budget is spent");
            assert_eq!(q.cells, before);
        }
    }
}
