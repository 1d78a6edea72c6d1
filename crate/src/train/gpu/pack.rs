//! The population packed into the shader's buffers, and the readback unpacked into outcomes.

use super::CHUNK;
use crate::dataset::{Dataset, Points};
use crate::program::Program;
use crate::train::Optimizer;
use crate::train::{Outcome, Settings};

/// The population packed for the shader (see the binding comments in trainer.wgsl).
pub struct Packed {
    pub params: [u32; 12],
    pub code: Vec<u32>,
    pub weights: Vec<f32>,
    pub points: Vec<[f32; 4]>,
    pub genomes: usize,
    /// Training and test chunks of CHUNK points each.
    pub chunks: (usize, usize),
}

impl Packed {
    /// Bytes of the readback: trained weights, per-genome state, per-chunk scores.
    pub fn readback_sizes(&self) -> [usize; 3] {
        let (train, test) = self.chunks;
        [self.weights.len().max(4) * 4, self.genomes * 8, self.genomes * (train + test) * 8]
    }
}

/// Storage buffers must not be empty; a zero-weight population still binds 16 bytes.
pub fn pad16(values: &[f32]) -> Vec<f32> {
    let mut out = values.to_vec();
    out.resize(values.len().max(4), 0.0);
    out
}

/// As `pad16`, for the code buffer (an empty population has no code).
pub fn pad16_u32(values: &[u32]) -> Vec<u32> {
    let mut out = values.to_vec();
    out.resize(values.len().max(4), 0);
    out
}

fn push_points(out: &mut Vec<[f32; 4]>, points: &Points) -> usize {
    let chunks = points.len().div_ceil(CHUNK).max(1);
    for i in 0..chunks * CHUNK {
        out.push(if i < points.len() { [points.x[i], points.y[i], points.label[i], 1.0] } else { [0.0; 4] });
    }
    chunks
}

/// Chunks of training points the shader splits `data` into.
pub fn train_chunks(data: &Dataset) -> usize {
    data.train.len().div_ceil(CHUNK).max(1)
}

/// Steps the submission must encode: the most any genome takes (the others sit out the rest).
pub fn most_steps(programs: &[Program], settings: &Settings) -> usize {
    programs.iter().map(|p| settings.for_genome(p.hyper).steps).max().unwrap_or(0)
}

pub fn pack(programs: &[Program], data: &Dataset, settings: &Settings) -> Packed {
    let mut code = Vec::new();
    let (mut nodes, mut edges, mut weights) = (Vec::new(), Vec::new(), Vec::new());
    for p in programs {
        let genome = [nodes.len() / 4, p.nodes.len(), edges.len() / 2, weights.len(), p.weights.len(), p.result_slot];
        code.extend(genome.iter().map(|&v| v as u32));
        let own = settings.for_genome(p.hyper);
        code.extend([own.lr.to_bits(), own.steps as u32]);
        for n in &p.nodes {
            nodes.extend([n.slot, n.activation, n.first_edge, n.edge_count]);
        }
        for e in &p.edges {
            edges.extend([e.source, e.weight]);
        }
        weights.extend(&p.weights);
    }
    let node_base = code.len();
    code.extend(nodes);
    let edge_base = code.len();
    code.extend(edges);
    let mut points = Vec::new();
    let train_chunks = push_points(&mut points, &data.train);
    let test_chunks = push_points(&mut points, &data.test);
    let optimizer = match settings.optimizer {
        Optimizer::Adam => 0,
        Optimizer::Rmsprop => 1,
    };
    let params = [
        programs.len() as u32,
        data.train.len() as u32,
        test_chunks as u32,
        train_chunks as u32,
        weights.len() as u32,
        optimizer,
        settings.decay.to_bits(),
        settings.clip.to_bits(),
        node_base as u32,
        edge_base as u32,
        settings.jitter.to_bits(),
        settings.jitter_key,
    ];
    Packed { params, code, weights, points, genomes: programs.len(), chunks: (train_chunks, test_chunks) }
}

/// Reads trained weights and scores back into the programs and their outcomes. A failed
/// genome keeps its weights, as on the CPU.
pub fn unpack(programs: &mut [Program], packed: &Packed, raw: &[u8], data: &Dataset) -> Vec<Outcome> {
    let [weight_bytes, state_bytes, _] = packed.readback_sizes();
    let weights: &[f32] = bytemuck::cast_slice(&raw[..weight_bytes]);
    let state: &[u32] = bytemuck::cast_slice(&raw[weight_bytes..weight_bytes + state_bytes]);
    let scores: &[f32] = bytemuck::cast_slice(&raw[weight_bytes + state_bytes..]);
    let (train_chunks, test_chunks) = packed.chunks;
    let row_len = 2 * (train_chunks + test_chunks);
    let mut at = 0;
    programs
        .iter_mut()
        .enumerate()
        .map(|(g, program)| {
            let trained = &weights[at..at + program.weights.len()];
            at += program.weights.len();
            let row = &scores[g * row_len..(g + 1) * row_len];
            let sum = |chunks: std::ops::Range<usize>, k: usize| chunks.map(|c| row[2 * c + k]).sum::<f32>();
            let loss = sum(0..train_chunks, 0) / data.train.len() as f32;
            if state[2 * g + 1] != 0 || !loss.is_finite() {
                return Outcome::failed(program.edges.len());
            }
            program.weights.copy_from_slice(trained);
            let test = train_chunks..train_chunks + test_chunks;
            Outcome {
                loss,
                train_accuracy: sum(0..train_chunks, 1) / data.train.len() as f32,
                test_accuracy: if data.test.is_empty() { 0.0 } else { sum(test, 1) / data.test.len() as f32 },
                failed: false,
                active_connections: program.edges.len(),
            }
        })
        .collect()
}
