//! `ModulesExperiment` (one run of the modules scene in the page), `ModulesTrainer` (a pool
//! worker's copy of the data that trains networks), and `CnnBench`, the MNIST-1D paper's CNN
//! timed by the page.

use super::{to_js, to_js_with_bigints};
use crate::mnist1d::Mnist1d;
use crate::scene::modules::config::ModulesConfig;
use crate::scene::modules::data::{scene_data, SceneData};
use crate::scene::modules::drawing::draw;
use crate::scene::modules::run::{Design, Job, ModulesRun};
use crate::scene::modules::summary::{confusion, front, species};
use crate::scene::modules::training::Outcome;
use crate::scene::Scene;
use serde::Serialize;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

fn error(e: String) -> JsError {
    JsError::new(&e)
}

/// The link's config and data: MNIST-1D from `bytes` (the page's `data/mnist1d.bin`) where
/// the link asks for it.
fn config_and_data(link: &str, bytes: Option<Vec<u8>>) -> Result<(ModulesConfig, SceneData), JsError> {
    let config = ModulesConfig::from_link(link).map_err(error)?;
    let mnist = bytes.map(|b| Mnist1d::from_bytes(&b).map_err(|e| error(format!("MNIST-1D: {e}")))).transpose()?;
    let data = scene_data(&config, mnist.as_ref()).map_err(error)?;
    Ok((config, data))
}

/// A job from a worker's message, checked: an error names what is wrong with it.
fn job_of(value: JsValue) -> Result<Job, JsError> {
    let job: Job = serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&format!("bad job: {e}")))?;
    job.check().map_err(|e| JsError::new(&format!("bad job: {e}")))?;
    Ok(job)
}

/// The run: it assembles and breeds; trainers (`ModulesTrainer`, in workers) train its jobs.
#[wasm_bindgen]
pub struct ModulesExperiment {
    run: ModulesRun,
}

#[wasm_bindgen]
impl ModulesExperiment {
    /// The run of `link`; `mnist1d` holds the bytes of `data/mnist1d.bin` (none for a 2-D set).
    #[wasm_bindgen(constructor)]
    pub fn new(link: &str, mnist1d: Option<Vec<u8>>) -> Result<ModulesExperiment, JsError> {
        let (config, data) = config_and_data(link, mnist1d)?;
        Ok(ModulesExperiment { run: ModulesRun::new(&config, data, 1) })
    }

    /// The run a save file holds (a modules run's), to go on from where it was saved; `mnist1d`
    /// as for `new`.
    pub fn resume(bytes: &[u8], mnist1d: Option<Vec<u8>>) -> Result<ModulesExperiment, JsError> {
        let (experiment, state, generation) = super::saved::open(bytes, Scene::Modules)?;
        let (config, data) = config_and_data(&experiment.to_link(), mnist1d)?;
        let run = ModulesRun::resume(&config, data, state, 1).map_err(error)?;
        super::saved::check_generation(generation, run.generation)?;
        Ok(ModulesExperiment { run })
    }

    /// The whole run as a save file (the CLI's `--save`, byte for byte).
    pub fn save(&self) -> Result<Vec<u8>, JsError> {
        super::saved::save(&self.run.config.to_link(), Scene::Modules, self.run.generation, &self.run.state())
    }

    #[wasm_bindgen(getter)]
    pub fn generation(&self) -> u32 {
        self.run.generation as u32
    }

    pub fn link(&self) -> String {
        self.run.config.to_link()
    }

    /// The next generation's jobs, `[{design, hyper, generation, index}]`, for the trainers.
    #[wasm_bindgen(js_name = beginStep)]
    pub fn begin_step(&self) -> Result<JsValue, JsError> {
        to_js_with_bigints(&self.run.begin_step())
    }

    /// Completes the generation with its jobs' outcomes (in job order); returns the summary.
    #[wasm_bindgen(js_name = finishStep)]
    pub fn finish_step(&mut self, outcomes: JsValue) -> Result<JsValue, JsError> {
        let outcomes: Vec<Outcome> = serde_wasm_bindgen::from_value(outcomes).map_err(|e| JsError::new(&format!("bad outcomes: {e}")))?;
        self.run.finish_step(outcomes).map_err(error)?;
        self.summary()
    }

    /// `{generation, trained, best, baselines, species, front}`, as the CLI prints it.
    pub fn summary(&self) -> Result<JsValue, JsError> {
        to_js(&self.run.summary())
    }

    /// The accuracy curves: one record per generation (best and mean validation accuracy,
    /// the best's test accuracy, species).
    pub fn history(&self) -> Result<JsValue, JsError> {
        to_js(&self.run.history)
    }

    /// Every network trained, `{points: [{generation, validation_accuracy, test_accuracy,
    /// parameters}], front: [indices by size]}`.
    pub fn front(&self) -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        struct Front<'a> {
            points: &'a [crate::scene::modules::run::Point],
            front: Vec<usize>,
        }
        to_js(&Front { points: &self.run.archive, front: front(&self.run.archive) })
    }

    /// The module species: `[{id, members: [{index, layers, accuracy, networks}]}]`, members
    /// by their mean accuracy in the last generation (`summary::species`).
    pub fn species(&self) -> Result<JsValue, JsError> {
        to_js(&species(&self.run))
    }

    /// The best network drawn (`drawing::Drawing`), or null before any is trained.
    pub fn shown(&self) -> Result<JsValue, JsError> {
        match &self.run.best {
            Some(best) => to_js(&draw(&best.blueprint, &best.module_map(), self.run.data.classes)),
            None => Ok(JsValue::NULL),
        }
    }

    /// The drawing of a job's network (a baseline has none: null), for a network shown while
    /// its generation is still training.
    pub fn drawing(&self, job: JsValue) -> Result<JsValue, JsError> {
        let job = job_of(job)?;
        match &job.design {
            Design::Assembled { blueprint, modules } => {
                let modules: BTreeMap<u32, &crate::scene::modules::module::Module> = modules.iter().map(|(s, m)| (*s, m)).collect();
                to_js(&draw(blueprint, &modules, self.run.data.classes))
            }
            Design::Baseline(_) => Ok(JsValue::NULL),
        }
    }

    /// The best network's test predictions against the truth: `classes` rows (truth) of counts.
    pub fn confusion(&self) -> Result<JsValue, JsError> {
        let predictions = self.run.best.as_ref().map_or(&[][..], |b| &b.outcome.predictions[..]);
        to_js(&confusion(&self.run.data.test.labels, predictions, self.run.data.classes))
    }

    /// The first `count` test samples with the best network's predictions: `[{x, label, predicted}]`.
    pub fn digits(&self, count: usize) -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        struct Digit<'a> {
            x: &'a [f32],
            label: u32,
            predicted: Option<u8>,
        }
        let test = &self.run.data.test;
        let predictions = self.run.best.as_ref().map(|b| &b.outcome.predictions);
        let rows: Vec<Digit> = (0..count.min(test.len()).min(64))
            .map(|k| Digit { x: &test.x[k], label: test.labels[k], predicted: predictions.and_then(|p| p.get(k).copied()) })
            .collect();
        to_js(&rows)
    }
}

/// A pool worker's trainer: the data, made from the link as the run makes it.
#[wasm_bindgen]
pub struct ModulesTrainer {
    seed: u64,
    data: SceneData,
}

#[wasm_bindgen]
impl ModulesTrainer {
    #[wasm_bindgen(constructor)]
    pub fn new(link: &str, mnist1d: Option<Vec<u8>>) -> Result<ModulesTrainer, JsError> {
        let (config, data) = config_and_data(link, mnist1d)?;
        Ok(ModulesTrainer { seed: config.seed, data })
    }

    /// Trains one job (`{design, hyper, generation, index}`) and returns its outcome.
    pub fn train(&self, job: JsValue) -> Result<JsValue, JsError> {
        let job = job_of(job)?;
        to_js(&job.train(&self.data, self.seed))
    }
}

/// The MNIST-1D paper's CNN and an epoch's batches, built once so the page times only training.
#[wasm_bindgen]
pub struct CnnBench {
    workload: crate::bench::CnnWorkload,
}

#[wasm_bindgen]
impl CnnBench {
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> CnnBench {
        CnnBench { workload: crate::bench::CnnWorkload::new() }
    }

    /// One epoch (4,000 samples in batches of 100, Adam) on this thread; the page times it.
    pub fn epoch(&mut self) {
        self.workload.epoch();
    }
}
