//! `CellLab`: the page's cell search (scene=cells), the NAS-Bench-201 table and a comparison
//! of cell searches run a slice at a time, so the page never blocks.

use super::to_js;
use crate::scene::cells::cell::Cell;
use crate::scene::cells::config::CellConfig;
use crate::scene::cells::lab::Lab;
use crate::scene::cells::nasbench::Table;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A comparison of cell searches (`scene::cells::lab::Lab`): each strategy of the link's
/// `compare`, from seeds 1 to K.
#[wasm_bindgen]
pub struct CellLab {
    lab: Lab,
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
        let (table, bench) = (&self.lab.table, self.lab.config.dataset);
        Ok(CellInfo {
            code,
            text: cell.to_string(),
            ops: cell.ops.iter().map(|op| op.name()).collect(),
            validation: table.validation(cell, bench),
            test: table.test(cell, bench),
        })
    }
}

#[wasm_bindgen]
impl CellLab {
    /// The table (the bytes of `data/nasbench201.bin`) and the link (`scene=cells`) to run.
    #[wasm_bindgen(constructor)]
    pub fn new(table: &[u8], link: &str) -> Result<CellLab, JsError> {
        let table = Table::from_bytes(table).map_err(|e| JsError::new(&format!("the NAS-Bench-201 table: {e}")))?;
        let config = CellConfig::from_link(link).map_err(|e| JsError::new(&e))?;
        Ok(CellLab { lab: Lab::new(table, config) })
    }

    /// Searches in all: strategies x seeds.
    pub fn runs(&self) -> usize {
        self.lab.runs()
    }

    /// Searches finished so far.
    pub fn done(&self) -> usize {
        self.lab.done()
    }

    /// Runs whole searches until about `evaluations` lookups are done or all are; returns `done()`.
    pub fn advance(&mut self, evaluations: usize) -> Result<usize, JsError> {
        self.lab.advance(evaluations).map_err(|e| JsError::new(&e))
    }

    /// One report per strategy over the searches finished so far (see `scene::cells::compare::Report`),
    /// each curve sampled at `points` budgets.
    pub fn reports(&self, points: usize) -> Result<JsValue, JsError> {
        to_js(&self.lab.reports(points))
    }

    /// The best cells in the table: by test accuracy (the oracle) and by validation accuracy.
    pub fn oracle(&self) -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        struct Best {
            by_test: CellInfo,
            by_validation: CellInfo,
        }
        let oracle = self.lab.table.oracle(self.lab.config.dataset);
        to_js(&Best { by_test: self.info(oracle.test_cell)?, by_validation: self.info(oracle.validation_cell)? })
    }

    /// A finished search of `strategy` from `seed`: `{strategy, seed, best, population}`, the
    /// best cell by validation and the population at its end (see `strategy::cells::search`).
    pub fn search(&self, strategy: &str, seed: u64) -> Result<JsValue, JsError> {
        let t = self.lab.search(strategy, seed).map_err(|e| JsError::new(&e))?;
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
