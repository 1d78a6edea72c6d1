//! NAS-Bench-201 cell search: the table against its CSV, cells, the four searches' rules, a
//! statistical comparison over seeds, and the CLI.

use evonas::rng::{Purpose, Stream};
use evonas::scene::cells::cell::{Cell, Op, CELLS, EDGES};
use evonas::scene::cells::compare::compare;
use evonas::scene::cells::nasbench::{Bench, Table, TABLE_BYTES};
use evonas::scene::cells::search::{search, trace, CellSearch, CellStrategy};
use std::process::Command;

const CSV: &str = include_str!("../../../data/nasbench201_12epoch.csv");

/// The recorded table (also the tour's cell stop's).
pub(crate) fn table() -> Table {
    Table::from_csv(CSV).unwrap()
}

/// The code of a cell string worked out here, independently of `Cell`: the k-th `op~input`
/// entry read left to right is edge k, and op names count in the benchmark's order.
fn code_of(text: &str) -> u16 {
    let names = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"];
    let ops: Vec<u16> = text.split('|').filter_map(|e| e.split_once('~')).map(|(op, _)| names.iter().position(|&n| n == op).unwrap() as u16).collect();
    assert_eq!(ops.len(), 6, "{text}");
    ops.iter().rev().fold(0, |code, &op| code * 5 + op)
}

#[test]
fn the_binary_table_holds_every_csv_value_within_half_a_hundredth() {
    let bytes = table().to_bytes();
    assert_eq!(bytes.len(), TABLE_BYTES);
    assert_eq!(TABLE_BYTES, 8 + 15_625 * 12);
    let decoded = Table::from_bytes(&bytes).unwrap();
    assert_eq!(decoded, table(), "a table read either way is the same table");
    let mut rows = 0;
    for line in CSV.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let cell = Cell::from_code(code_of(fields[1])).unwrap();
        for (k, bench) in Bench::ALL.iter().copied().enumerate() {
            let (val, test): (f32, f32) = (fields[2 + 2 * k].parse().unwrap(), fields[3 + 2 * k].parse().unwrap());
            assert!((decoded.validation(cell, bench) - val).abs() <= 0.005 + 1e-4, "{line}");
            assert!((decoded.test(cell, bench) - test).abs() <= 0.005 + 1e-4, "{line}");
        }
        rows += 1;
    }
    assert_eq!(rows, CELLS);
    // Row 0 by hand: 63.364 is stored as 63.36, 69.55 exactly.
    let first: Cell = "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|".parse().unwrap();
    assert_eq!((decoded.validation(first, Bench::Cifar10), decoded.test(first, Bench::Cifar10)), (63.36, 69.55));
    assert_eq!(decoded.test(first, Bench::Imagenet16), 17.0);
}

#[test]
fn the_oracle_is_the_best_cell_of_the_csv() {
    let table = table();
    for (k, bench) in Bench::ALL.iter().copied().enumerate() {
        let column = |i: usize| CSV.lines().skip(1).map(move |l| l.split(',').nth(i).unwrap().parse::<f32>().unwrap());
        let best_test = column(3 + 2 * k).fold(0.0, f32::max);
        let oracle = table.oracle(bench);
        assert!((oracle.test_accuracy - best_test).abs() <= 0.005 + 1e-4, "{bench:?}");
        assert_eq!(table.test(Cell::from_code(oracle.test_cell).unwrap(), bench), oracle.test_accuracy);
        let cells: Vec<Cell> = (0..CELLS as u16).map(|c| Cell::from_code(c).unwrap()).collect();
        assert!(cells.iter().all(|&c| table.validation(c, bench) <= oracle.validation_accuracy));
        assert!(cells.iter().all(|&c| table.test(c, bench) <= oracle.test_accuracy));
    }
    assert_eq!(table.oracle(Bench::Cifar10).test_accuracy, 89.16);
}

#[test]
fn every_code_cell_and_string_round_trips() {
    for code in 0..CELLS as u16 {
        let cell = Cell::from_code(code).unwrap();
        assert_eq!(cell.code(), code);
        let text = cell.to_string();
        assert_eq!(code_of(&text), code, "{text}");
        assert_eq!(text.parse::<Cell>().unwrap(), cell);
    }
    // Every CSV cell string parses to the code worked out independently.
    for line in CSV.lines().skip(1).step_by(97) {
        let text = line.split(',').nth(1).unwrap();
        assert_eq!(text.parse::<Cell>().unwrap().code(), code_of(text));
    }
}

#[test]
fn a_mutation_changes_exactly_one_edge_to_each_neighbour_about_equally_often() {
    let mut counts = [[0usize; 5]; EDGES];
    let trials = 24_000;
    for seed in 0..trials {
        let mut rng = Stream::new(seed, Purpose::Bench, 1, 0);
        let parent = Cell::random(&mut rng);
        let mut child = parent;
        child.mutate(&mut rng);
        let changed: Vec<usize> = (0..EDGES).filter(|&e| child.ops[e] != parent.ops[e]).collect();
        assert_eq!(changed.len(), 1, "{parent} -> {child}");
        let edge = changed[0];
        counts[edge][(child.ops[edge] as usize + 5 - parent.ops[edge] as usize) % 5] += 1;
    }
    // Each (edge, shift 1..4) is 1 in 24: 1000 expected, standard deviation about 31.
    for (edge, row) in counts.iter().enumerate() {
        assert_eq!(row[0], 0);
        for &n in &row[1..] {
            assert!((850..=1150).contains(&n), "edge {edge}: {row:?}");
        }
    }
    assert_eq!(Op::ALL.len(), 5);
}

/// A score for every cell with no two equal: a bijection of its code.
fn score(cell: Cell) -> f32 {
    (cell.code() as usize * 7919 % CELLS) as f32
}

/// The cells a search asks about, in order.
fn evaluated(params: &CellSearch, objective: impl Fn(Cell) -> f32) -> Vec<Cell> {
    let mut asked = Vec::new();
    search(params, &mut |c| {
        asked.push(c);
        objective(c)
    })
    .unwrap();
    asked
}

#[test]
fn every_search_makes_exactly_its_evaluations() {
    let table = table();
    for &strategy in CellStrategy::ALL {
        for n in [1, 7, 19, 20, 24, 25, 26, 301] {
            let params = CellSearch { strategy, evaluations: n, seed: n as u64, ..CellSearch::default() };
            assert_eq!(evaluated(&params, score).len(), n, "{strategy:?}");
            let t = trace(&table, &params).unwrap();
            assert_eq!((t.evaluations, t.improvements[0].evaluated), (n, 1));
        }
    }
}

#[test]
fn bad_parameters_are_refused_naming_the_field() {
    let base = CellSearch::default();
    for (params, needle) in [
        (CellSearch { evaluations: 0, ..base.clone() }, "evaluations 0"),
        (CellSearch { population: 0, ..base.clone() }, "population 0"),
        (CellSearch { sample: 21, ..base.clone() }, "sample 21"),
        (CellSearch { noise: f32::NAN, ..base.clone() }, "noise NaN"),
        (CellSearch { noise: -1.0, ..base.clone() }, "noise -1"),
    ] {
        assert!(search(&params, &mut score).unwrap_err().contains(needle));
        assert!(trace(&table(), &params).unwrap_err().contains(needle));
    }
    let err = compare(&table(), &base, &[CellStrategy::Random], &[], 10).unwrap_err();
    assert!(err.contains("at least one strategy, one seed and one point"), "{err}");
    assert!(serde_json::from_str::<CellSearch>(r#"{"strategy":"sideways"}"#).is_err());
    let read: CellSearch = serde_json::from_str(r#"{"strategy":"aging-worst","bench":"imagenet16"}"#).unwrap();
    assert_eq!(read, CellSearch { strategy: CellStrategy::AgingWorst, bench: Bench::Imagenet16, ..base });
}

#[test]
fn aging_breeds_from_the_best_of_the_last_p_and_aging_worst_from_the_best_ever() {
    // A tournament of the whole queue always picks its best. The aging queue is the last P
    // cells evaluated; the non-aging one keeps the P best, so its best is the best ever.
    for (strategy, seed) in [(CellStrategy::Aging, 1), (CellStrategy::AgingWorst, 2), (CellStrategy::Aging, 3)] {
        let params = CellSearch { strategy, evaluations: 400, population: 10, sample: 10, seed, ..CellSearch::default() };
        let asked = evaluated(&params, score);
        for t in 10..asked.len() {
            let window = if strategy == CellStrategy::Aging { &asked[t - 10..t] } else { &asked[..t] };
            let parent = window.iter().copied().max_by(|a, b| score(*a).total_cmp(&score(*b))).unwrap();
            assert!(parent.neighbours().contains(&asked[t]), "{strategy:?} evaluation {t}");
        }
    }
    // With a smaller sample the parent is still one of the last P.
    let params = CellSearch { evaluations: 300, population: 20, sample: 5, ..CellSearch::default() };
    let asked = evaluated(&params, score);
    for t in 20..asked.len() {
        assert!(asked[t - 20..t].iter().any(|p| p.neighbours().contains(&asked[t])), "evaluation {t}");
    }
}

#[test]
fn local_search_moves_to_the_first_better_unseen_neighbour_and_restarts_only_at_an_optimum() {
    for seed in 0..10 {
        let params = CellSearch { strategy: CellStrategy::Local, evaluations: 600, seed, ..CellSearch::default() };
        let asked = evaluated(&params, score);
        let (mut current, mut seen, mut restarts) = (asked[0], vec![asked[0]], 0);
        for &cell in &asked[1..] {
            if current.neighbours().contains(&cell) && !seen.contains(&cell) {
                seen.push(cell);
                if score(cell) > score(current) {
                    current = cell;
                }
            } else {
                // A restart: every neighbour of the current cell was seen and none beat it.
                assert!(current.neighbours().iter().all(|n| seen.contains(n) && score(*n) < score(current)), "seed {seed}");
                (current, seen, restarts) = (cell, vec![cell], restarts + 1);
            }
        }
        assert!(restarts >= 1, "600 evaluations reach an optimum of a 15,625-cell space");
    }
}

#[test]
fn traces_follow_the_best_by_validation_and_repeat_by_seed() {
    let table = table();
    for &strategy in CellStrategy::ALL {
        let params = CellSearch { strategy, evaluations: 200, seed: 4, ..CellSearch::default() };
        let t = trace(&table, &params).unwrap();
        assert_eq!(t, trace(&table, &params).unwrap(), "repeatable");
        // The best so far, worked out again from the cells the search asks about, in order.
        let asked = evaluated(&params, |c| table.validation(c, Bench::Cifar10));
        let mut best: Option<Cell> = None;
        for (k, &cell) in asked.iter().enumerate() {
            if best.is_none_or(|b| table.validation(cell, Bench::Cifar10) > table.validation(b, Bench::Cifar10)) {
                best = Some(cell);
            }
            let b = best.unwrap();
            let got = t.best_after(k + 1).unwrap();
            assert_eq!(
                (got.cell, got.validation, got.test_accuracy),
                (b.code(), table.validation(b, Bench::Cifar10), table.test(b, Bench::Cifar10)),
                "{strategy:?} after {}",
                k + 1
            );
        }
        assert!(t.improvements.windows(2).all(|w| w[0].evaluated < w[1].evaluated && w[0].validation < w[1].validation));
        assert_eq!((t.best_after(0), t.best_after(10_000)), (None, t.improvements.last()));
        // Noise changes what the search sees, never what a cell's test accuracy is.
        let noisy = trace(&table, &CellSearch { noise: 1.0, ..params.clone() }).unwrap();
        assert_ne!(noisy.improvements, t.improvements);
        for i in &noisy.improvements {
            assert_eq!(i.test_accuracy, table.test(Cell::from_code(i.cell).unwrap(), Bench::Cifar10));
        }
        assert_ne!(trace(&table, &CellSearch { seed: 5, ..params }).unwrap(), t, "seeds differ");
    }
}

#[test]
fn over_twenty_seeds_regularized_evolution_beats_random_search() {
    let table = table();
    let seeds: Vec<u64> = (1..=20).collect();
    let base = CellSearch { evaluations: 300, ..CellSearch::default() };
    let reports = compare(&table, &base, CellStrategy::ALL, &seeds, 10).unwrap();
    eprintln!("CIFAR-10, 20 seeds x 300 evaluations (oracle {:.2}%):", reports[0].oracle_test_accuracy);
    for r in &reports {
        eprintln!("{:12} {:6.2}% [{:6.2}, {:6.2}]  regret {:5.2}", r.strategy, r.mean_test_accuracy, r.low, r.high, r.mean_regret);
        assert_eq!(r.test_accuracy.len(), 20);
        let mean = r.test_accuracy.iter().sum::<f32>() / 20.0;
        assert!((r.mean_test_accuracy - mean).abs() < 1e-3 && (r.mean_regret - (r.oracle_test_accuracy - mean)).abs() < 1e-3);
        assert!(r.low <= r.mean_test_accuracy && r.mean_test_accuracy <= r.high);
        assert!(r.test_accuracy.iter().all(|&a| a <= r.oracle_test_accuracy));
        assert_eq!(r.curve.evaluated, (1..=10).map(|k| 30 * k).collect::<Vec<_>>());
        assert_eq!(*r.curve.mean_test_accuracy.last().unwrap(), r.mean_test_accuracy);
    }
    let (aging, random) = (&reports[0], &reports[2]);
    assert_eq!((aging.strategy.as_str(), random.strategy.as_str()), ("aging", "random"));
    assert!(aging.mean_test_accuracy > random.mean_test_accuracy, "aging {} vs random {}", aging.mean_test_accuracy, random.mean_test_accuracy);
}

fn evonas(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_evonas")).args(args).output().expect("the CLI runs")
}

#[test]
fn the_cli_ends_with_the_documented_object_and_refuses_bad_flags() {
    let out = evonas(&["cells", "--strategy", "aging", "--evaluations", "60", "--seeds", "3", "--dataset", "cifar100", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    let per_seed: Vec<f64> = last["test_accuracy"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    assert_eq!(per_seed.len(), 3);
    let mean = per_seed.iter().sum::<f64>() / 3.0;
    assert!((last["mean_test_accuracy"].as_f64().unwrap() - mean).abs() < 1e-3, "{last}");
    let oracle = last["oracle_test_accuracy"].as_f64().unwrap();
    assert!((oracle - table().oracle(Bench::Cifar100).test_accuracy as f64).abs() < 1e-4);
    assert!((last["mean_regret"].as_f64().unwrap() - (oracle - mean)).abs() < 1e-3);
    assert_eq!((last["strategy"].as_str(), last["dataset"].as_str()), (Some("aging"), Some("cifar100")));
    for (args, needle) in [
        (&["cells", "--dataset", "mnist"][..], "dataset 'mnist' is not one of cifar10, cifar100, imagenet16"),
        (&["cells", "--strategy", "aging,greedy"][..], "strategy 'greedy' is not one of"),
        (&["cells", "--noise", "loud"][..], "invalid value 'loud' for '--noise"),
        (&["cells", "--population", "4", "--sample", "5"][..], "sample 5 is not from 1 to the population 4"),
        (&["cells", "--evaluations", "0"][..], "--evaluations"),
        (&["table"][..], "--out"),
    ] {
        let out = evonas(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && err.contains(needle) && !err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn the_cli_writes_the_binary_table() {
    let path = std::env::temp_dir().join(format!("evonas-table-{}.bin", std::process::id()));
    let out = evonas(&["table", "--out", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).ok();
    assert_eq!(Table::from_bytes(&bytes).unwrap(), table());
}

#[test]
fn a_search_ends_with_its_population() {
    let table = table();
    for &strategy in CellStrategy::ALL {
        let params = CellSearch { strategy, evaluations: 120, population: 15, sample: 4, ..CellSearch::default() };
        let kept: Vec<u16> = trace(&table, &params).unwrap().population;
        let seen: Vec<u16> = evaluated(&params, |c| table.validation(c, params.bench)).iter().map(|c| c.code()).collect();
        assert_eq!(kept.len(), 15, "{strategy:?}");
        let value = |code: &u16| table.validation(Cell::from_code(*code).unwrap(), params.bench);
        match strategy {
            // The queue, and the searches that keep none, end with the latest 15 evaluated.
            CellStrategy::Aging | CellStrategy::Random | CellStrategy::Local => assert_eq!(kept, seen[seen.len() - 15..], "{strategy:?}"),
            // Worst-out keeps the best 15 ever seen.
            CellStrategy::AgingWorst => {
                let sorted = |codes: &[u16]| {
                    let mut v: Vec<f32> = codes.iter().map(value).collect();
                    v.sort_by(|a, b| b.total_cmp(a));
                    v
                };
                assert_eq!(sorted(&kept), sorted(&seen)[..15]);
            }
        }
    }
}

#[test]
fn the_cell_search_compares_as_every_scene_does() {
    use evonas::compare::Contest;
    use evonas::scene::cells::compare::CellContest;
    let table = table();
    let base = CellSearch { bench: Bench::Cifar100, noise: 0.5, ..CellSearch::default() };
    let strategies = [CellStrategy::Aging, CellStrategy::Random];
    let contest = CellContest { table: &table, base: base.clone() };
    let curves = evonas::compare::compare(&contest, &strategies, &[1, 2, 3], base.evaluations as u64, 30).unwrap();
    let reports = compare(&table, &base, &strategies, &[1, 2, 3], 30).unwrap();
    for (curve, report) in curves.iter().zip(&reports) {
        assert_eq!(curve.strategy, report.strategy);
        assert_eq!(curve.trained.iter().map(|&b| b as usize).collect::<Vec<_>>(), report.curve.evaluated);
        assert_eq!((&curve.mean_test_accuracy, &curve.low, &curve.high), (&report.curve.mean_test_accuracy, &report.curve.low, &report.curve.high));
        assert_eq!(*curve.mean_test_accuracy.last().unwrap(), report.mean_test_accuracy, "the curve ends at the final accuracy");
        assert!(curve.high.iter().all(|&h| h <= 100.0), "accuracies in percent");
    }
    assert!(contest.trace(CellStrategy::Local, 1, 0).unwrap_err().contains("budget 0 is out of range"));
}
