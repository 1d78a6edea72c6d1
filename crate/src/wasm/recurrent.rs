//! `RecurrentExperiment` (one run of the recurrent scene in the page), `RecurrentTrainer` (a
//! pool worker's copy of the task that trains cells), and `RecurrentBench`, the engine's
//! benchmark workload timed by the page.

use super::{to_js, to_js_with_bigints};
use crate::scene::recurrent::config::RecurrentConfig;
use crate::scene::recurrent::drawing::draw;
use crate::scene::recurrent::examples::{examples, Trained};
use crate::scene::recurrent::fitness::Outcome;
use crate::scene::recurrent::named::Named;
use crate::scene::recurrent::run::{task_data, Job, RecurrentRun};
use crate::scene::recurrent::task::TaskData;
use crate::scene::{Experiment, Scene};
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn config_of(link: &str) -> Result<RecurrentConfig, JsError> {
    RecurrentConfig::from_link(link).map_err(|e| JsError::new(&e))
}

fn outcomes_of(value: JsValue) -> Result<Vec<Outcome>, JsError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&format!("bad outcomes: {e}")))
}

/// The run: it breeds and keeps the population; trainers (`RecurrentTrainer`, in workers) train
/// the jobs it hands out.
#[wasm_bindgen]
pub struct RecurrentExperiment {
    run: RecurrentRun,
}

#[wasm_bindgen]
impl RecurrentExperiment {
    #[wasm_bindgen(constructor)]
    pub fn new(link: &str) -> Result<RecurrentExperiment, JsError> {
        Ok(RecurrentExperiment { run: RecurrentRun::new(&config_of(link)?, 1) })
    }

    /// The run a save file holds (a recurrent run's), to go on from where it was saved.
    pub fn resume(bytes: &[u8]) -> Result<RecurrentExperiment, JsError> {
        let (experiment, state, generation) = super::saved::open(bytes, Scene::Recurrent)?;
        let Experiment::Recurrent(config) = experiment else { unreachable!("saved_of checked the scene") };
        let run = RecurrentRun::resume(&config, state, 1).map_err(|e| JsError::new(&e))?;
        super::saved::check_generation(generation, run.generation)?;
        Ok(RecurrentExperiment { run })
    }

    /// The whole run as a save file (the CLI's `--save`, byte for byte).
    pub fn save(&self) -> Result<Vec<u8>, JsError> {
        super::saved::save(&self.run.config.to_link(), Scene::Recurrent, self.run.generation, &self.run.state())
    }

    #[wasm_bindgen(getter)]
    pub fn generation(&self) -> u32 {
        self.run.generation as u32
    }

    pub fn link(&self) -> String {
        self.run.config.to_link()
    }

    /// The next generation's jobs, `[{cell, generation, index}]`, for the trainers.
    #[wasm_bindgen(js_name = beginStep)]
    pub fn begin_step(&self) -> Result<JsValue, JsError> {
        to_js_with_bigints(&self.run.begin_step())
    }

    /// Completes the generation with its jobs' outcomes (in job order) and returns the summary.
    #[wasm_bindgen(js_name = finishStep)]
    pub fn finish_step(&mut self, outcomes: JsValue) -> Result<JsValue, JsError> {
        self.run.finish_step(outcomes_of(outcomes)?).map_err(|e| JsError::new(&e))?;
        self.summary()
    }

    /// The jobs that give the reported cells their bands over weight seeds, where they lack one.
    #[wasm_bindgen(js_name = bandJobs)]
    pub fn band_jobs(&self) -> Result<JsValue, JsError> {
        to_js_with_bigints(&self.run.band_jobs())
    }

    #[wasm_bindgen(js_name = finishBands)]
    pub fn finish_bands(&mut self, outcomes: JsValue) -> Result<(), JsError> {
        self.run.finish_bands(&outcomes_of(outcomes)?).map_err(|e| JsError::new(&e))
    }

    /// `{generation, trained, best, baselines, chance_loss, chance_accuracy}`, as the CLI prints it.
    pub fn summary(&self) -> Result<JsValue, JsError> {
        to_js(&self.run.summary())
    }

    /// The cell on show: queue member `member` where given, else the link's named cell
    /// (`cell=`), else the best so far: `{name, drawing, curve}` (null before any is trained).
    pub fn shown(&self, member: Option<usize>) -> Result<JsValue, JsError> {
        match self.trained(member)? {
            Some(t) => to_js(&Shown { name: t.name.to_string(), drawing: draw(t.cell) }),
            None => Ok(JsValue::NULL),
        }
    }

    /// The learning curves (training loss per step) of the best cell and the named cells:
    /// `[{name, curve}]`, the best first.
    pub fn curves(&self) -> Result<JsValue, JsError> {
        let best = self.run.best.iter().map(|m| Curve { name: "evolved", curve: &m.outcome.curve });
        let named = self.run.baselines.iter().map(|(n, o)| Curve { name: n.name(), curve: &o.curve });
        to_js(&best.chain(named).collect::<Vec<_>>())
    }

    /// The queue, oldest first: `[{born, validation_loss, test_loss, test_accuracy, memory_cells, nodes, parameters, cell}]`.
    pub fn members(&self) -> Result<JsValue, JsError> {
        let rows: Vec<Row> = self.run.queue.iter().map(|m| Row { born: m.born, outcome: &m.outcome, cell: m.cell.describe() }).collect();
        to_js(&rows)
    }

    /// The first `count` test sequences with what the cell on show (see `shown`) and the LSTM
    /// read out (`examples::Example`).
    pub fn examples(&self, member: Option<usize>, count: usize) -> Result<JsValue, JsError> {
        let mut cells: Vec<Trained> = self.trained(member)?.into_iter().collect();
        if let Some((_, o)) = self.run.baselines.iter().find(|(n, _)| *n == Named::Lstm).filter(|_| cells.first().is_none_or(|t| t.name != "lstm")) {
            cells.push(Trained { name: "lstm", cell: named_cell(Named::Lstm), params: &o.params });
        }
        to_js(&examples(&self.run.data, self.run.config.hidden, &cells, count.min(64)).map_err(|e| JsError::new(&e))?)
    }
}

impl RecurrentExperiment {
    /// The trained cell on show (see `shown`), or none before the first generation.
    fn trained(&self, member: Option<usize>) -> Result<Option<Trained<'_>>, JsError> {
        if let Some(k) = member {
            let m = self.run.queue.get(k).ok_or_else(|| JsError::new(&format!("member {k} does not exist ({} in the queue)", self.run.queue.len())))?;
            return Ok(Some(Trained { name: "member", cell: &m.cell, params: &m.outcome.params }));
        }
        if let Some(named) = self.run.config.cell {
            let outcome = self.run.baselines.iter().find(|(n, _)| *n == named).map(|(_, o)| o);
            let cell = named_cell(named);
            return Ok(outcome.map(|o| Trained { name: named.name(), cell, params: &o.params }));
        }
        Ok(self.run.best.as_ref().map(|m| Trained { name: "evolved", cell: &m.cell, params: &m.outcome.params }))
    }
}

/// Each named cell's graph, built once.
fn named_cell(named: Named) -> &'static crate::scene::recurrent::cell::Cell {
    static CELLS: std::sync::OnceLock<Vec<crate::scene::recurrent::cell::Cell>> = std::sync::OnceLock::new();
    let cells = CELLS.get_or_init(|| Named::ALL.iter().map(|n| n.cell()).collect());
    &cells[Named::ALL.iter().position(|&n| n == named).unwrap_or(0)]
}

#[derive(Serialize)]
struct Shown {
    name: String,
    drawing: crate::scene::recurrent::drawing::Drawing,
}

#[derive(Serialize)]
struct Curve<'a> {
    name: &'a str,
    curve: &'a [f32],
}

#[derive(Serialize)]
struct Row<'a> {
    born: u64,
    #[serde(flatten)]
    outcome: &'a Outcome,
    cell: String,
}

/// A pool worker's trainer: the task's sequences, made from the link as the run makes them.
#[wasm_bindgen]
pub struct RecurrentTrainer {
    config: RecurrentConfig,
    data: TaskData,
}

#[wasm_bindgen]
impl RecurrentTrainer {
    #[wasm_bindgen(constructor)]
    pub fn new(link: &str) -> Result<RecurrentTrainer, JsError> {
        let config = config_of(link)?;
        Ok(RecurrentTrainer { data: task_data(&config), config })
    }

    /// Trains one job (`{cell, generation, index}`) and returns its outcome.
    pub fn train(&self, job: JsValue) -> Result<JsValue, JsError> {
        let job: Job = serde_wasm_bindgen::from_value(job).map_err(|e| JsError::new(&format!("bad job: {e}")))?;
        job.cell.check().map_err(|e| JsError::new(&format!("bad job: {e}")))?;
        to_js(&job.train(&self.data, &self.config))
    }
}

/// An LSTM and its batch, built once so the page times only training.
#[wasm_bindgen]
pub struct RecurrentBench {
    workload: crate::bench::LstmWorkload,
}

#[wasm_bindgen]
impl RecurrentBench {
    /// `cell=lstm` of hidden width `width` on one adding-problem batch of `batch` sequences of `length`.
    #[wasm_bindgen(constructor)]
    pub fn new(width: usize, length: usize, batch: usize) -> RecurrentBench {
        RecurrentBench { workload: crate::bench::LstmWorkload::new(width.clamp(1, 256), length.clamp(1, 1000), batch.clamp(1, 1024)) }
    }

    /// Runs `steps` training steps on this thread and returns them; the page times the call.
    pub fn train(&mut self, steps: usize) -> usize {
        self.workload.train(steps);
        steps
    }

    /// The parameters' bits folded into one word (`LstmWorkload::checksum`).
    pub fn checksum(&self) -> u32 {
        self.workload.checksum()
    }
}
