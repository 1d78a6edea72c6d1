//! Strategy comparison: strategies run on one experiment over K seeds; the test accuracy of the
//! best network found so far (by fitness, never by test accuracy) against networks trained.

pub use crate::scene::neat::config::Contender;
use crate::scene::neat::config::{Config, Removal, Strategy};
use crate::scene::neat::run::Run;
use serde::{Deserialize, Serialize};

/// Mean and 95% band over seeds (kept here for callers of `compare::band`).
pub use crate::stats::band;

impl Contender {
    /// The strategy and aging evolution's removal this contender runs with.
    pub fn settings(self) -> (Strategy, Removal) {
        match self {
            Contender::Neat => (Strategy::Neat, Removal::Oldest),
            Contender::Aging => (Strategy::Aging, Removal::Oldest),
            Contender::AgingWorst => (Strategy::Aging, Removal::Worst),
            Contender::Pareto => (Strategy::Pareto, Removal::Oldest),
        }
    }
}

/// One seed's run: at each step, networks trained so far and the best-so-far network's test
/// accuracy and size.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    pub seed: u64,
    pub trained: Vec<u64>,
    pub test_accuracy: Vec<f32>,
    pub connections: Vec<usize>,
}

/// The most networks one run of a comparison may train (a link's `budget` allows 100,000).
pub const MAX_BUDGET: u64 = 1_000_000;
/// The most budgets a curve is sampled at.
pub const MAX_POINTS: usize = 1000;

/// Runs `contender` on `base` with `seed` until `budget` networks are trained (1 to MAX_BUDGET).
pub fn trace(base: &Config, contender: Contender, seed: u64, budget: u64) -> Result<Trace, String> {
    if budget == 0 || budget > MAX_BUDGET {
        return Err(format!("budget {budget} is out of range (1 to {MAX_BUDGET})"));
    }
    let (strategy, removal) = contender.settings();
    let config = Config { strategy, removal, seed, genome: None, ..base.clone() };
    let mut run = Run::new(config)?;
    let mut out = Trace { seed, trained: Vec::new(), test_accuracy: Vec::new(), connections: Vec::new() };
    let mut best = (f32::INFINITY, 0.0, 0);
    while run.trained() < budget {
        let summary = run.step();
        // Strictly better fitness replaces the best so far: selection never sees test accuracy.
        if summary.best.fitness < best.0 {
            best = (summary.best.fitness, summary.best.test_accuracy, summary.best.connections);
        }
        out.trained.push(summary.trained);
        out.test_accuracy.push(best.1);
        out.connections.push(best.2);
    }
    Ok(out)
}

/// A contender's curve over seeds at fixed budgets: the mean, a 95% confidence band (mean +-
/// Student's t x standard error, since a comparison has few seeds) and the mean champion size.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Curve {
    pub strategy: String,
    pub trained: Vec<u64>,
    pub mean_test_accuracy: Vec<f32>,
    pub low: Vec<f32>,
    pub high: Vec<f32>,
    pub mean_connections: Vec<f32>,
    pub traces: Vec<Trace>,
}

/// The value a trace held once `budget` networks had been trained (its first value before).
fn at_budget<T: Copy>(trace: &Trace, values: &[T], budget: u64) -> T {
    let k = trace.trained.iter().rposition(|&t| t <= budget).unwrap_or(0);
    values[k]
}

/// Runs each contender over `seeds`, and samples the curves at `points` evenly spaced budgets
/// up to `budget`.
pub fn compare(base: &Config, contenders: &[Contender], seeds: &[u64], budget: u64, points: usize) -> Result<Vec<Curve>, String> {
    if seeds.is_empty() || points == 0 || budget == 0 {
        return Err("a comparison needs at least one seed, one point and a budget".into());
    }
    contenders
        .iter()
        .map(|&contender| {
            let traces = seeds.iter().map(|&seed| trace(base, contender, seed, budget)).collect::<Result<Vec<_>, _>>()?;
            Ok(curve(contender, traces, budget, points))
        })
        .collect()
}

/// A contender's curve from its traces (one per seed, from `trace`, run anywhere), sampled at
/// `points` evenly spaced budgets up to `budget`.
pub fn curve(contender: Contender, traces: Vec<Trace>, budget: u64, points: usize) -> Curve {
    // Kept sane whatever a caller (a page's worker) passes: at least one budget and one point.
    let (budget, points) = (budget.max(1), points.clamp(1, MAX_POINTS));
    let budgets: Vec<u64> = (1..=points as u64).map(|k| (budget * k).div_ceil(points as u64)).collect();
    let mut curve = Curve {
        strategy: contender.name().to_string(),
        trained: budgets.clone(),
        mean_test_accuracy: Vec::new(),
        low: Vec::new(),
        high: Vec::new(),
        mean_connections: Vec::new(),
        traces: Vec::new(),
    };
    for &b in &budgets {
        let accuracy: Vec<f32> = traces.iter().filter(|t| !t.trained.is_empty()).map(|t| at_budget(t, &t.test_accuracy, b)).collect();
        let (mean, low, high) = band(&accuracy);
        curve.mean_test_accuracy.push(mean);
        curve.low.push(low.max(0.0));
        curve.high.push(high.min(1.0));
        let sizes: Vec<f32> = traces.iter().filter(|t| !t.trained.is_empty()).map(|t| at_budget(t, &t.connections, b) as f32).collect();
        curve.mean_connections.push(sizes.iter().sum::<f32>() / sizes.len().max(1) as f32);
    }
    curve.traces = traces;
    curve
}
