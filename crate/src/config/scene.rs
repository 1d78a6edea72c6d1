//! Scenes: what a link's keys mean in each (Backprop NEAT, or cell search), and the cell search's settings and link.
//!
//! Under `scene=cells`, `dataset` names a NAS-Bench-201 dataset (cifar10, cifar100,
//! imagenet16), `compare` the cell searches to run (all four when it names none), `budget`
//! the evaluations per search, `population` and `sample` aging evolution's P and S, `seeds`
//! the searches per strategy (seeds 1 to K) and `eval_noise` the noise on what they see. The
//! cell search's link carries only those, so it stays short enough to read. Where a cell link
//! leaves them out, population, sample and budget take the cell search's defaults (P 20, S 5,
//! 300 evaluations: see `CellSearch`) and seeds 20, the setting of the README's figures.

use super::{Bench, CellStrategy, Config, Contender, Scene, LINK_VERSION};

/// Searches per strategy where a cell link names no `seeds`: enough for tight bands, and
/// the searches are quick.
const CELL_SEEDS: usize = 20;
/// A cell search's evaluations, queue length P and sample S where its link names none (why
/// these: see `CellSearch`).
pub const CELL_EVALUATIONS: usize = 300;
pub const CELL_POPULATION: usize = 20;
pub const CELL_SAMPLE: usize = 5;

/// An unknown 2-D dataset's error, pointing at the cell search when the name is one of its.
pub(super) fn dataset_hint(error: String) -> String {
    let cells = error.split('\'').nth(1).is_some_and(|name| Bench::from_name(name).is_ok());
    if cells {
        format!("{error} (cifar10, cifar100 and imagenet16 are cell-search datasets: add scene=cells)")
    } else {
        error
    }
}

impl Config {
    /// Settles what depends on the scene once every key is read (`given` names the keys the
    /// link set): the names in `compare`; under `scene=cells` the cell search's own defaults
    /// for the keys not given, and that aging evolution can draw its sample from its population.
    pub(super) fn check_scene(&mut self, given: &[&str]) -> Result<(), String> {
        match self.scene {
            Scene::Neat => {
                for name in &self.compare {
                    Contender::from_name(name).map_err(|e| format!("compare: {e}"))?;
                }
            }
            Scene::Cells => {
                for name in &self.compare {
                    CellStrategy::from_name(name).map_err(|e| format!("compare: {e} (scene=cells)"))?;
                }
                if self.compare.is_empty() {
                    self.compare = CellStrategy::NAMES.iter().map(|n| n.to_string()).collect();
                }
                for (key, value) in [("population", CELL_POPULATION), ("sample", CELL_SAMPLE), ("budget", CELL_EVALUATIONS), ("seeds", CELL_SEEDS)] {
                    if !given.contains(&key) {
                        self.set_number(key, value as f64);
                    }
                }
                if self.sample > self.population {
                    return Err(format!("sample: {} is more than the population {} (scene=cells)", self.sample, self.population));
                }
            }
        }
        Ok(())
    }

    /// The cell searches this link asks for, in its order.
    pub fn cell_strategies(&self) -> Vec<CellStrategy> {
        self.compare.iter().filter_map(|name| CellStrategy::from_name(name).ok()).collect()
    }

    /// The cell search's link: the version, the scene and the settings it reads.
    pub(super) fn cells_link(&self) -> String {
        let mut parts = vec![
            format!("v={LINK_VERSION}"),
            "scene=cells".to_string(),
            format!("dataset={}", self.bench.name()),
            format!("compare={}", self.compare.join(",")),
        ];
        for key in ["seeds", "budget", "population", "sample", "eval_noise"] {
            parts.push(format!("{key}={}", self.number_text(key).unwrap_or_default()));
        }
        parts.extend(self.view_settings());
        parts.join("&")
    }
}
