//! Runs of the modules scene: fitness attribution by hand, the populations' invariants over
//! generations, determinism across threads, and the baselines on the real data.

use evonas::mnist1d::Mnist1d;
use evonas::scene::modules::config::ModulesConfig;
use evonas::scene::modules::data::scene_data;
use evonas::scene::modules::fitness::{attribute, Mean, Part};
use evonas::scene::modules::run::{Design, ModulesRun};
use evonas::scene::modules::summary::confusion;
use evonas::scene::Experiment;
use std::sync::OnceLock;

const CSV: &str = include_str!("../../../../data/mnist1d_default.csv");

fn mnist1d() -> &'static Mnist1d {
    static DATA: OnceLock<Mnist1d> = OnceLock::new();
    DATA.get_or_init(|| Mnist1d::from_csv(CSV).unwrap())
}

/// A small MNIST-1D run: few genomes, one epoch.
const SMALL: &str = "scene=modules&blueprints=4&modules=6&species=2&networks=2&epochs=1&validation=200&seed=3";

fn run_of(link: &str, threads: usize) -> ModulesRun {
    let config = ModulesConfig::from_link(link).unwrap();
    ModulesRun::new(&config, scene_data(&config, Some(mnist1d())).unwrap(), threads)
}

#[test]
fn fitness_is_the_mean_over_the_networks_a_genome_took_part_in() {
    let part = |blueprint, modules: &[usize], accuracy, parameters| Part { blueprint, modules: modules.to_vec(), accuracy, parameters };
    // Blueprint 0 assembles two networks, blueprint 1 one; module 2 serves twice in one network.
    let parts = [part(0, &[0, 2], 0.5, 100), part(0, &[1, 2, 2], 0.7, 300), part(1, &[0], 0.9, 200)];
    let (blueprints, modules) = attribute(&parts, 3, 4);
    let mean = |accuracy: f32, parameters: f32, networks| Some(Mean { accuracy, parameters, networks });
    assert_eq!(blueprints, vec![mean(0.6, 200.0, 2), mean(0.9, 200.0, 1), None]);
    assert_eq!(modules[0], mean(0.7, 150.0, 2));
    assert_eq!(modules[1], mean(0.7, 300.0, 1));
    assert_eq!(modules[2], mean(0.6, 200.0, 2), "once per network it served in");
    assert_eq!(modules[3], None);
}

#[test]
fn generations_keep_the_populations_and_their_species_consistent() {
    let mut run = run_of(SMALL, 2);
    let mut best = 0.0;
    for generation in 0..3 {
        let jobs = run.begin_step();
        let baselines = jobs.iter().filter(|j| matches!(j.design, Design::Baseline(_))).count();
        assert_eq!(baselines, if generation == 0 { 3 } else { 0 });
        assert_eq!(jobs.len() - baselines, 4 * 2, "networks per blueprint, every blueprint");
        for job in &jobs {
            job.check().unwrap();
            if let Design::Assembled { blueprint, modules } = &job.design {
                // One module per species the blueprint names, each from that species.
                let named: Vec<u32> = modules.iter().map(|(s, _)| *s).collect();
                assert_eq!(named, blueprint.species());
                for (s, m) in modules {
                    let species = run.species.iter().find(|x| x.id == *s).expect("a live species");
                    assert!(species.members.iter().any(|&k| run.modules[k] == *m));
                }
            }
        }
        run.step();
        assert_eq!((run.modules.len(), run.blueprints.len()), (6, 4));
        let mut members: Vec<usize> = run.species.iter().flat_map(|s| s.members.clone()).collect();
        members.sort_unstable();
        assert_eq!(members, (0..6).collect::<Vec<_>>(), "every module in one species");
        let listed = evonas::scene::modules::summary::species(&run);
        assert_eq!(listed.iter().map(|g| g.members.len()).sum::<usize>(), 6, "the list holds every module");
        for g in &listed {
            let scores: Vec<f32> = g.members.iter().map(|m| m.accuracy.unwrap_or(-1.0)).collect();
            assert!(scores.windows(2).all(|w| w[0] >= w[1]), "species {} most accurate first: {scores:?}", g.id);
        }
        let live: Vec<u32> = run.species.iter().map(|s| s.id).collect();
        assert!(run.blueprints.iter().all(|b| b.species().iter().all(|s| live.contains(s))));
        let summary = run.summary();
        let validation = summary.best.as_ref().unwrap().validation_accuracy;
        assert!(validation >= best, "the best so far never gets worse");
        best = validation;
        assert_eq!(run.history.len(), generation + 1);
        assert_eq!(run.archive.len(), 8 * (generation + 1));
    }
    let best = run.best.as_ref().unwrap();
    let counts = confusion(&run.data.test.labels, &best.outcome.predictions, 10);
    let right: u32 = (0..10).map(|c| counts[c][c]).sum();
    assert_eq!(counts.iter().flatten().sum::<u32>(), 1000);
    assert!((right as f32 / 1000.0 - best.outcome.test_accuracy).abs() < 1e-6, "the confusion's diagonal is the test accuracy");
}

#[test]
fn a_run_gives_the_same_bits_on_one_thread_and_on_two() {
    let mut one = run_of(SMALL, 1);
    let mut two = run_of(SMALL, 2);
    for _ in 0..2 {
        one.step();
        two.step();
    }
    assert_eq!(one.summary(), two.summary());
    assert_eq!(one.archive, two.archive);
    assert_eq!(one.blueprints, two.blueprints);
    // Jobs trained elsewhere (a page's workers) and told back give the same run.
    let mut told = run_of(SMALL, 1);
    for _ in 0..2 {
        let outcomes = told.begin_step().iter().map(|job| job.train(&told.data, 3)).collect();
        told.finish_step(outcomes).unwrap();
    }
    assert_eq!(told.summary(), one.summary());
    assert!(told.finish_step(Vec::new()).unwrap_err().contains("networks, not 0"));
}

/// The baselines of a default run (12 epochs, Adam at 0.01, batch 100, 500 samples held out)
/// reach at least 85% of the paper's test accuracies.
#[test]
fn the_runs_baselines_reach_most_of_their_published_accuracy() {
    let run = run_of("scene=modules", 2);
    let jobs: Vec<_> = run.begin_step().into_iter().filter(|j| matches!(j.design, Design::Baseline(_))).collect();
    let outcomes = run.train(&jobs);
    for (job, outcome) in jobs.iter().zip(&outcomes) {
        let Design::Baseline(b) = job.design else { unreachable!() };
        eprintln!("{}: test {:.3} (published {})", b.name(), outcome.test_accuracy, b.published(false));
        assert!(outcome.test_accuracy >= 0.85 * b.published(false), "{}: {}", b.name(), outcome.test_accuracy);
    }
}

#[test]
fn a_2d_dataset_runs_without_the_cnn() {
    let config = ModulesConfig::from_link("scene=modules&dataset=xor&blueprints=3&modules=4&networks=1&epochs=20&points=120").unwrap();
    let mut run = ModulesRun::new(&config, scene_data(&config, None).unwrap(), 1);
    run.step();
    let summary = run.summary();
    assert_eq!(summary.baselines.keys().copied().collect::<Vec<_>>(), vec!["logistic", "mlp"]);
    assert!(summary.baselines["logistic"].published.is_none());
    assert_eq!(summary.trained, 3);
}

#[test]
fn links_read_and_write_the_scenes_settings() {
    let link = "scene=modules&dataset=spiral&blueprints=12&epochs=4&lr=0.003&seed=9";
    let Experiment::Modules(config) = Experiment::from_link(link).unwrap() else { panic!("a modules link") };
    assert_eq!((config.blueprints, config.epochs, config.lr, config.seed), (12, 4, 0.003, 9));
    assert_eq!(Experiment::from_link(&config.to_link()).unwrap(), Experiment::Modules(config));
    for (bad, names) in [
        ("scene=modules&shuffled=1&dataset=xor", "shuffled"),
        ("scene=modules&blueprints=1", "blueprints"),
        ("scene=modules&dataset=mnist", "dataset"),
        ("scene=modules&task=adding", "unknown key 'task'"),
    ] {
        let error = Experiment::from_link(bad).unwrap_err();
        assert!(error.contains(names), "{bad}: {error}");
    }
    assert!(scene_data(&ModulesConfig::from_link("scene=modules").unwrap(), None).unwrap_err().contains("needs its data"));
    let config = ModulesConfig::from_link("scene=modules&validation=2000").unwrap();
    assert_eq!(scene_data(&config, Some(mnist1d())).unwrap().train.len(), 2000);
}

#[test]
fn the_front_keeps_what_none_beats_on_accuracy_and_size_leaving_out_failures() {
    use evonas::scene::modules::run::Point;
    use evonas::scene::modules::summary::front;
    let point = |validation_accuracy, parameters| Point { generation: 0, validation_accuracy, test_accuracy: 0.0, parameters };
    let points = [point(0.0, 0), point(0.9, 5000), point(0.5, 800), point(0.8, 6000), point(0.95, 20_000), point(0.5, 900)];
    assert_eq!(front(&points), vec![2, 1, 4], "by size; the untrained network (no parameters) is left out");
}
