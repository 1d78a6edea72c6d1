//! The GPU trainer against the CPU reference, on whatever adapter wgpu finds (lavapipe in CI:
//! the test command installs Mesa's Vulkan drivers, so this never skips there).

use evonas::activation::ALL;
use evonas::dataset;
use evonas::genome::{Genome, Innovations};
use evonas::rng::{Purpose, Stream};
use evonas::scene::neat::compile::compile;
use evonas::scene::neat::config::{Config, Optimizer};
use evonas::scene::neat::mutation::{add_connection, add_node};
use evonas::scene::neat::training;
use evonas::train::{self, gpu::Gpu, Settings};

/// Genomes grown to `slots` program slots (hidden nodes in a chain, then extra connections).
fn grown(count: u64, slots: usize, extra_connections: usize) -> Vec<Genome> {
    let mut registry = Innovations::default();
    (0..count)
        .map(|i| {
            let mut rng = Stream::new(9, Purpose::Bench, 0, i);
            let mut g = Genome::logistic(&mut registry, &mut rng);
            while compile(&g).slots < slots {
                add_node(&mut g, ALL, &mut registry, &mut rng);
            }
            for _ in 0..extra_connections {
                add_connection(&mut g, &mut registry, &mut rng);
            }
            for c in &mut g.conns {
                c.weight *= 0.3;
            }
            g
        })
        .collect()
}

fn population(size: u64) -> Vec<evonas::program::Program> {
    let mut registry = Innovations::default();
    (0..size)
        .map(|i| {
            let mut rng = Stream::new(21, Purpose::Bench, 0, i);
            let mut g = Genome::logistic(&mut registry, &mut rng);
            for _ in 0..2 * i {
                add_node(&mut g, ALL, &mut registry, &mut rng);
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
    let data = dataset::generate(&config.data_spec()).unwrap();
    let (adam, rmsprop) = (Optimizer::Adam, Optimizer::Rmsprop);
    // (optimizer, weight decay, input noise): the noise is drawn per point and step on both.
    for (optimizer, decay, jitter) in [(adam, 0.0, 0.0), (rmsprop, 0.0, 0.0), (adam, 0.5, 0.0), (rmsprop, 0.5, 0.0), (adam, 0.0, 0.5)] {
        let settings = Settings { steps: 20, lr: 0.02, clip: 1.0, decay, optimizer, jitter, jitter_key: 77 };
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
    let data = dataset::generate(&config.data_spec()).unwrap();
    let settings = Settings { steps: 5, lr: 0.02, clip: 1.0, decay: 0.0, optimizer: Optimizer::Adam, ..Default::default() };
    let mut registry = Innovations::default();
    let mut rng = Stream::new(3, Purpose::Bench, 0, 0);
    let small = Genome::logistic(&mut registry, &mut rng);
    let mut large = small.clone();
    while compile(&large).slots <= train::gpu::MAX_SLOTS {
        add_node(&mut large, &[evonas::activation::Activation::Tanh], &mut registry, &mut rng);
    }
    let genomes = vec![small, large];
    let on_gpu = train::gpu::block_on(training::train_genomes_on_gpu(&gpu, &genomes, &data, &settings, 1)).expect("GPU training");
    let on_cpu = training::train_genomes(&genomes, &data, &settings, 1);
    assert_eq!(on_gpu[1], on_cpu[1], "the large genome trains on the CPU, bit for bit");
    assert!(close(on_gpu[0].outcome.loss, on_cpu[0].outcome.loss, 2e-3));
}

#[test]
fn a_run_trains_on_the_gpu_and_learns() {
    let mut run = evonas::Run::new(Config::from_link("v=1&dataset=xor&population=16&steps=30&seed=5").unwrap()).unwrap();
    run.use_gpu(Gpu::new().expect("a GPU adapter"));
    let mut best = 0.0f32;
    for _ in 0..4 {
        best = best.max(run.step().best.train_accuracy);
        assert_eq!(run.notice(), None, "the generation fell back to the CPU");
    }
    assert!(best >= 0.8, "best train accuracy after 4 GPU generations: {best}");
}

#[test]
fn slicing_a_population_to_fit_the_limits_changes_no_result() {
    let config = Config::from_link("dataset=circle&points=300&seed=3").unwrap();
    let data = dataset::generate(&config.data_spec()).unwrap();
    let settings = Settings { steps: 10, lr: 0.02, clip: 1.0, decay: 0.0, optimizer: Optimizer::Adam, ..Default::default() };
    let programs = population(12);
    let whole_gpu = Gpu::new().expect("a GPU adapter");
    let mut whole = programs.clone();
    let expected = whole_gpu.train(&mut whole, &data, &settings).expect("GPU training");
    let mut small_gpu = Gpu::new().expect("a GPU adapter");
    // Room for the gradients of a few genomes at a time: the population takes several submissions.
    let chunks = data.train.len().div_ceil(64) as u64;
    small_gpu.limit_gradient_buffer(chunks * 4 * 60);
    let mut sliced = programs.clone();
    let outcomes = small_gpu.train(&mut sliced, &data, &settings).expect("GPU training in slices");
    assert_eq!(outcomes, expected);
    for (a, b) in sliced.iter().zip(&whole) {
        assert_eq!(a.weights, b.weights);
    }
}

#[test]
fn a_lost_device_fails_training_and_the_run_goes_on_on_the_cpu() {
    let gpu = Gpu::new().expect("a GPU adapter");
    let config = Config::from_link("dataset=xor&points=100&seed=2").unwrap();
    let data = dataset::generate(&config.data_spec()).unwrap();
    let settings = config.train_settings(0);
    gpu.lose();
    let error = gpu.train(&mut population(2), &data, &settings).expect_err("training on a destroyed device");
    assert!(error.contains("lost"), "the error names the loss: {error}");

    let mut run = evonas::Run::new(Config::from_link("dataset=xor&population=12&steps=20&seed=5").unwrap()).unwrap();
    run.use_gpu(Gpu::new().expect("a GPU adapter"));
    run.step();
    assert_eq!(run.notice(), None);
    run.gpu().expect("still on the GPU").lose();
    let summary = run.step();
    assert_eq!(summary.generation, 2, "the generation trained on the CPU instead");
    let notice = run.notice().expect("a notice says the run fell back");
    assert!(notice.contains("generation 2 and the rest train on the CPU"), "{notice}");
    assert!(run.gpu().is_none());
    assert_eq!(run.step().generation, 3);
}

/// The largest population issue 4 names: 2,000 genomes of 64 slots on 2,000 training points
/// (one step, so it also runs in CI on lavapipe); a sample agrees with the CPU.
#[test]
fn two_thousand_genomes_of_64_slots_on_two_thousand_points_train() {
    let gpu = Gpu::new().expect("a GPU adapter");
    let config = Config::from_link("dataset=spiral&noise=0.2&points=4000&train=0.5&valid=0&seed=8").unwrap();
    let data = dataset::generate(&config.data_spec()).unwrap();
    assert_eq!(data.train.len(), 2000);
    let settings = Settings { steps: 1, lr: 0.02, clip: 1.0, decay: 0.0, optimizer: Optimizer::Adam, ..Default::default() };
    let genomes = grown(2000, 64, 2);
    let start = std::time::Instant::now();
    let trained = train::gpu::block_on(training::train_genomes_on_gpu(&gpu, &genomes, &data, &settings, 1)).expect("GPU training");
    eprintln!("2000 x 2000 x 64 slots, one step and the evaluation: {:.1} s on {}", start.elapsed().as_secs_f64(), gpu.adapter);
    assert!(genomes.iter().all(|g| compile(g).slots == 64));
    let sample: Vec<Genome> = genomes.iter().step_by(97).cloned().collect();
    let on_cpu = training::train_genomes(&sample, &data, &settings, 2);
    for (k, cpu) in on_cpu.iter().enumerate() {
        let gpu = &trained[k * 97];
        assert_eq!(cpu.outcome.failed, gpu.outcome.failed, "genome {}", k * 97);
        assert!(close(cpu.outcome.loss, gpu.outcome.loss, 2e-3), "genome {}: cpu {} gpu {}", k * 97, cpu.outcome.loss, gpu.outcome.loss);
        for (a, b) in cpu.weights.iter().zip(&gpu.weights) {
            assert!(close(*a, *b, 5e-3), "genome {} weight: cpu {a} gpu {b}", k * 97);
        }
    }
}
