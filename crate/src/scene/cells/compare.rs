//! Cell searches over seeds: each strategy's best-by-validation test accuracy against cells evaluated, with bands and regret.
//!
//! The cell search takes part in comparisons as every scene does (`compare::Contest`); its
//! reports add what a table lookup allows, the regret against the table's best cell.

use crate::compare::{self, check_budget, Contest};
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

/// The report of `params.strategy` from its traces (one per seed, from `trace`, run anywhere),
/// the curve sampled at `points` evenly spaced budgets up to `params.evaluations` (at most one
/// per evaluation). A trace shorter than a budget counts with its last value; empty ones not.
pub fn report(table: &Table, params: &CellSearch, traces: &[Trace], points: usize) -> Report {
    let traces: Vec<&Trace> = traces.iter().filter(|t| !t.improvements.is_empty()).collect();
    let at = |t: &Trace, budget: usize| t.best_after(budget.max(1)).map_or(0.0, |best| best.test_accuracy);
    let n = params.evaluations.max(1);
    // The bands are every scene's (`compare::curve`), at most one point per evaluation.
    let joined = compare::curve(params.strategy.name(), traces.iter().map(|t| progress(t)).collect(), n as u64, points.clamp(1, n), CellContest::CEILING);
    let curve = Curve {
        evaluated: joined.trained.iter().map(|&b| b as usize).collect(),
        mean_test_accuracy: joined.mean_test_accuracy,
        low: joined.low,
        high: joined.high,
    };
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
