//! The cell search's settings section (scene=cells): the dataset, the searches to compare,
//! seeds, budget, aging evolution's P and S and the noise on what the searches see.
//!
//! Its link carries only these, so it stays short enough to read. The defaults (P 20, S 5,
//! 300 evaluations, 20 seeds) are the setting of the README's figures: why these, see
//! `CellSearch`.

use super::nasbench::Bench;
use super::strategy::CellStrategy;
use crate::link::page::{Page, View};
use crate::link::schema::{settings, KeyDoc};
use crate::link::{apply_shared, changed, parse_list, unknown_key, Pairs, LINK_VERSION};

/// The cell search's views, and what its embed shows when the link names none of them.
pub const VIEWS: &[View] = &[View::Curves, View::Cell, View::Population];
pub const SHOWN: &[View] = &[View::Curves, View::Cell];

settings! {
    /// A comparison of cell searches: each strategy of `compare` from seeds 1 to `seeds`.
    pub struct CellConfig, CellBounds {
        /// Whose recorded accuracies the searches look up (`dataset`).
        dataset: Bench = Bench::Cifar10,
        /// The searches to run (`compare`), all four where a link names none.
        compare: Vec<CellStrategy> = CellStrategy::ALL.to_vec(),
        /// How the page shows it (`embed`, `autoplay`, `show`).
        #[serde(flatten)]
        page: Page = Page::default(),
    }
    numbers {
        seeds: usize = 20, [1, 100], "Searches per strategy (seeds)", "searches per strategy, from seeds 1 to this: enough for tight bands, and the searches are quick";
        budget: usize = 300, [10, 100_000], "Evaluations per search", "cells each search evaluates (looks up in the table) before it names its best";
        population: usize = 20, [2, 2000], "Population", "aging evolution: the queue length P, the first P cells random; random and local search keep their latest P cells to show";
        sample: usize = 5, [1, 2000], "Sample", "aging evolution: cells drawn per tournament (S, at most P); the best of them is the parent";
        eval_noise: f32 = 0.0, [0, 5], "Evaluation noise", "std, in accuracy points, of noise on every validation accuracy a search sees (as if each cell were trained again)";
    }
}

impl CellConfig {
    /// Parses a cell-search link (`scene=cells&...`).
    pub fn from_link(link: &str) -> Result<CellConfig, String> {
        CellConfig::from_pairs(&Pairs::of(link))
    }

    /// The config a link's pairs describe, read in link order; aging evolution must be able to
    /// draw its sample from its population.
    pub fn from_pairs(pairs: &Pairs) -> Result<CellConfig, String> {
        let mut config = CellConfig::default();
        let given = pairs.each(|key, value| config.apply(key, value))?;
        if !given.contains(&"scene") {
            return Err("scene: a cell-search link names scene=cells".into());
        }
        if config.sample > config.population {
            return Err(format!("sample: {} is more than the population {} (scene=cells)", config.sample, config.population));
        }
        Ok(config)
    }

    /// Sets one setting from its link text.
    pub fn apply(&mut self, key: &str, value: &str) -> Result<(), String> {
        if let Some(set) = apply_shared(&mut self.page, "cells", "the cell search's", key, value) {
            return set;
        }
        match key {
            "dataset" => self.dataset = Bench::from_name(value).map_err(|e| format!("dataset: {e} (scene=cells)"))?,
            "compare" => {
                self.compare = parse_list(key, value, CellStrategy::from_name, |s| s.name()).map_err(|e| format!("{e} (scene=cells)"))?;
                if self.compare.is_empty() {
                    self.compare = CellStrategy::ALL.to_vec();
                }
            }
            _ => self.apply_number(key, value).unwrap_or_else(|| Err(format!("{} (scene=cells)", unknown_key(key, &key_names()))))?,
        }
        Ok(())
    }

    /// The cell search's link: the version, the scene and every setting it reads.
    /// The link that reproduces it: the version and the scene, then each setting that differs
    /// from the version's default (the version says which defaults the rest take).
    pub fn to_link(&self) -> String {
        let mut parts = vec![format!("v={LINK_VERSION}"), "scene=cells".to_string()];
        parts.extend(changed(self.pairs(), &CellConfig::default().pairs()));
        parts.join("&")
    }

    /// Every setting as a link pair, in link order.
    fn pairs(&self) -> Vec<String> {
        let names: Vec<&str> = self.compare.iter().map(|s| s.name()).collect();
        let mut parts = vec![format!("dataset={}", self.dataset.name()), format!("compare={}", names.join(","))];
        parts.extend(self.number_pairs());
        parts.extend(self.page.pairs());
        parts
    }
}

/// Every key a cell-search link may hold (but the version and the scene: the scene table's).
pub fn schema() -> Vec<KeyDoc> {
    let base = CellConfig::default();
    let all: Vec<&str> = base.compare.iter().map(|s| s.name()).collect();
    let mut keys = vec![
        KeyDoc::choice("dataset", "cells", "enum", Bench::NAMES, base.dataset.name(), "whose recorded NAS-Bench-201 accuracies the searches look up")
            .called("Dataset")
            .labelled(&["CIFAR-10", "CIFAR-100", "ImageNet16-120"]),
        KeyDoc::choice("compare", "cells", "list", CellStrategy::NAMES, &all.join(","), "the cell searches to run and compare")
            .called("Searches")
            .labelled(&["regularized evolution", "non-aging: worst out", "random search", "local search"])
            .helped(&[
                "Aging evolution: a child of the best of a random sample joins the queue, the oldest member leaves (Real et al. 2019)",
                "The non-aging baseline: the worst member leaves instead of the oldest",
                "Cells drawn at random, the best by validation kept",
                "From a random cell, move to the first neighbour (one edge changed) that beats it; restart at a local optimum",
            ]),
    ];
    keys.extend(Page::schema("cells", VIEWS, SHOWN));
    keys.extend(base.number_rows("cells"));
    keys
}

/// Every key a cell-search link may hold, in schema order.
pub fn key_names() -> Vec<&'static str> {
    crate::link::schema::key_names(&schema())
}
