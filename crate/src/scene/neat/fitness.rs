//! Fitness: the cost selection sees of a trained genome, from its held-out loss and its size.
//!
//! Lower is better. The loss is the mean cross-entropy on the points selection scores on
//! (`Dataset::selection`: the validation share, so a network that memorises its training
//! points gains nothing), and size is priced in one of two forms (`Cost`):
//! - `added`: loss + penalty * connections. A fixed price per connection, in nats per point,
//!   as in penalised likelihood (AIC charges 1/N per parameter): a connection stays only while
//!   it lowers the held-out loss by more than its price, however small the loss already is.
//! - `scaled` (link version 1): loss * (1 + penalty * sqrt(connections)). The price shrinks with
//!   the loss, so when the loss nears zero any gain in loss outweighs any growth.
//!
//! With a validation share, training also stops early at a generation's grain (`settle`): a
//! genome keeps the weights it inherited when this generation's training made its validation
//! loss worse, so retraining can never wreck an elite that had already fitted.

use crate::dataset::{Dataset, Points};
use crate::genome::Genome;
use crate::scene::neat::compile::compile;
use crate::scene::neat::config::Cost;
use crate::train::{cpu, Outcome, Trained};

/// The cost of a genome whose selection loss is `loss` (failures are worst).
pub fn cost(loss: f32, failed: bool, connections: usize, penalty: f32, form: Cost) -> f32 {
    if failed || !loss.is_finite() {
        return f32::INFINITY;
    }
    match form {
        Cost::Added => loss + penalty * connections as f32,
        Cost::Scaled => loss * (1.0 + penalty * libm::sqrtf(connections as f32)),
    }
}

/// Takes one training result into `genome` and returns its outcome and selection loss: the
/// trained weights, or, with a validation share, the inherited ones where they score better
/// on it (scored afresh on every split, as a trainer would have scored them).
pub fn settle(genome: &mut Genome, trained: Trained, data: &Dataset) -> (Outcome, f32) {
    let inherited: Vec<f32> = genome.conns.iter().map(|c| c.weight).collect();
    // Compiled once: it scores the inherited weights here, and again below if they are kept.
    let program = (!data.valid.is_empty()).then(|| compile(genome));
    let before = program.as_ref().map_or(f32::INFINITY, |p| cpu::loss_and_accuracy(p, &data.valid).0);
    set_weights(genome, &trained.weights);
    let after = match trained.outcome {
        o if o.failed => f32::INFINITY,
        o if data.valid.is_empty() => o.loss,
        _ => loss_and_accuracy(genome, &data.valid).0,
    };
    // NaN compares false: a genome whose inherited weights score NaN keeps its training.
    let keep_inherited = before < after;
    let Some(program) = program.filter(|_| keep_inherited) else {
        return (trained.outcome, after);
    };
    set_weights(genome, &inherited);
    let (loss, train_accuracy) = cpu::loss_and_accuracy(&program, &data.train);
    let test_accuracy = cpu::loss_and_accuracy(&program, &data.test).1;
    let active_connections = trained.outcome.active_connections;
    (Outcome { loss, train_accuracy, test_accuracy, failed: false, active_connections }, before)
}

fn set_weights(genome: &mut Genome, weights: &[f32]) {
    for (c, &w) in genome.conns.iter_mut().zip(weights) {
        c.weight = w;
    }
}

/// Mean cross-entropy and accuracy of `genome`, with its weights as they are, on `points`.
pub fn loss_and_accuracy(genome: &Genome, points: &Points) -> (f32, f32) {
    cpu::loss_and_accuracy(&compile(genome), points)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_price_size_as_documented() {
        // 16 connections: sqrt is 4.
        assert_eq!(cost(0.5, false, 16, 0.25, Cost::Added), 4.5);
        assert_eq!(cost(0.5, false, 16, 0.25, Cost::Scaled), 1.0);
        assert_eq!(cost(0.5, true, 16, 0.25, Cost::Added), f32::INFINITY);
        assert_eq!(cost(f32::NAN, false, 16, 0.25, Cost::Scaled), f32::INFINITY);
    }

    #[test]
    fn only_the_added_price_holds_as_the_loss_vanishes() {
        // A 100-connection network at loss 1e-6 against a 9-connection one at 1e-3.
        let (big, small) = ((1e-6, 100), (1e-3, 9));
        let of = |(l, c): (f32, usize), form| cost(l, false, c, 0.01, form);
        assert!(of(big, Cost::Scaled) < of(small, Cost::Scaled));
        assert!(of(small, Cost::Added) < of(big, Cost::Added));
    }
}
