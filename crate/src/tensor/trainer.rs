//! A tape with its parameters and optimizer: initialised from a random stream, stepped on batches.

use super::adam::Adam;
use super::batch::Batch;
use super::exec::Workspace;
use super::loss::Score;
use super::tape::Tape;
use crate::rng::Stream;

/// One tape in training.
pub struct Trainer {
    pub tape: Tape,
    pub params: Vec<f32>,
    grads: Vec<f32>,
    adam: Adam,
    workspace: Option<Workspace>,
}

/// What a training step did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stepped {
    /// The batch's score before the step.
    pub score: Score,
    /// False when the loss or the gradient was not finite: the parameters were left as they were.
    pub applied: bool,
}

impl Trainer {
    /// The tape with Glorot-uniform weights (bound sqrt(6 / (fan in + fan out))) drawn from
    /// `stream` in layout order, and zero biases but those of its open gates, 1.
    pub fn new(tape: Tape, stream: &mut Stream) -> Trainer {
        let (ops, readout) = tape.layout();
        let mut params = vec![0.0; readout.end()];
        for at in ops.iter().flatten().chain([&readout]) {
            let bound = libm::sqrtf(6.0 / (at.rows + at.cols) as f32);
            for w in &mut params[at.offset..at.bias()] {
                *w = stream.uniform(-bound, bound);
            }
        }
        for at in tape.open.iter().filter_map(|&op| ops[op]) {
            params[at.bias()..at.end()].fill(1.0);
        }
        Trainer::with_params(tape, params)
    }

    /// The tape with the given parameters (as many as `tape.parameters()`).
    pub fn with_params(tape: Tape, params: Vec<f32>) -> Trainer {
        assert_eq!(params.len(), tape.parameters(), "one value per parameter");
        let n = params.len();
        Trainer { tape, params, grads: vec![0.0; n], adam: Adam::new(n), workspace: None }
    }

    fn workspace(&mut self, batch: &Batch) -> &mut Workspace {
        let fits = self.workspace.as_ref().is_some_and(|w| w.fits(batch));
        if !fits {
            self.workspace = Some(Workspace::new(&self.tape, batch));
        }
        self.workspace.as_mut().expect("made above")
    }

    /// The batch's score with the current parameters.
    pub fn evaluate(&mut self, batch: &Batch) -> Score {
        let (tape, params) = (self.tape.clone(), std::mem::take(&mut self.params));
        let score = self.workspace(batch).forward(&tape, &params, batch);
        self.params = params;
        score
    }

    /// The readout the last `evaluate` (or step) computed at scored step `s`: `outputs` rows of
    /// the batch's lanes; none before any.
    pub fn readout(&self, s: usize) -> Option<&[f32]> {
        self.workspace.as_ref().map(|w| w.readout(s, self.tape.outputs))
    }

    /// The loss's gradient on `batch` (one per parameter), as the last step saw it.
    pub fn gradient(&mut self, batch: &Batch) -> (Score, &[f32]) {
        let (tape, params, mut grads) = (self.tape.clone(), std::mem::take(&mut self.params), std::mem::take(&mut self.grads));
        let workspace = self.workspace(batch);
        let score = workspace.forward(&tape, &params, batch);
        workspace.backward(&tape, &params, batch, &mut grads);
        (self.params, self.grads) = (params, grads);
        (score, &self.grads)
    }

    /// One Adam step on `batch` at rate `lr`, the gradient clipped to global norm `clip`.
    pub fn step(&mut self, batch: &Batch, lr: f32, clip: f32) -> Stepped {
        let score = self.gradient(batch).0;
        let applied = score.loss.is_finite() && self.adam.step(&mut self.params, &self.grads, lr, clip);
        Stepped { score, applied }
    }
}
