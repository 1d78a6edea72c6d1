//! A cell-search comparison run a slice at a time: every strategy of a link, from seeds 1 to K.
//!
//! The page advances it between frames (so it never blocks); natively it runs to the end. The
//! searches run seed by seed across the strategies, so every strategy's curve grows together,
//! and a comparison advanced in slices ends exactly as one run at once.

use super::compare::{report, Report};
use super::config::CellConfig;
use super::nasbench::Table;
use super::search::{trace, CellSearch, CellStrategy, Trace};

pub struct Lab {
    pub table: Table,
    pub config: CellConfig,
    strategies: Vec<CellStrategy>,
    seeds: Vec<u64>,
    /// Finished searches, per strategy, in seed order.
    traces: Vec<Vec<Trace>>,
    done: usize,
}

impl Lab {
    /// The comparison a cell-search config describes, on `table`.
    pub fn new(table: Table, config: CellConfig) -> Lab {
        let strategies = config.compare.clone();
        let seeds = (1..=config.seeds as u64).collect();
        Lab { table, traces: vec![Vec::new(); strategies.len()], strategies, seeds, config, done: 0 }
    }

    /// Searches in all: strategies x seeds.
    pub fn runs(&self) -> usize {
        self.strategies.len() * self.seeds.len()
    }

    /// Searches finished so far.
    pub fn done(&self) -> usize {
        self.done
    }

    /// Runs whole searches until about `evaluations` lookups are done (at least one search)
    /// or all are; returns `done()`.
    pub fn advance(&mut self, evaluations: usize) -> Result<usize, String> {
        let mut spent = 0;
        while self.done < self.runs() && (spent == 0 || spent < evaluations) {
            let (k, s) = (self.done % self.strategies.len(), self.done / self.strategies.len());
            let params = CellSearch::from_config(&self.config, self.strategies[k], self.seeds[s]);
            self.traces[k].push(trace(&self.table, &params)?);
            spent += params.evaluations;
            self.done += 1;
        }
        Ok(self.done)
    }

    /// The search finished last, with its strategy.
    pub fn last(&self) -> Option<(CellStrategy, &Trace)> {
        let n = self.strategies.len();
        let at = self.done.checked_sub(1)?;
        Some((self.strategies[at % n], &self.traces[at % n][at / n]))
    }

    /// One report per strategy over the searches finished so far, curves at `points` budgets.
    pub fn reports(&self, points: usize) -> Vec<Report> {
        let params = |strategy| CellSearch::from_config(&self.config, strategy, 1);
        self.strategies.iter().zip(&self.traces).map(|(&s, traces)| report(&self.table, &params(s), traces, points.clamp(1, 1000))).collect()
    }

    /// The finished search of the strategy named `strategy` from `seed`.
    pub fn search(&self, strategy: &str, seed: u64) -> Result<&Trace, String> {
        let k = self.strategies.iter().position(|s| s.name() == strategy).ok_or_else(|| format!("strategy '{strategy}' is not in this comparison"))?;
        self.traces[k].iter().find(|t| t.seed == seed).ok_or_else(|| format!("the {strategy} search from seed {seed} has not run"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::cells::compare::compare;

    fn table() -> Table {
        let csv = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/nasbench201_12epoch.csv")).unwrap();
        Table::from_csv(&csv).unwrap()
    }

    #[test]
    fn advancing_in_slices_ends_as_the_whole_comparison_does() {
        let config = CellConfig::from_link("scene=cells&compare=aging,random&seeds=3&budget=100").unwrap();
        let mut lab = Lab::new(table(), config.clone());
        assert_eq!((lab.runs(), lab.done()), (6, 0));
        assert!(lab.last().is_none());
        assert_eq!(lab.advance(1).unwrap(), 1, "a slice runs at least one search");
        assert_eq!(lab.last().map(|(s, t)| (s, t.seed)), Some((CellStrategy::Aging, 1)));
        assert!(lab.search("random", 1).is_err(), "the random search of seed 1 comes second");
        while lab.done() < lab.runs() {
            lab.advance(150).unwrap();
        }
        assert_eq!(lab.advance(1000).unwrap(), 6, "nothing left to run");
        let base = CellSearch::from_config(&config, CellStrategy::Aging, 1);
        let whole = compare(&lab.table, &base, &config.compare, &[1, 2, 3], 20).unwrap();
        assert_eq!(lab.reports(20), whole);
        assert_eq!(lab.search("random", 2).unwrap().seed, 2);
        assert!(lab.search("local", 1).unwrap_err().contains("not in this comparison"));
    }
}
