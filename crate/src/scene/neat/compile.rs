//! Genome -> Program: NEAT's step onto the scalar engine, and the trained weights back.
//!
//! Each computed node gets the next slot in topological order and the sink (the output, or
//! any node whose own output a view wants) takes the last slot. Nodes with no path to the sink
//! are left out: they cannot change its value.

use crate::activation::Activation;
use crate::genome::{Genome, BIAS, INPUT_X, INPUT_Y, OUTPUT};
use crate::program::{Edge, NodeOp, Program, INPUT_SLOTS};

/// Compiles the whole network (its output node). The genome must be valid.
pub fn compile(genome: &Genome) -> Program {
    compile_to(genome, OUTPUT)
}

/// Compiles the part of the network that node `sink` depends on, so its value is the result.
pub fn compile_to(genome: &Genome, sink: u32) -> Program {
    let source_slot = |id: u32| match id {
        INPUT_X => Some(0),
        INPUT_Y => Some(1),
        BIAS => Some(2),
        _ => None,
    };
    let order = live_order(genome, sink);
    let mut slot_of = std::collections::HashMap::new();
    let mut program = Program {
        slots: INPUT_SLOTS + order.len(),
        nodes: Vec::with_capacity(order.len()),
        edges: Vec::new(),
        weights: Vec::new(),
        weight_conn: Vec::new(),
        result_slot: source_slot(sink).unwrap_or(INPUT_SLOTS + order.len().saturating_sub(1)),
        hyper: genome.hyper,
    };
    for (k, &id) in order.iter().enumerate() {
        let slot = (INPUT_SLOTS + k) as u32;
        slot_of.insert(id, slot);
        let first_edge = program.edges.len() as u32;
        for (ci, c) in genome.conns.iter().enumerate().filter(|(_, c)| c.enabled && c.to == id) {
            let source = source_slot(c.from).or_else(|| slot_of.get(&c.from).copied().map(|s| s as usize));
            // A source that is neither an input nor computed has no path from the inputs
            // through live nodes; `live_order` only omits nodes not reaching the sink, and a
            // source of a live node always reaches it, so this is always Some.
            let Some(source) = source else { continue };
            program.edges.push(Edge { source: source as u32, weight: program.weights.len() as u32 });
            program.weights.push(c.weight);
            program.weight_conn.push(ci as u32);
        }
        let activation = genome.node(id).map_or(Activation::Identity, |n| n.activation).code();
        let edge_count = program.edges.len() as u32 - first_edge;
        program.nodes.push(NodeOp { slot, activation, first_edge, edge_count });
    }
    program
}

/// The computed nodes `sink` depends on through enabled connections, sink included, in a
/// topological order that breaks ties by node id (so it is the same everywhere).
fn live_order(genome: &Genome, sink: u32) -> Vec<u32> {
    if matches!(sink, INPUT_X | INPUT_Y | BIAS) {
        return Vec::new();
    }
    let enabled: Vec<_> = genome.conns.iter().filter(|c| c.enabled).collect();
    let mut live = vec![sink];
    let mut stack = vec![sink];
    while let Some(at) = stack.pop() {
        for c in enabled.iter().filter(|c| c.to == at) {
            if !matches!(c.from, INPUT_X | INPUT_Y | BIAS) && !live.contains(&c.from) {
                live.push(c.from);
                stack.push(c.from);
            }
        }
    }
    live.sort_unstable();
    let mut waiting: Vec<usize> = live.iter().map(|&id| enabled.iter().filter(|c| c.to == id && live.contains(&c.from)).count()).collect();
    let mut order = Vec::with_capacity(live.len());
    while order.len() < live.len() {
        let Some(k) = (0..live.len()).find(|&k| waiting[k] == 0) else { break };
        waiting[k] = usize::MAX;
        order.push(live[k]);
        for c in enabled.iter().filter(|c| c.from == live[k]) {
            if let Ok(j) = live.binary_search(&c.to) {
                waiting[j] -= 1;
            }
        }
    }
    order
}

/// The genome's connection weights (in gene order) with `program`'s weights in place of those
/// it trained; connections it left out keep theirs.
pub fn trained_weights(program: &Program, genome: &Genome) -> Vec<f32> {
    let mut weights: Vec<f32> = genome.conns.iter().map(|c| c.weight).collect();
    for (w, &ci) in program.weights.iter().zip(&program.weight_conn) {
        weights[ci as usize] = *w;
    }
    weights
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::genome::Innovations;
    use crate::rng::{Purpose, Stream};
    use crate::scene::neat::mutation::{add_connection, add_node};

    #[test]
    fn logistic_regression_compiles_to_one_sigmoid() {
        let mut registry = Innovations::default();
        let mut rng = Stream::new(5, Purpose::Bench, 0, 0);
        let g = Genome::logistic(&mut registry, &mut rng);
        let p = compile(&g);
        assert_eq!((p.slots, p.nodes.len(), p.edges.len(), p.result_slot), (4, 1, 3, 3));
        let w: Vec<f32> = g.conns.iter().map(|c| c.weight).collect();
        let expected = crate::activation::sigmoid(w[0] * 0.5 + w[1] * -2.0 + w[2]);
        assert_eq!(p.eval_point(0.5, -2.0), expected);
    }

    #[test]
    fn edges_read_only_earlier_slots_and_dead_ends_are_dropped() {
        let mut registry = Innovations::default();
        let mut rng = Stream::new(9, Purpose::Bench, 0, 0);
        let mut g = Genome::logistic(&mut registry, &mut rng);
        for _ in 0..12 {
            add_node(&mut g, &crate::scene::neat::config::default_activations(), &mut registry, &mut rng);
            add_connection(&mut g, &mut registry, &mut rng);
        }
        let p = compile(&g);
        for node in &p.nodes {
            for e in &p.edges[node.edge_range()] {
                assert!(e.source < node.slot);
            }
        }
        assert_eq!(p.result_slot, p.slots - 1);
        // Cut every way into the output but one: nodes feeding only the cut paths vanish.
        let mut cut = g.clone();
        for c in cut.conns.iter_mut().filter(|c| c.to == OUTPUT) {
            c.enabled = c.from == INPUT_X;
        }
        let q = compile(&cut);
        assert_eq!((q.nodes.len(), q.edges.len()), (1, 1));
    }
}
