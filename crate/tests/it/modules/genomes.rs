//! The module and blueprint operators over many random draws, assembly, and the drawing.

use crate::tensor::net::{check_gradients, samples};
use evonas::rng::{Purpose, Stream};
use evonas::scene::modules::assemble::{assemble, MAX_COST};
use evonas::scene::modules::block::{Block, Kind, Merge, Pooling};
use evonas::scene::modules::blueprint::{Blueprint, EpochRange, Hyper, Rates};
use evonas::scene::modules::drawing::draw;
use evonas::scene::modules::graph::{Graph, Link, Node, INPUT};
use evonas::scene::modules::innovation::Innovations;
use evonas::scene::modules::module::{self, Module};
use evonas::scene::modules::species::{self, Species};
use evonas::tensor::net::{Layer, Shape};
use std::collections::BTreeMap;

const MNIST: Shape = Shape { length: 40, channels: 1 };
const HYPER: Hyper = Hyper { lr: 0.01, batch: 100, epochs: 10 };

/// 10,000 random operations on modules and blueprints: every genome keeps the graph rules,
/// every block its choices, every blueprint its bounds, and every assembly is a valid net (or
/// refused for its cost, never for a broken shape).
#[test]
fn operators_keep_genomes_valid_over_ten_thousand_draws() {
    let mut rng = Stream::new(7, Purpose::Modules, 0, 0);
    let mut mi = Innovations::default();
    let mut bi = Innovations::default();
    let species = [1u32, 2, 3];
    let rates = Rates { species: &species, epochs: EpochRange::around(10) };
    let mut modules: Vec<Module> = (0..12).map(|_| module::minimal(&mut rng, &mut mi)).collect();
    let mut blueprints: Vec<Blueprint> = (0..6).map(|k| Blueprint::minimal(species[k % 3], HYPER, &mut bi)).collect();
    let (mut assembled, mut refused) = (0, 0);
    for step in 0..10_000 {
        let k = rng.below(modules.len());
        modules[k] = if rng.chance(0.2) {
            let other = modules[rng.below(modules.len())].clone();
            module::crossover(&modules[k], &other, &mut rng)
        } else {
            module::mutate(&modules[k], &mut mi, &mut rng)
        };
        modules[k].check().unwrap_or_else(|e| panic!("step {step}: module {e}: {modules:?}"));
        assert!(modules[k].nodes.iter().all(|n| n.gene.check().is_ok()) && modules[k].nodes.len() <= module::MAX_LAYERS);
        let b = rng.below(blueprints.len());
        blueprints[b] = if rng.chance(0.2) {
            let other = blueprints[rng.below(blueprints.len())].clone();
            blueprints[b].crossover(&other, &mut rng)
        } else {
            blueprints[b].mutate(&rates, &mut bi, &mut rng)
        };
        blueprints[b].graph.check().unwrap_or_else(|e| panic!("step {step}: blueprint {e}"));
        blueprints[b].hyper.check().unwrap();
        assert!((5..=20).contains(&blueprints[b].hyper.epochs));
        if step % 20 == 0 {
            let chosen: BTreeMap<u32, &Module> = species.iter().map(|&s| (s, &modules[rng.below(modules.len())])).collect();
            match assemble(&blueprints[b], &chosen, MNIST, 10) {
                Ok(net) => {
                    assembled += 1;
                    net.check().unwrap();
                }
                Err(e) if e.contains("multiply-adds") => refused += 1,
                Err(e) => panic!("step {step}: {e}"),
            }
        }
    }
    assert!(assembled > 400, "{assembled} assembled, {refused} refused as too costly (over {MAX_COST})");
    // The operators do grow structure.
    assert!(modules.iter().any(|m| m.nodes.len() > 2) && blueprints.iter().any(|b| b.graph.nodes.len() > 2));
}

fn block(width: usize, kernel: usize, merge: Merge) -> Block {
    Block { kind: Kind::Conv, width, kernel, stride: 1, activation: evonas::activation::Activation::Relu, pooling: Pooling::None, dropout: 0.0, merge }
}

/// A blueprint chain input -> A -> B -> A' (nodes 1, 2, 3; 1 and 3 draw from species 7).
fn chain_blueprint() -> Blueprint {
    let link = |innovation, from, to| Link { innovation, from, to, enabled: true };
    let nodes = vec![Node { id: 1, gene: 7 }, Node { id: 2, gene: 8 }, Node { id: 3, gene: 7 }];
    Blueprint { graph: Graph { nodes, links: vec![link(1, INPUT, 1), link(2, 1, 2), link(3, 2, 3)] }, hyper: HYPER }
}

#[test]
fn assembly_gives_every_node_of_a_species_the_same_module() {
    let mut mi = Innovations::default();
    let a: Module = Graph::single(block(16, 5, Merge::Concat), &mut mi);
    let b: Module = Graph::single(block(24, 3, Merge::Concat), &mut mi);
    let modules = BTreeMap::from([(7, &a), (8, &b)]);
    let net = assemble(&chain_blueprint(), &modules, MNIST, 10).unwrap();
    let convs: Vec<(usize, usize)> =
        net.layers.iter().filter_map(|l| if let Layer::Conv { channels, kernel, .. } = l { Some((*channels, *kernel)) } else { None }).collect();
    assert_eq!(convs, vec![(16, 5), (24, 3), (16, 5)], "A, B, then A again");
    // Parameters: conv 1->16 k5, conv 16->24 k3, conv 24->16 k5, dense 40*16 -> 10.
    assert_eq!(net.parameters(), (5 * 16 + 16) + (3 * 16 * 24 + 24) + (5 * 24 * 16 + 16) + (40 * 16 * 10 + 10));
    let drawing = draw(&chain_blueprint(), &modules, 10);
    let species: Vec<Option<u32>> = drawing.tiles.iter().map(|t| t.species).collect();
    assert_eq!(species, vec![None, Some(7), Some(8), Some(7), None]);
    assert_eq!(drawing.edges, vec![(0, 1), (1, 2), (2, 3), (3, 4)]);
    assert_eq!(drawing.depth, 4);
}

#[test]
fn merges_align_lengths_by_pooling_and_channels_by_projection() {
    // A module whose node 1 sums node 2 (16 channels at half the length) with the raw input.
    let mut mi = Innovations::default();
    let mut rng = Stream::new(1, Purpose::Modules, 0, 0);
    let m: Module = Graph::single(block(8, 3, Merge::Sum), &mut mi);
    let mut m = m.split(Block { stride: 2, ..block(16, 3, Merge::Concat) }, &mut mi, &mut rng).unwrap(); // in -> 2 -> 1
    m.links.iter_mut().filter(|l| (l.from, l.to) == (INPUT, 1)).for_each(|l| l.enabled = true);
    m.check().unwrap();
    let one = Blueprint { graph: Graph::single(4, &mut Innovations::default()), hyper: HYPER };
    let net = assemble(&one, &BTreeMap::from([(4, &m)]), MNIST, 10).unwrap();
    let shapes = net.check().unwrap();
    let pool = net.layers.iter().position(|l| matches!(l, Layer::Pool { from: 0, size: 2, stride: 2, .. })).expect("the input pooled to 20 positions");
    let projection = net.layers.iter().position(|l| matches!(l, Layer::Conv { kernel: 1, channels: 16, .. })).expect("a 1-wide projection to 16 channels");
    assert_eq!((shapes[pool], shapes[projection]), (Shape { length: 20, channels: 1 }, Shape { length: 20, channels: 16 }));
    let add = net.layers.iter().position(|l| matches!(l, Layer::Add(..))).expect("the sum");
    assert_eq!(shapes[add], Shape { length: 20, channels: 16 });
    // Lengths that do not divide align exactly: a blueprint node reading the input (19
    // positions) and a module that shortens it to 5 concatenates them at 5 (window 7, stride 3).
    let short = Graph::single(Block { stride: 2, pooling: Pooling::Max, ..block(8, 5, Merge::Concat) }, &mut Innovations::default());
    let plain = Graph::single(block(8, 3, Merge::Concat), &mut Innovations::default());
    let link = |innovation, from, to| Link { innovation, from, to, enabled: true };
    let nodes = vec![Node { id: 1, gene: 4 }, Node { id: 2, gene: 5 }];
    let two = Blueprint { graph: Graph { nodes, links: vec![link(1, INPUT, 1), link(2, INPUT, 2), link(3, 1, 2)] }, hyper: HYPER };
    let net = assemble(&two, &BTreeMap::from([(4, &short), (5, &plain)]), Shape { length: 19, channels: 1 }, 3).unwrap();
    let shapes = net.check().unwrap();
    let pool = net.layers.iter().position(|l| matches!(l, Layer::Pool { from: 0, size: 7, stride: 3, .. })).expect("the input pooled from 19 to 5");
    assert_eq!(shapes[pool].length, 5);
}

/// Random assembled networks (drawn as the operators test draws them) have the gradients
/// finite differences give, dropout's masks held fixed.
#[test]
fn assembled_networks_have_the_gradients_finite_differences_give() {
    let mut rng = Stream::new(21, Purpose::Modules, 0, 0);
    let mut mi = Innovations::default();
    let mut bi = Innovations::default();
    let species = [1u32, 2];
    let rates = Rates { species: &species, epochs: EpochRange::around(10) };
    let input = Shape { length: 12, channels: 1 };
    let mut checked = 0;
    while checked < 12 {
        let mut modules: Vec<Module> = (0..2).map(|_| module::minimal(&mut rng, &mut mi)).collect();
        let mut bp = Blueprint::minimal(1, HYPER, &mut bi);
        for _ in 0..6 {
            modules.iter_mut().for_each(|m| *m = module::mutate(m, &mut mi, &mut rng));
            bp = bp.mutate(&rates, &mut bi, &mut rng);
        }
        let small = |m: &Module| m.nodes.iter().all(|n| n.gene.width <= 16);
        if !modules.iter().all(small) {
            continue;
        }
        // Kinks (ReLU, abs, a max pool's ties) break central differences; the layer tests
        // check those ops alone, here the assembly's wiring is what is checked.
        for m in &mut modules {
            for n in &mut m.nodes {
                n.gene.activation = smooth(n.gene.activation);
                n.gene.pooling = if n.gene.pooling == Pooling::None { Pooling::None } else { Pooling::Average };
            }
        }
        let chosen: BTreeMap<u32, &Module> = species.iter().zip(&modules).map(|(&s, m)| (s, m)).collect();
        let net = assemble(&bp, &chosen, input, 3).unwrap();
        let batch = samples(&mut rng, &net, 5);
        check_gradients(&net, &batch, 3 + checked, 60);
        checked += 1;
    }
}

fn smooth(a: evonas::activation::Activation) -> evonas::activation::Activation {
    use evonas::activation::Activation::*;
    match a {
        Relu => Tanh,
        Abs => Sigmoid,
        other => other,
    }
}

#[test]
fn speciation_groups_alike_modules_and_offspring_follow_mean_fitness() {
    let mut mi = Innovations::default();
    let conv = |w, k| Graph::single(block(w, k, Merge::Concat), &mut Innovations::default());
    let a = conv(16, 3);
    let mut rng = Stream::new(2, Purpose::Modules, 0, 0);
    let grown = a.split(block(32, 5, Merge::Sum), &mut mi, &mut rng).unwrap();
    assert_eq!(module::distance(&a, &a), 0.0);
    assert!((module::distance(&a, &conv(24, 3)) - 1.0 / 8.0).abs() < 1e-6, "one of eight hyperparameters differs");
    assert!(module::distance(&a, &grown) > module::distance(&a, &conv(24, 3)));
    let modules = vec![a.clone(), conv(24, 3), grown.clone(), grown];
    let mut next = 5;
    let groups = species::speciate(&modules, &[], 0.3, &mut next);
    let members: Vec<(u32, Vec<usize>)> = groups.iter().map(|s| (s.id, s.members.clone())).collect();
    assert_eq!(members, vec![(5, vec![0, 1]), (6, vec![2, 3])]);
    assert_eq!(next, 7);
    // A species that gains no member ends; the others keep their ids and representatives.
    let far = Block { kind: Kind::Dense, stride: 2, activation: evonas::activation::Activation::Tanh, ..block(64, 7, Merge::Concat) };
    let old = vec![Species { id: 9, representative: Graph::single(far, &mut Innovations::default()), members: vec![] }, groups[0].clone()];
    let again = species::speciate(&modules[..2], &old, 0.3, &mut next);
    assert_eq!(again.iter().map(|s| s.id).collect::<Vec<_>>(), vec![5]);
    // Offspring: in proportion to mean fitness, at least one each, summing to the total.
    assert_eq!(species::offspring(&[0.9, 0.3], 10), vec![7, 3]);
    assert_eq!(species::offspring(&[0.5, 0.5, 0.5], 10), vec![4, 3, 3]);
    assert_eq!(species::offspring(&[1.0, 0.0], 4), vec![3, 1]);
    assert!((species::adjust(0.5, 2, 4) - 0.45).abs() < 1e-6 && (species::adjust(0.5, 6, 4) - 0.55).abs() < 1e-6);
    assert_eq!(species::adjust(0.5, 4, 4), 0.5);
}
