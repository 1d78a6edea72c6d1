//! The strategies inside a Run: aging evolution's queue, Pareto search's elitism, and the
//! comparison's output.

use evonas::compare::{compare, Contest};
use evonas::scene::neat::config::Contender;
use evonas::scene::neat::strategy::pareto;
use evonas::scene::neat::training;
use evonas::{Config, Genome, Run};

fn run(link: &str) -> Run {
    Run::new(Config::from_link(link).unwrap()).unwrap()
}

#[test]
fn aging_keeps_its_queue_length_and_retires_the_oldest() {
    let mut run = run("dataset=circle&strategy=aging&population=20&batch=5&sample=4&steps=20&seed=3");
    run.step();
    assert_eq!(run.trained(), 20, "the first step trains the whole initial queue");
    for step in 0..6 {
        let before: Vec<Genome> = run.population().to_vec();
        let summary = run.step();
        assert_eq!(run.population().len(), 20, "step {step}: the queue keeps its length");
        assert_eq!(summary.trained, 25 + 5 * step as u64);
        // The five oldest left, whatever their fitness; the rest moved up in age order.
        assert_eq!(&run.population()[..15], &before[5..], "step {step}");
    }
}

#[test]
fn non_aging_evolution_retires_the_worst() {
    let mut run = run("dataset=circle&strategy=aging&removal=worst&population=20&batch=5&sample=4&steps=20&seed=3");
    run.step();
    for _ in 0..4 {
        let worst_kept = run.fitness().iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let before: Vec<(Genome, f32)> = run.population().iter().cloned().zip(run.fitness().iter().copied()).collect();
        run.step();
        // Nobody who left was better than anybody who stayed.
        let left: Vec<f32> = before.iter().filter(|(g, _)| !run.population().contains(g)).map(|(_, f)| *f).collect();
        let stayed = run.fitness().iter().copied().fold(f32::NEG_INFINITY, f32::max);
        assert!(left.iter().all(|&f| f >= stayed || f.is_nan()), "left {left:?}, worst stayed {stayed} (was {worst_kept})");
    }
}

#[test]
fn pareto_search_keeps_every_non_dominated_network() {
    let config = Config::from_link("dataset=xor&strategy=pareto&population=16&steps=20&seed=5").unwrap();
    let settings = config.train_settings(0);
    let mut run = Run::new(config).unwrap();
    run.step();
    for _ in 0..4 {
        let parents: Vec<Genome> = run.population().to_vec();
        let parent_objectives: Vec<[f32; 2]> = parents.iter().zip(run.selection()).map(|(g, &loss)| pareto::objectives(loss, g)).collect();
        let children = run.begin_step().to_vec();
        let trained = training::train_genomes(&children, run.data(), &settings, 1);
        let mut all = parents.clone();
        let mut objectives = parent_objectives;
        for (child, t) in children.iter().zip(&trained) {
            let mut child = child.clone();
            let (_, loss) = evonas::scene::neat::fitness::settle(&mut child, t.clone(), run.data());
            objectives.push(pareto::objectives(loss, &child));
            all.push(child);
        }
        run.finish_step(trained).unwrap();
        assert_eq!(run.population().len(), 16);
        // Every non-dominated point survives (in one of its copies, when there are several).
        let front = &pareto::fronts(&objectives)[0];
        let kept: Vec<usize> = (0..all.len()).filter(|&i| run.population().contains(&all[i])).collect();
        let mut points: Vec<[f32; 2]> = front.iter().map(|&i| objectives[i]).collect();
        points.dedup();
        if points.len() <= 16 {
            for &i in front {
                assert!(kept.iter().any(|&k| objectives[k] == objectives[i]), "non-dominated point {:?} was dropped", objectives[i]);
            }
        }
    }
}

#[test]
fn a_comparison_has_one_curve_per_strategy_with_bands_in_order() {
    let base = Config::from_link("dataset=xor&population=12&batch=4&steps=20").unwrap();
    let contenders: Vec<Contender> = Contender::NAMES.iter().map(|n| Contender::from_name(n).unwrap()).collect();
    let curves = compare(&base, &contenders, &[1, 2, 3], 120, 4).unwrap();
    assert_eq!(curves.iter().map(|c| c.strategy.as_str()).collect::<Vec<_>>(), Contender::NAMES);
    for c in &curves {
        assert_eq!(c.trained, vec![30, 60, 90, 120]);
        assert_eq!(c.traces.len(), 3);
        for k in 0..4 {
            assert!(0.0 <= c.low[k] && c.low[k] <= c.mean_test_accuracy[k] && c.mean_test_accuracy[k] <= c.high[k] && c.high[k] <= 1.0);
            assert!(c.mean_connections[k] >= 1.0);
        }
        for t in &c.traces {
            assert!(t.trained.windows(2).all(|w| w[0] < w[1]) && *t.trained.last().unwrap() >= 120);
        }
    }
    assert!(Contender::from_name("random").unwrap_err().contains("neat, aging, aging-worst, pareto"));
}

#[test]
fn pareto_search_spreads_along_the_front_instead_of_copying_one_network() {
    let mut run = run("dataset=spiral&noise=0.3&strategy=pareto&seed=2");
    // Before copies went last, 20 generations left 31 distinct points (60 left 12): the
    // empty network's copies won tournaments and bred more copies.
    for _ in 0..20 {
        run.step();
    }
    let points: std::collections::HashSet<[u32; 2]> =
        run.population().iter().zip(run.outcomes()).map(|(g, o)| pareto::objectives(o.loss, g).map(f32::to_bits)).collect();
    let sizes: std::collections::HashSet<usize> = run.population().iter().map(Genome::enabled_connections).collect();
    eprintln!("{} distinct objective points, {} distinct sizes in 50", points.len(), sizes.len());
    assert!(points.len() >= 45, "only {} distinct objective points in 50", points.len());
}

#[test]
fn a_comparison_refuses_budgets_out_of_range_and_keeps_curves_sane() {
    use evonas::compare::{curve, MAX_BUDGET};
    let base = Config::from_link("dataset=xor&population=10&steps=5").unwrap();
    for budget in [0, MAX_BUDGET + 1] {
        let error = base.trace(Contender::Neat, 1, budget).unwrap_err();
        assert!(error.contains("budget") && error.contains("out of range"), "{error}");
    }
    let one = base.trace(Contender::Aging, 1, 20).unwrap();
    // Zero budgets and points become one; a curve never has more points than it can hold.
    let c = curve("aging", vec![one.clone()], 0, 0, 1.0);
    assert_eq!(c.trained, [1]);
    assert_eq!(curve("aging", vec![one], 20, usize::MAX, 1.0).trained.len(), evonas::compare::MAX_POINTS);
}
