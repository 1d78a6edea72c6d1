//! Training one assembled network: Adam over shuffled batches for its blueprint's epochs, then
//! its validation accuracy (what selection reads) and test accuracy and predictions (reports).

use super::blueprint::Hyper;
use super::data::{Samples, SceneData};
use crate::rng::Stream;
use crate::tensor::net::{Net, NetTrainer};
use serde::{Deserialize, Serialize};

/// What training gave one network.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub validation_accuracy: f32,
    pub test_accuracy: f32,
    pub parameters: usize,
    /// Multiply-adds per sample (`assemble::cost`).
    pub cost: usize,
    /// The mean training loss of each epoch.
    pub losses: Vec<f32>,
    /// The class it predicts for each test sample, in order.
    pub predictions: Vec<u8>,
    /// The trained parameters (kept for the best network only, once a generation ends).
    pub params: Vec<f32>,
    /// Why the network could not be trained (then it scores 0).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<String>,
}

impl Outcome {
    pub fn failed(error: String) -> Outcome {
        Outcome { error: Some(error), ..Outcome::default() }
    }
}

/// `net` trained with `hyper` on `data`, its weights and batch order drawn from `stream`.
pub fn train(net: Net, hyper: &Hyper, data: &SceneData, cost: usize, stream: &mut Stream) -> Outcome {
    let mut trainer = match NetTrainer::new(net, stream) {
        Ok(t) => t,
        Err(e) => return Outcome::failed(e),
    };
    let n = data.train.len();
    let batch = hyper.batch.min(n).max(1);
    let key = stream.bits();
    let mut losses = Vec::with_capacity(hyper.epochs);
    for _ in 0..hyper.epochs {
        let mut order: Vec<usize> = (0..n).collect();
        stream.shuffle(&mut order);
        let mut total = 0.0f64;
        let chunks: Vec<&[usize]> = order.chunks_exact(batch).collect();
        for chunk in &chunks {
            total += f64::from(trainer.step(&data.train.batch(chunk), hyper.lr, f32::INFINITY, key).0.loss);
        }
        losses.push((total / chunks.len().max(1) as f64) as f32);
    }
    let validation_accuracy = accuracy(&mut trainer, &data.valid).0;
    let (test_accuracy, predictions) = accuracy(&mut trainer, &data.test);
    Outcome { validation_accuracy, test_accuracy, parameters: trainer.params.len(), cost, losses, predictions, params: trainer.params, error: None }
}

/// The accuracy on `samples` (0 for none, or for a net whose outputs are not finite) and the
/// class predicted for each.
pub fn accuracy(trainer: &mut NetTrainer, samples: &Samples) -> (f32, Vec<u8>) {
    if samples.is_empty() {
        return (0.0, Vec::new());
    }
    let batch = samples.all();
    let score = trainer.evaluate(&batch);
    let logits = trainer.logits().expect("evaluated above");
    let classes = trainer.net.classes;
    let predicted = (0..batch.real)
        .map(|b| (0..classes).max_by(|&x, &y| logits[x * batch.batch + b].total_cmp(&logits[y * batch.batch + b]).then(y.cmp(&x))).unwrap_or(0) as u8);
    (score.accuracy.filter(|a| a.is_finite()).unwrap_or(0.0), predicted.collect())
}
