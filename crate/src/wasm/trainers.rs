//! The page's trainers: `Trainer` (a pool worker's wasm CPU trainer), `GpuTrainer` (WebGPU)
//! and `BenchWorkload` (the throughput benchmark's fixed population).

use super::{config_of, js_error};
use crate::dataset::{self, Dataset};
use crate::genome::Genome;
use crate::scene::neat::compile::compile;
use crate::scene::neat::config::Config;
use crate::scene::neat::training;
use crate::train::{self, gpu::Gpu, Settings};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// A pool worker's half: trains genomes on the experiment's data, nothing else.
#[wasm_bindgen]
pub struct Trainer {
    data: Dataset,
    config: Config,
}

#[wasm_bindgen]
impl Trainer {
    #[wasm_bindgen(constructor)]
    pub fn new(link: &str) -> Result<Trainer, JsError> {
        let config = config_of(link)?;
        let data = dataset::generate(&config.data_spec()).map_err(|e| JsError::new(&e))?;
        Ok(Trainer { data, config })
    }

    /// Trains genomes of generation `generation` (its input noise, see `Settings::from_config`)
    /// given as JSON and returns their packed results: per genome
    /// `[loss, train_accuracy, test_accuracy, failed, active_connections, n, w_1 .. w_n]`.
    #[wasm_bindgen(js_name = trainPacked)]
    pub fn train_packed(&self, genomes_json: &str, generation: u32) -> Result<Vec<f32>, JsError> {
        let genomes = genomes_of(genomes_json).map_err(|e| JsError::new(&e))?;
        let settings = self.config.train_settings(generation as u64);
        Ok(crate::train::packed::pack(&training::train_genomes(&genomes, &self.data, &settings, 1)))
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

/// The page's GPU trainer: a WebGPU device opened once, and the experiment it trains for.
/// Results come packed as `Trainer.trainPacked` packs them, so either can serve a generation.
#[wasm_bindgen]
pub struct GpuTrainer {
    gpu: Rc<Gpu>,
    task: Option<Rc<(Dataset, Config)>>,
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

    /// Trains for the experiment of `link` from now on.
    pub fn prepare(&mut self, link: &str) -> Result<(), JsError> {
        let config = config_of(link)?;
        let data = dataset::generate(&config.data_spec()).map_err(|e| JsError::new(&e))?;
        self.task = Some(Rc::new((data, config)));
        Ok(())
    }

    /// Trains genomes of generation `generation` given as JSON; resolves to their packed
    /// results, or rejects with the GPU error (a lost device, for one) so the caller can train
    /// them on the CPU instead.
    #[wasm_bindgen(js_name = trainPacked)]
    pub fn train_packed(&self, genomes_json: String, generation: u32) -> js_sys::Promise {
        let (gpu, task) = (self.gpu.clone(), self.task.clone());
        wasm_bindgen_futures::future_to_promise(async move {
            let task = task.ok_or_else(|| js_error("the GPU trainer has no experiment: call prepare first".into()))?;
            let genomes = genomes_of(&genomes_json).map_err(js_error)?;
            let settings = task.1.train_settings(generation as u64);
            let trained = training::train_genomes_on_gpu(&gpu, &genomes, &task.0, &settings, 1).await.map_err(js_error)?;
            Ok(js_sys::Float32Array::from(&crate::train::packed::pack(&trained)[..]).into())
        })
    }

    /// Destroys the device, as a driver reset would (to show and test the CPU fallback).
    pub fn lose(&self) {
        self.gpu.lose();
    }
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
            training::train_genomes_on_gpu(&device, &genomes, &data, &bench_settings(steps), 1).await.map_err(js_error)?;
            Ok(JsValue::from_f64(work))
        })
    }
}

fn bench_settings(steps: usize) -> Settings {
    Settings { steps, lr: 0.01, clip: 1.0, decay: 0.0, optimizer: crate::train::Optimizer::Adam, ..Default::default() }
}
