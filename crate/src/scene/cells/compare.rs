//! Cell searches over seeds: each strategy's best-by-validation test accuracy against cells evaluated, with bands and regret.
//!
//! The cell search takes part in comparisons as every scene does (`compare::Contest`); its
//! reports add what a table lookup allows, the regret against the table's best cell.

use crate::compare::{self, check_budget, Contest};
use crate::scene::cells::config::CellConfig;
use crate::scene::cells::nasbench::Table;
use crate::scene::cells::search::{trace, CellSearch, CellStrategy, Trace};
use crate::stats::band;
use serde::Serialize;

/// The cell search in a comparison: its strategies from seeds on `table`, with `base`'s
/// dataset, P, S and noise.
pub struct CellContest<'a> {
    pub table: &'a Table,
    pub base: CellSearch,
}

impl Contest for CellContest<'_> {
    type Contender = CellStrategy;
    /// Accuracies are in percent, as NAS-Bench-201 records them.
    const CEILING: f32 = 100.0;

    fn name(strategy: CellStrategy) -> &'static str {
        strategy.name()
    }

    /// Cells evaluated are the budget; a search's size is not measured (0).
    fn trace(&self, strategy: CellStrategy, seed: u64, budget: u64) -> Result<compare::Trace, String> {
        check_budget(budget)?;
        let params = CellSearch { strategy, seed, evaluations: budget as usize, ..self.base.clone() };
        Ok(progress(&trace(self.table, &params)?))
    }
}

/// A search's improvements as a comparison's trace: after each one, cells evaluated and the
/// best-by-validation cell's test accuracy.
pub fn progress(trace: &Trace) -> compare::Trace {
    let best = &trace.improvements;
    compare::Trace {
        seed: trace.seed,
        trained: best.iter().map(|i| i.evaluated as u64).collect(),
        test_accuracy: best.iter().map(|i| i.test_accuracy).collect(),
        connections: vec![0; best.len()],
    }
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

/// The report of `params.strategy` from its traces (one per seed, from `CellContest::trace` or
/// `progress`, run anywhere), the curve sampled at `points` evenly spaced budgets up to
/// `params.evaluations` (at most one per evaluation), the regret taken against `oracle` (the
/// table's best test accuracy). A trace shorter than a budget counts with its last value;
/// empty ones not.
pub fn report(params: &CellSearch, traces: &[compare::Trace], oracle: f32, points: usize) -> Report {
    let traces: Vec<&compare::Trace> = traces.iter().filter(|t| !t.trained.is_empty()).collect();
    let n = params.evaluations.max(1);
    // The bands are every scene's (`compare::curve`), at most one point per evaluation.
    let joined = compare::curve(params.strategy.name(), traces.iter().map(|&t| t.clone()).collect(), n as u64, points.clamp(1, n), CellContest::CEILING);
    let curve = Curve {
        evaluated: joined.trained.iter().map(|&b| b as usize).collect(),
        mean_test_accuracy: joined.mean_test_accuracy,
        low: joined.low,
        high: joined.high,
    };
    let finals: Vec<f32> = traces.iter().map(|t| compare::at_budget(t, &t.test_accuracy, n as u64)).collect();
    let (mean, low, high) = accuracy_band(&finals);
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

/// The searches of a cell link's comparison in the order they run: seeds outermost, so every
/// strategy's curve grows together.
pub fn schedule(config: &CellConfig) -> Vec<(CellStrategy, u64)> {
    (1..=config.seeds as u64).flat_map(|seed| config.compare.iter().map(move |&s| (s, seed))).collect()
}

/// One report per strategy of a cell link, in the link's order, from the searches run so far
/// (`traces`: each with its strategy, in any order; a strategy's are taken in seed order).
pub fn reports(config: &CellConfig, traces: &[(CellStrategy, compare::Trace)], oracle: f32, points: usize) -> Vec<Report> {
    config
        .compare
        .iter()
        .map(|&strategy| {
            let mut own: Vec<compare::Trace> = traces.iter().filter(|(s, _)| *s == strategy).map(|(_, t)| t.clone()).collect();
            own.sort_by_key(|t| t.seed);
            report(&CellSearch::from_config(config, strategy, 1), &own, oracle, points)
        })
        .collect()
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
            let traces = seeds.iter().map(|&seed| Ok(progress(&trace(table, &CellSearch { seed, ..params.clone() })?))).collect::<Result<Vec<_>, String>>()?;
            Ok(report(&params, &traces, table.oracle(params.bench).test_accuracy, points))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::cells::nasbench::recorded;

    #[test]
    fn searches_run_apart_in_any_order_report_as_the_whole_comparison_does() {
        let table = recorded();
        let config = CellConfig::from_link("scene=cells&compare=aging,random&seeds=3&budget=100").unwrap();
        let order = schedule(&config);
        let names: Vec<(&str, u64)> = order.iter().map(|&(s, seed)| (s.name(), seed)).collect();
        assert_eq!(names, [("aging", 1), ("random", 1), ("aging", 2), ("random", 2), ("aging", 3), ("random", 3)]);
        // As a page's workers would: each search on its own, finishing in some other order.
        let mut jobs = order.clone();
        jobs.reverse();
        jobs.rotate_left(2);
        let contest = |strategy, seed| CellContest { table: &table, base: CellSearch::from_config(&config, strategy, seed) };
        let traces: Vec<(CellStrategy, compare::Trace)> =
            jobs.iter().map(|&(strategy, seed)| (strategy, contest(strategy, seed).trace(strategy, seed, config.budget as u64).unwrap())).collect();
        let oracle = table.oracle(config.dataset).test_accuracy;
        let base = CellSearch::from_config(&config, CellStrategy::Aging, 1);
        let whole = compare(&table, &base, &config.compare, &[1, 2, 3], 20).unwrap();
        assert_eq!(reports(&config, &traces, oracle, 20), whole);
        // Part way, a report holds the searches run so far.
        let part = reports(&config, &traces[..2], oracle, 20);
        assert_eq!(part.iter().map(|r| r.seeds.len()).sum::<usize>(), 2);
    }
}
