//! A net with its parameters and optimizer: initialised from a random stream, stepped on batches.

use super::super::adam::Adam;
use super::super::batch::Batch;
use super::super::loss::Score;
use super::exec::{NetWorkspace, Pass};
use super::Net;
use crate::rng::Stream;

/// One net in training.
pub struct NetTrainer {
    pub net: Net,
    pub params: Vec<f32>,
    grads: Vec<f32>,
    adam: Adam,
    workspace: Option<NetWorkspace>,
    steps: u32,
}

impl NetTrainer {
    /// The net (checked) with He-uniform weights (bound sqrt(6 / fan in), the fan in a dense
    /// layer's rows or a conv's window, as suits ReLU nets) drawn from `stream` in layout
    /// order, and zero biases.
    pub fn new(net: Net, stream: &mut Stream) -> Result<NetTrainer, String> {
        let shapes = net.check()?;
        let layout = net.layout(&shapes);
        let mut params = vec![0.0; net.parameters()];
        for at in layout.iter().flatten() {
            let bound = libm::sqrtf(6.0 / at.cols as f32);
            for w in &mut params[at.offset..at.bias()] {
                *w = stream.uniform(-bound, bound);
            }
        }
        NetTrainer::with_params(net, params)
    }

    /// The net with the given parameters (as many as `net.parameters()`).
    pub fn with_params(net: Net, params: Vec<f32>) -> Result<NetTrainer, String> {
        net.check()?;
        if params.len() != net.parameters() {
            return Err(format!("{} parameters for a net of {}", params.len(), net.parameters()));
        }
        let n = params.len();
        Ok(NetTrainer { net, params, grads: vec![0.0; n], adam: Adam::new(n), workspace: None, steps: 0 })
    }

    fn workspace(&mut self, batch: &Batch) -> &mut NetWorkspace {
        if !self.workspace.as_ref().is_some_and(|w| w.fits(batch)) {
            self.workspace = Some(NetWorkspace::new(&self.net, batch.batch).expect("the net was checked"));
        }
        self.workspace.as_mut().expect("made above")
    }

    /// The batch's score with the current parameters (no dropout).
    pub fn evaluate(&mut self, batch: &Batch) -> Score {
        let (net, params) = (self.net.clone(), std::mem::take(&mut self.params));
        let score = self.workspace(batch).forward(&net, &params, batch, None);
        self.params = params;
        score
    }

    /// The logits of the last evaluation or step: `classes` rows of the batch's lanes.
    pub fn logits(&self) -> Option<&[f32]> {
        self.workspace.as_ref().map(|w| w.logits())
    }

    /// The loss's gradient on `batch` (one per parameter), dropout drawn by `pass`.
    pub fn gradient(&mut self, batch: &Batch, pass: Option<Pass>) -> (Score, &[f32]) {
        let (net, params, mut grads) = (self.net.clone(), std::mem::take(&mut self.params), std::mem::take(&mut self.grads));
        let workspace = self.workspace(batch);
        let score = workspace.forward(&net, &params, batch, pass);
        workspace.backward(&net, &params, batch, &mut grads);
        (self.params, self.grads) = (params, grads);
        (score, &self.grads)
    }

    /// One Adam step on `batch` at rate `lr`, the gradient clipped to global norm `clip`;
    /// dropout's masks are drawn from `key` and the step's count. False if the step was not
    /// finite (the parameters are kept).
    pub fn step(&mut self, batch: &Batch, lr: f32, clip: f32, key: u32) -> (Score, bool) {
        self.steps += 1;
        let pass = Pass { key: crate::rng::hash32(key ^ self.steps.wrapping_mul(0x27d4_eb2f)) };
        let score = self.gradient(batch, Some(pass)).0;
        let applied = score.loss.is_finite() && self.adam.step(&mut self.params, &self.grads, lr, clip);
        (score, applied)
    }
}
