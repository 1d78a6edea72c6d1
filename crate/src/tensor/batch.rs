//! A batch of sequences and what the readout is scored against, laid out lane by lane.

use super::kernels::LANES;

/// What the readout is scored on: at the last step only, or at every step.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// Mean squared error against `values[(s * outputs + o) * batch + b]`.
    Values(Vec<f32>),
    /// Softmax cross-entropy against `classes[s * batch + b]`; `UNSCORED` leaves a step out.
    Classes(Vec<u32>),
}

/// A class label that is not scored (a step of a sequence whose symbol is free).
pub const UNSCORED: u32 = u32::MAX;

/// `batch` sequences of `length` steps of `inputs` values, batch-minor:
/// `x[(t * inputs + i) * batch + b]`. The batch is padded to a multiple of LANES; the padded
/// lanes hold zeros and are never scored.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    pub length: usize,
    pub inputs: usize,
    /// Lanes, padded.
    pub batch: usize,
    /// Sequences in use (the lanes below it).
    pub real: usize,
    pub x: Vec<f32>,
    /// Scored at every step (`true`) or at the last step.
    pub every_step: bool,
    pub target: Target,
}

impl Batch {
    /// A batch from sequences given one by one: `x[s]` is sequence s, `length * inputs` values
    /// step by step; `target(s)` its targets for each scored step (`outputs` values, or one class).
    pub fn from_sequences(x: &[Vec<f32>], inputs: usize, every_step: bool, target: Target) -> Result<Batch, String> {
        let real = x.len();
        let length = x.first().map_or(0, |s| s.len() / inputs.max(1));
        if real == 0 || length == 0 || x.iter().any(|s| s.len() != length * inputs) {
            return Err(format!("a batch needs sequences of one length, a whole number of {inputs}-wide steps"));
        }
        let batch = real.div_ceil(LANES) * LANES;
        let mut lanes = vec![0.0; length * inputs * batch];
        for (b, s) in x.iter().enumerate() {
            for (k, &v) in s.iter().enumerate() {
                lanes[k * batch + b] = v;
            }
        }
        let steps = if every_step { length } else { 1 };
        let target = match target {
            Target::Values(v) => Target::Values(pad(&v, real, batch, steps, 0.0)?),
            Target::Classes(c) => Target::Classes(pad(&c, real, batch, steps, UNSCORED)?),
        };
        Ok(Batch { length, inputs, batch, real, x: lanes, every_step, target })
    }

    /// Steps the readout is scored at.
    pub fn scored_steps(&self) -> usize {
        if self.every_step {
            self.length
        } else {
            1
        }
    }

    /// x(t), `inputs` rows of `batch` lanes.
    pub fn input(&self, t: usize) -> &[f32] {
        &self.x[t * self.inputs * self.batch..][..self.inputs * self.batch]
    }
}

/// Per-sequence targets (`steps * width` each, sequence-major) as lanes `((s * width + o) * batch + b)`.
fn pad<T: Copy>(v: &[T], real: usize, batch: usize, steps: usize, fill: T) -> Result<Vec<T>, String> {
    if v.is_empty() || !v.len().is_multiple_of(real * steps) {
        return Err(format!("{} targets for {real} sequences of {steps} scored steps", v.len()));
    }
    let width = v.len() / (real * steps);
    let mut lanes = vec![fill; steps * width * batch];
    for b in 0..real {
        for k in 0..steps * width {
            lanes[k * batch + b] = v[b * steps * width + k];
        }
    }
    Ok(lanes)
}
