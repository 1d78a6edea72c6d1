//! `Experiment`: one Run in the page (breeding, scoring, views, exports, the link's champion).

use super::{config_of, to_js};
use crate::dataset::Points;
use crate::genome::Genome;
use crate::scene::neat::compile::compile;
use crate::scene::neat::members::members;
use crate::scene::neat::run::{grid_of, Run};
use crate::scene::{Experiment as Experiment_, Scene};
use crate::train::cpu;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Experiment {
    run: Run,
}

#[wasm_bindgen]
impl Experiment {
    /// Starts a run from a link (drawn points for the custom dataset travel in it).
    #[wasm_bindgen(constructor)]
    pub fn new(link: &str) -> Result<Experiment, JsError> {
        let run = Run::new(config_of(link)?).map_err(|e| JsError::new(&e))?;
        Ok(Experiment { run })
    }

    /// The run a save file holds (a NEAT run's), to go on from where it was saved.
    pub fn resume(bytes: &[u8]) -> Result<Experiment, JsError> {
        let (experiment, state, generation) = super::saved::open(bytes, Scene::Neat)?;
        let Experiment_::Neat(config) = experiment else { unreachable!("saved_of checked the scene") };
        let run = Run::resume(config, state).map_err(|e| JsError::new(&e))?;
        super::saved::check_generation(generation, run.generation())?;
        Ok(Experiment { run })
    }

    /// The whole run as a save file (the CLI's `--save`, byte for byte).
    pub fn save(&self) -> Result<Vec<u8>, JsError> {
        super::saved::save(&self.run.config().to_link(), Scene::Neat, self.run.generation(), &self.run.state())
    }

    /// Generations finished: the one `beginStep` breeds trains as generation `generation`.
    #[wasm_bindgen(getter)]
    pub fn generation(&self) -> u32 {
        self.run.generation() as u32
    }

    /// Runs one whole generation here and returns its summary.
    pub fn step(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.run.step())
    }

    /// Breeds the next generation and returns its genomes as JSON, for a pool of trainers.
    #[wasm_bindgen(js_name = beginStep)]
    pub fn begin_step(&mut self) -> Result<String, JsError> {
        serde_json::to_string(self.run.begin_step()).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Completes the generation with the trainers' packed results, concatenated in genome
    /// order (see `train_packed`), and returns its summary.
    #[wasm_bindgen(js_name = finishStep)]
    pub fn finish_step(&mut self, packed: Vec<f32>) -> Result<JsValue, JsError> {
        let trained = crate::train::packed::unpack(&packed).map_err(|e| JsError::new(&e))?;
        to_js(&self.run.finish_step(trained).map_err(|e| JsError::new(&e))?)
    }

    pub fn summary(&self) -> Result<JsValue, JsError> {
        to_js(&self.run.summary())
    }

    /// The history entries from generation `n + 1` on (the first `n` skipped; none past the
    /// end), so a page that holds the first `n` asks only for what is new.
    #[wasm_bindgen(js_name = historySince)]
    pub fn history_since(&self, n: usize) -> Result<JsValue, JsError> {
        let history = self.run.history();
        to_js(&history[n.min(history.len())..])
    }

    pub fn link(&self) -> String {
        self.run.config().to_link()
    }

    #[wasm_bindgen(js_name = populationSize)]
    pub fn population_size(&self) -> usize {
        self.run.population().len()
    }

    /// Genome `index` as `{nodes, conns}` (and `hyper` when it carries its own settings).
    pub fn genome(&self, index: usize) -> Result<JsValue, JsError> {
        to_js(self.run.population().get(index).ok_or_else(|| JsError::new(&format!("genome {index} does not exist")))?)
    }

    /// Per genome: `{index, species, fitness, test_accuracy, nodes, connections, loss,
    /// train_accuracy, front}` and, when the run evolves them, `hyper: {lr, steps}`.
    pub fn members(&self) -> Result<JsValue, JsError> {
        to_js(&members(&self.run))
    }

    /// Output probabilities of genome `index` on an n x n grid (see `Run::grid`); with `node`,
    /// that node's raw value instead.
    pub fn grid(&self, index: usize, node: Option<u32>, n: usize) -> Result<Vec<f32>, JsError> {
        self.run.grid(index, node, n).map_err(|e| JsError::new(&e))
    }

    /// Output grids of every genome, concatenated in population order.
    pub fn grids(&self, n: usize) -> Result<Vec<f32>, JsError> {
        let mut out = Vec::with_capacity(self.run.population().len() * n * n);
        for genome in self.run.population() {
            out.extend(grid_of(genome, None, n).map_err(|e| JsError::new(&e))?);
        }
        Ok(out)
    }

    /// Genome `index`'s probabilities at the training (`test` false) or test points.
    pub fn predictions(&self, index: usize, test: bool) -> Result<Vec<f32>, JsError> {
        let genome = self.run.population().get(index).ok_or_else(|| JsError::new(&format!("genome {index} does not exist")))?;
        let points = &self.run.data().view(test);
        Ok(cpu::outputs(&compile(genome), &points.x, &points.y))
    }

    /// The link with the current champion attached (see `Run::champion_link`).
    #[wasm_bindgen(js_name = championLink)]
    pub fn champion_link(&self) -> String {
        self.run.champion_link()
    }

    /// The champion the link carried, as `{nodes, conns}`, or null.
    #[wasm_bindgen(js_name = sharedGenome)]
    pub fn shared_genome(&self) -> Result<JsValue, JsError> {
        self.run.config().genome.as_ref().map_or(Ok(JsValue::NULL), to_js)
    }

    /// The link's champion on an n x n grid (or its node `node`), as `grid` gives genomes.
    #[wasm_bindgen(js_name = sharedGrid)]
    pub fn shared_grid(&self, node: Option<u32>, n: usize) -> Result<Vec<f32>, JsError> {
        grid_of(self.shared()?, node, n).map_err(|e| JsError::new(&e))
    }

    /// The link's champion's probabilities at the training (`test` false) or test points.
    #[wasm_bindgen(js_name = sharedPredictions)]
    pub fn shared_predictions(&self, test: bool) -> Result<Vec<f32>, JsError> {
        let points = &self.run.data().view(test);
        Ok(cpu::outputs(&compile(self.shared()?), &points.x, &points.y))
    }

    /// The link's champion's accuracy as it is: `[train, test]`.
    #[wasm_bindgen(js_name = sharedAccuracy)]
    pub fn shared_accuracy(&self) -> Result<Vec<f32>, JsError> {
        let (train, test) = self.run.accuracy_of(self.shared()?);
        Ok(vec![train, test])
    }

    /// Genome `index` (or, without one, the link's champion) as `json`, `js` (a standalone
    /// JavaScript function) or `python` (a NumPy function).
    #[wasm_bindgen(js_name = exportGenome)]
    pub fn export_genome(&self, index: Option<usize>, format: &str) -> Result<String, JsError> {
        let genome = match index {
            Some(i) => self.run.population().get(i).ok_or_else(|| JsError::new(&format!("genome {i} does not exist")))?,
            None => self.shared()?,
        };
        match format {
            "json" => serde_json::to_string_pretty(genome).map_err(|e| JsError::new(&e.to_string())),
            "js" => Ok(crate::scene::neat::export::to_javascript(genome)),
            "python" => Ok(crate::scene::neat::export::to_python(genome)),
            other => Err(JsError::new(&format!("unknown export format '{other}' (json, js, python)"))),
        }
    }

    /// The points as flat (x, y, label) triples: training (`test` false) or test.
    pub fn points(&self, test: bool) -> Vec<f32> {
        flatten(&self.run.data().view(test))
    }
}

impl Experiment {
    fn shared(&self) -> Result<&Genome, JsError> {
        self.run.config().genome.as_ref().ok_or_else(|| JsError::new("this link carries no champion"))
    }
}

fn flatten(points: &Points) -> Vec<f32> {
    (0..points.len()).flat_map(|i| [points.x[i], points.y[i], points.label[i]]).collect()
}
