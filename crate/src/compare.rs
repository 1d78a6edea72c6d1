//! Comparisons of any scene's searches: each contender over K seeds, and curves of the best-so-far
//! network's test accuracy (chosen by what selection sees, never by test accuracy) against
//! evaluations spent, with 95% bands.
//!
//! A scene takes part by implementing `Contest` (its contenders, and one seed's search as a
//! `Trace`); traces can be made anywhere (threads, the page's workers) and joined by `curve`.

use crate::stats::band;
use serde::{Deserialize, Serialize};

/// A scene's searches as a comparison runs them.
pub trait Contest {
    /// What runs: a strategy with its variant (`aging-worst`), named for links and curves.
    type Contender: Copy;
    fn name(contender: Self::Contender) -> &'static str;
    /// The highest a test accuracy can be in this scene's units (1 for a fraction, 100 for percent).
    const CEILING: f32;
    /// What a trace's figures are (`Trace::test_accuracy` holds them): a test accuracy, higher
    /// being better, unless a scene says otherwise ("test loss", lower being better).
    const METRIC: &'static str = "test accuracy";
    /// One seed's search of `contender` until `budget` evaluations are spent (1 to MAX_BUDGET).
    fn trace(&self, contender: Self::Contender, seed: u64, budget: u64) -> Result<Trace, String>;
}

/// One seed's search: after each step, evaluations spent so far and the best-so-far network's
/// test accuracy and size.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    pub seed: u64,
    pub trained: Vec<u64>,
    pub test_accuracy: Vec<f32>,
    pub connections: Vec<usize>,
}

/// The most evaluations one search of a comparison may spend (a link's `budget` allows 100,000).
pub const MAX_BUDGET: u64 = 1_000_000;
/// The most budgets a curve is sampled at.
pub const MAX_POINTS: usize = 1000;

/// Checks a search's budget against `MAX_BUDGET`.
pub fn check_budget(budget: u64) -> Result<(), String> {
    if budget == 0 || budget > MAX_BUDGET {
        return Err(format!("budget {budget} is out of range (1 to {MAX_BUDGET})"));
    }
    Ok(())
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

/// The value a trace held once `budget` evaluations were spent (its first value before).
pub fn at_budget<T: Copy>(trace: &Trace, values: &[T], budget: u64) -> T {
    let k = trace.trained.iter().rposition(|&t| t <= budget).unwrap_or(0);
    values[k]
}

/// Runs each contender over `seeds`, and samples the curves at `points` evenly spaced budgets
/// up to `budget`.
pub fn compare<C: Contest>(contest: &C, contenders: &[C::Contender], seeds: &[u64], budget: u64, points: usize) -> Result<Vec<Curve>, String> {
    if seeds.is_empty() || points == 0 || budget == 0 {
        return Err("a comparison needs at least one seed, one point and a budget".into());
    }
    contenders
        .iter()
        .map(|&contender| {
            let traces = seeds.iter().map(|&seed| contest.trace(contender, seed, budget)).collect::<Result<Vec<_>, _>>()?;
            Ok(curve(C::name(contender), traces, budget, points, C::CEILING))
        })
        .collect()
}

/// A contender's curve from its traces (one per seed, run anywhere), sampled at `points` evenly
/// spaced budgets up to `budget`, the band kept within 0 and `ceiling`.
pub fn curve(strategy: &str, traces: Vec<Trace>, budget: u64, points: usize, ceiling: f32) -> Curve {
    // Kept sane whatever a caller (a page's worker) passes: at least one budget and one point.
    let (budget, points) = (budget.max(1), points.clamp(1, MAX_POINTS));
    let budgets: Vec<u64> = (1..=points as u64).map(|k| (budget * k).div_ceil(points as u64)).collect();
    let mut curve = Curve {
        strategy: strategy.to_string(),
        trained: budgets.clone(),
        mean_test_accuracy: Vec::new(),
        low: Vec::new(),
        high: Vec::new(),
        mean_connections: Vec::new(),
        traces: Vec::new(),
    };
    let run: Vec<&Trace> = traces.iter().filter(|t| !t.trained.is_empty()).collect();
    for &b in &budgets {
        let accuracy: Vec<f32> = run.iter().map(|t| at_budget(t, &t.test_accuracy, b)).collect();
        let (mean, low, high) = band(&accuracy);
        curve.mean_test_accuracy.push(mean);
        curve.low.push(low.max(0.0));
        curve.high.push(high.min(ceiling));
        let sizes: Vec<f32> = run.iter().map(|t| at_budget(t, &t.connections, b) as f32).collect();
        curve.mean_connections.push(sizes.iter().sum::<f32>() / sizes.len().max(1) as f32);
    }
    curve.traces = traces;
    curve
}
