//! A run of the modules scene (CoDeepNEAT, Miikkulainen et al. 2019; LEAF, Liang et al. 2019):
//! each generation every blueprint assembles `networks` networks, each drawing one module
//! per species it names; the networks train; every blueprint and module gets the mean
//! validation accuracy of its networks; module species and blueprints then breed.
//!
//! Ask/tell: `begin_step` hands out the generation's jobs (trainable anywhere, `Job::train`),
//! `finish_step` takes their outcomes in order. Every draw is named by (seed, generation,
//! index), so a run gives the same bits for any number of threads or workers.

use super::assemble::{assemble, cost};
use super::baselines::Baseline;
use super::blueprint::{Blueprint, EpochRange, Hyper, Rates};
use super::breed::{self, Breeding};
use super::config::ModulesConfig;
use super::data::SceneData;
use super::fitness::{attribute, Mean, Part};
use super::innovation::Innovations;
use super::module::{self, Module};
use super::species::{self, Species};
use super::training::{self, Outcome};
use crate::rng::{Purpose, Stream};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The stream generation of the baselines' weights: one no search reaches.
const BASELINE_GENERATION: u64 = u64::MAX;
/// The compatibility threshold the first speciation uses.
const FIRST_THRESHOLD: f32 = 0.6;

/// What a job trains: a baseline, or a blueprint with one module per species it names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Design {
    Baseline(Baseline),
    Assembled { blueprint: Blueprint, modules: Vec<(u32, Module)> },
}

/// One network to train, its weights and batches drawn from (seed, generation, index).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub design: Design,
    pub hyper: Hyper,
    pub generation: u64,
    pub index: u64,
}

impl Job {
    /// Checks what came from outside (a worker's message): every genome keeps its rules.
    pub fn check(&self) -> Result<(), String> {
        self.hyper.check()?;
        if let Design::Assembled { blueprint, modules } = &self.design {
            blueprint.graph.check().map_err(|e| format!("blueprint: {e}"))?;
            for (species, m) in modules {
                module::check(m).map_err(|e| format!("module of species {species}: {e}"))?;
            }
        }
        Ok(())
    }

    /// Trains the job on `data` (a run's, or one made from the same link).
    pub fn train(&self, data: &SceneData, seed: u64) -> Outcome {
        let net = match &self.design {
            Design::Baseline(b) => b.net(data.input, data.classes).ok_or_else(|| format!("the {} baseline does not fit this data", b.name())),
            Design::Assembled { blueprint, modules } => {
                let modules: BTreeMap<u32, &Module> = modules.iter().map(|(s, m)| (*s, m)).collect();
                assemble(blueprint, &modules, data.input, data.classes)
            }
        };
        let net = match net {
            Ok(net) => net,
            Err(e) => return Outcome::failed(e),
        };
        let cost = net.shapes().map_or(0, |shapes| cost(&net, &shapes));
        training::train(net, &self.hyper, data, cost, &mut Stream::new(seed, Purpose::Modules, self.generation, self.index))
    }
}

/// One assembled network of a generation: which blueprint and which modules (indices into
/// that generation's populations, by species), and what training gave it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    pub generation: u64,
    pub blueprint: Blueprint,
    pub blueprint_index: usize,
    /// (species, module index, module) for each species the blueprint names.
    pub modules: Vec<(u32, usize, Module)>,
    pub outcome: Outcome,
}

impl Network {
    /// Its module for each species.
    pub fn module_map(&self) -> BTreeMap<u32, &Module> {
        self.modules.iter().map(|(s, _, m)| (*s, m)).collect()
    }
}

/// A generation's figures for the accuracy curves.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub generation: u64,
    pub best_validation: f32,
    pub mean_validation: f32,
    /// The test accuracy of the generation's best network (by validation).
    pub best_test: f32,
    pub species: usize,
}

/// Every network trained, as the accuracy-vs-size front draws it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    pub generation: u64,
    pub validation_accuracy: f32,
    pub test_accuracy: f32,
    pub parameters: usize,
}

/// The run's state between generations.
pub struct ModulesRun {
    pub config: ModulesConfig,
    pub data: SceneData,
    pub modules: Vec<Module>,
    pub species: Vec<Species>,
    pub blueprints: Vec<Blueprint>,
    /// The last generation's networks, and each genome's mean over them.
    pub networks: Vec<Network>,
    pub module_fitness: Vec<Option<Mean>>,
    pub blueprint_fitness: Vec<Option<Mean>>,
    pub baselines: Vec<(Baseline, Outcome)>,
    /// The network of highest validation accuracy so far (fewer parameters break ties).
    pub best: Option<Network>,
    pub history: Vec<Record>,
    pub archive: Vec<Point>,
    /// Generations done; networks trained (the baselines not counted).
    pub generation: u64,
    pub trained: u64,
    threshold: f32,
    next_species: u32,
    module_innovations: Innovations,
    blueprint_innovations: Innovations,
    /// How the next populations come: coevolution, or drawn at random (a comparison's baseline).
    pub search: Search,
    threads: usize,
}

/// How a modules run makes its next populations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Search {
    /// Module species breed within themselves, blueprints by NSGA-II (CoDeepNEAT, LEAF).
    #[default]
    Coevolution,
    /// New random modules and blueprints every generation, each as far from the minimal ones
    /// as a few random mutations take it: random search over the same space, the baseline.
    Random,
}

/// Mutations a random module or blueprint gets at most after its minimal start.
const RANDOM_MUTATIONS: usize = 4;

/// The first populations (or, for random search, a generation's): `config.modules` modules of
/// one conv layer each, speciated, and blueprints of one to three nodes in a chain drawing on
/// random species, with the configured training. With `mutations`, each genome is mutated up
/// to that many times.
fn first_populations(
    config: &ModulesConfig,
    mutations: usize,
    old: &[Species],
    next_species: &mut u32,
    (module_innovations, blueprint_innovations): (&mut Innovations, &mut Innovations),
    rng: &mut Stream,
) -> (Vec<Module>, Vec<Species>, Vec<Blueprint>) {
    let mut modules: Vec<Module> = (0..config.modules).map(|_| module::minimal(rng, module_innovations)).collect();
    // No draw at all without mutations: the first populations keep the streams they had.
    let times = |rng: &mut Stream| if mutations == 0 { 0 } else { rng.below(mutations + 1) };
    for m in &mut modules {
        for _ in 0..times(rng) {
            *m = module::mutate(m, module_innovations, rng);
        }
    }
    let species = species::speciate(&modules, old, FIRST_THRESHOLD, next_species);
    let ids: Vec<u32> = species.iter().map(|s| s.id).collect();
    let hyper = Hyper { lr: config.lr, batch: config.batch, epochs: config.epochs };
    let rates = Rates { species: &ids, epochs: EpochRange::around(config.epochs) };
    let blueprints = (0..config.blueprints)
        .map(|k| {
            let mut b = Blueprint::minimal(*rng.pick(&ids), hyper, blueprint_innovations);
            for _ in 0..k % 3 {
                b.graph = chain(&b.graph, *rng.pick(&ids), blueprint_innovations);
            }
            for _ in 0..times(rng) {
                b = b.mutate(&rates, blueprint_innovations, rng);
            }
            b
        })
        .collect();
    (modules, species, blueprints)
}

impl ModulesRun {
    /// A run of `config` on `data` (see `data::scene_data`) over `threads` threads: the first
    /// modules (one random conv layer each), their species, and blueprints of one to three
    /// nodes in a chain, each drawing from random species, with the configured training.
    pub fn new(config: &ModulesConfig, data: SceneData, threads: usize) -> ModulesRun {
        let mut rng = Stream::new(config.seed, Purpose::Modules, 0, u64::MAX);
        let (mut module_innovations, mut blueprint_innovations) = (Innovations::default(), Innovations::default());
        let mut next_species = 1;
        let (modules, species, blueprints) =
            first_populations(config, 0, &[], &mut next_species, (&mut module_innovations, &mut blueprint_innovations), &mut rng);
        ModulesRun {
            config: config.clone(),
            data,
            modules,
            species,
            blueprints,
            networks: Vec::new(),
            module_fitness: Vec::new(),
            blueprint_fitness: Vec::new(),
            baselines: Vec::new(),
            best: None,
            history: Vec::new(),
            archive: Vec::new(),
            generation: 0,
            trained: 0,
            threshold: FIRST_THRESHOLD,
            next_species,
            module_innovations,
            blueprint_innovations,
            search: Search::Coevolution,
            threads: threads.max(1),
        }
    }

    /// The run as a save file holds it.
    pub fn state(&self) -> RunState {
        RunState {
            modules: self.modules.clone(),
            species: self.species.clone(),
            blueprints: self.blueprints.clone(),
            networks: self.networks.clone(),
            module_fitness: self.module_fitness.clone(),
            blueprint_fitness: self.blueprint_fitness.clone(),
            baselines: self.baselines.clone(),
            best: self.best.clone(),
            history: self.history.clone(),
            archive: self.archive.clone(),
            generation: self.generation,
            trained: self.trained,
            threshold: self.threshold,
            next_species: self.next_species,
            module_innovations: self.module_innovations.clone(),
            blueprint_innovations: self.blueprint_innovations.clone(),
            search: self.search,
        }
    }

    /// A run of `config` on `data` as `state` left it; every genome and species is checked.
    pub fn resume(config: &ModulesConfig, data: SceneData, s: RunState, threads: usize) -> Result<ModulesRun, String> {
        for m in &s.modules {
            module::check(m).map_err(|e| format!("a module: {e}"))?;
        }
        for b in &s.blueprints {
            b.graph.check().and(b.hyper.check()).map_err(|e| format!("a blueprint: {e}"))?;
        }
        let members = s.species.iter().flat_map(|sp| &sp.members);
        if s.modules.is_empty() || s.blueprints.is_empty() || members.clone().any(|&m| m >= s.modules.len()) || members.count() != s.modules.len() {
            return Err(format!(
                "{} modules in species of {:?} members, {} blueprints",
                s.modules.len(),
                s.species.iter().map(|sp| sp.members.len()).collect::<Vec<_>>(),
                s.blueprints.len()
            ));
        }
        let mut run = ModulesRun::new(config, data, threads);
        (run.modules, run.species, run.blueprints, run.networks) = (s.modules, s.species, s.blueprints, s.networks);
        (run.module_fitness, run.blueprint_fitness, run.baselines, run.best) = (s.module_fitness, s.blueprint_fitness, s.baselines, s.best);
        (run.history, run.archive, run.generation, run.trained) = (s.history, s.archive, s.generation, s.trained);
        (run.threshold, run.next_species) = (s.threshold, s.next_species);
        (run.module_innovations, run.blueprint_innovations, run.search) = (s.module_innovations, s.blueprint_innovations, s.search);
        Ok(run)
    }

    fn hyper(&self) -> Hyper {
        Hyper { lr: self.config.lr, batch: self.config.batch, epochs: self.config.epochs }
    }

    /// This generation's assemblies: for each blueprint, `networks` times, one module index
    /// per species it names, drawn uniformly from the species' members.
    fn assemblies(&self) -> Vec<(usize, Vec<(u32, usize)>)> {
        let mut rng = Stream::new(self.config.seed, Purpose::Modules, self.generation, u64::MAX - 1);
        let members = |id: u32| self.species.iter().find(|s| s.id == id).map(|s| s.members.as_slice()).unwrap_or(&[]);
        let mut out = Vec::with_capacity(self.blueprints.len() * self.config.networks);
        for (b, blueprint) in self.blueprints.iter().enumerate() {
            for _ in 0..self.config.networks {
                let chosen = blueprint.species().into_iter().filter(|&s| !members(s).is_empty()).map(|s| (s, *rng.pick(members(s)))).collect();
                out.push((b, chosen));
            }
        }
        out
    }

    /// The generation's jobs: in the first generation the baselines, then every assembled
    /// network, in blueprint order.
    pub fn begin_step(&self) -> Vec<Job> {
        let baselines = self.baselines_to_train().into_iter().enumerate();
        let baselines = baselines.map(|(k, b)| Job { design: Design::Baseline(b), hyper: self.hyper(), generation: BASELINE_GENERATION, index: k as u64 });
        let assembled = self.assemblies().into_iter().enumerate().map(|(k, (b, chosen))| {
            let blueprint = self.blueprints[b].clone();
            let modules = chosen.iter().map(|&(s, m)| (s, self.modules[m].clone())).collect();
            Job { hyper: blueprint.hyper, design: Design::Assembled { blueprint, modules }, generation: self.generation, index: k as u64 }
        });
        baselines.chain(assembled).collect()
    }

    /// The baselines this generation trains: in the first, every one that fits the data.
    fn baselines_to_train(&self) -> Vec<Baseline> {
        let fits = |b: &&Baseline| b.net(self.data.input, self.data.classes).is_some();
        if self.generation == 0 {
            Baseline::ALL.iter().filter(fits).copied().collect()
        } else {
            Vec::new()
        }
    }

    /// Trains `jobs` over the threads, in order.
    pub fn train(&self, jobs: &[Job]) -> Vec<Outcome> {
        crate::parallel::map(jobs, self.threads, |_, job| job.train(&self.data, self.config.seed))
    }

    /// One generation, trained here.
    pub fn step(&mut self) {
        let outcomes = self.train(&self.begin_step());
        self.finish_step(outcomes).expect("one outcome per job");
    }

    /// Completes the generation `begin_step` began with its jobs' outcomes, in job order: the
    /// networks scored, fitness attributed, the best and the curves updated, the next
    /// populations bred.
    pub fn finish_step(&mut self, mut outcomes: Vec<Outcome>) -> Result<(), String> {
        let (baselines, assemblies) = (self.baselines_to_train(), self.assemblies());
        let jobs = baselines.len() + assemblies.len();
        if outcomes.len() != jobs {
            return Err(format!("generation {} trains {jobs} networks, not {}", self.generation, outcomes.len()));
        }
        if !baselines.is_empty() {
            self.baselines = baselines.into_iter().zip(outcomes.drain(..jobs - assemblies.len())).collect();
        }
        let networks: Vec<Network> = assemblies
            .into_iter()
            .zip(outcomes)
            .map(|((b, chosen), outcome)| Network {
                generation: self.generation,
                blueprint: self.blueprints[b].clone(),
                blueprint_index: b,
                modules: chosen.into_iter().map(|(s, m)| (s, m, self.modules[m].clone())).collect(),
                outcome,
            })
            .collect();
        let parts: Vec<Part> = networks.iter().map(part).collect();
        (self.blueprint_fitness, self.module_fitness) = attribute(&parts, self.blueprints.len(), self.modules.len());
        self.record(networks);
        self.breed();
        self.generation += 1;
        Ok(())
    }

    /// Keeps the generation's networks (parameters only for a new best), its curve point and
    /// its points of the front.
    fn record(&mut self, mut networks: Vec<Network>) {
        self.trained += networks.len() as u64;
        let better =
            |a: &Outcome, b: &Outcome| (a.validation_accuracy, std::cmp::Reverse(a.parameters)) > (b.validation_accuracy, std::cmp::Reverse(b.parameters));
        let top = (0..networks.len()).reduce(|a, b| if better(&networks[b].outcome, &networks[a].outcome) { b } else { a });
        if let Some(top) = top {
            if self.best.as_ref().is_none_or(|best| better(&networks[top].outcome, &best.outcome)) {
                self.best = Some(networks[top].clone());
            }
            let accuracies: Vec<f32> = networks.iter().map(|n| n.outcome.validation_accuracy).collect();
            self.history.push(Record {
                generation: self.generation,
                best_validation: networks[top].outcome.validation_accuracy,
                mean_validation: accuracies.iter().sum::<f32>() / accuracies.len() as f32,
                best_test: networks[top].outcome.test_accuracy,
                species: self.species.len(),
            });
        }
        for n in &mut networks {
            self.archive.push(Point {
                generation: n.generation,
                validation_accuracy: n.outcome.validation_accuracy,
                test_accuracy: n.outcome.test_accuracy,
                parameters: n.outcome.parameters,
            });
            n.outcome.params = Vec::new();
        }
        self.networks = networks;
    }

    /// The next modules (bred within species, then speciated again with the threshold moved
    /// toward the target count) and the next blueprints.
    fn breed(&mut self) {
        let how = Breeding { crossover: self.config.crossover, elitism: self.config.elitism };
        let mut rng = Stream::new(self.config.seed, Purpose::Modules, self.generation, u64::MAX - 2);
        if self.search == Search::Random {
            let innovations = (&mut self.module_innovations, &mut self.blueprint_innovations);
            (self.modules, self.species, self.blueprints) =
                first_populations(&self.config, RANDOM_MUTATIONS, &[], &mut self.next_species, innovations, &mut rng);
            return;
        }
        let modules = breed::modules(&self.modules, &self.module_fitness, &self.species, self.config.modules, how, &mut self.module_innovations, &mut rng);
        self.threshold = species::adjust(self.threshold, self.species.len(), self.config.species);
        self.species = species::speciate(&modules, &self.species, self.threshold, &mut self.next_species);
        self.modules = modules;
        let live: Vec<u32> = self.species.iter().map(|s| s.id).collect();
        let rates = Rates { species: &live, epochs: EpochRange::around(self.config.epochs) };
        self.blueprints = breed::blueprints(&self.blueprints, &self.blueprint_fitness, &rates, how, &mut self.blueprint_innovations, &mut rng);
    }
}

/// A run between generations, as a save file holds it: everything but its settings (from the
/// saved link) and its data (made again from them).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunState {
    modules: Vec<Module>,
    species: Vec<Species>,
    blueprints: Vec<Blueprint>,
    networks: Vec<Network>,
    module_fitness: Vec<Option<Mean>>,
    blueprint_fitness: Vec<Option<Mean>>,
    baselines: Vec<(Baseline, Outcome)>,
    best: Option<Network>,
    history: Vec<Record>,
    archive: Vec<Point>,
    generation: u64,
    trained: u64,
    threshold: f32,
    next_species: u32,
    module_innovations: Innovations,
    blueprint_innovations: Innovations,
    search: Search,
}

/// A network's part in fitness attribution (a failed one scores 0).
fn part(n: &Network) -> Part {
    let accuracy = if n.outcome.error.is_some() { 0.0 } else { n.outcome.validation_accuracy };
    Part { blueprint: n.blueprint_index, modules: n.modules.iter().map(|m| m.1).collect(), accuracy, parameters: n.outcome.parameters }
}

/// `graph` with a new node drawing from `species` after its last node (a deeper chain).
fn chain(graph: &super::graph::Graph<u32>, species: u32, innovations: &mut Innovations) -> super::graph::Graph<u32> {
    let last = graph.nodes.last().map_or(0, |n| n.id);
    let mut child = graph.clone();
    let id = innovations.append(last);
    child.insert_node(super::graph::Node { id, gene: species });
    child.insert_link(super::graph::Link { innovation: innovations.link(last, id), from: last, to: id, enabled: true });
    child
}
