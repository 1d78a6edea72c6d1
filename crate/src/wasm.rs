//! The browser facade: a thin wasm_bindgen layer over Run; every error becomes a JS exception.
//!
//! Bulk arrays (grids, points, predictions, trained weights) cross as Float32Arrays; small
//! structured values (summaries, history, genomes, configs) as plain JS objects.

use crate::config::Config;
use crate::dataset::{self, Dataset, Points};
use crate::genome::Genome;
use crate::program::compile;
use crate::run::{grid_of, Run};
use crate::train::{self, cpu, gpu::Gpu, Outcome, Settings, Trained};
use serde::Serialize;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&e.to_string()))
}

/// A config from a link and, for the custom dataset, drawn points as flat (x, y, label) triples.
fn config_of(link: &str, custom: Option<Vec<f32>>) -> Result<Config, JsError> {
    let mut config = Config::from_link(link).map_err(|e| JsError::new(&e))?;
    if let Some(flat) = custom {
        config.custom_points = flat.chunks_exact(3).map(|p| (p[0], p[1], if p[2] > 0.5 { 1 } else { 0 })).collect();
    }
    Ok(config)
}

/// Checks a link and returns `{config, link}`: every setting, and the link rewritten in full.
#[wasm_bindgen(js_name = parseLink)]
pub fn parse_link(link: &str) -> Result<JsValue, JsError> {
    let config = config_of(link, None)?;
    #[derive(Serialize)]
    struct Parsed<'a> {
        config: &'a Config,
        link: String,
        /// Drawn points as flat (x, y, label) triples.
        drawn: Vec<f32>,
        /// Whether the link carries a champion genome.
        champion: bool,
    }
    let drawn = config.custom_points.iter().flat_map(|&(x, y, l)| [x, y, l as f32]).collect();
    to_js(&Parsed { config: &config, link: config.to_link(), drawn, champion: config.genome.is_some() })
}

/// Drawn points (flat x, y, label triples) as the link's `drawn=` text.
#[wasm_bindgen(js_name = encodePoints)]
pub fn encode_points(flat: Vec<f32>) -> String {
    let points: Vec<(f32, f32, u8)> = flat.chunks_exact(3).map(|p| (p[0], p[1], (p[2] > 0.5) as u8)).collect();
    crate::codec::encode_points(&points)
}

/// A genome file's JSON, checked, as the link's `genome=` text.
#[wasm_bindgen(js_name = importGenome)]
pub fn import_genome(json: &str) -> Result<String, JsError> {
    let genome: Genome = serde_json::from_str(json).map_err(|e| JsError::new(&format!("not a genome file: {e}")))?;
    genome.validate().map_err(|e| JsError::new(&format!("invalid genome: {e}")))?;
    Ok(crate::codec::encode_genome(&genome))
}

/// The default experiment's link.
#[wasm_bindgen(js_name = defaultLink)]
pub fn default_link() -> String {
    Config::default().to_link()
}

#[wasm_bindgen]
pub struct Experiment {
    run: Run,
}

#[wasm_bindgen]
impl Experiment {
    /// Starts a run from a link (and drawn points for the custom dataset).
    #[wasm_bindgen(constructor)]
    pub fn new(link: &str, custom: Option<Vec<f32>>) -> Result<Experiment, JsError> {
        let run = Run::new(config_of(link, custom)?).map_err(|e| JsError::new(&e))?;
        Ok(Experiment { run })
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
        let trained = unpack(&packed).map_err(|e| JsError::new(&e))?;
        to_js(&self.run.finish_step(trained).map_err(|e| JsError::new(&e))?)
    }

    pub fn summary(&self) -> Result<JsValue, JsError> {
        to_js(&self.run.summary())
    }

    pub fn history(&self) -> Result<JsValue, JsError> {
        to_js(&self.run.history())
    }

    pub fn link(&self) -> String {
        self.run.config().to_link()
    }

    #[wasm_bindgen(js_name = populationSize)]
    pub fn population_size(&self) -> usize {
        self.run.population().len()
    }

    /// Genome `index` as `{nodes, conns}`.
    pub fn genome(&self, index: usize) -> Result<JsValue, JsError> {
        to_js(self.run.population().get(index).ok_or_else(|| JsError::new(&format!("genome {index} does not exist")))?)
    }

    /// Per genome: `{index, species, fitness, test_accuracy, nodes, connections}`.
    pub fn members(&self) -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        struct Member {
            index: usize,
            species: Option<u32>,
            fitness: f32,
            test_accuracy: f32,
            nodes: usize,
            connections: usize,
        }
        let speciation = self.run.speciation();
        let members: Vec<Member> = (0..self.run.population().len())
            .map(|i| Member {
                index: i,
                species: speciation.species_of(i).map(|s| speciation.species[s].id),
                fitness: self.run.fitness()[i],
                test_accuracy: self.run.outcomes()[i].test_accuracy,
                nodes: self.run.population()[i].nodes.len(),
                connections: self.run.population()[i].enabled_connections(),
            })
            .collect();
        to_js(&members)
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
        let points = if test { &self.run.data().test } else { &self.run.data().train };
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
        let points = if test { &self.run.data().test } else { &self.run.data().train };
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
            "js" => Ok(crate::export::to_javascript(genome)),
            "python" => Ok(crate::export::to_python(genome)),
            other => Err(JsError::new(&format!("unknown export format '{other}' (json, js, python)"))),
        }
    }

    /// The points as flat (x, y, label) triples: training (`test` false) or test.
    pub fn points(&self, test: bool) -> Vec<f32> {
        flatten(if test { &self.run.data().test } else { &self.run.data().train })
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

/// A pool worker's half: trains genomes on the experiment's data, nothing else.
#[wasm_bindgen]
pub struct Trainer {
    data: Dataset,
    settings: Settings,
}

#[wasm_bindgen]
impl Trainer {
    #[wasm_bindgen(constructor)]
    pub fn new(link: &str, custom: Option<Vec<f32>>) -> Result<Trainer, JsError> {
        let config = config_of(link, custom)?;
        let data = dataset::generate(&config).map_err(|e| JsError::new(&e))?;
        Ok(Trainer { data, settings: Settings::from_config(&config) })
    }

    /// Trains genomes given as JSON and returns their packed results: per genome
    /// `[loss, train_accuracy, test_accuracy, failed, active_connections, n, w_1 .. w_n]`.
    #[wasm_bindgen(js_name = trainPacked)]
    pub fn train_packed(&self, genomes_json: &str) -> Result<Vec<f32>, JsError> {
        let genomes = genomes_of(genomes_json).map_err(|e| JsError::new(&e))?;
        Ok(pack_trained(train::train_genomes(&genomes, &self.data, &self.settings, 1)))
    }
}

/// Genomes sent as JSON, each checked (a broken genome is an error, not a panic).
fn genomes_of(json: &str) -> Result<Vec<Genome>, String> {
    let genomes: Vec<Genome> = serde_json::from_str(json).map_err(|e| format!("bad genomes: {e}"))?;
    for g in &genomes {
        g.validate().map_err(|e| format!("invalid genome: {e}"))?;
    }
    Ok(genomes)
}

fn pack_trained(trained: Vec<Trained>) -> Vec<f32> {
    let mut out = Vec::new();
    for t in trained {
        let o = t.outcome;
        out.extend([o.loss, o.train_accuracy, o.test_accuracy, o.failed as u8 as f32, o.active_connections as f32]);
        out.push(t.weights.len() as f32);
        out.extend(t.weights);
    }
    out
}

fn js_error(message: String) -> JsValue {
    JsError::new(&message).into()
}

/// The page's GPU trainer: a WebGPU device opened once, and the experiment it trains for.
/// Results come packed as `Trainer.trainPacked` packs them, so either can serve a generation.
#[wasm_bindgen]
pub struct GpuTrainer {
    gpu: Rc<Gpu>,
    task: Option<Rc<(Dataset, Settings)>>,
}

#[wasm_bindgen]
impl GpuTrainer {
    /// Opens the adapter the browser offers; rejects with the reason when there is none, the
    /// device cannot be opened, or it refuses the shader.
    pub async fn open() -> Result<GpuTrainer, JsError> {
        let gpu = Gpu::open().await.map_err(|e| JsError::new(&e))?;
        Ok(GpuTrainer { gpu: Rc::new(gpu), task: None })
    }

    /// The adapter, in words.
    #[wasm_bindgen(getter)]
    pub fn adapter(&self) -> String {
        self.gpu.adapter.clone()
    }

    /// True for a software (fallback) adapter, which is slower than the wasm trainer.
    #[wasm_bindgen(getter)]
    pub fn software(&self) -> bool {
        self.gpu.software
    }

    /// Trains for the experiment of `link` (and drawn points) from now on.
    pub fn prepare(&mut self, link: &str, custom: Option<Vec<f32>>) -> Result<(), JsError> {
        let config = config_of(link, custom)?;
        let data = dataset::generate(&config).map_err(|e| JsError::new(&e))?;
        self.task = Some(Rc::new((data, Settings::from_config(&config))));
        Ok(())
    }

    /// Trains genomes given as JSON; resolves to their packed results, or rejects with the GPU
    /// error (a lost device, for one) so the caller can train them on the CPU instead.
    #[wasm_bindgen(js_name = trainPacked)]
    pub fn train_packed(&self, genomes_json: String) -> js_sys::Promise {
        let (gpu, task) = (self.gpu.clone(), self.task.clone());
        wasm_bindgen_futures::future_to_promise(async move {
            let task = task.ok_or_else(|| js_error("the GPU trainer has no experiment: call prepare first".into()))?;
            let genomes = genomes_of(&genomes_json).map_err(js_error)?;
            let trained = train::train_genomes_on_gpu(&gpu, &genomes, &task.0, &task.1, 1).await.map_err(js_error)?;
            Ok(js_sys::Float32Array::from(&pack_trained(trained)[..]).into())
        })
    }

    /// Destroys the device, as a driver reset would (to show and test the CPU fallback).
    pub fn lose(&self) {
        self.gpu.lose();
    }
}

fn unpack(packed: &[f32]) -> Result<Vec<Trained>, String> {
    let mut out = Vec::new();
    let mut rest = packed;
    while !rest.is_empty() {
        let (head, tail) = rest.split_at_checked(6).ok_or("truncated training results")?;
        let n = head[5] as usize;
        let (weights, tail) = tail.split_at_checked(n).ok_or("truncated training weights")?;
        let outcome = Outcome {
            loss: head[0],
            train_accuracy: head[1],
            test_accuracy: head[2],
            failed: head[3] != 0.0,
            active_connections: head[4] as usize,
        };
        out.push(Trained { outcome, weights: weights.to_vec() });
        rest = tail;
    }
    Ok(out)
}

/// The benchmark population, built once so the page times only training.
#[wasm_bindgen]
pub struct BenchWorkload {
    genomes: Vec<Genome>,
    programs: Vec<crate::program::Program>,
    data: Rc<Dataset>,
}

#[wasm_bindgen]
impl BenchWorkload {
    /// `size` genomes grown by `rounds` mutations (default 30) on the bench spiral with
    /// `points` points (default 400).
    #[wasm_bindgen(constructor)]
    pub fn new(size: usize, rounds: Option<usize>, points: Option<usize>) -> BenchWorkload {
        let rounds = rounds.unwrap_or(30).min(200);
        let genomes = crate::bench::population(size.min(5000), rounds);
        let (_, data) = crate::bench::workload_with_points(0, rounds, points.unwrap_or(400).clamp(10, 5000));
        BenchWorkload { programs: genomes.iter().map(compile).collect(), genomes, data: Rc::new(data) }
    }

    /// The population as JSON, as `Trainer.trainPacked` and `GpuTrainer.trainPacked` take it.
    #[wasm_bindgen(js_name = genomesJson)]
    pub fn genomes_json(&self) -> Result<String, JsError> {
        serde_json::to_string(&self.genomes).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Connection-sample-steps in training the population for `steps` steps.
    pub fn work(&self, steps: usize) -> f64 {
        crate::bench::work(&self.programs, &self.data, steps) as f64
    }

    /// Trains a fresh copy of the population for `steps` steps on this thread and returns the
    /// connection-sample-steps done; the page times the call.
    pub fn train(&self, steps: usize) -> f64 {
        let mut programs = self.programs.clone();
        train::train_all(&mut programs, &self.data, &bench_settings(steps), 1);
        self.work(steps)
    }

    /// As `train`, on the GPU (programs it cannot hold train on this thread); resolves to the
    /// connection-sample-steps done.
    #[wasm_bindgen(js_name = trainGpu)]
    pub fn train_gpu(&self, gpu: &GpuTrainer, steps: usize) -> js_sys::Promise {
        let (device, data, genomes, work) = (gpu.gpu.clone(), self.data.clone(), self.genomes.clone(), self.work(steps));
        wasm_bindgen_futures::future_to_promise(async move {
            train::train_genomes_on_gpu(&device, &genomes, &data, &bench_settings(steps), 1).await.map_err(js_error)?;
            Ok(JsValue::from_f64(work))
        })
    }
}

fn bench_settings(steps: usize) -> Settings {
    Settings { steps, lr: 0.01, clip: 1.0, optimizer: crate::config::Optimizer::Adam }
}
