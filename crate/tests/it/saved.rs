//! The Scene contract in every scene: a run saved at generation k and resumed gives the bits of
//! the same run straight through; ask/tell through the byte transport, outcomes told in any
//! order, gives the bits of a step; and a damaged save file is refused with its reason.

use evonas::contract::SceneRun;
use evonas::mnist1d::Mnist1d;
use evonas::rng::{Purpose, Stream};
use evonas::scene::cells::nasbench::Table;
use evonas::scene::{open, resume, Experiment, Shipped};

const TABLE_CSV: &str = include_str!("../../../data/nasbench201_12epoch.csv");
const MNIST1D_CSV: &str = include_str!("../../../data/mnist1d_default.csv");

fn table() -> Result<Table, String> {
    Table::from_csv(TABLE_CSV)
}

fn mnist1d() -> Result<Mnist1d, String> {
    Mnist1d::from_csv(MNIST1D_CSV)
}

const SHIPPED: Shipped<'static> = Shipped { table: &table, mnist1d: &mnist1d };

/// A small link of every scene (each strategy of NEAT, novelty in the recurrent scene, MNIST-1D).
const LINKS: &[&str] = &[
    "dataset=xor&population=16&steps=20&seed=4",
    "dataset=circle&population=16&steps=20&strategy=aging&batch=4&hyper=0.5",
    "dataset=spiral&population=16&steps=10&strategy=pareto",
    "scene=cells&seeds=2&budget=120",
    "scene=recurrent&population=8&children=4&steps=20&novelty=0.5&seed=3",
    "scene=modules&dataset=xor&modules=6&blueprints=3&networks=2&epochs=1",
    "scene=modules&modules=4&blueprints=2&networks=1&epochs=1&validation=50",
];

fn run_of(link: &str, threads: usize) -> Box<dyn SceneRun> {
    open(&Experiment::from_link(link).unwrap(), &SHIPPED, threads).unwrap_or_else(|e| panic!("{link}: {e}"))
}

/// Each generation's JSON line with its time left out, and the save file at the end.
fn go(run: &mut dyn SceneRun, generations: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for _ in 0..generations {
        if run.more() {
            run.step().unwrap();
            lines.push(run.json_line(0.0).unwrap());
        }
    }
    lines
}

#[test]
fn a_run_resumed_at_generation_k_gives_the_bits_of_the_run_straight_through() {
    for link in LINKS {
        let mut straight = run_of(link, 2);
        let lines = go(straight.as_mut(), 3);
        let mut first = run_of(link, 1);
        let mut resumed_lines = go(first.as_mut(), 1);
        let file = first.save().unwrap();
        let mut resumed = resume(&file, &SHIPPED, 2).unwrap_or_else(|e| panic!("{link}: {e}"));
        assert_eq!((resumed.scene(), resumed.generation(), resumed.link()), (first.scene(), 1, first.link()), "{link}");
        assert_eq!(resumed.save().unwrap(), file, "{link}: saved again at once, the same bytes");
        resumed_lines.extend(go(resumed.as_mut(), 2));
        assert_eq!(resumed_lines, lines, "{link}");
        assert_eq!(resumed.save().unwrap(), straight.save().unwrap(), "{link}: the same state at the end");
    }
}

#[test]
fn ask_and_tell_through_bytes_in_any_order_give_the_bits_of_a_step() {
    for link in LINKS {
        let mut stepped = run_of(link, 2);
        let mut told = run_of(link, 1);
        for generation in 0..2 {
            stepped.step().unwrap();
            let jobs = told.ask_bytes().unwrap();
            assert_eq!(told.ask_bytes().unwrap(), jobs, "{link}: asking again gives the same jobs");
            let mut outcomes: Vec<(usize, Vec<u8>)> = jobs.iter().enumerate().map(|(k, job)| (k, told.train_bytes(job).unwrap())).collect();
            Stream::new(7, Purpose::Bench, generation, 0).shuffle(&mut outcomes);
            told.tell_bytes(outcomes).unwrap();
            assert_eq!(told.json_line(0.0).unwrap(), stepped.json_line(0.0).unwrap(), "{link}, generation {generation}");
        }
        assert_eq!(told.save().unwrap(), stepped.save().unwrap(), "{link}");
    }
}

#[test]
fn outcomes_that_miss_a_job_or_repeat_one_are_refused() {
    let mut run = run_of(LINKS[0], 1);
    let jobs = run.ask_bytes().unwrap();
    let outcome = run.train_bytes(&jobs[0]).unwrap();
    let twice = vec![(0, outcome.clone()), (0, outcome.clone())];
    assert!(run.tell_bytes(twice).unwrap_err().contains("job 1 has two"), "a repeated job");
    assert!(run.tell_bytes(vec![(1, outcome.clone())]).unwrap_err().contains("job 0 has none"));
    assert!(run.tell_bytes(vec![(0, outcome)]).unwrap_err().contains("one result per genome"), "too few outcomes");
    assert!(run.train_bytes(b"\xa1\x61x\x01").unwrap_err().contains("a neat job"), "a job of another shape");
    assert_eq!(run.generation(), 0, "nothing refused changed the run");
    run.step().unwrap();
}

#[test]
fn a_damaged_save_file_is_refused_with_its_reason() {
    let mut run = run_of(LINKS[0], 1);
    go(run.as_mut(), 2);
    let file = run.save().unwrap();
    let refused = |bytes: &[u8]| resume(bytes, &SHIPPED, 1).err().expect("refused");
    assert!(refused(b"").contains("not an evonas run file"));
    assert!(refused(b"dataset=xor").contains("not an evonas run file"));
    for cut in (0..file.len()).step_by(7) {
        let message = refused(&file[..cut]);
        assert!(message.contains("not an evonas run file") || message.contains("cut short"), "cut at {cut}: {message}");
    }
    let mut version = file.clone();
    version[11] = 2;
    assert!(refused(&version).contains("format version 2"));
    let mut rng = Stream::new(5, Purpose::Bench, 0, 0);
    for _ in 0..200 {
        let mut flipped = file.clone();
        let at = 25 + rng.below(file.len() - 25);
        flipped[at] ^= 1 << rng.below(8);
        assert!(refused(&flipped).contains("checksum"));
    }
}

/// A body changed and its checksum made right again (a file edited by hand, or written by a
/// buggy tool): it decodes strictly, or is refused, or runs on; it never panics.
#[test]
fn a_rewritten_body_never_panics() {
    for link in [LINKS[0], LINKS[1], LINKS[4], LINKS[5]] {
        let mut run = run_of(link, 1);
        go(run.as_mut(), 2);
        let file = run.save().unwrap();
        let body = 25;
        let mut rng = Stream::new(9, Purpose::Bench, 1, 0);
        let (mut refused, mut resumed) = (0, 0);
        for _ in 0..60 {
            let mut changed = file.clone();
            for _ in 0..1 + rng.below(3) {
                let at = body + rng.below(file.len() - body);
                changed[at] = rng.bits() as u8;
            }
            let crc = crc32(&changed[body..]);
            changed[21..25].copy_from_slice(&crc.to_le_bytes());
            match resume(&changed, &SHIPPED, 1) {
                Err(message) => {
                    assert!(!message.is_empty());
                    refused += 1;
                }
                Ok(mut again) => {
                    // What decodes is a run: it goes on (a changed weight or score is a run too).
                    again.step().unwrap();
                    resumed += 1;
                }
            }
        }
        assert!(refused > 0 && refused + resumed == 60, "{link}: {refused} refused, {resumed} resumed");
    }
}

/// CRC-32 (IEEE), written out here so the test does not share the file's own code.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[test]
fn a_file_whose_link_and_scene_disagree_is_refused() {
    let mut run = run_of(LINKS[0], 1);
    go(run.as_mut(), 1);
    let saved = evonas::saved::Saved::from_bytes(&run.save().unwrap()).unwrap();
    let other = evonas::saved::Saved { scene: "cells".into(), ..saved.clone() };
    assert!(resume(&other.to_bytes().unwrap(), &SHIPPED, 1).err().unwrap().contains("says scene cells"));
    let later = evonas::saved::Saved { generation: 5, ..saved.clone() };
    assert!(resume(&later.to_bytes().unwrap(), &SHIPPED, 1).err().unwrap().contains("generation 5"));
    let bad_link = evonas::saved::Saved { link: "noise=NaN".into(), ..saved };
    assert!(resume(&bad_link.to_bytes().unwrap(), &SHIPPED, 1).err().unwrap().contains("noise"));
}
