//! The losses a readout is scored by: mean squared error and softmax cross-entropy.
//!
//! Both are means over what is scored (the real lanes at each scored step, and for MSE each
//! output), summed in one fixed order, so a batch gives the same bits wherever it runs.

use super::batch::{Batch, Target, UNSCORED};

/// The loss of a batch and, for classes, the share of scored steps the readout got right.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score {
    pub loss: f32,
    pub accuracy: Option<f32>,
}

/// The loss and (for classes) accuracy of `readout` (scored steps of `outputs` rows of lanes).
/// `grad`, when given, receives the loss's gradient with respect to the readout.
pub fn score(readout: &[f32], outputs: usize, batch: &Batch, grad: Option<&mut [f32]>) -> Score {
    match &batch.target {
        Target::Values(target) => mse(readout, target, outputs, batch, grad),
        Target::Classes(classes) => softmax_ce(readout, classes, outputs, batch, grad),
    }
}

/// The loss's gradient with respect to the readout, into `grad`.
pub fn gradient(readout: &[f32], grad: &mut [f32], outputs: usize, batch: &Batch) {
    score(readout, outputs, batch, Some(grad));
}

fn mse(readout: &[f32], target: &[f32], outputs: usize, batch: &Batch, mut grad: Option<&mut [f32]>) -> Score {
    let lanes = batch.batch;
    let n = (batch.scored_steps() * outputs * batch.real) as f32;
    if let Some(g) = grad.as_deref_mut() {
        g.fill(0.0);
    }
    let mut sum = 0.0f32;
    for row in 0..batch.scored_steps() * outputs {
        for b in 0..batch.real {
            let k = row * lanes + b;
            let d = readout[k] - target[k];
            sum += d * d;
            if let Some(g) = grad.as_deref_mut() {
                g[k] = 2.0 * d / n;
            }
        }
    }
    Score { loss: sum / n, accuracy: None }
}

fn softmax_ce(readout: &[f32], classes: &[u32], outputs: usize, batch: &Batch, mut grad: Option<&mut [f32]>) -> Score {
    let lanes = batch.batch;
    let scored = |s: usize, b: usize| classes[s * lanes + b] != UNSCORED;
    let n = (0..batch.scored_steps()).map(|s| (0..batch.real).filter(|&b| scored(s, b)).count()).sum::<usize>().max(1) as f32;
    if let Some(g) = grad.as_deref_mut() {
        g.fill(0.0);
    }
    let (mut sum, mut right) = (0.0f32, 0usize);
    let mut p = vec![0.0f32; outputs];
    for s in 0..batch.scored_steps() {
        for b in (0..batch.real).filter(|&b| scored(s, b)) {
            let logit = |o: usize| readout[(s * outputs + o) * lanes + b];
            let class = classes[s * lanes + b] as usize;
            let top = (0..outputs).map(logit).fold(f32::NEG_INFINITY, f32::max);
            for (o, p) in p.iter_mut().enumerate() {
                *p = crate::math::exp(logit(o) - top);
            }
            let total: f32 = p.iter().sum();
            sum += libm::logf(total) - (logit(class) - top);
            right += usize::from((0..outputs).all(|o| o == class || logit(o) < logit(class)));
            if let Some(g) = grad.as_deref_mut() {
                for (o, p) in p.iter().enumerate() {
                    let hot = if o == class { 1.0 } else { 0.0 };
                    g[(s * outputs + o) * lanes + b] = (p / total - hot) / n;
                }
            }
        }
    }
    Score { loss: sum / n, accuracy: Some(right as f32 / n) }
}
