//! A cell as the page draws it: its nodes in layers from the leaves up, each with its label, its
//! place in the layer and the memory paths that run through it.
//!
//! c_k(t) is one node: a node that reads it (`Node::Fresh`) is drawn reading the root that
//! computes it, as the lecture's LSTM diagram draws h(t) reading the new cell state. h(t-1)
//! and each c_k(t-1) are one value however many nodes read them, so each is drawn once; each
//! x(t) leaf is a learned projection of its own (`Wx`), so each is drawn. A memory
//! path k is every node between c_k(t-1) and c_k(t), the route the cell's state takes from one
//! step to the next (LSTM's is one multiply and one add: its constant error carousel).

use super::cell::{Cell, Node};
use serde::Serialize;

/// One node as drawn.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Shown {
    /// What it is: input, hidden, memory, bias, proj, add, sub, mult or act.
    pub kind: &'static str,
    /// Its label: `Wx`, `h(t-1)`, `c0(t-1)`, `b`, `W`, `+`, `-`, `×`, an activation's name.
    pub label: String,
    /// Drawn indices of the nodes it reads.
    pub inputs: Vec<usize>,
    /// 0 for the leaves; one more than its highest input.
    pub layer: usize,
    /// Its place in the layer, from 0.
    pub order: usize,
    /// What it computes when it is a root: `h(t)`, `c0(t)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root: Option<String>,
    /// The memory cells whose path runs through it.
    pub paths: Vec<u8>,
}

/// A cell's drawing: its nodes (leaves first) and how many layers they fill.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Drawing {
    pub nodes: Vec<Shown>,
    pub layers: usize,
    pub memory_cells: usize,
    /// The cell written out (`Cell::describe`).
    pub text: String,
}

/// Sweeps of the barycentre ordering (each up, then down).
const SWEEPS: usize = 4;

/// The drawing of `cell`.
pub fn draw(cell: &Cell) -> Drawing {
    // Fresh(k) leaves are drawn as the root of cell k, a repeated h(t-1) or c_k(t-1) as its
    // first; `drawn[i]` is node i's drawn index.
    let first = |node: Node| cell.nodes.iter().position(|&n| n == node).unwrap_or(0);
    let resolve = |i: usize| match cell.nodes[i] {
        Node::Fresh(k) => cell.cells[k as usize],
        leaf @ (Node::Hidden | Node::Memory(_)) => first(leaf),
        _ => i,
    };
    let kept: Vec<usize> = (0..cell.nodes.len()).filter(|&i| resolve(i) == i).collect();
    let mut drawn = vec![0; cell.nodes.len()];
    kept.iter().enumerate().for_each(|(d, &i)| drawn[i] = d);
    let mut nodes: Vec<Shown> = Vec::with_capacity(kept.len());
    for &i in &kept {
        let inputs: Vec<usize> = cell.nodes[i].children().into_iter().map(|c| drawn[resolve(c)]).collect();
        // Evaluation order puts a cell's root before its readers, so inputs are drawn already.
        let layer = inputs.iter().map(|&d| nodes[d].layer + 1).max().unwrap_or(0);
        let (kind, label) = label_of(cell.nodes[i]);
        nodes.push(Shown { kind, label, inputs, layer, order: 0, root: None, paths: Vec::new() });
    }
    // A node may be several roots at once (c_0(t) = h(t)): its label names them all.
    let names = cell.cells.iter().enumerate().map(|(k, &root)| (root, format!("c{k}(t)"))).chain([(cell.hidden, "h(t)".to_string())]);
    for (root, name) in names {
        let node = &mut nodes[drawn[resolve(root)]];
        node.root = Some(node.root.take().map_or(name.clone(), |before| format!("{before} = {name}")));
    }
    for (k, &root) in cell.cells.iter().enumerate() {
        mark_path(&mut nodes, drawn[resolve(root)], k as u8);
    }
    let layers = nodes.iter().map(|n| n.layer + 1).max().unwrap_or(0);
    order_layers(&mut nodes, layers);
    Drawing { nodes, layers, memory_cells: cell.cells.len(), text: cell.describe() }
}

fn label_of(node: Node) -> (&'static str, String) {
    match node {
        Node::Input => ("input", "Wx".into()),
        Node::Hidden => ("hidden", "h(t-1)".into()),
        Node::Memory(k) | Node::Fresh(k) => ("memory", format!("c{k}(t-1)")),
        Node::Bias => ("bias", "b".into()),
        Node::Proj(_) => ("proj", "W".into()),
        Node::Add(..) => ("add", "+".into()),
        Node::Sub(..) => ("sub", "\u{2212}".into()),
        Node::Mult(..) => ("mult", "\u{00D7}".into()),
        Node::Act(kind, _) => ("act", kind.name().into()),
    }
}

/// Marks path `k`: the nodes that `root` reaches and that reach c_k(t-1).
fn mark_path(nodes: &mut [Shown], root: usize, k: u8) {
    let leaf = format!("c{k}(t-1)");
    // Nodes come after their inputs, so one pass up gives "reaches the leaf".
    let mut reaches = vec![false; nodes.len()];
    for d in 0..nodes.len() {
        reaches[d] = nodes[d].label == leaf && nodes[d].kind == "memory" || nodes[d].inputs.iter().any(|&c| reaches[c]);
    }
    let mut stack = vec![root];
    let mut seen = vec![false; nodes.len()];
    while let Some(d) = stack.pop() {
        if std::mem::replace(&mut seen[d], true) || !reaches[d] {
            continue;
        }
        nodes[d].paths.push(k);
        stack.extend(nodes[d].inputs.iter().copied());
    }
    nodes.iter_mut().for_each(|n| n.paths.sort_unstable());
}

/// Orders each layer by the mean place of its nodes' neighbours (barycentres), sweeping up
/// from the leaves and down from the roots, so edges cross less.
fn order_layers(nodes: &mut [Shown], layers: usize) {
    let mut place: Vec<f32> = (0..nodes.len()).map(|d| d as f32).collect();
    let readers: Vec<Vec<usize>> = (0..nodes.len()).map(|d| (0..nodes.len()).filter(|&r| nodes[r].inputs.contains(&d)).collect()).collect();
    let mean = |of: &[usize], place: &[f32]| (!of.is_empty()).then(|| of.iter().map(|&c| place[c]).sum::<f32>() / of.len() as f32);
    for sweep in 0..2 * SWEEPS {
        let up = sweep % 2 == 0;
        let order: Vec<usize> = if up { (0..layers).collect() } else { (0..layers).rev().collect() };
        for layer in order {
            let mut members: Vec<(f32, usize)> = (0..nodes.len())
                .filter(|&d| nodes[d].layer == layer)
                .map(|d| (mean(if up { &nodes[d].inputs } else { &readers[d] }, &place).unwrap_or(place[d]), d))
                .collect();
            members.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            for (k, &(_, d)) in members.iter().enumerate() {
                place[d] = k as f32;
            }
        }
    }
    for (d, node) in nodes.iter_mut().enumerate() {
        node.order = place[d] as usize;
    }
}
