//! Hyper: a genome's own learning rate and step count, evolved like its weights.
//!
//! CoDeepNEAT's third level: when a run evolves hyperparameters (link key `hyper` above 0),
//! every genome carries a Hyper, its children inherit it (from either parent at random after
//! crossover) and mutation nudges it log-normally, so a factor of 2 up or down is as likely
//! at lr 0.001 as at 0.1. Without it, every genome trains with the run's `lr` and `steps`.

use crate::rng::Stream;
use serde::{Deserialize, Serialize};

/// Spread of a log-normal nudge: a typical mutation scales by about e^0.3 (x1.35 or x0.74).
const LOG_SIGMA: f32 = 0.3;
/// Steps may grow to this multiple of the run's `steps` and no further: steps cost time, and
/// fitness (loss) alone would reward ever longer training.
const STEPS_GROWTH: usize = 4;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hyper {
    pub lr: f32,
    pub steps: u32,
}

/// The learning rates a network may train with, and its step counts: the bounds of the link
/// keys `lr` and `steps`, which a Hyper keeps too.
pub const LR: (f64, f64) = (0.0001, 1.0);
pub const STEPS: (f64, f64) = (1.0, 2000.0);

impl Hyper {
    /// The run's own settings (its `lr` and `steps`), where every genome starts.
    pub fn of(lr: f32, steps: usize) -> Hyper {
        Hyper { lr, steps: steps as u32 }
    }

    /// Most steps a mutation may reach in a run configured with `run_steps`.
    pub fn max_steps(run_steps: usize) -> u32 {
        let (_, max) = STEPS;
        (run_steps * STEPS_GROWTH).min(max as usize) as u32
    }

    /// Scales lr and steps each by e^(LOG_SIGMA * N(0, 1)), kept within their link bounds
    /// (steps also within `max_steps`).
    pub fn perturb(&mut self, run_steps: usize, rng: &mut Stream) {
        let (lr_min, lr_max) = LR;
        let lr = self.lr * crate::math::exp(LOG_SIGMA * rng.normal());
        self.lr = lr.clamp(lr_min as f32, lr_max as f32);
        let steps = self.steps as f32 * crate::math::exp(LOG_SIGMA * rng.normal());
        self.steps = (steps.round() as u32).clamp(1, Hyper::max_steps(run_steps).max(1));
    }

    /// Each setting from either parent at random, as matching genes are.
    pub fn cross(a: Hyper, b: Hyper, rng: &mut Stream) -> Hyper {
        Hyper { lr: if rng.chance(0.5) { a.lr } else { b.lr }, steps: if rng.chance(0.5) { a.steps } else { b.steps } }
    }

    /// Checks that both settings lie within the bounds the link keys `lr` and `steps` allow.
    pub fn validate(&self) -> Result<(), String> {
        let (lr_min, lr_max) = LR;
        if !(self.lr.is_finite() && (lr_min..=lr_max).contains(&(self.lr as f64))) {
            return Err(format!("learning rate {} is outside {lr_min} to {lr_max}", self.lr));
        }
        let (steps_min, steps_max) = STEPS;
        if !(steps_min..=steps_max).contains(&(self.steps as f64)) {
            return Err(format!("{} steps is outside {steps_min} to {steps_max}", self.steps));
        }
        Ok(())
    }
}
