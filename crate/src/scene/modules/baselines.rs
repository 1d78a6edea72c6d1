//! The baselines trained beside evolution in the same engine, on the same data and epochs:
//! logistic regression, an MLP and the MNIST-1D paper's CNN (Greydanus 2020), with the paper's
//! test accuracies so a reader sees the engine reproduce them.

use crate::activation::Activation;
use crate::link::names::named_enum;
use crate::tensor::net::{Layer, Net, Shape};

named_enum! {
    /// A baseline network.
    pub enum Baseline { Logistic = "logistic", Mlp = "mlp", Cnn = "cnn" }
}

impl Baseline {
    /// Its network over `input` with `classes` logits; none for the CNN on an input too short
    /// to convolve (the 2-D point sets).
    pub fn net(self, input: Shape, classes: usize) -> Option<Net> {
        match self {
            Baseline::Logistic => Some(dense_net(input, &[], classes)),
            Baseline::Mlp => Some(dense_net(input, &[100, 100], classes)),
            Baseline::Cnn if input.length >= 8 => Some(mnist1d_cnn(input, 25, classes)),
            Baseline::Cnn => None,
        }
    }

    /// The paper's test accuracy on MNIST-1D, or with its positions shuffled.
    pub fn published(self, shuffled: bool) -> f32 {
        match (self, shuffled) {
            (Baseline::Logistic, _) => 0.32,
            (Baseline::Mlp, _) => 0.68,
            (Baseline::Cnn, false) => 0.94,
            (Baseline::Cnn, true) => 0.56,
        }
    }
}

/// Dense layers of the given widths with ReLU between, then a dense layer to the classes.
pub fn dense_net(input: Shape, hidden: &[usize], classes: usize) -> Net {
    let mut layers = vec![Layer::Input];
    for &h in hidden {
        let from = layers.len() - 1;
        layers.push(Layer::Dense { from: vec![from], out: h });
        layers.push(Layer::Act(Activation::Relu, from + 1));
    }
    layers.push(Layer::Dense { from: vec![layers.len() - 1], out: classes });
    Net { input, layers, classes }
}

/// The MNIST-1D paper's CNN: three ReLU conv layers of `channels` channels (kernel 5 stride 2,
/// then kernel 3 twice, padding 1), then a linear layer to the classes; 8,710 parameters at 25
/// channels on MNIST-1D.
pub fn mnist1d_cnn(input: Shape, channels: usize, classes: usize) -> Net {
    let relu = Activation::Relu;
    let conv = |from, kernel, stride| Layer::Conv { from, channels, kernel, stride, pad: 1 };
    let layers = vec![
        Layer::Input,
        conv(0, 5, 2),
        Layer::Act(relu, 1),
        conv(2, 3, 1),
        Layer::Act(relu, 3),
        conv(4, 3, 1),
        Layer::Act(relu, 5),
        Layer::Dense { from: vec![6], out: classes },
    ];
    Net { input, layers, classes }
}
