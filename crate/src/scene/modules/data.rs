//! The scene's samples: MNIST-1D (optionally with its positions shuffled) or a 2-D point set,
//! split into training, validation (held out of the training set, what selection reads) and
//! test (only reported), and made into the engine's batches.

use super::config::{DataKind, ModulesConfig};
use crate::dataset::{self, DatasetKind, Points, Spec};
use crate::mnist1d::{Mnist1d, Split};
use crate::rng::{Purpose, Stream};
use crate::tensor::net::Shape;
use crate::tensor::{Batch, Target};

/// Samples of one split: each a flat vector of the input's rows, and its class.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Samples {
    pub x: Vec<Vec<f32>>,
    pub labels: Vec<u32>,
}

impl Samples {
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The samples at `order` as one batch.
    pub fn batch(&self, order: &[usize]) -> Batch {
        let x: Vec<Vec<f32>> = order.iter().map(|&k| self.x[k].clone()).collect();
        let labels = order.iter().map(|&k| self.labels[k]).collect();
        let inputs = x.first().map_or(1, |s| s.len());
        Batch::from_sequences(&x, inputs, false, Target::Classes(labels)).expect("samples of one shape")
    }

    /// Every sample, in order, as one batch.
    pub fn all(&self) -> Batch {
        self.batch(&(0..self.len()).collect::<Vec<_>>())
    }
}

/// A run's data.
#[derive(Clone, Debug, PartialEq)]
pub struct SceneData {
    pub input: Shape,
    pub classes: usize,
    pub train: Samples,
    pub valid: Samples,
    pub test: Samples,
}

/// The data `config` names. MNIST-1D comes from `mnist1d` (the page fetches it, the CLI
/// compiles it in); its validation samples are `config.validation` of the training set, drawn
/// by the seed.
pub fn scene_data(config: &ModulesConfig, mnist1d: Option<&Mnist1d>) -> Result<SceneData, String> {
    let kind = match config.dataset {
        DataKind::Mnist1d => return mnist1d_data(config, mnist1d.ok_or("the MNIST-1D scene needs its data, and none was given")?),
        DataKind::Circle => DatasetKind::Circle,
        DataKind::Xor => DatasetKind::Xor,
        DataKind::Gauss => DatasetKind::Gauss,
        DataKind::Spiral => DatasetKind::Spiral,
    };
    let spec = Spec { kind, points: config.points, noise: config.noise, train: 0.5, valid: 0.25, seed: config.seed, custom: Vec::new() };
    let set = dataset::generate(&spec)?;
    let samples = |p: &Points| Samples { x: (0..p.len()).map(|k| vec![p.x[k], p.y[k]]).collect(), labels: p.label.iter().map(|&l| l as u32).collect() };
    Ok(SceneData { input: Shape { length: 1, channels: 2 }, classes: 2, train: samples(&set.train), valid: samples(&set.valid), test: samples(&set.test) })
}

fn mnist1d_data(config: &ModulesConfig, data: &Mnist1d) -> Result<SceneData, String> {
    let data = if config.shuffled { data.shuffled(config.seed) } else { data.clone() };
    let n = data.train.x.len();
    if config.validation >= n {
        return Err(format!("validation: {} samples leave none of the {n} training samples to train on (scene=modules)", config.validation));
    }
    let mut order: Vec<usize> = (0..n).collect();
    Stream::new(config.seed, Purpose::Modules, 0, 3).shuffle(&mut order);
    let (valid, train) = order.split_at(config.validation);
    let pick = |split: &Split, at: &[usize]| Samples {
        x: at.iter().map(|&k| split.x[k].to_vec()).collect(),
        labels: at.iter().map(|&k| u32::from(split.labels[k])).collect(),
    };
    let all: Vec<usize> = (0..data.test.x.len()).collect();
    Ok(SceneData {
        input: Shape { length: crate::mnist1d::LENGTH, channels: 1 },
        classes: crate::mnist1d::CLASSES,
        train: pick(&data.train, train),
        valid: pick(&data.train, valid),
        test: pick(&data.test, &all),
    })
}
