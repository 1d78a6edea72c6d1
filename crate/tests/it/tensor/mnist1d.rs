//! The MNIST-1D baselines trained in the engine on the shipped data reach at least 85% of their
//! published test accuracies (logistic regression 32%, MLP 68%, CNN 94%) in CI-sized runs.

use evonas::mnist1d::{Mnist1d, Split, LENGTH};
use evonas::rng::{Purpose, Stream};
use evonas::scene::modules::baselines::{dense_net, mnist1d_cnn};
use evonas::tensor::net::{Net, NetTrainer, Shape};
use evonas::tensor::{Batch, Target};

const INPUT: Shape = Shape { length: LENGTH, channels: 1 };
const CSV: &str = include_str!("../../../../data/mnist1d_default.csv");

fn batch(split: &Split, order: &[usize]) -> Batch {
    let x: Vec<Vec<f32>> = order.iter().map(|&k| split.x[k].to_vec()).collect();
    let labels = order.iter().map(|&k| u32::from(split.labels[k])).collect();
    Batch::from_sequences(&x, LENGTH, false, Target::Classes(labels)).unwrap()
}

/// Test accuracy after `epochs` of Adam at `lr` on batches of 100, reshuffled each epoch.
fn trained(net: Net, data: &Mnist1d, epochs: usize, lr: f32) -> f32 {
    let mut stream = Stream::new(1, Purpose::Modules, 0, 2);
    let mut trainer = NetTrainer::new(net, &mut stream).unwrap();
    let n = data.train.x.len();
    for _ in 0..epochs {
        let mut order: Vec<usize> = (0..n).collect();
        stream.shuffle(&mut order);
        for chunk in order.chunks(100) {
            trainer.step(&batch(&data.train, chunk), lr, f32::INFINITY, 7);
        }
    }
    let all: Vec<usize> = (0..data.test.x.len()).collect();
    trainer.evaluate(&batch(&data.test, &all)).accuracy.unwrap()
}

#[test]
fn the_baselines_reach_most_of_their_published_accuracy() {
    let data = Mnist1d::from_csv(CSV).unwrap();
    assert_eq!((data.train.x.len(), data.test.x.len()), (4000, 1000));
    let logistic = trained(dense_net(INPUT, &[], 10), &data, 20, 0.01);
    let mlp = trained(dense_net(INPUT, &[100, 100], 10), &data, 60, 0.001);
    let cnn = trained(mnist1d_cnn(INPUT, 25, 10), &data, 15, 0.01);
    eprintln!("test accuracy: logistic {logistic}, MLP {mlp}, CNN {cnn}");
    assert!(logistic >= 0.85 * 0.32, "logistic regression {logistic}");
    assert!(mlp >= 0.85 * 0.68, "MLP {mlp}");
    assert!(cnn >= 0.85 * 0.94, "CNN {cnn}");
}
