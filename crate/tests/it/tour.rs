//! The lecture tour's claims, each checked by playing its stop's link (and, where a claim is
//! about evolution rather than one run, the same link from seeds 1 to 5).

use evonas::genome::{Genome, Role};
use evonas::scene::cells::compare::compare;
use evonas::scene::cells::config::CellConfig;
use evonas::scene::cells::search::CellSearch;
use evonas::scene::neat::members::members;
use evonas::scene::neat::run::Run;
use evonas::scene::Experiment;
use evonas::tour::STOPS;
use evonas::Config;

/// The stop titled `title`, its link's NEAT config, from `seed` (the link's own seed when None).
fn stop_config(title: &str, seed: Option<u64>) -> Config {
    let stop = STOPS.iter().find(|s| s.title.starts_with(title)).unwrap_or_else(|| panic!("no stop '{title}'"));
    let Experiment::Neat(config) = Experiment::from_link(stop.link).unwrap() else { panic!("{title}: not a NEAT stop") };
    Config { seed: seed.unwrap_or(config.seed), ..config }
}

/// The champion after `generations`, with its run.
fn played(config: Config, generations: usize) -> Run {
    let mut run = Run::new(config).unwrap();
    for _ in 0..generations {
        run.step();
    }
    run
}

fn kinds(genome: &Genome) -> Vec<&'static str> {
    genome.nodes.iter().filter(|n| n.role == Role::Hidden).map(|n| n.activation.name()).collect()
}

/// Seeds 1 to 5 of a stop, `generations` each: how many runs `holds` is true of.
fn seeds_where(title: &str, generations: usize, holds: impl Fn(&Run) -> bool) -> usize {
    (1..=5).filter(|&seed| holds(&played(stop_config(title, Some(seed)), generations))).count()
}

#[test]
fn the_first_generation_is_logistic_regression() {
    let run = Run::new(stop_config("Where evolution starts", None)).unwrap();
    for genome in run.population() {
        assert_eq!(genome.hidden_nodes(), 0, "a first-generation network with a hidden node");
        let from: Vec<u32> = genome.conns.iter().filter(|c| c.enabled).map(|c| c.from).collect();
        assert!(genome.conns.iter().all(|c| c.to == genome.nodes.iter().find(|n| n.role == Role::Output).unwrap().id));
        assert!(from.len() <= 3, "x, y and the bias to the output, at most");
    }
}

#[test]
fn fitness_is_the_held_out_loss_plus_the_price_of_size_and_a_higher_price_keeps_champions_small() {
    let priced = stop_config("Fitness", None);
    assert_eq!(priced.penalty, 0.01, "ten times the default price");
    let run = played(priced.clone(), 5);
    let best = run.summary().best;
    assert!((best.fitness - (best.selection_loss + 0.01 * best.connections as f32)).abs() < 1e-5, "{best:?}");
    let size = |config: &Config| (1..=5u64).map(|seed| played(Config { seed, ..config.clone() }, 30).summary().best.connections).sum::<usize>();
    let (dear, cheap) = (size(&priced), size(&Config { penalty: Config::default().penalty, ..priced.clone() }));
    assert!(dear < cheap, "champions at the higher price have {dear} connections over 5 seeds, at the default {cheap}");
}

#[test]
fn on_xor_evolution_finds_multiplication() {
    let found = seeds_where("XOR", 30, |run| kinds(run.best()).contains(&"mult") && run.summary().best.test_accuracy >= 0.95);
    assert!(found >= 4, "a multiplying champion on {found} of 5 seeds");
    assert!(kinds(played(stop_config("XOR", None), 30).best()).contains(&"mult"), "the stop's own seed");
}

#[test]
fn on_circles_the_champions_use_radial_kinds() {
    let radial = ["square", "gaussian", "sine", "abs"];
    let found = seeds_where("Circles", 30, |run| {
        let k = kinds(run.best());
        k.contains(&"square") && k.iter().filter(|k| radial.contains(k)).count() * 2 > k.len() && run.summary().best.test_accuracy >= 0.95
    });
    assert!(found >= 4, "a champion of squares and other radial kinds on {found} of 5 seeds");
}

#[test]
fn on_spirals_the_champion_grows_a_topology_of_its_own() {
    let found = seeds_where("Spirals", 80, |run| {
        let k = kinds(run.best());
        k.len() >= 8 && k.contains(&"sine") && run.summary().best.test_accuracy > 0.9
    });
    assert!(found >= 4, "eight or more hidden nodes, sines among them, over 90% on {found} of 5 seeds");
    let stop = STOPS.iter().find(|s| s.title.starts_with("Spirals")).unwrap();
    let run = played(stop_config("Spirals", None), 80);
    the_recorded_run_is_the_stops_own(stop, run.generation(), &run.state());
}

#[test]
fn species_live_side_by_side_arise_and_die_out() {
    let mut run = Run::new(stop_config("Speciation", None)).unwrap();
    let mut seen: Vec<Vec<u32>> = Vec::new();
    for _ in 0..60 {
        let summary = run.step();
        seen.push(summary.species.iter().map(|s| s.id).collect());
    }
    assert!(seen[10..].iter().all(|ids| ids.len() >= 2), "fewer than two species after generation 10: {seen:?}");
    let first = &seen[0];
    assert!(seen.last().unwrap().iter().any(|id| !first.contains(id)), "no species arose");
    let last = seen.last().unwrap();
    assert!(seen.iter().flatten().any(|id| !last.contains(id)), "no species died out: {seen:?}");
    let stop = STOPS.iter().find(|s| s.title.starts_with("Speciation")).unwrap();
    the_recorded_run_is_the_stops_own(stop, run.generation(), &run.state());
}

#[test]
fn the_pareto_front_runs_from_small_networks_to_accurate_ones() {
    let run = played(stop_config("Accuracy against size", None), 20);
    let front: Vec<_> = members(&run).into_iter().filter(|m| m.front == 0).collect();
    let mut sizes: Vec<usize> = front.iter().map(|m| m.connections).collect();
    sizes.sort();
    sizes.dedup();
    assert!(sizes.len() >= 3, "the front holds {} sizes", sizes.len());
    let smallest = front.iter().min_by_key(|m| m.connections).unwrap();
    let lowest = front.iter().min_by(|a, b| a.loss.total_cmp(&b.loss)).unwrap();
    assert!(smallest.connections < lowest.connections && lowest.loss < smallest.loss, "{smallest:?} {lowest:?}");
}

#[test]
fn in_the_cell_search_aging_evolution_beats_random_search_and_its_non_aging_variant() {
    let stop = STOPS.iter().find(|s| s.title.starts_with("Cell search")).unwrap();
    let Experiment::Cells(config) = Experiment::from_link(stop.link).unwrap() else { panic!("not a cell stop") };
    assert_eq!(config, CellConfig::default());
    let table = crate::cells::table();
    let base = CellSearch::from_config(&config, config.compare[0], 1);
    let seeds: Vec<u64> = (1..=config.seeds as u64).collect();
    let reports = compare(&table, &base, &config.compare, &seeds, 10).unwrap();
    let mean = |name: &str| reports.iter().find(|r| r.strategy == name).unwrap().mean_test_accuracy;
    assert!(mean("aging") > mean("random"), "aging {} vs random {}", mean("aging"), mean("random"));
    assert!(mean("aging") > mean("aging-worst"), "aging {} vs non-aging {}", mean("aging"), mean("aging-worst"));
}

/// The recurrent stop: 12 generations of its link give a best cell with more memory cells than
/// the LSTM's one that solves the adding problem, below every named cell, the LSTM unsolved.
#[test]
fn evolved_memory_cells_beat_the_lstm_and_every_named_cell_on_equal_budgets() {
    use evonas::scene::recurrent::run::RecurrentRun;
    let stop = STOPS.iter().find(|s| s.title.starts_with("Evolved memory cells")).unwrap();
    let Experiment::Recurrent(config) = Experiment::from_link(stop.link).unwrap() else { panic!("not a recurrent stop") };
    let mut run = RecurrentRun::new(&config, 2);
    for _ in 0..12 {
        run.step();
    }
    let summary = run.summary();
    let best = summary.best.unwrap();
    assert!(best.memory_cells >= 2, "{} memory cells: {}", best.memory_cells, best.cell);
    assert!(best.test_loss < 0.04, "solved: {}", best.test_loss);
    for (name, named) in &summary.baselines {
        assert!(best.test_loss < named.test_loss / 10.0, "best {} against {name} {}", best.test_loss, named.test_loss);
    }
    assert!(summary.baselines["lstm"].test_loss > 0.04, "the LSTM unsolved on this budget: {}", summary.baselines["lstm"].test_loss);
    the_recorded_run_is_the_stops_own(stop, run.generation, &run.state());
}

/// The recorded run the page opens `stop` from is exactly what the CLI makes of its link: its
/// file, byte for byte, that of the run played here to its `recorded` generation.
fn the_recorded_run_is_the_stops_own<T: serde::Serialize>(stop: &evonas::tour::Stop, generation: u64, state: &T) {
    let number = STOPS.iter().position(|s| s == stop).unwrap() + 1;
    assert_eq!(generation, stop.recorded, "stop {number} is recorded at generation {}", stop.recorded);
    let experiment = Experiment::from_link(&format!("{}&tour={number}", stop.link)).unwrap();
    let made = evonas::saved::Saved::of(&experiment.to_link(), experiment.scene().name(), generation, state).unwrap().to_bytes().unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(evonas::tour::recorded_path(number));
    let shipped = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (./build.sh tour-runs makes it)", path.display()));
    assert!(shipped == made, "{} is not the run its stop's link makes: ./build.sh tour-runs makes it again", path.display());
}

#[test]
fn only_the_stops_recorded_ship_a_run() {
    for (k, stop) in STOPS.iter().enumerate() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(evonas::tour::recorded_path(k + 1));
        assert_eq!(path.exists(), stop.recorded > 0, "stop {}: {}", k + 1, path.display());
    }
}

/// The two modules stops share one experiment (they differ in the views shown): 3 generations
/// of seed 1 on MNIST-1D.
fn modules_run() -> &'static evonas::scene::modules::run::ModulesRun {
    use evonas::scene::modules::{config::ModulesConfig, data::scene_data, run::ModulesRun};
    static RUN: std::sync::OnceLock<ModulesRun> = std::sync::OnceLock::new();
    RUN.get_or_init(|| {
        let links: Vec<&str> = STOPS.iter().filter(|s| s.link.starts_with("scene=modules")).map(|s| s.link).collect();
        let base = |link: &str| link.split('&').filter(|p| !p.starts_with("show=")).collect::<Vec<_>>().join("&");
        assert!(links.len() == 2 && base(links[0]) == base(links[1]), "the modules stops show one experiment: {links:?}");
        let config = ModulesConfig::from_link(links[0]).unwrap();
        let data = evonas::mnist1d::Mnist1d::from_csv(include_str!("../../../data/mnist1d_default.csv")).unwrap();
        let mut run = ModulesRun::new(&config, scene_data(&config, Some(&data)).unwrap(), 2);
        for _ in 0..3 {
            run.step();
        }
        run
    })
}

#[test]
fn the_best_assembled_network_reuses_one_module_and_beats_the_papers_cnn() {
    for stop in STOPS.iter().filter(|s| s.link.starts_with("scene=modules")) {
        the_recorded_run_is_the_stops_own(stop, modules_run().generation, &modules_run().state());
    }
    let summary = modules_run().summary();
    let best = summary.best.unwrap();
    assert!(best.modules.iter().any(|m| m.uses >= 2), "a module at two or more nodes: {} / {:?}", best.blueprint, best.modules);
    let cnn = &summary.baselines["cnn"];
    assert!(best.test_accuracy > cnn.test_accuracy, "best {} against the CNN's {}", best.test_accuracy, cnn.test_accuracy);
}

#[test]
fn the_front_runs_from_tiny_networks_to_ones_past_the_cnn() {
    use evonas::scene::modules::summary::front;
    let run = modules_run();
    let points: Vec<_> = front(&run.archive).into_iter().map(|k| run.archive[k]).collect();
    eprintln!("front: {:?}", points.iter().map(|p| (p.parameters, p.validation_accuracy)).collect::<Vec<_>>());
    assert!(points.len() >= 4, "{} networks on the front", points.len());
    assert!(
        points.windows(2).all(|w| w[0].parameters <= w[1].parameters && w[0].validation_accuracy < w[1].validation_accuracy),
        "more parameters buy accuracy"
    );
    let (small, large) = (points[0], points[points.len() - 1]);
    assert!(small.parameters < 2_000 && large.parameters >= 10 * small.parameters, "from {} to {} parameters", small.parameters, large.parameters);
    let cnn = run.baselines.iter().find(|(b, _)| b.name() == "cnn").map(|(_, o)| o).unwrap();
    assert!(large.validation_accuracy > cnn.validation_accuracy, "the front's top {} against the CNN's {}", large.validation_accuracy, cnn.validation_accuracy);
    assert!(small.validation_accuracy < 0.5, "the smallest networks give accuracy up: {}", small.validation_accuracy);
}
