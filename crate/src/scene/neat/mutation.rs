//! Variation: add node, add connection, toggle, weight perturb/replace, activation change,
//! hyperparameter nudge; crossover.
//!
//! Every operator keeps the Genome invariants (see genome.rs). Structure only ever grows by
//! splitting a connection or by a connection whose source is not among its target's
//! `descendants` (so it closes no cycle); crossover takes its structure from the fitter parent,
//! so it cannot join two parents' paths into a cycle.

use crate::activation::Activation;
use crate::genome::{ConnGene, Genome, Innovations, NodeGene, Role};
use crate::hyper::Hyper;
use crate::rng::Stream;
use crate::scene::neat::config::Config;

/// Spread of a weight perturbation (trained weights are O(1), so this is a real nudge).
const PERTURB_SIGMA: f32 = 0.5;
/// Chance a gene disabled in either parent stays disabled in the child (NEAT's rule).
const KEEP_DISABLED: f32 = 0.75;

/// What mutation needs of an experiment: each operator's chance, the activations a node may
/// take and the run's step count (a Hyper's steps grow to a multiple of it).
#[derive(Clone, Debug, PartialEq)]
pub struct Rates {
    pub add_node: f32,
    pub add_conn: f32,
    pub toggle: f32,
    pub perturb: f32,
    /// Per weight, the chance a perturbation replaces it instead.
    pub replace: f32,
    pub act_change: f32,
    /// The chance a genome's own Hyper is nudged.
    pub hyper: f32,
    pub activations: Vec<Activation>,
    pub run_steps: usize,
}

impl Rates {
    /// The rates an experiment's settings give.
    pub fn of(config: &Config) -> Rates {
        Rates {
            add_node: config.add_node,
            add_conn: config.add_conn,
            toggle: config.toggle,
            perturb: config.perturb,
            replace: config.replace,
            act_change: config.act_change,
            hyper: config.hyper,
            activations: config.activations.clone(),
            run_steps: config.steps,
        }
    }
}

/// NEAT's mutation as the generic searches see it (`search::Mutation`): the run's rates and
/// its innovation registry, which every child's new genes are numbered in.
pub struct Variation<'a> {
    pub rates: &'a Rates,
    pub registry: &'a mut Innovations,
}

impl crate::search::Mutation<Genome> for Variation<'_> {
    fn mutate(&mut self, genome: &mut Genome, rng: &mut Stream) {
        mutate(genome, self.rates, self.registry, rng);
    }
}

/// Applies each mutation with its rate.
pub fn mutate(genome: &mut Genome, rates: &Rates, registry: &mut Innovations, rng: &mut Stream) {
    if rng.chance(rates.add_node) {
        add_node(genome, &rates.activations, registry, rng);
    }
    if rng.chance(rates.add_conn) {
        add_connection(genome, registry, rng);
    }
    if rng.chance(rates.toggle) {
        toggle_connection(genome, rng);
    }
    if rng.chance(rates.perturb) {
        perturb_weights(genome, rates.replace, rng);
    }
    if rng.chance(rates.act_change) {
        change_activation(genome, &rates.activations, rng);
    }
    if let Some(hyper) = genome.hyper.as_mut().filter(|_| rng.chance(rates.hyper)) {
        hyper.perturb(rates.run_steps, rng);
    }
}

/// Rates that grow a network quickly, every activation allowed: the shapes `grown` makes.
pub fn growth_rates() -> Rates {
    Rates {
        add_node: 0.5,
        add_conn: 0.6,
        toggle: 0.2,
        perturb: 0.5,
        replace: 0.1,
        act_change: 0.3,
        hyper: 0.0,
        activations: crate::activation::ALL.to_vec(),
        run_steps: 100,
    }
}

/// Logistic regression grown by `rounds` mutations at `rates` (tests use `growth_rates`), drawn
/// from `rng`: the varied, valid genomes that tests and benchmarks need, made one way.
pub fn grown(registry: &mut Innovations, rng: &mut Stream, rounds: usize, rates: &Rates) -> Genome {
    let mut genome = Genome::logistic(registry, rng);
    for _ in 0..rounds {
        mutate(&mut genome, rates, registry, rng);
    }
    genome
}

/// Splits a random enabled connection a->b into a->new (weight 1) and new->b (the old
/// weight), so the network computes nearly what it did and training starts from there.
pub fn add_node(genome: &mut Genome, allowed: &[Activation], registry: &mut Innovations, rng: &mut Stream) -> bool {
    let enabled: Vec<usize> = (0..genome.conns.len()).filter(|&i| genome.conns[i].enabled).collect();
    if enabled.is_empty() || allowed.is_empty() {
        return false;
    }
    let index = *rng.pick(&enabled);
    let old = genome.conns[index];
    let mut nth = 0;
    let id = loop {
        let id = registry.split(old.innovation, nth);
        if genome.node(id).is_none() {
            break id;
        }
        nth += 1;
    };
    genome.conns[index].enabled = false;
    genome.insert_node(NodeGene { id, role: Role::Hidden, activation: *rng.pick(allowed) });
    for (from, to, weight) in [(old.from, id, 1.0), (id, old.to, old.weight)] {
        let innovation = registry.connection(from, to);
        genome.insert_conn(ConnGene { innovation, from, to, weight, enabled: true });
    }
    true
}

/// Adds a connection between two unconnected nodes that keeps the network feed-forward: a
/// random target, then a random source among the nodes it does not already reach.
pub fn add_connection(genome: &mut Genome, registry: &mut Innovations, rng: &mut Stream) -> bool {
    const TRIES: usize = 4;
    let targets: Vec<u32> = genome.nodes.iter().filter(|n| matches!(n.role, Role::Hidden | Role::Output)).map(|n| n.id).collect();
    for _ in 0..TRIES {
        let to = *rng.pick(&targets);
        let below = genome.descendants(to);
        let existing: Vec<u32> = genome.conns.iter().filter(|c| c.to == to).map(|c| c.from).collect();
        let sources: Vec<u32> = genome
            .nodes
            .iter()
            .zip(&below)
            .filter(|(n, &reached)| n.role != Role::Output && !reached && !existing.contains(&n.id))
            .map(|(n, _)| n.id)
            .collect();
        if !sources.is_empty() {
            let from = *rng.pick(&sources);
            let innovation = registry.connection(from, to);
            genome.insert_conn(ConnGene { innovation, from, to, weight: rng.normal(), enabled: true });
            return true;
        }
    }
    false
}

/// Flips one connection between enabled and disabled.
pub fn toggle_connection(genome: &mut Genome, rng: &mut Stream) -> bool {
    if genome.conns.is_empty() {
        return false;
    }
    let i = rng.below(genome.conns.len());
    genome.conns[i].enabled = !genome.conns[i].enabled;
    true
}

/// Nudges every weight by Gaussian noise, or with chance `replace` draws it afresh.
pub fn perturb_weights(genome: &mut Genome, replace: f32, rng: &mut Stream) {
    for c in &mut genome.conns {
        if rng.chance(replace) {
            c.weight = rng.normal();
        } else {
            c.weight += PERTURB_SIGMA * rng.normal();
        }
    }
}

/// Gives one hidden node another activation from the allowed set.
pub fn change_activation(genome: &mut Genome, allowed: &[Activation], rng: &mut Stream) -> bool {
    let hidden: Vec<usize> = (0..genome.nodes.len()).filter(|&i| genome.nodes[i].role == Role::Hidden).collect();
    if hidden.is_empty() {
        return false;
    }
    let i = *rng.pick(&hidden);
    let others: Vec<Activation> = allowed.iter().copied().filter(|&a| a != genome.nodes[i].activation).collect();
    if others.is_empty() {
        return false;
    }
    genome.nodes[i].activation = *rng.pick(&others);
    true
}

/// NEAT crossover aligned by innovation number. Matching genes take weight (and node
/// activation) from either parent at random; disjoint and excess genes come from `fitter`.
pub fn crossover(fitter: &Genome, other: &Genome, rng: &mut Stream) -> Genome {
    let nodes = fitter
        .nodes
        .iter()
        .map(|n| match other.node(n.id) {
            Some(m) if n.role == Role::Hidden && rng.chance(0.5) => NodeGene { activation: m.activation, ..*n },
            _ => *n,
        })
        .collect();
    let conns = fitter
        .conns
        .iter()
        .map(|c| {
            let Ok(j) = other.conns.binary_search_by_key(&c.innovation, |d| d.innovation) else {
                return *c;
            };
            let d = other.conns[j];
            let weight = if rng.chance(0.5) { c.weight } else { d.weight };
            let enabled = if !c.enabled || !d.enabled { !rng.chance(KEEP_DISABLED) } else { true };
            ConnGene { weight, enabled, ..*c }
        })
        .collect();
    let hyper = match (fitter.hyper, other.hyper) {
        (Some(a), Some(b)) => Some(Hyper::cross(a, b, rng)),
        (own, _) => own,
    };
    Genome { nodes, conns, hyper }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Purpose;

    #[test]
    fn ten_thousand_mutations_keep_every_invariant() {
        let mut registry = Innovations::default();
        let mut pairs = std::collections::HashMap::new();
        let config = Config { add_node: 0.5, add_conn: 0.6, toggle: 0.3, act_change: 0.3, ..Config::default() };
        for seed in 0..20 {
            let mut rng = Stream::new(seed, Purpose::Bench, 0, 0);
            let mut g = Genome::logistic(&mut registry, &mut rng);
            for step in 0..500 {
                mutate(&mut g, &Rates::of(&config), &mut registry, &mut rng);
                if step % 25 == 0 || step == 499 {
                    g.validate().unwrap_or_else(|e| panic!("seed {seed} step {step}: {e}"));
                }
            }
            g.validate().unwrap();
            for c in &g.conns {
                let pair = *pairs.entry(c.innovation).or_insert((c.from, c.to));
                assert_eq!(pair, (c.from, c.to), "innovation {} names two pairs", c.innovation);
            }
            assert!(g.hidden_nodes() > 10, "seed {seed} grew only {} nodes", g.hidden_nodes());
        }
    }

    #[test]
    fn crossover_aligns_genes_and_keeps_the_fitter_structure() {
        let mut registry = Innovations::default();
        for seed in 0..50 {
            let a = grown(&mut registry, &mut Stream::new(seed, Purpose::Bench, 0, 0), 40, &growth_rates());
            let b = grown(&mut registry, &mut Stream::new(seed + 1000, Purpose::Bench, 0, 0), 40, &growth_rates());
            let child = crossover(&a, &b, &mut Stream::new(seed, Purpose::Breed, 0, 0));
            child.validate().unwrap();
            let shape = |g: &Genome| g.conns.iter().map(|c| (c.innovation, c.from, c.to)).collect::<Vec<_>>();
            assert_eq!(shape(&child), shape(&a));
            for c in &child.conns {
                let from_a = a.conns.iter().find(|d| d.innovation == c.innovation).unwrap().weight;
                let from_b = b.conns.iter().find(|d| d.innovation == c.innovation).map(|d| d.weight);
                assert!(c.weight == from_a || Some(c.weight) == from_b);
            }
        }
    }

    #[test]
    fn add_node_splits_a_connection() {
        let mut registry = Innovations::default();
        let mut rng = Stream::new(1, Purpose::Bench, 0, 0);
        let mut g = Genome::logistic(&mut registry, &mut rng);
        assert!(add_node(&mut g, &[Activation::Sine], &mut registry, &mut rng));
        assert_eq!((g.nodes.len(), g.conns.len(), g.enabled_connections()), (5, 5, 4));
        let split = g.conns.iter().find(|c| !c.enabled).unwrap();
        let hidden = g.nodes.iter().find(|n| n.role == Role::Hidden).unwrap();
        assert_eq!(hidden.activation, Activation::Sine);
        assert!(g.has_pair(split.from, hidden.id) && g.has_pair(hidden.id, split.to));
    }
}
