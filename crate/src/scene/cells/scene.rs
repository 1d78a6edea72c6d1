//! The cell search under the Scene contract: a link's comparison, one search per generation in the page's order; a job is one search, its table look-ups done by the trainer.

use super::cell::Cell;
use super::compare::{progress, reports, schedule};
use super::config::CellConfig;
use super::nasbench::Table;
use super::search::{trace, CellSearch, CellStrategy, Trace};
use crate::contract::Scene;
use serde::Serialize;

/// The cell search's run: the link's searches (strategy by seed, `compare::schedule`) and the
/// traces of those done, in order.
pub struct CellsScene {
    config: CellConfig,
    table: Table,
    schedule: Vec<(CellStrategy, u64)>,
    done: Vec<Trace>,
}

/// The latest search's best cell by validation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SearchBest {
    pub cell: String,
    pub validation: f32,
    pub test_accuracy: f32,
}

/// A generation's report: the search that just finished, the `generation`th of `runs`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub generation: usize,
    pub runs: usize,
    pub strategy: &'static str,
    pub seed: u64,
    pub best: Option<SearchBest>,
}

/// Report lines as `{"report": ...}`.
#[derive(Serialize)]
struct ReportLine<'a> {
    report: &'a super::compare::Report,
}

impl CellsScene {
    /// The comparison of `config`, its cells looked up in `table`, with `done` searches made.
    pub fn new(config: &CellConfig, table: Table, done: Vec<Trace>) -> Result<CellsScene, String> {
        let schedule = schedule(config);
        if done.len() > schedule.len() {
            return Err(format!("the cell link runs {} searches, not {}", schedule.len(), done.len()));
        }
        if let Some(k) = done.iter().zip(&schedule).position(|(t, (_, seed))| t.seed != *seed) {
            return Err(format!("search {} is of seed {}, not {}", k + 1, done[k].seed, schedule[k].1));
        }
        Ok(CellsScene { config: config.clone(), table, schedule, done })
    }
}

impl Scene for CellsScene {
    type Job = CellSearch;
    type Outcome = Result<Trace, String>;
    type Trainer = Table;
    type Summary = Summary;
    type State = Vec<Trace>;
    const NAME: &'static str = "cells";

    fn trainer(&self) -> &Table {
        &self.table
    }

    fn train(table: &Table, job: &CellSearch) -> Result<Trace, String> {
        trace(table, job)
    }

    fn ask(&mut self) -> Vec<CellSearch> {
        let next = self.schedule.get(self.done.len());
        next.map(|&(strategy, seed)| CellSearch::from_config(&self.config, strategy, seed)).into_iter().collect()
    }

    fn tell(&mut self, outcomes: Vec<Result<Trace, String>>) -> Result<(), String> {
        let want = self.ask().len();
        if outcomes.len() != want {
            return Err(format!("search {} takes {want} traces, not {}", self.done.len() + 1, outcomes.len()));
        }
        for outcome in outcomes {
            self.done.push(outcome?);
        }
        Ok(())
    }

    fn generation(&self) -> u64 {
        self.done.len() as u64
    }

    fn more(&self) -> bool {
        self.done.len() < self.schedule.len()
    }

    fn summary(&self) -> Summary {
        let k = self.done.len().max(1) - 1;
        let (strategy, seed) = self.schedule[k];
        let best = self.done.last().and_then(|t| t.improvements.last());
        let best =
            best.and_then(|b| Some(SearchBest { cell: Cell::from_code(b.cell).ok()?.to_string(), validation: b.validation, test_accuracy: b.test_accuracy }));
        Summary { generation: self.done.len(), runs: self.schedule.len(), strategy: strategy.name(), seed, best }
    }

    fn text(s: &Summary, elapsed_ms: f64) -> String {
        let test = s.best.as_ref().map_or(f32::NAN, |b| b.test_accuracy);
        format!("search {:4}/{}  {:12} seed {:3}  best test {test:6.2}%  {elapsed_ms:7.0} ms", s.generation, s.runs, s.strategy, s.seed)
    }

    /// Each strategy's report over the searches done.
    fn closing(&self, json: bool) -> Result<Vec<String>, String> {
        let traces: Vec<_> = self.done.iter().zip(&self.schedule).map(|(t, (strategy, _))| (*strategy, progress(t))).collect();
        let oracle = self.table.oracle(self.config.dataset).test_accuracy;
        let reports = reports(&self.config, &traces, oracle, 20);
        let lines = reports.iter().map(|report| {
            if json {
                serde_json::to_string(&ReportLine { report }).map_err(|e| e.to_string())
            } else {
                Ok(format!(
                    "{:12} test accuracy {:6.2}% (95% band {:6.2}% to {:6.2}%) over {} seeds",
                    report.strategy,
                    report.mean_test_accuracy,
                    report.low,
                    report.high,
                    report.seeds.len()
                ))
            }
        });
        lines.collect()
    }

    fn state(&self) -> Vec<Trace> {
        self.done.clone()
    }
}
