//! Run: one experiment. `step()` breeds (after the first), trains, scores and speciates a
//! generation; summaries, history and decision grids are read from it between steps.

use super::compile::{compile, compile_to};
use super::training;
use crate::dataset::{self, Dataset, EXTENT};
use crate::genome::{Genome, Innovations};
use crate::hyper::Hyper;
use crate::rng::{Purpose, Stream};
use crate::scene::neat::config::{Config, Strategy};
use crate::scene::neat::fitness;
use crate::scene::neat::species::{best_of, Speciation};
use crate::scene::neat::strategy::{aging, neat, pareto};
use crate::scene::neat::summary::{Best, HistoryEntry, SpeciesSize, Summary};
use crate::train::{self, cpu, Outcome, Trained};
use serde::{Deserialize, Serialize};

/// Largest decision grid side a caller may ask for (a 512x512 grid is 1 MiB of floats).
pub const MAX_GRID: usize = 512;

pub struct Run {
    config: Config,
    data: Dataset,
    registry: Innovations,
    population: Vec<Genome>,
    outcomes: Vec<Outcome>,
    /// Each member's loss on the points selection scores on (`Dataset::selection`).
    selection: Vec<f32>,
    fitness: Vec<f32>,
    speciation: Speciation,
    generation: u64,
    history: Vec<HistoryEntry>,
    work: u64,
    threads: usize,
    /// The genomes of the step under way (between `begin_step` and `finish_step`): the whole
    /// next population for NEAT, the children that may join it for aging and Pareto search.
    children: Vec<Genome>,
    /// True between `begin_step` and `finish_step`.
    pending: bool,
    /// Networks trained since the start (the budget strategies are compared on).
    trained: u64,
    #[cfg(not(target_arch = "wasm32"))]
    gpu: Option<train::gpu::Gpu>,
    /// Why the last generation did not train where it was asked to, if it did not.
    notice: Option<String>,
}

impl Run {
    /// Starts an experiment: draws the data and a population of logistic regressions.
    pub fn new(config: Config) -> Result<Run, String> {
        let data = dataset::generate(&config.data_spec())?;
        let mut registry = Innovations::default();
        let population: Vec<Genome> = (0..config.population as u64)
            .map(|i| Genome::logistic(&mut registry, &mut Stream::new(config.seed, Purpose::Initial, 0, i)))
            .map(|g| Genome { hyper: (config.hyper > 0.0).then(|| Hyper::of(config.lr, config.steps)), ..g })
            .collect();
        let n = population.len();
        Ok(Run {
            config,
            data,
            registry,
            population,
            outcomes: vec![Outcome::failed(0); n],
            selection: vec![f32::INFINITY; n],
            fitness: vec![f32::INFINITY; n],
            speciation: Speciation::default(),
            generation: 0,
            history: Vec::new(),
            work: 0,
            threads: train::available_threads(),
            children: Vec::new(),
            pending: false,
            trained: 0,
            #[cfg(not(target_arch = "wasm32"))]
            gpu: None,
            notice: None,
        })
    }

    /// The run as a save file holds it.
    pub fn state(&self) -> RunState {
        RunState {
            registry: self.registry.clone(),
            population: self.population.clone(),
            outcomes: self.outcomes.clone(),
            selection: self.selection.clone(),
            fitness: self.fitness.clone(),
            speciation: self.speciation.clone(),
            generation: self.generation,
            history: self.history.clone(),
            work: self.work,
            children: self.children.clone(),
            pending: self.pending,
            trained: self.trained,
        }
    }

    /// A run of `config` as `state` left it: its points drawn again from the seed, and the
    /// state checked (a member per score, genomes that keep NEAT's rules, species of members).
    pub fn resume(config: Config, s: RunState) -> Result<Run, String> {
        let n = s.population.len();
        if n == 0 || [s.outcomes.len(), s.selection.len(), s.fitness.len()].iter().any(|&m| m != n) {
            return Err(format!("a population of {n} with {} outcomes, {} losses and {} fitnesses", s.outcomes.len(), s.selection.len(), s.fitness.len()));
        }
        if let Some(e) = s.population.iter().chain(&s.children).find_map(|g| g.validate().err()) {
            return Err(format!("a genome: {e}"));
        }
        if s.speciation.species.iter().flat_map(|sp| &sp.members).any(|&m| m >= n) {
            return Err("a species holds a member the population has not".into());
        }
        if s.history.len() as u64 != s.generation {
            return Err(format!("{} history entries for {} generations", s.history.len(), s.generation));
        }
        let data = dataset::generate(&config.data_spec())?;
        Ok(Run {
            config,
            data,
            registry: s.registry,
            population: s.population,
            outcomes: s.outcomes,
            selection: s.selection,
            fitness: s.fitness,
            speciation: s.speciation,
            generation: s.generation,
            history: s.history,
            work: s.work,
            threads: train::available_threads(),
            children: s.children,
            pending: s.pending,
            trained: s.trained,
            #[cfg(not(target_arch = "wasm32"))]
            gpu: None,
            notice: None,
        })
    }

    /// Threads used to train (natively); results do not depend on it.
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = threads.max(1);
    }

    /// Trains on this GPU from now on (natively; the page drives its own WebGPU trainer).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn use_gpu(&mut self, gpu: train::gpu::Gpu) {
        self.gpu = Some(gpu);
    }

    /// The GPU generations train on, until one fails.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn gpu(&self) -> Option<&train::gpu::Gpu> {
        self.gpu.as_ref()
    }

    /// Why the last generation fell back from the GPU to the CPU, if it did.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// Runs one generation and returns its summary. On a GPU error the generation trains on
    /// the CPU instead (no generation is lost), so do the rest, and `notice` says why.
    pub fn step(&mut self) -> Summary {
        let settings = self.config.train_settings(self.generation);
        self.begin_step();
        self.notice = None;
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(gpu) = &self.gpu {
            let on_gpu = training::train_genomes_on_gpu(gpu, &self.children, &self.data, &settings, self.threads);
            match train::gpu::block_on(on_gpu) {
                Ok(trained) => return self.finish_step(trained).expect("one result per genome"),
                Err(e) => {
                    self.notice = Some(format!("{e}: generation {} and the rest train on the CPU", self.generation + 1));
                    self.gpu = None;
                }
            }
        }
        let trained = training::train_genomes(&self.children, &self.data, &settings, self.threads);
        self.finish_step(trained).expect("one result per genome")
    }

    /// First half of a step: breeds (after the first generation) and returns the genomes to
    /// train: the next population for NEAT, children for aging and Pareto search. Calling it
    /// again before `finish_step` breeds nothing. Training may happen anywhere (threads, a pool
    /// of web workers): each genome's result depends on nothing but the genome and the data.
    pub fn begin_step(&mut self) -> &[Genome] {
        if !self.pending {
            let (config, generation) = (&self.config, self.generation);
            self.children = if generation == 0 {
                self.population.clone()
            } else {
                match config.strategy {
                    Strategy::Neat => neat::breed(&self.population, &self.fitness, &self.speciation, config, &mut self.registry, generation),
                    Strategy::Aging => {
                        let count = config.batch.min(config.population);
                        aging::breed(&self.population, &self.fitness, config.sample, count, config, &mut self.registry, generation)
                    }
                    Strategy::Pareto => {
                        let objectives = objectives(&self.population, &self.selection);
                        pareto::breed(&self.population, &objectives, config.population, config, &mut self.registry, generation)
                    }
                }
            };
            self.pending = true;
        }
        &self.children
    }

    /// Second half of a step: takes one training result per genome of `begin_step`, in order,
    /// then selects the next population, speciates it and records the step.
    pub fn finish_step(&mut self, trained: Vec<Trained>) -> Result<Summary, String> {
        if !self.pending {
            return Err("finish_step without begin_step".into());
        }
        if trained.len() != self.children.len() || trained.iter().zip(&self.children).any(|(t, g)| t.weights.len() != g.conns.len()) {
            return Err(format!("expected one result per genome ({}) with one weight per connection", self.children.len()));
        }
        self.pending = false;
        self.work = 0;
        let mut children = std::mem::take(&mut self.children);
        let mut outcomes = Vec::with_capacity(trained.len());
        let mut selection = Vec::with_capacity(trained.len());
        for (genome, t) in children.iter_mut().zip(trained) {
            let steps = genome.hyper.map_or(self.config.steps, |h| h.steps as usize);
            self.work += (t.outcome.active_connections * self.data.train.len() * steps) as u64;
            let (outcome, loss) = fitness::settle(genome, t, &self.data);
            outcomes.push(outcome);
            selection.push(loss);
        }
        self.trained += children.len() as u64;
        self.select(children, outcomes, selection);
        self.speciation.assign(&self.population, &self.fitness, self.generation, self.config.species);
        self.generation += 1;
        let summary = self.summary();
        self.history.push(HistoryEntry {
            generation: summary.generation,
            best_fitness: summary.best.fitness,
            mean_fitness: summary.mean_fitness,
            best_train_accuracy: summary.best.train_accuracy,
            best_test_accuracy: summary.best.test_accuracy,
            species: summary.species.iter().map(|s| (s.id, s.size)).collect(),
        });
        Ok(summary)
    }

    /// The next population from the current one and the trained children, by the strategy's
    /// rule: NEAT replaces the generation, aging evolution retires one member per child (the
    /// oldest, or the worst), Pareto search keeps the best fronts of parents and children.
    fn select(&mut self, children: Vec<Genome>, outcomes: Vec<Outcome>, selection: Vec<f32>) {
        let (penalty, form) = (self.config.penalty, self.config.cost);
        let fitness_of = |g: &[Genome], o: &[Outcome], s: &[f32]| {
            let scored = g.iter().zip(o).zip(s);
            scored.map(|((g, o), &s)| fitness::cost(s, o.failed, g.enabled_connections(), penalty, form)).collect::<Vec<f32>>()
        };
        let child_fitness = fitness_of(&children, &outcomes, &selection);
        if self.generation == 0 || self.config.strategy == Strategy::Neat {
            (self.population, self.outcomes, self.selection, self.fitness) = (children, outcomes, selection, child_fitness);
            return;
        }
        let genomes: Vec<Genome> = std::mem::take(&mut self.population).into_iter().chain(children).collect();
        let all_outcomes: Vec<Outcome> = std::mem::take(&mut self.outcomes).into_iter().chain(outcomes).collect();
        let all_selection: Vec<f32> = std::mem::take(&mut self.selection).into_iter().chain(selection).collect();
        let keep = match self.config.strategy {
            Strategy::Aging => aging::survivors(&self.fitness, &child_fitness, self.config.removal),
            _ => pareto::select(&objectives(&genomes, &all_selection), self.config.population),
        };
        self.population = keep.iter().map(|&i| genomes[i].clone()).collect();
        self.outcomes = keep.iter().map(|&i| all_outcomes[i]).collect();
        self.selection = keep.iter().map(|&i| all_selection[i]).collect();
        self.fitness = fitness_of(&self.population, &self.outcomes, &self.selection);
    }

    /// Generations finished (the next step trains generation number `generation()`).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Networks trained since the start.
    pub fn trained(&self) -> u64 {
        self.trained
    }

    /// The latest generation at a glance.
    pub fn summary(&self) -> Summary {
        let all: Vec<usize> = (0..self.population.len()).collect();
        let index = best_of(&all, &self.fitness);
        let (genome, outcome) = (&self.population[index], &self.outcomes[index]);
        let scored: Vec<f32> = self.fitness.iter().copied().filter(|f| f.is_finite()).collect();
        Summary {
            generation: self.generation,
            best: Best {
                index,
                train_accuracy: outcome.train_accuracy,
                test_accuracy: outcome.test_accuracy,
                nodes: genome.nodes.len(),
                connections: genome.enabled_connections(),
                fitness: self.fitness[index],
                loss: outcome.loss,
                selection_loss: self.selection[index],
                lr: genome.hyper.map_or(self.config.lr, |h| h.lr),
                steps: genome.hyper.map_or(self.config.steps, |h| h.steps as usize),
            },
            mean_fitness: scored.iter().sum::<f32>() / scored.len().max(1) as f32,
            species: self.speciation.species.iter().map(|s| SpeciesSize { id: s.id, size: s.members.len(), best_fitness: s.best_fitness }).collect(),
            failed: self.outcomes.iter().filter(|o| o.failed).count(),
            work: self.work,
            trained: self.trained,
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn data(&self) -> &Dataset {
        &self.data
    }

    pub fn population(&self) -> &[Genome] {
        &self.population
    }

    pub fn outcomes(&self) -> &[Outcome] {
        &self.outcomes
    }

    pub fn fitness(&self) -> &[f32] {
        &self.fitness
    }

    /// Each member's loss on the points selection scores on.
    pub fn selection(&self) -> &[f32] {
        &self.selection
    }

    pub fn history(&self) -> &[HistoryEntry] {
        &self.history
    }

    pub fn speciation(&self) -> &Speciation {
        &self.speciation
    }

    /// The current champion.
    pub fn best(&self) -> &Genome {
        &self.population[self.summary().best.index]
    }

    /// The link that reproduces this run, carrying the current champion (`genome=`) so it opens
    /// showing that network; before the first generation, the link's own champion if any.
    pub fn champion_link(&self) -> String {
        let mut config = self.config.clone();
        if self.generation > 0 {
            config.genome = Some(self.best().clone());
        }
        config.to_link()
    }

    /// Accuracy of `genome` as it is, untrained, on every training point and on the test points.
    pub fn accuracy_of(&self, genome: &Genome) -> (f32, f32) {
        let program = compile(genome);
        let accuracy = |points: &dataset::Points| {
            let p = cpu::outputs(&program, &points.x, &points.y);
            let right = p.iter().zip(&points.label).filter(|(p, &l)| (**p > 0.5) == (l > 0.5)).count();
            right as f32 / points.len().max(1) as f32
        };
        (accuracy(&self.data.seen()), accuracy(&self.data.test))
    }

    /// Output of genome `index` (or of its node `node`) on an `n` x `n` grid over the plane,
    /// row-major with the top row (y = +EXTENT) first, sampled at cell centres. The output is a
    /// probability; a node's value is raw, for the view to scale.
    pub fn grid(&self, index: usize, node: Option<u32>, n: usize) -> Result<Vec<f32>, String> {
        let genome = self.population.get(index).ok_or_else(|| format!("genome {index} does not exist (population {})", self.population.len()))?;
        grid_of(genome, node, n)
    }
}

/// A run between generations, as a save file holds it: everything but its settings (from the
/// saved link), its points (drawn again from them) and where it trains.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunState {
    registry: Innovations,
    population: Vec<Genome>,
    outcomes: Vec<Outcome>,
    selection: Vec<f32>,
    fitness: Vec<f32>,
    speciation: Speciation,
    generation: u64,
    history: Vec<HistoryEntry>,
    work: u64,
    children: Vec<Genome>,
    pending: bool,
    trained: u64,
}

/// Pareto search's objectives, both minimised: the selection loss (infinite for a failed
/// genome: `fitness::settle` gives it no other) and enabled connections. Test accuracy is
/// never one.
fn objectives(population: &[Genome], selection: &[f32]) -> Vec<[f32; 2]> {
    population.iter().zip(selection).map(|(g, &loss)| pareto::objectives(loss, g)).collect()
}

/// See `Run::grid`; usable for any valid genome.
pub fn grid_of(genome: &Genome, node: Option<u32>, n: usize) -> Result<Vec<f32>, String> {
    if n == 0 || n > MAX_GRID {
        return Err(format!("grid size {n} is out of range (allowed 1 to {MAX_GRID})"));
    }
    let program = match node {
        None => compile(genome),
        Some(id) if genome.node(id).is_some() => compile_to(genome, id),
        Some(id) => return Err(format!("node {id} is not in this genome")),
    };
    let step = 2.0 * EXTENT / n as f32;
    let xs: Vec<f32> = (0..n * n).map(|k| -EXTENT + ((k % n) as f32 + 0.5) * step).collect();
    let ys: Vec<f32> = (0..n * n).map(|k| EXTENT - ((k / n) as f32 + 0.5) * step).collect();
    Ok(cpu::outputs(&program, &xs, &ys))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::genome::{INPUT_X, INPUT_Y, OUTPUT};

    #[test]
    fn grids_sample_the_plane_top_row_first() {
        let mut run = Run::new(Config::from_link("dataset=xor&population=8&steps=5").unwrap()).unwrap();
        run.step();
        let n = 4;
        let xs = run.grid(0, Some(INPUT_X), n).unwrap();
        let ys = run.grid(0, Some(INPUT_Y), n).unwrap();
        assert_eq!(&xs[..4], &[-4.5, -1.5, 1.5, 4.5]);
        assert_eq!((ys[0], ys[15]), (4.5, -4.5));
        let out = run.grid(0, None, n).unwrap();
        let program = compile(&run.population()[0]);
        for k in 0..n * n {
            assert_eq!(out[k], program.eval_point(xs[k], ys[k]));
        }
        assert_eq!(run.grid(0, Some(OUTPUT), n).unwrap(), out);
    }

    #[test]
    fn bad_grid_requests_are_errors() {
        let run = Run::new(Config::from_link("population=4").unwrap()).unwrap();
        assert!(run.grid(99, None, 8).unwrap_err().contains("does not exist"));
        assert!(run.grid(0, Some(999), 8).unwrap_err().contains("not in this genome"));
        assert!(run.grid(0, None, 0).is_err() && run.grid(0, None, MAX_GRID + 1).is_err());
    }

    #[test]
    fn history_and_summaries_follow_the_generations() {
        let mut run = Run::new(Config::from_link("dataset=circle&population=20&steps=20&seed=9").unwrap()).unwrap();
        for g in 1..=5 {
            let s = run.step();
            assert_eq!(s.generation, g);
            assert_eq!(s.species.iter().map(|x| x.size).sum::<usize>(), 20);
            assert_eq!(run.population().len(), 20);
        }
        let h = run.history();
        assert_eq!(h.len(), 5);
        assert!(h.iter().all(|e| e.best_fitness <= e.mean_fitness));
        assert_eq!(run.summary().best.fitness, h[4].best_fitness);
    }
}
