//! A network drawn as its blueprint with each node expanded into its module: every layer a
//! box at the depth of its longest path from the input, boxes grouped by blueprint node and
//! coloured by module species (the page draws it), so one module reused shows as repeats.

use super::blueprint::Blueprint;
use super::graph::INPUT;
use super::module::Module;
use serde::Serialize;
use std::collections::BTreeMap;

/// One tile: the input, a module's layer, or the output layer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tile {
    pub label: String,
    /// The blueprint node it belongs to and that node's species (none for input and output).
    pub group: Option<u32>,
    pub species: Option<u32>,
    /// Longest path from the input, and the place among the boxes of that depth.
    pub depth: usize,
    pub row: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Drawing {
    pub tiles: Vec<Tile>,
    /// Box index pairs (from, to).
    pub edges: Vec<(usize, usize)>,
    pub depth: usize,
}

/// The drawing of `blueprint` with `modules` (one per species it names) and `classes` outputs.
pub fn draw(blueprint: &Blueprint, modules: &BTreeMap<u32, &Module>, classes: usize) -> Drawing {
    let mut boxes = vec![Tile { label: "input".into(), group: None, species: None, depth: 0, row: 0 }];
    let mut edges = Vec::new();
    let graph = &blueprint.graph;
    // Each blueprint node's outputs: the boxes of its module's sinks.
    let mut outputs: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for id in graph.order().unwrap_or_default() {
        let species = graph.node(id).map_or(0, |n| n.gene);
        let feeds: Vec<usize> = graph.inputs(id).flat_map(|f| if f == INPUT { vec![0] } else { outputs.get(&f).cloned().unwrap_or_default() }).collect();
        let Some(module) = modules.get(&species) else { continue };
        let mut placed: BTreeMap<u32, usize> = BTreeMap::new();
        for layer in module.order().unwrap_or_default() {
            let k = boxes.len();
            let label = module.node(layer).map_or(String::new(), |n| n.gene.describe());
            boxes.push(Tile { label, group: Some(id), species: Some(species), depth: 0, row: 0 });
            for from in module.inputs(layer) {
                if from == INPUT {
                    edges.extend(feeds.iter().map(|&f| (f, k)));
                } else {
                    edges.push((placed[&from], k));
                }
            }
            placed.insert(layer, k);
        }
        outputs.insert(id, module.sinks().iter().map(|s| placed[s]).collect());
    }
    let out = boxes.len();
    boxes.push(Tile { label: format!("dense{classes} (logits)"), group: None, species: None, depth: 0, row: 0 });
    edges.extend(graph.sinks().iter().flat_map(|s| outputs.get(s).cloned().unwrap_or_default()).map(|f| (f, out)));
    place(&mut boxes, &edges);
    let depth = boxes.iter().map(|b| b.depth).max().unwrap_or(0);
    Drawing { tiles: boxes, edges, depth }
}

/// Depths by longest path (edges run from earlier boxes to later ones), rows in box order.
fn place(boxes: &mut [Tile], edges: &[(usize, usize)]) {
    for k in 0..boxes.len() {
        boxes[k].depth = edges.iter().filter(|e| e.1 == k).map(|e| boxes[e.0].depth + 1).max().unwrap_or(0);
    }
    let mut rows: BTreeMap<usize, usize> = BTreeMap::new();
    for b in boxes.iter_mut() {
        let row = rows.entry(b.depth).or_insert(0);
        b.row = *row;
        *row += 1;
    }
}
