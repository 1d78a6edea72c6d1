//! A run of the recurrent scene: the task's sequences, the named cells trained once, and aging
//! evolution over cells, one generation of `children` children at a time, as many of the
//! oldest leaving a queue of `population` (Real et al. 2019, batched).
//!
//! Every draw is named by (seed, generation, index), and each cell trains on its own, so a run
//! gives the same bits for any number of threads.

use super::bands::{Band, Bands};
use super::cell::Cell;
use super::config::{RecurrentConfig, Start};
use super::fitness::Outcome;
use super::gp;
pub use super::job::Job;
use super::named::Named;
use super::novelty::{self, Archive};
use super::task::{self, Task, TaskData};
use crate::rng::{Purpose, Stream};
use crate::search::aging::{self, Removal};
use serde::{Deserialize, Serialize};

/// Training batches a task's data holds (cycled through by every cell's training).
const TRAIN_BATCHES: usize = 64;
/// Validation and test sequences.
const HELD_OUT: usize = 512;
/// Where the named cells' weights come from: a generation no search reaches.
const BASELINE_GENERATION: u64 = u64::MAX;

/// A cell of the population with what training it gave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub cell: Cell,
    pub outcome: Outcome,
    /// The generation it was born in (0: the first population).
    pub born: u64,
}

/// The run: its data, the named cells' scores, the queue (oldest first) and the best so far.
pub struct RecurrentRun {
    pub config: RecurrentConfig,
    pub data: TaskData,
    pub baselines: Vec<(Named, Outcome)>,
    pub queue: Vec<Member>,
    /// The member of lowest validation cost ever trained.
    pub best: Option<Member>,
    /// Generations done (0 before the first step).
    pub generation: u64,
    /// Cells trained so far (the named cells not counted).
    pub trained: u64,
    /// Behaviours seen, when selection weighs novelty.
    pub archive: Archive,
    /// Bands over weight seeds of the cells a summary reports, where asked for (the page).
    pub bands: Bands,
    /// How children are made: genetic programming, or random cells (a comparison's baseline).
    pub breeding: Breeding,
    threads: usize,
}

/// How a recurrent run makes its children after the first generation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Breeding {
    /// Tournaments, then crossover with its chance, then a mutation.
    #[default]
    Gp,
    /// Random cells of one to three memory cells, as a random first population has: random
    /// search with aging's queue, the baseline evolution must beat.
    Random,
}

impl RecurrentRun {
    /// A run of `config` whose cells train on `threads` threads.
    pub fn new(config: &RecurrentConfig, threads: usize) -> RecurrentRun {
        let data = task_data(config);
        let archive = Archive::default();
        RecurrentRun {
            config: config.clone(),
            data,
            baselines: Vec::new(),
            queue: Vec::new(),
            best: None,
            generation: 0,
            trained: 0,
            archive,
            bands: Bands::default(),
            breeding: Breeding::Gp,
            threads: threads.max(1),
        }
    }

    /// The run as a save file holds it.
    pub fn state(&self) -> RunState {
        RunState {
            baselines: self.baselines.clone(),
            queue: self.queue.clone(),
            best: self.best.clone(),
            generation: self.generation,
            trained: self.trained,
            archive: self.archive.clone(),
            breeding: self.breeding,
        }
    }

    /// A run of `config` as `state` left it, its sequences drawn again from the seed; every
    /// cell is checked.
    pub fn resume(config: &RecurrentConfig, s: RunState, threads: usize) -> Result<RecurrentRun, String> {
        let cells = s.queue.iter().chain(&s.best).map(|m| &m.cell);
        if let Some(e) = cells.map(|c| c.check()).find_map(Result::err) {
            return Err(format!("a cell: {e}"));
        }
        if (s.generation == 0) != s.queue.is_empty() || (s.generation > 0 && s.baselines.len() != Named::ALL.len()) {
            return Err(format!("generation {} with {} cells and {} named cells", s.generation, s.queue.len(), s.baselines.len()));
        }
        let mut run = RecurrentRun::new(config, threads);
        (run.baselines, run.queue, run.best, run.generation, run.trained, run.archive, run.breeding) =
            (s.baselines, s.queue, s.best, s.generation, s.trained, s.archive, s.breeding);
        Ok(run)
    }

    /// What selection minimises: the validation loss, plus the size penalty.
    fn cost(&self, outcome: &Outcome) -> f32 {
        outcome.validation_loss + self.config.penalty * outcome.parameters as f32 / 1000.0
    }

    /// Trains `jobs` over the threads, in order.
    fn train(&self, jobs: &[Job]) -> Vec<Outcome> {
        crate::parallel::map(jobs, self.threads, |_, job| job.train(&self.data, &self.config))
    }

    /// One generation: the named cells and the first population, or `children` children of
    /// tournaments (crossover with its chance, then a mutation) that join as the oldest leave.
    pub fn step(&mut self) {
        let jobs = self.begin_step();
        let outcomes = self.train(&jobs);
        self.finish_step(outcomes).expect("one outcome per job");
    }

    /// The cells this generation trains, each with the stream its weights come from: in the
    /// first generation the named cells, then the first population; later the children. A pool
    /// of trainers may train them anywhere (`Job::train`) and hand back the outcomes in order.
    pub fn begin_step(&self) -> Vec<Job> {
        let generation = self.generation;
        let job = |(k, cell), generation| Job { cell, generation, index: 1 + k as u64 };
        let named = Named::ALL.iter().map(|n| n.cell()).enumerate().map(|c| job(c, BASELINE_GENERATION));
        let children = if generation == 0 { self.first_population() } else { self.children() };
        let children = children.into_iter().enumerate().map(|c| job(c, generation));
        if generation == 0 {
            named.chain(children).collect()
        } else {
            children.collect()
        }
    }

    /// Completes the generation `begin_step` began with its jobs' outcomes, in job order (the
    /// jobs are drawn again: every draw is named by the seed and the generation).
    pub fn finish_step(&mut self, mut outcomes: Vec<Outcome>) -> Result<(), String> {
        let generation = self.generation;
        let jobs = self.begin_step();
        if outcomes.len() != jobs.len() {
            return Err(format!("generation {generation} trains {} cells, not {}", jobs.len(), outcomes.len()));
        }
        if let Some(o) = outcomes.iter().find(|o| o.params.is_empty()) {
            return Err(format!("an outcome has no trained parameters (test loss {})", o.test_loss));
        }
        let mut jobs = jobs.into_iter();
        if generation == 0 {
            let named: Vec<Outcome> = outcomes.drain(..Named::ALL.len()).collect();
            self.baselines = Named::ALL.iter().copied().zip(named).collect();
            jobs.nth(Named::ALL.len() - 1);
        }
        let born: Vec<Member> = jobs.zip(outcomes).map(|(job, outcome)| Member { cell: job.cell, outcome, born: generation }).collect();
        self.trained += born.len() as u64;
        self.remember_most_novel(&born);
        for member in &born {
            if self.best.as_ref().is_none_or(|b| self.cost(&member.outcome) < self.cost(&b.outcome)) {
                self.best = Some(member.clone());
            }
        }
        if generation == 0 {
            self.queue = born;
        } else {
            let costs = |ms: &[Member]| ms.iter().map(|m| self.cost(&m.outcome)).collect::<Vec<_>>();
            let keep = aging::survivors(&costs(&self.queue), &costs(&born), Removal::Oldest);
            let all: Vec<Member> = self.queue.drain(..).chain(born).collect();
            self.queue = keep.into_iter().map(|i| all[i].clone()).collect();
        }
        self.generation += 1;
        Ok(())
    }

    /// The first population: the named cells and mutants of them, or random cells with one to
    /// three memory cells.
    fn first_population(&self) -> Vec<Cell> {
        let mut rng = Stream::new(self.config.seed, Purpose::Recurrent, 0, u64::MAX);
        (0..self.config.population)
            .map(|k| match self.config.start {
                Start::Baselines if k < Named::ALL.len() => Named::ALL[k].cell(),
                Start::Baselines => gp::mutate(&Named::ALL[k % Named::ALL.len()].cell(), &mut rng),
                Start::Random => gp::random_cell(&mut rng, 1 + k % super::cell::MAX_CELLS),
            })
            .collect()
    }

    /// With novelty weighed: the archive keeps the behaviour of the child most unlike it and the queue.
    fn remember_most_novel(&mut self, born: &[Member]) {
        if self.config.novelty == 0.0 || born.is_empty() {
            return;
        }
        let queue: Vec<&[f32]> = self.queue.iter().map(|m| m.outcome.behaviour.as_slice()).collect();
        let others: Vec<&[f32]> = queue.iter().copied().chain(self.archive.descriptors.iter().map(|d| d.as_slice())).collect();
        let scores: Vec<f32> = born.iter().map(|m| novelty::novelty(&m.outcome.behaviour, &others)).collect();
        let most = (0..born.len()).max_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a))).unwrap_or(0);
        self.archive.add(&born[most].outcome.behaviour);
    }

    /// What tournaments compare: the cost, or with novelty weighed the blend of its rank and
    /// the novelty's.
    fn tournament_costs(&self) -> Vec<f32> {
        let costs: Vec<f32> = self.queue.iter().map(|m| self.cost(&m.outcome)).collect();
        if self.config.novelty == 0.0 {
            return costs;
        }
        let behaviours: Vec<&[f32]> = self.queue.iter().map(|m| m.outcome.behaviour.as_slice()).collect();
        novelty::blended(&costs, &self.archive.novelties(&behaviours), self.config.novelty)
    }

    /// `children` children of this generation, each from its own stream.
    fn children(&self) -> Vec<Cell> {
        let costs = self.tournament_costs();
        (0..self.config.children)
            .map(|k| {
                let mut rng = Stream::new(self.config.seed, Purpose::Recurrent, self.generation, u64::MAX - 1 - k as u64);
                if self.breeding == Breeding::Random {
                    return gp::random_cell(&mut rng, 1 + k % super::cell::MAX_CELLS);
                }
                let parent = &self.queue[aging::tournament(&costs, self.config.sample, &mut rng)].cell;
                let child = if rng.chance(self.config.crossover) {
                    let other = &self.queue[aging::tournament(&costs, self.config.sample, &mut rng)].cell;
                    gp::crossover(parent, other, &mut rng)
                } else {
                    parent.clone()
                };
                gp::mutate(&child, &mut rng)
            })
            .collect()
    }

    /// The cells a summary reports, with their training in the run: the best, then the named cells.
    fn reported(&self) -> Vec<(Cell, &Outcome)> {
        let best = self.best.iter().map(|m| (m.cell.clone(), &m.outcome));
        best.chain(self.baselines.iter().map(|(n, o)| (n.cell(), o))).collect()
    }

    /// The jobs that would give a band over weight seeds to each reported cell without one.
    pub fn band_jobs(&self) -> Vec<Job> {
        let reported = self.reported();
        self.bands.jobs(&reported.iter().map(|(c, o)| (c, *o)).collect::<Vec<_>>())
    }

    /// Records the outcomes of `band_jobs`' jobs, in order.
    pub fn finish_bands(&mut self, outcomes: &[Outcome]) -> Result<(), String> {
        let reported: Vec<(Cell, Outcome)> = self.reported().into_iter().map(|(c, o)| (c, o.clone())).collect();
        self.bands.record(&reported.iter().map(|(c, o)| (c, o)).collect::<Vec<_>>(), outcomes)
    }

    /// Where the run stands, as the CLI and the page report it.
    pub fn summary(&self) -> Summary {
        let best = self.best.as_ref().map(|m| self.scored(&m.cell, &m.outcome));
        let baselines = self.baselines.iter().map(|(n, o)| (n.name(), self.scored(&n.cell(), o))).collect();
        Summary {
            generation: self.generation,
            trained: self.trained,
            best,
            baselines,
            chance_loss: self.data.chance_loss,
            chance_accuracy: self.data.chance_accuracy,
        }
    }
}

/// A run between generations, as a save file holds it: everything but its settings (from the
/// saved link), its sequences (drawn again from them) and the page's bands over weight seeds
/// (trained again for the cells reported: they change no choice of the run).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunState {
    baselines: Vec<(Named, Outcome)>,
    queue: Vec<Member>,
    best: Option<Member>,
    generation: u64,
    trained: u64,
    archive: Archive,
    breeding: Breeding,
}

/// The sequences of a run of `config`: its training batches, validation and test sets, drawn
/// from the seed (every trainer of a pool makes the same).
pub fn task_data(config: &RecurrentConfig) -> TaskData {
    task::generate(config.task, config.length, config.batch, TRAIN_BATCHES, HELD_OUT, &mut Stream::new(config.seed, Purpose::Recurrent, 0, 0))
}

/// A cell's scores and size, as a summary reports them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scored {
    pub test_loss: f32,
    pub validation_loss: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test_accuracy: Option<f32>,
    /// The next-character task's test loss in bits per character (its cross-entropy / ln 2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test_bits_per_char: Option<f32>,
    pub memory_cells: usize,
    pub nodes: usize,
    pub parameters: usize,
    /// The cell written out (`Cell::describe`).
    pub cell: String,
    /// Its test loss over weight seeds, once trained for it (`band_jobs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub band: Option<Band>,
}

impl RecurrentRun {
    fn scored(&self, cell: &Cell, o: &Outcome) -> Scored {
        Scored {
            test_loss: o.test_loss,
            validation_loss: o.validation_loss,
            test_accuracy: o.test_accuracy,
            test_bits_per_char: (self.config.task == Task::Text).then(|| o.test_loss / std::f32::consts::LN_2),
            memory_cells: o.memory_cells,
            nodes: o.nodes,
            parameters: o.parameters,
            cell: cell.describe(),
            band: self.bands.get((cell, o)).cloned(),
        }
    }
}

/// One generation's report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub generation: u64,
    pub trained: u64,
    pub best: Option<Scored>,
    pub baselines: std::collections::BTreeMap<&'static str, Scored>,
    /// The test loss and accuracy of the best constant guess.
    pub chance_loss: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chance_accuracy: Option<f32>,
}
