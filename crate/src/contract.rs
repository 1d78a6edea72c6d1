//! The Scene contract: what every scene provides once, so that every face is written once over it.
//!
//! A scene is a run that proposes and takes back evaluations in the ask/tell style of evosax
//! and Optuna: `ask` gives a generation's jobs, anything trains them (`train`, with the trainer
//! a worker builds once from the scene's data), and `tell` takes the outcomes back. The run's
//! whole state between generations is serialisable (`save`/`resume`), and so are jobs and
//! outcomes, so a thread, a Web Worker, a cluster task or a Python process can do the training.
//!
//! `Live` erases the types: a face holds a `Box<dyn SceneRun>` from the registry
//! (`scene::open`, `scene::resume`) and never names a scene.

use crate::saved::{from_cbor, to_cbor, Saved};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// One scene's implementation of the contract.
pub trait Scene: Sized {
    /// What one evaluation needs, and what it gives back.
    type Job: Serialize + DeserializeOwned + Sync;
    type Outcome: Serialize + DeserializeOwned + Send;
    /// What a worker builds once (the scene's data and settings) and trains every job with.
    type Trainer: Sync;
    /// What a generation's report says (at least `generation` and `best`).
    type Summary: Serialize;
    /// The run between generations, as a save file holds it; the settings come from the link
    /// saved beside it, and the data is made again from them.
    type State: Serialize + DeserializeOwned;

    /// The scene's name in links (`scene=`).
    const NAME: &'static str;

    fn trainer(&self) -> &Self::Trainer;
    /// One job, trained: the same bits wherever it runs.
    fn train(trainer: &Self::Trainer, job: &Self::Job) -> Self::Outcome;
    /// Every job of a generation, in order, over `threads` threads. A scene whose engine trains
    /// a batch faster than its jobs one by one says so here; the bits stay those of `train`.
    fn train_all(trainer: &Self::Trainer, jobs: &[Self::Job], threads: usize) -> Vec<Self::Outcome> {
        crate::parallel::map(jobs, threads, |_, job| Self::train(trainer, job))
    }

    /// The jobs of the generation under way (asking again before `tell` gives the same jobs).
    fn ask(&mut self) -> Vec<Self::Job>;
    /// The outcomes of `ask`'s jobs, in job order; completes the generation.
    fn tell(&mut self, outcomes: Vec<Self::Outcome>) -> Result<(), String>;
    /// Generations completed.
    fn generation(&self) -> u64;
    /// False once the run has nothing left to ask (a comparison that has run all its searches).
    fn more(&self) -> bool {
        true
    }

    fn summary(&self) -> Self::Summary;
    /// The summary as one line of text (the CLI without `--json`).
    fn text(summary: &Self::Summary, elapsed_ms: f64) -> String;
    /// Lines that close a run (a comparison's reports), as JSON values or as text.
    fn closing(&self, _json: bool) -> Result<Vec<String>, String> {
        Ok(Vec::new())
    }

    /// One generation, trained here. A scene with a faster path of its own (the GPU) says so.
    fn step_here(&mut self, threads: usize) -> Result<(), String> {
        let jobs = self.ask();
        let outcomes = Self::train_all(self.trainer(), &jobs, threads);
        self.tell(outcomes)
    }
    /// Why the last generation did not train where it was asked to, if it did not.
    fn notice(&self) -> Option<String> {
        None
    }

    /// The link that opens the run's best network, where the scene has one.
    fn champion(&self) -> Option<String> {
        None
    }
    /// Trains on this GPU from now on, where the scene has a GPU trainer.
    #[cfg(not(target_arch = "wasm32"))]
    fn use_gpu(&mut self, _gpu: crate::train::gpu::Gpu) -> Result<(), String> {
        Err(format!("scene={} trains on the CPU", Self::NAME))
    }

    fn state(&self) -> Self::State;
}

/// A run of any scene, its types erased: what the faces hold.
pub trait SceneRun: Send {
    fn scene(&self) -> &'static str;
    fn generation(&self) -> u64;
    fn more(&self) -> bool;
    /// One generation trained here on the run's threads.
    fn step(&mut self) -> Result<(), String>;
    fn notice(&self) -> Option<String>;
    fn champion(&self) -> Option<String>;
    #[cfg(not(target_arch = "wasm32"))]
    fn use_gpu(&mut self, gpu: crate::train::gpu::Gpu) -> Result<(), String>;
    /// The summary as a JSON line: `scene`, `elapsed_ms`, then the summary's own fields, every
    /// f32 printed as the f32 it is.
    fn json_line(&self, elapsed_ms: f64) -> Result<String, String>;
    fn text_line(&self, elapsed_ms: f64) -> String;
    fn closing(&self, json: bool) -> Result<Vec<String>, String>;
    /// The generation's jobs, each as CBOR (the one transport to workers and other processes:
    /// binary, so every f32 crosses exactly, infinities included).
    fn ask_bytes(&mut self) -> Result<Vec<Vec<u8>>, String>;
    /// One job, given as CBOR, trained here; its outcome as CBOR.
    fn train_bytes(&self, job: &[u8]) -> Result<Vec<u8>, String>;
    /// The outcomes of `ask_bytes`' jobs as (job index, outcome), in any order.
    fn tell_bytes(&mut self, outcomes: Vec<(usize, Vec<u8>)>) -> Result<(), String>;
    /// The link that made the run.
    fn link(&self) -> &str;
    /// The whole run as a save file (`saved::Saved`), to go on with `scene::resume`.
    fn save(&self) -> Result<Vec<u8>, String>;
}

/// A scene's run with the link that made it and the threads it trains on, behind `SceneRun`.
pub struct Live<S> {
    pub run: S,
    pub link: String,
    pub threads: usize,
}

impl<S: Scene + Send + 'static> Live<S> {
    pub fn boxed(run: S, threads: usize, link: String) -> Box<dyn SceneRun> {
        Box::new(Live { run, link, threads: threads.max(1) })
    }
}

/// The line `--json` prints for a generation.
#[derive(Serialize)]
struct Line<'a, T> {
    scene: &'static str,
    elapsed_ms: f64,
    #[serde(flatten)]
    summary: &'a T,
}

impl<S: Scene + Send> SceneRun for Live<S> {
    fn scene(&self) -> &'static str {
        S::NAME
    }

    fn generation(&self) -> u64 {
        self.run.generation()
    }

    fn more(&self) -> bool {
        self.run.more()
    }

    fn step(&mut self) -> Result<(), String> {
        self.run.step_here(self.threads)
    }

    fn notice(&self) -> Option<String> {
        self.run.notice()
    }

    fn champion(&self) -> Option<String> {
        self.run.champion()
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn use_gpu(&mut self, gpu: crate::train::gpu::Gpu) -> Result<(), String> {
        self.run.use_gpu(gpu)
    }

    fn json_line(&self, elapsed_ms: f64) -> Result<String, String> {
        serde_json::to_string(&Line { scene: S::NAME, elapsed_ms, summary: &self.run.summary() }).map_err(|e| e.to_string())
    }

    fn text_line(&self, elapsed_ms: f64) -> String {
        S::text(&self.run.summary(), elapsed_ms)
    }

    fn closing(&self, json: bool) -> Result<Vec<String>, String> {
        self.run.closing(json)
    }

    fn ask_bytes(&mut self) -> Result<Vec<Vec<u8>>, String> {
        self.run.ask().iter().map(to_cbor).collect()
    }

    fn train_bytes(&self, job: &[u8]) -> Result<Vec<u8>, String> {
        let job: S::Job = from_cbor(job).map_err(|e| format!("a {} job: {e}", S::NAME))?;
        to_cbor(&S::train(self.run.trainer(), &job))
    }

    fn tell_bytes(&mut self, outcomes: Vec<(usize, Vec<u8>)>) -> Result<(), String> {
        let outcomes = in_job_order(outcomes)?;
        let decode = |o: &Vec<u8>| from_cbor(o).map_err(|e| format!("a {} outcome: {e}", S::NAME));
        let outcomes = outcomes.iter().map(decode).collect::<Result<_, _>>()?;
        self.run.tell(outcomes)
    }

    fn link(&self) -> &str {
        &self.link
    }

    fn save(&self) -> Result<Vec<u8>, String> {
        Saved::of(&self.link, S::NAME, self.run.generation(), &self.run.state())?.to_bytes()
    }
}

/// Outcomes told in any order, put in job order: each index once, none missing.
pub fn in_job_order<T>(mut outcomes: Vec<(usize, T)>) -> Result<Vec<T>, String> {
    outcomes.sort_by_key(|(k, _)| *k);
    for (want, (k, _)) in outcomes.iter().enumerate() {
        if *k != want {
            return Err(format!(
                "outcomes must cover jobs 0 to {} once each; job {want} has {}",
                outcomes.len().saturating_sub(1),
                if *k > want { "none" } else { "two" }
            ));
        }
    }
    Ok(outcomes.into_iter().map(|(_, o)| o).collect())
}
