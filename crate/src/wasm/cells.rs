//! `CellLab`: the page's cell search (scene=cells), the NAS-Bench-201 table and a comparison
//! of cell searches run a slice at a time, so the page never blocks.

use super::to_js;
use crate::cell::Cell;
use crate::cell_compare::report;
use crate::config::{Config, Scene};
use crate::nasbench::Table;
use crate::strategy::cells::{trace, CellSearch, CellStrategy, Trace};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A comparison of cell searches: each strategy of the link's `compare`, from seeds 1 to K.
#[wasm_bindgen]
pub struct CellLab {
    table: Table,
    config: Config,
    strategies: Vec<CellStrategy>,
    seeds: Vec<u64>,
    /// Finished searches, per strategy, in seed order.
    traces: Vec<Vec<Trace>>,
    done: usize,
}

/// A cell as the page shows it: its code, NAS-Bench-201 string, edge operations and accuracies.
#[derive(Serialize)]
struct CellInfo {
    code: u16,
    text: String,
    ops: Vec<&'static str>,
    validation: f32,
    test: f32,
}

impl CellLab {
    /// Cell `code` as the page shows it, with its accuracies on the link's dataset.
    fn info(&self, code: u16) -> Result<CellInfo, JsError> {
        let cell = Cell::from_code(code).map_err(|e| JsError::new(&e))?;
        let bench = self.config.bench;
        Ok(CellInfo {
            code,
            text: cell.to_string(),
            ops: cell.ops.iter().map(|op| op.name()).collect(),
            validation: self.table.validation(cell, bench),
            test: self.table.test(cell, bench),
        })
    }
}

#[wasm_bindgen]
impl CellLab {
    /// The table (the bytes of `data/nasbench201.bin`) and the link (`scene=cells`) to run.
    #[wasm_bindgen(constructor)]
    pub fn new(table: &[u8], link: &str) -> Result<CellLab, JsError> {
        let table = Table::from_bytes(table).map_err(|e| JsError::new(&format!("the NAS-Bench-201 table: {e}")))?;
        let config = Config::from_link(link).map_err(|e| JsError::new(&e))?;
        if config.scene != Scene::Cells {
            return Err(JsError::new("a cell search needs scene=cells"));
        }
        let strategies = config.cell_strategies();
        let seeds = (1..=config.seeds as u64).collect();
        Ok(CellLab { table, traces: vec![Vec::new(); strategies.len()], strategies, seeds, config, done: 0 })
    }

    /// Searches in all: strategies x seeds.
    pub fn runs(&self) -> usize {
        self.strategies.len() * self.seeds.len()
    }

    /// Searches finished so far.
    pub fn done(&self) -> usize {
        self.done
    }

    /// Runs whole searches, seed by seed across the strategies (so every curve grows
    /// together), until about `evaluations` lookups are done or all are; returns `done()`.
    pub fn advance(&mut self, evaluations: usize) -> Result<usize, JsError> {
        let mut spent = 0;
        while self.done < self.runs() && (spent == 0 || spent < evaluations) {
            let (k, s) = (self.done % self.strategies.len(), self.done / self.strategies.len());
            let params = CellSearch::from_config(&self.config, self.strategies[k], self.seeds[s]);
            self.traces[k].push(trace(&self.table, &params).map_err(|e| JsError::new(&e))?);
            spent += params.evaluations;
            self.done += 1;
        }
        Ok(self.done)
    }

    /// One report per strategy over the searches finished so far (see `cell_compare::Report`),
    /// each curve sampled at `points` budgets.
    pub fn reports(&self, points: usize) -> Result<JsValue, JsError> {
        let reports: Vec<_> = self
            .strategies
            .iter()
            .zip(&self.traces)
            .map(|(&strategy, traces)| report(&self.table, &CellSearch::from_config(&self.config, strategy, 1), traces, points.clamp(1, 1000)))
            .collect();
        to_js(&reports)
    }

    /// The best cells in the table: by test accuracy (the oracle) and by validation accuracy.
    pub fn oracle(&self) -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        struct Best {
            by_test: CellInfo,
            by_validation: CellInfo,
        }
        let oracle = self.table.oracle(self.config.bench);
        to_js(&Best { by_test: self.info(oracle.test_cell)?, by_validation: self.info(oracle.validation_cell)? })
    }

    /// A finished search of `strategy` from `seed`: `{strategy, seed, best, population}`, the
    /// best cell by validation and the population at its end (see `strategy::cells::search`).
    pub fn search(&self, strategy: &str, seed: u64) -> Result<JsValue, JsError> {
        let k = self
            .strategies
            .iter()
            .position(|s| s.name() == strategy)
            .ok_or_else(|| JsError::new(&format!("strategy '{strategy}' is not in this comparison")))?;
        let t = self.traces[k].iter().find(|t| t.seed == seed).ok_or_else(|| JsError::new(&format!("the {strategy} search from seed {seed} has not run")))?;
        #[derive(Serialize)]
        struct Search {
            strategy: String,
            seed: u64,
            best: Option<CellInfo>,
            population: Vec<CellInfo>,
        }
        to_js(&Search {
            strategy: strategy.to_string(),
            seed,
            best: t.improvements.last().map(|best| self.info(best.cell)).transpose()?,
            population: t.population.iter().map(|&c| self.info(c)).collect::<Result<_, _>>()?,
        })
    }
}
