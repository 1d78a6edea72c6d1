//! Determinism: the same link gives bit-identical champions on every run and for any number
//! of threads.

use evonas::{Config, Run};

fn champion_after(link: &str, generations: usize, threads: usize) -> (evonas::Genome, Vec<u32>) {
    let mut run = Run::new(Config::from_link(link).unwrap()).unwrap();
    run.set_threads(threads);
    for _ in 0..generations {
        run.step();
    }
    let index = run.summary().best.index;
    let grid = run.grid(index, None, 16).unwrap().iter().map(|v| v.to_bits()).collect();
    (run.best().clone(), grid)
}

fn bits(genome: &evonas::Genome) -> Vec<(u32, u32, u32, u32, bool)> {
    genome.conns.iter().map(|c| (c.innovation, c.from, c.to, c.weight.to_bits(), c.enabled)).collect()
}

#[test]
fn two_runs_of_one_link_agree_bit_for_bit() {
    let link = "dataset=spiral&noise=0.3&seed=11&population=30&steps=40";
    let (a, grid_a) = champion_after(link, 12, 1);
    let (b, grid_b) = champion_after(link, 12, 1);
    assert_eq!(bits(&a), bits(&b));
    assert_eq!(a.nodes, b.nodes);
    assert_eq!(grid_a, grid_b);
    assert!(a.hidden_nodes() > 0, "the run should have grown some structure");
}

#[test]
fn one_thread_and_two_threads_agree_bit_for_bit() {
    let link = "dataset=circle&noise=0.2&seed=5&population=24&steps=30";
    let (a, grid_a) = champion_after(link, 10, 1);
    let (b, grid_b) = champion_after(link, 10, 2);
    let (c, _) = champion_after(link, 10, 5);
    assert_eq!(bits(&a), bits(&b));
    assert_eq!(bits(&a), bits(&c));
    assert_eq!(grid_a, grid_b);
}

#[test]
fn different_seeds_differ() {
    let (a, _) = champion_after("dataset=xor&seed=1&population=10&steps=10", 3, 1);
    let (b, _) = champion_after("dataset=xor&seed=2&population=10&steps=10", 3, 1);
    assert_ne!(bits(&a), bits(&b));
}

#[test]
fn training_in_slices_like_a_worker_pool_changes_nothing() {
    use evonas::scene::neat::training::train_genomes;
    let link = "dataset=spiral&noise=0.2&seed=8&population=20&steps=20";
    let mut whole = Run::new(Config::from_link(link).unwrap()).unwrap();
    let mut sliced = Run::new(Config::from_link(link).unwrap()).unwrap();
    for _ in 0..6 {
        let expected = whole.step();
        // What a pool is sent: the genomes and the generation, which keys the input noise.
        let settings = sliced.config().train_settings(sliced.generation());
        let genomes = sliced.begin_step().to_vec();
        let data = sliced.data().clone();
        let trained: Vec<_> = genomes.chunks(7).flat_map(|slice| train_genomes(slice, &data, &settings, 1)).collect();
        assert_eq!(sliced.finish_step(trained).unwrap(), expected);
    }
    assert_eq!(bits(whole.best()), bits(sliced.best()));
    assert!(sliced.finish_step(Vec::new()).is_err());
}
