//! Cells with their recorded accuracies, as the page shows them: the table's best cells and a search's end.

use super::cell::Cell;
use super::config::CellConfig;
use super::nasbench::{Bench, Table};
use super::search::{trace, CellSearch, CellStrategy};
use serde::Serialize;

/// A cell with its code, its NAS-Bench-201 string, its edges' operations and its accuracies.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CellRecord {
    pub code: u16,
    pub text: String,
    pub ops: Vec<&'static str>,
    pub validation: f32,
    pub test: f32,
}

/// The table's best cells on a dataset: by test accuracy (the oracle) and by validation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BestCells {
    pub by_test: CellRecord,
    pub by_validation: CellRecord,
}

/// Where one search ended: its best cell by validation and its population at the end.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SearchEnd {
    pub strategy: &'static str,
    pub seed: u64,
    pub best: Option<CellRecord>,
    pub population: Vec<CellRecord>,
}

impl Table {
    /// Cell `code` with its accuracies on `bench`.
    pub fn record(&self, code: u16, bench: Bench) -> Result<CellRecord, String> {
        let cell = Cell::from_code(code)?;
        Ok(CellRecord {
            code,
            text: cell.to_string(),
            ops: cell.ops.iter().map(|op| op.name()).collect(),
            validation: self.validation(cell, bench),
            test: self.test(cell, bench),
        })
    }

    /// The best cells of `bench` (see `Table::oracle`), with their accuracies.
    pub fn best_cells(&self, bench: Bench) -> Result<BestCells, String> {
        let oracle = self.oracle(bench);
        Ok(BestCells { by_test: self.record(oracle.test_cell, bench)?, by_validation: self.record(oracle.validation_cell, bench)? })
    }

    /// The search of `strategy` from `seed` that a cell link's comparison runs, run again (it
    /// is deterministic, and quick: a lookup per evaluation) to show where it ended.
    pub fn search_end(&self, config: &CellConfig, strategy: CellStrategy, seed: u64) -> Result<SearchEnd, String> {
        let params = CellSearch::from_config(config, strategy, seed);
        let run = trace(self, &params)?;
        let record = |code| self.record(code, params.bench);
        Ok(SearchEnd {
            strategy: strategy.name(),
            seed,
            best: run.improvements.last().map(|best| record(best.cell)).transpose()?,
            population: run.population.iter().map(|&code| record(code)).collect::<Result<_, _>>()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::cells::nasbench::recorded;

    #[test]
    fn a_search_end_holds_its_best_cell_and_its_population_with_their_accuracies() {
        let table = recorded();
        let config = CellConfig::from_link("scene=cells&budget=200&population=10&sample=3&dataset=cifar100").unwrap();
        let end = table.search_end(&config, CellStrategy::Aging, 2).unwrap();
        let params = CellSearch::from_config(&config, CellStrategy::Aging, 2);
        let run = trace(&table, &params).unwrap();
        assert_eq!((end.strategy, end.seed, end.population.len()), ("aging", 2, 10));
        assert_eq!(end.population.iter().map(|c| c.code).collect::<Vec<_>>(), run.population);
        let best = end.best.unwrap();
        assert_eq!(best.code, run.improvements.last().unwrap().cell);
        // Without noise, the best by validation is the best any cell the search saw scored.
        assert!(end.population.iter().all(|c| c.validation <= best.validation));
        let cell = Cell::from_code(best.code).unwrap();
        assert_eq!((best.validation, best.test), (table.validation(cell, Bench::Cifar100), table.test(cell, Bench::Cifar100)));
        assert_eq!(best.text, cell.to_string());
        assert_eq!(best.ops.len(), 6, "a cell has six edges");
        assert!(table.record(u16::MAX, Bench::Cifar10).is_err(), "a code past the table is refused");
    }

    #[test]
    fn the_best_cells_are_the_oracles() {
        let table = recorded();
        let best = table.best_cells(Bench::Cifar10).unwrap();
        let oracle = table.oracle(Bench::Cifar10);
        assert_eq!((best.by_test.code, best.by_test.test), (oracle.test_cell, oracle.test_accuracy));
        assert_eq!((best.by_validation.code, best.by_validation.validation), (oracle.validation_cell, oracle.validation_accuracy));
    }
}
