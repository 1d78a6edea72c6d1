//! `CellTable`: NAS-Bench-201's table in a comparison worker, and the cell search's reports.

use super::to_js;
use crate::compare::Trace;
use crate::contract::Scene as _;
use crate::scene::cells::compare::reports;
use crate::scene::cells::config::CellConfig;
use crate::scene::cells::nasbench::Table;
use crate::scene::cells::scene::CellsScene;
use crate::scene::cells::search::CellStrategy;
use crate::scene::{Experiment, Scene};
use wasm_bindgen::prelude::*;

fn cell_config(link: &str) -> Result<CellConfig, JsError> {
    CellConfig::from_link(link).map_err(|e| JsError::new(&e))
}

/// The table (the bytes of `data/nasbench201.bin`), which every cell search looks up.
#[wasm_bindgen]
pub struct CellTable {
    table: Table,
}

#[wasm_bindgen]
impl CellTable {
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8]) -> Result<CellTable, JsError> {
        let table = Table::from_bytes(bytes).map_err(|e| JsError::new(&format!("the NAS-Bench-201 table: {e}")))?;
        Ok(CellTable { table })
    }

    /// One seed's search of `strategy` on the experiment of `link` (any scene) until `budget`
    /// evaluations: a comparison's job (`scene::Experiment::trace`).
    pub fn trace(&self, link: &str, strategy: &str, seed: u64, budget: u64) -> Result<JsValue, JsError> {
        let experiment = Experiment::from_link(link).map_err(|e| JsError::new(&e))?;
        to_js(&experiment.trace(strategy, seed, budget, Some(&self.table), None).map_err(|e| JsError::new(&e))?)
    }

    /// Where the link's search of `strategy` from `seed` ended: `{strategy, seed, best, population}`.
    pub fn search(&self, link: &str, strategy: &str, seed: u64) -> Result<JsValue, JsError> {
        let strategy = CellStrategy::from_name(strategy).map_err(|e| JsError::new(&e))?;
        to_js(&self.table.search_end(&cell_config(link)?, strategy, seed).map_err(|e| JsError::new(&e))?)
    }

    /// The save file of the link's comparison with its first `searches` searches made (the
    /// CLI's `--save` after as many generations, byte for byte): table look-ups, made again here.
    pub fn save(&self, link: &str, searches: usize) -> Result<Vec<u8>, JsError> {
        let config = cell_config(link)?;
        let mut run = CellsScene::new(&config, self.table.clone(), Vec::new()).map_err(|e| JsError::new(&e))?;
        while (run.generation() as usize) < searches && run.more() {
            run.step_here(1).map_err(|e| JsError::new(&e))?;
        }
        super::saved::save(&config.to_link(), Scene::Cells, run.generation(), &run.state())
    }

    /// The best cells on the link's dataset: `{by_test, by_validation}`.
    pub fn best(&self, link: &str) -> Result<JsValue, JsError> {
        to_js(&self.table.best_cells(cell_config(link)?.dataset).map_err(|e| JsError::new(&e))?)
    }
}

/// One report per strategy of a cell link (`scene::cells::compare::reports`) from the searches
/// run so far, `[[strategy, trace], ...]` in any order, the regret against `oracle` (the
/// table's best test accuracy), each curve at `points` budgets.
#[wasm_bindgen(js_name = cellReports)]
pub fn cell_reports(link: &str, traces: JsValue, oracle: f32, points: usize) -> Result<JsValue, JsError> {
    let traces: Vec<(CellStrategy, Trace)> = serde_wasm_bindgen::from_value(traces).map_err(|e| JsError::new(&format!("bad traces: {e}")))?;
    to_js(&reports(&cell_config(link)?, &traces, oracle, points))
}
