//! The GPU trainer against the CPU reference, on whatever adapter wgpu finds (lavapipe in CI:
//! the test command installs Mesa's Vulkan drivers, so this never skips there).

use evonas::activation::ALL;
use evonas::config::{Config, Optimizer};
use evonas::dataset;
use evonas::genome::{Genome, Innovations};
use evonas::mutation::{add_connection, add_node};
use evonas::program::compile;
use evonas::rng::{Purpose, Stream};
use evonas::train::{self, gpu::Gpu, Settings};

fn population(size: u64) -> Vec<evonas::program::Program> {
    let mut registry = Innovations::default();
    (0..size)
        .map(|i| {
            let mut rng = Stream::new(21, Purpose::Bench, 0, i);
            let mut g = Genome::logistic(&mut registry, &mut rng);
            for _ in 0..2 * i {
                add_node(&mut g, &ALL, &mut registry, &mut rng);
                add_connection(&mut g, &mut registry, &mut rng);
            }
            for c in &mut g.conns {
                c.weight *= 0.5;
            }
            compile(&g)
        })
        .collect()
}

fn close(a: f32, b: f32, tolerance: f32) -> bool {
    (a - b).abs() <= tolerance * (1.0 + a.abs().max(b.abs()))
}

#[test]
fn gpu_training_agrees_with_the_cpu() {
    let gpu = Gpu::new().expect("a GPU adapter (install mesa-vulkan-drivers for lavapipe)");
    eprintln!("adapter: {}", gpu.adapter);
    let config = Config::from_link("dataset=spiral&noise=0.3&points=300&seed=4").unwrap();
    let data = dataset::generate(&config).unwrap();
    for optimizer in [Optimizer::Adam, Optimizer::Rmsprop] {
        let settings = Settings { steps: 20, lr: 0.02, clip: 1.0, optimizer };
        let programs = population(24);
        assert!(programs.iter().any(|p| p.slots > 20), "the population should hold large programs");
        let mut on_cpu = programs.clone();
        let cpu = train::train_all(&mut on_cpu, &data, &settings, 1);
        let mut on_gpu = programs.clone();
        let outcomes = gpu.train(&mut on_gpu, &data, &settings).expect("GPU training");
        for (i, (c, g)) in cpu.iter().zip(&outcomes).enumerate() {
            assert_eq!(c.failed, g.failed, "genome {i}");
            assert!(close(c.loss, g.loss, 2e-3), "genome {i} loss: cpu {} gpu {}", c.loss, g.loss);
            assert!((c.train_accuracy - g.train_accuracy).abs() <= 0.02, "genome {i} train accuracy");
            assert!((c.test_accuracy - g.test_accuracy).abs() <= 0.02, "genome {i} test accuracy");
            for (a, b) in on_cpu[i].weights.iter().zip(&on_gpu[i].weights) {
                assert!(close(*a, *b, 5e-3), "genome {i} weight: cpu {a} gpu {b}");
            }
        }
    }
}


#[test]
fn programs_beyond_the_slot_limit_train_on_the_cpu_in_the_same_generation() {
    let gpu = Gpu::new().expect("a GPU adapter");
    let config = Config::from_link("dataset=xor&points=100&seed=2").unwrap();
    let data = dataset::generate(&config).unwrap();
    let settings = Settings { steps: 5, lr: 0.02, clip: 1.0, optimizer: Optimizer::Adam };
    let mut registry = Innovations::default();
    let mut rng = Stream::new(3, Purpose::Bench, 0, 0);
    let small = Genome::logistic(&mut registry, &mut rng);
    let mut large = small.clone();
    while compile(&large).slots <= train::gpu::MAX_SLOTS {
        add_node(&mut large, &[evonas::activation::Activation::Tanh], &mut registry, &mut rng);
    }
    let genomes = vec![small, large];
    let on_gpu = train::gpu::block_on(train::train_genomes_on_gpu(&gpu, &genomes, &data, &settings, 1)).expect("GPU training");
    let on_cpu = train::train_genomes(&genomes, &data, &settings, 1);
    assert_eq!(on_gpu[1], on_cpu[1], "the large genome trains on the CPU, bit for bit");
    assert!(close(on_gpu[0].outcome.loss, on_cpu[0].outcome.loss, 2e-3));
}

#[test]
fn a_run_trains_on_the_gpu_and_learns() {
    let mut run = evonas::Run::new(Config::from_link("dataset=xor&population=16&steps=30&seed=5").unwrap()).unwrap();
    run.use_gpu(Gpu::new().expect("a GPU adapter"));
    let mut best = 0.0f32;
    for _ in 0..4 {
        best = best.max(run.step().best.train_accuracy);
        assert_eq!(run.notice(), None, "the generation fell back to the CPU");
    }
    assert!(best >= 0.8, "best train accuracy after 4 GPU generations: {best}");
}
