//! Evolved hyperparameters: a genome's own lr and steps train it exactly as run settings
//! would, on the CPU and the GPU; they mutate within bounds, cross from either parent, travel
//! in links, and a run that evolves them spreads them out and still learns.

use evonas::codec::{decode_genome, encode_genome};
use evonas::dataset;
use evonas::genome::{Genome, Innovations};
use evonas::hyper::Hyper;
use evonas::rng::{Purpose, Stream};
use evonas::scene::neat::compile::compile;
use evonas::scene::neat::config::{Config, Optimizer};
use evonas::scene::neat::mutation::{add_node, crossover, mutate, Rates};
use evonas::scene::neat::training;
use evonas::train::{self, gpu::Gpu, Settings};
use evonas::Run;

fn grown(seed: u64, nodes: usize, registry: &mut Innovations) -> Genome {
    let mut rng = Stream::new(seed, Purpose::Bench, 0, 0);
    let mut g = Genome::logistic(registry, &mut rng);
    for _ in 0..nodes {
        add_node(&mut g, &evonas::scene::neat::config::default_activations(), registry, &mut rng);
    }
    g
}

fn run_settings(steps: usize, lr: f32) -> Settings {
    Settings { steps, lr, clip: 1.0, decay: 0.0, optimizer: Optimizer::Adam, ..Default::default() }
}

#[test]
fn a_genomes_own_settings_train_it_exactly_as_run_settings_would() {
    let config = Config::from_link("dataset=circle&points=200&seed=3").unwrap();
    let data = dataset::generate(&config.data_spec()).unwrap();
    let mut registry = Innovations::default();
    let plain = grown(1, 3, &mut registry);
    let own = Genome { hyper: Some(Hyper { lr: 0.013, steps: 37 }), ..plain.clone() };
    let expected = training::train_genomes(&[plain], &data, &run_settings(37, 0.013), 1);
    // The run's settings differ; the genome's own win.
    let got = training::train_genomes(&[own], &data, &run_settings(100, 0.05), 1);
    assert_eq!(got, expected);
}

#[test]
fn the_gpu_trains_each_genome_with_its_own_lr_and_steps() {
    let gpu = Gpu::new().expect("a GPU adapter (install mesa-vulkan-drivers for lavapipe)");
    let config = Config::from_link("dataset=spiral&noise=0.3&points=300&seed=4").unwrap();
    let data = dataset::generate(&config.data_spec()).unwrap();
    let settings = run_settings(20, 0.02);
    let mut registry = Innovations::default();
    let genomes: Vec<Genome> = (0..12)
        .map(|i| {
            let g = grown(i, 2 + i as usize % 4, &mut registry);
            let hyper = (i % 3 != 0).then_some(Hyper { lr: 0.002 * (i + 1) as f32, steps: 3 + 4 * i as u32 });
            Genome { hyper, ..g }
        })
        .collect();
    let programs: Vec<_> = genomes.iter().map(compile).collect();
    let mut on_cpu = programs.clone();
    let cpu = train::train_all(&mut on_cpu, &data, &settings, 1);
    let mut on_gpu = programs.clone();
    let outcomes = gpu.train(&mut on_gpu, &data, &settings).expect("GPU training");
    let close = |a: f32, b: f32, tol: f32| (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()));
    for (i, (c, g)) in cpu.iter().zip(&outcomes).enumerate() {
        assert_eq!(c.failed, g.failed, "genome {i}");
        assert!(close(c.loss, g.loss, 2e-3), "genome {i} loss: cpu {} gpu {}", c.loss, g.loss);
        for (a, b) in on_cpu[i].weights.iter().zip(&on_gpu[i].weights) {
            assert!(close(*a, *b, 5e-3), "genome {i} weight: cpu {a} gpu {b}");
        }
    }
    // And the settings mattered: the genome with the most steps moved furthest from the start.
    let moved = |i: usize| on_gpu[i].weights.iter().zip(&programs[i].weights).map(|(a, b)| (a - b).abs()).sum::<f32>();
    assert!(moved(11) > moved(1), "44 steps at lr 0.024 should move weights more than 7 steps at 0.004");
}

#[test]
fn mutation_keeps_lr_and_steps_within_bounds_and_spreads_them_both_ways() {
    let config = Config::from_link("hyper=1&steps=50&lr=0.5&add_node=0&add_conn=0").unwrap();
    let mut registry = Innovations::default();
    let (mut up, mut down) = (0, 0);
    for seed in 0..200 {
        let mut rng = Stream::new(seed, Purpose::Breed, 0, 0);
        let mut g = Genome { hyper: Some(Hyper::of(config.lr, config.steps)), ..Genome::logistic(&mut registry, &mut rng) };
        for _ in 0..30 {
            mutate(&mut g, &Rates::of(&config), &mut registry, &mut rng);
            let h = g.hyper.unwrap();
            assert!((0.0001..=1.0).contains(&h.lr), "lr {}", h.lr);
            assert!((1..=Hyper::max_steps(config.steps)).contains(&h.steps), "steps {}", h.steps);
            g.validate().unwrap();
        }
        let h = g.hyper.unwrap();
        if h.steps > 50 {
            up += 1
        } else if h.steps < 50 {
            down += 1
        }
    }
    assert_eq!(Hyper::max_steps(config.steps), 200);
    assert!(up > 50 && down > 50, "steps drift both ways: {up} up, {down} down");
    // Without hyper the genome carries none and mutation draws nothing for it.
    let plain = Config::from_link("add_node=0&add_conn=0").unwrap();
    let mut a = Genome::logistic(&mut registry, &mut Stream::new(1, Purpose::Initial, 0, 0));
    mutate(&mut a, &Rates::of(&plain), &mut registry, &mut Stream::new(1, Purpose::Breed, 0, 0));
    assert_eq!(a.hyper, None);
}

#[test]
fn crossover_takes_each_setting_from_one_parent() {
    let mut registry = Innovations::default();
    let a = Genome { hyper: Some(Hyper { lr: 0.1, steps: 10 }), ..grown(1, 2, &mut registry) };
    let b = Genome { hyper: Some(Hyper { lr: 0.2, steps: 20 }), ..a.clone() };
    let mut seen = std::collections::HashSet::new();
    for seed in 0..64 {
        let child = crossover(&a, &b, &mut Stream::new(seed, Purpose::Breed, 0, 0));
        let h = child.hyper.unwrap();
        assert!([0.1, 0.2].contains(&h.lr) && [10, 20].contains(&h.steps));
        seen.insert((h.lr.to_bits(), h.steps));
    }
    assert_eq!(seen.len(), 4, "all four combinations occur");
}

#[test]
fn links_carry_a_genomes_own_settings_and_refuse_impossible_ones() {
    let mut registry = Innovations::default();
    let plain = grown(2, 3, &mut registry);
    let own = Genome { hyper: Some(Hyper { lr: 0.0123, steps: 321 }), ..plain.clone() };
    assert_eq!(decode_genome(&encode_genome(&own)).unwrap(), own);
    assert_eq!(decode_genome(&encode_genome(&plain)).unwrap(), plain);
    // A genome without its own settings still writes format 1, as before.
    assert!(encode_genome(&plain).starts_with('A'), "format byte 1");
    for (lr, steps, problem) in [(2.0, 10, "learning rate 2"), (0.01, 0, "0 steps"), (f32::NAN, 10, "learning rate NaN")] {
        let bad = Genome { hyper: Some(Hyper { lr, steps }), ..plain.clone() };
        let err = decode_genome(&encode_genome(&bad)).unwrap_err();
        assert!(err.contains(problem), "{err}");
    }
}

#[test]
fn a_run_evolving_its_hyperparameters_spreads_them_and_learns() {
    let link = "dataset=xor&hyper=0.5&lr=0.02&steps=60&population=30&seed=4";
    let mut run = Run::new(Config::from_link(link).unwrap()).unwrap();
    let mut best = 0.0f32;
    for _ in 0..25 {
        best = best.max(run.step().best.test_accuracy);
    }
    let lrs: std::collections::HashSet<u32> = run.population().iter().map(|g| g.hyper.unwrap().lr.to_bits()).collect();
    let summary = run.summary();
    let champion = run.best().hyper.unwrap();
    assert_eq!((summary.best.lr, summary.best.steps), (champion.lr, champion.steps as usize));
    eprintln!("{} distinct learning rates; champion lr {} steps {}; best test accuracy {best}", lrs.len(), champion.lr, champion.steps);
    assert!(lrs.len() > 5, "learning rates should spread, found {}", lrs.len());
    assert!(best >= 0.9, "xor should be nearly solved, reached {best}");
    // The same link reproduces the same champion, settings included.
    let mut again = Run::new(Config::from_link(link).unwrap()).unwrap();
    for _ in 0..25 {
        again.step();
    }
    assert_eq!(again.best(), run.best());
}
