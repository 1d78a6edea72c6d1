//! The Program: the flat, topologically ordered op list that every scalar trainer executes.
//!
//! Slots 0, 1 and 2 hold input x, input y and the bias (1.0); each computed node gets the next
//! slot in topological order, so every edge reads a slot lower than the one it writes, and the
//! result slot is the last. The arrays are plain u32/f32 so the GPU trainer can read the same
//! Program from storage buffers. A scene compiles its genomes to Programs (NEAT's: scene/neat/
//! compile.rs); the engine knows no genome.

use crate::activation::Activation;
use crate::hyper::Hyper;

/// Slots filled from the data rather than computed.
pub const INPUT_SLOTS: usize = 3;

/// One computed node: its slot, its activation code, and its incoming edges
/// `edges[first_edge .. first_edge + edge_count]`.
#[derive(Clone, Copy, Debug, PartialEq)]
#[repr(C)]
pub struct NodeOp {
    pub slot: u32,
    pub activation: u32,
    pub first_edge: u32,
    pub edge_count: u32,
}

/// One weighted input: the slot it reads and the index of its weight.
#[derive(Clone, Copy, Debug, PartialEq)]
#[repr(C)]
pub struct Edge {
    pub source: u32,
    pub weight: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    /// Input slots plus one per computed node.
    pub slots: usize,
    pub nodes: Vec<NodeOp>,
    pub edges: Vec<Edge>,
    /// The trainable parameters, one per edge.
    pub weights: Vec<f32>,
    /// For each weight, the index of the parameter it came from (NEAT: its connection gene).
    pub weight_conn: Vec<u32>,
    /// The slot whose value is the program's result.
    pub result_slot: usize,
    /// Its own learning rate and steps, which override the run's (see hyper.rs).
    pub hyper: Option<Hyper>,
}

impl NodeOp {
    pub fn activation(&self) -> Activation {
        Activation::from_code(self.activation).unwrap_or(Activation::Identity)
    }

    pub fn edge_range(&self) -> std::ops::Range<usize> {
        self.first_edge as usize..(self.first_edge + self.edge_count) as usize
    }
}

impl Program {
    /// Evaluates the program at one point with plain scalar code: the reference the batched
    /// trainers are checked against.
    pub fn eval_point(&self, x: f32, y: f32) -> f32 {
        let mut values = vec![0.0f32; self.slots];
        values[..INPUT_SLOTS].copy_from_slice(&[x, y, 1.0]);
        for node in &self.nodes {
            let act = node.activation();
            let mut combined = if act.is_product() && node.edge_count > 0 { 1.0 } else { 0.0 };
            for e in &self.edges[node.edge_range()] {
                let term = self.weights[e.weight as usize] * values[e.source as usize];
                if act.is_product() {
                    combined *= term
                } else {
                    combined += term
                }
            }
            values[node.slot as usize] = act.value(combined);
        }
        values[self.result_slot]
    }
}
