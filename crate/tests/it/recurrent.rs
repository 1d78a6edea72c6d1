//! Evolved recurrent cells: the named cells compute their textbook equations, and genetic
//! programming keeps every cell valid and bounded.

use evonas::rng::{Purpose, Stream};
use evonas::scene::recurrent::cell::{Cell, MAX_CELLS, MAX_DEPTH, MAX_NODES};
use evonas::scene::recurrent::compile::compile;
use evonas::scene::recurrent::gp::{self, MUTATIONS};
use evonas::scene::recurrent::named::Named;
use evonas::tensor::tape::DenseAt;
use evonas::tensor::{Batch, Op, Target, Trainer, Workspace};

const D: usize = 3;
const H: usize = 4;
const T: usize = 6;
const B: usize = 5;

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// `W v + b` for the dense op at `at`, in f64.
fn dense(params: &[f32], at: &DenseAt, v: &[f64]) -> Vec<f64> {
    assert_eq!(v.len(), at.cols);
    (0..at.rows).map(|o| f64::from(params[at.bias() + o]) + (0..at.cols).map(|c| f64::from(params[at.offset + o * at.cols + c]) * v[c]).sum::<f64>()).collect()
}

fn zip(a: &[f64], b: &[f64], f: impl Fn(f64, f64) -> f64) -> Vec<f64> {
    a.iter().zip(b).map(|(&x, &y)| f(x, y)).collect()
}

fn map(a: &[f64], f: impl Fn(f64) -> f64) -> Vec<f64> {
    a.iter().map(|&x| f(x)).collect()
}

/// One textbook step: (x, h(t-1), c(t-1), the dense ops in tape order) to (h(t), c(t)).
type Step = fn(&[f64], &[f64], &[f64], &[&DenseAt], &[f32]) -> (Vec<f64>, Vec<f64>);

fn lstm(x: &[f64], h: &[f64], c: &[f64], d: &[&DenseAt], p: &[f32]) -> (Vec<f64>, Vec<f64>) {
    let xh = [x, h].concat();
    let [f, i, g, o] = [0, 1, 2, 3].map(|k| dense(p, d[k], &xh));
    let (f, i, g, o) = (map(&f, sigmoid), map(&i, sigmoid), map(&g, f64::tanh), map(&o, sigmoid));
    let c = zip(&zip(&f, c, |a, b| a * b), &zip(&i, &g, |a, b| a * b), |a, b| a + b);
    (zip(&o, &map(&c, f64::tanh), |a, b| a * b), c)
}

fn gru(x: &[f64], h: &[f64], _: &[f64], d: &[&DenseAt], p: &[f32]) -> (Vec<f64>, Vec<f64>) {
    // The tape computes r, then n, then z (the order h(t)'s graph first reads them).
    let xh = [x, h].concat();
    let r = map(&dense(p, d[0], &xh), sigmoid);
    let n = map(&dense(p, d[1], &[x, &zip(&r, h, |a, b| a * b)].concat()), f64::tanh);
    let z = map(&dense(p, d[2], &xh), sigmoid);
    // h = (1 - z) n + z h(t-1), as Cho et al. write it.
    let h = (0..h.len()).map(|u| (1.0 - z[u]) * n[u] + z[u] * h[u]).collect();
    (h, Vec::new())
}

fn rnn(x: &[f64], h: &[f64], _: &[f64], d: &[&DenseAt], p: &[f32]) -> (Vec<f64>, Vec<f64>) {
    (map(&dense(p, d[0], &[x, h].concat()), f64::tanh), Vec::new())
}

fn nascell(x: &[f64], h: &[f64], c: &[f64], d: &[&DenseAt], p: &[f32]) -> (Vec<f64>, Vec<f64>) {
    let xh = [x, h].concat();
    let unit = |k: usize| dense(p, d[k], &xh);
    let (o1, o2, o3) = (map(&unit(0), sigmoid), map(&unit(1), |v| v.max(0.0)), map(&unit(2), sigmoid));
    // o4 = relu(W x * U h): x's and h's projections multiplied, each with its own bias.
    let o4 = map(&zip(&dense(p, d[3], x), &dense(p, d[4], h), |a, b| a * b), |v| v.max(0.0));
    let (o5, o6, o7, o8) = (map(&unit(5), f64::tanh), map(&unit(6), sigmoid), map(&unit(7), f64::tanh), map(&unit(8), sigmoid));
    let l1 = map(&zip(&o1, &o2, |a, b| a * b), f64::tanh);
    let l2 = map(&zip(&o3, &o4, |a, b| a + b), f64::tanh);
    let l3 = map(&zip(&o5, &o6, |a, b| a * b), f64::tanh);
    let l4 = map(&zip(&o7, &o8, |a, b| a + b), sigmoid);
    let l1 = map(&zip(&l1, c, |a, b| a + b), f64::tanh);
    let c = zip(&l1, &l2, |a, b| a * b);
    let l5 = map(&zip(&l3, &l4, |a, b| a + b), f64::tanh);
    (map(&zip(&c, &l5, |a, b| a * b), f64::tanh), c)
}

/// Each named cell, compiled and run by the engine, gives the h(t) of its equations written out
/// above in f64 (within 2e-5), at every step of random sequences with random weights.
#[test]
fn every_named_cell_computes_its_textbook_equations() {
    let cases: [(Named, Step, usize); 4] = [(Named::Lstm, lstm, 4), (Named::Gru, gru, 3), (Named::Rnn, rnn, 1), (Named::Nascell, nascell, 9)];
    for (named, step, denses) in cases {
        let tape = compile(&named.cell(), D, H, 1);
        let mut stream = Stream::new(3, Purpose::Bench, 0, 0);
        let x: Vec<Vec<f32>> = (0..B).map(|_| (0..T * D).map(|_| stream.uniform(-1.0, 1.0)).collect()).collect();
        let batch = Batch::from_sequences(&x, D, false, Target::Values(vec![0.0; B])).unwrap();
        let mut trainer = Trainer::new(tape.clone(), &mut Stream::new(8, Purpose::Bench, 0, 0));
        let params: Vec<f32> = trainer.params.iter().enumerate().map(|(k, &w)| 1.3 * w + 0.05 * (k % 7) as f32 - 0.15).collect();
        trainer.params.copy_from_slice(&params);
        let mut workspace = Workspace::new(&tape, &batch);
        workspace.forward(&tape, &params, &batch);
        let (ops, _) = tape.layout();
        let dense_ops: Vec<&DenseAt> = ops.iter().flatten().collect();
        assert_eq!(dense_ops.len(), denses, "{}: dense ops", named.name());
        for b in 0..B {
            let (mut h, mut c) = (vec![0.0; H], vec![0.0; H]);
            for t in 0..T {
                let xt: Vec<f64> = (0..D).map(|i| f64::from(x[b][t * D + i])).collect();
                (h, c) = step(&xt, &h, &c, &dense_ops, &params);
                let engine = workspace.value(t, tape.slots[0]);
                for u in 0..H {
                    let e = f64::from(engine[u * batch.batch + b]);
                    assert!((e - h[u]).abs() < 2e-5, "{} step {t} sequence {b} unit {u}: engine {e}, equations {}", named.name(), h[u]);
                }
            }
        }
    }
}

#[test]
fn the_lstm_compiles_to_its_four_gates_over_x_and_h() {
    let tape = compile(&Named::Lstm.cell(), 2, 16, 1);
    let gates: Vec<&Op> = tape.ops.iter().filter(|op| matches!(op, Op::Dense(_))).collect();
    assert_eq!(gates, vec![&Op::Dense(vec![0, 1]); 4], "each gate one dense op over [x; h(t-1)]");
    assert_eq!(tape.parameters(), 4 * (16 * 18 + 16) + 17);
    assert_eq!(tape.slots.len(), 2);
    // The forget gate (the first dense op: f, i, g, o) starts open: its biases are 1.
    let first = tape.ops.iter().position(|op| matches!(op, Op::Dense(_))).unwrap();
    assert_eq!(tape.open, vec![first]);
    let trainer = Trainer::new(tape.clone(), &mut Stream::new(1, Purpose::Bench, 0, 0));
    let (layout, _) = tape.layout();
    let biases = |op: usize| {
        let at = layout[op].unwrap();
        trainer.params[at.bias()..at.end()].to_vec()
    };
    assert_eq!(biases(first), vec![1.0; 16]);
    let gates: Vec<usize> = tape.ops.iter().enumerate().filter(|(_, op)| matches!(op, Op::Dense(_))).map(|(i, _)| i).collect();
    assert!(gates[1..].iter().all(|&g| biases(g) == vec![0.0; 16]), "the other gates start at 0");
    for named in [Named::Gru, Named::Rnn, Named::Nascell] {
        assert!(compile(&named.cell(), 2, 4, 1).open.is_empty(), "{} has no forget gate", named.name());
    }
    for (named, cells) in [(Named::Gru, 0), (Named::Rnn, 0), (Named::Nascell, 1), (Named::Lstm, 1)] {
        assert_eq!(named.cell().cells.len(), cells, "{} memory cells", named.name());
    }
}

fn assert_bounded(cell: &Cell, what: &str) {
    cell.check().unwrap_or_else(|e| panic!("{what}: {e}\n{cell:?}"));
    assert!(cell.nodes.len() <= MAX_NODES && cell.cells.len() <= MAX_CELLS && cell.depth() <= MAX_DEPTH);
    let tape = compile(cell, 2, 4, 1);
    tape.check().unwrap_or_else(|e| panic!("{what}: its tape: {e}"));
}

/// 10,000 random operations (each mutation and crossover) from the named cells and random ones:
/// every result is a valid, bounded cell whose tape keeps the engine's rules, and the
/// operators do change cells.
#[test]
fn ten_thousand_gp_operations_keep_cells_valid_and_bounded() {
    let mut rng = Stream::new(17, Purpose::Breed, 0, 0);
    let mut pool: Vec<Cell> = Named::ALL.iter().map(|n| n.cell()).collect();
    pool.extend((0..4).map(|k| gp::random_cell(&mut rng, 1 + k % MAX_CELLS)));
    pool.iter().for_each(|c| assert_bounded(c, "a seed"));
    let mut changed = std::collections::BTreeMap::<String, (usize, usize)>::new();
    for n in 0..10_000 {
        let a = pool[rng.below(pool.len())].clone();
        let (child, name) = if n % 7 == 0 {
            let b = &pool[rng.below(pool.len())];
            (gp::crossover(&a, b, &mut rng), "crossover".to_string())
        } else {
            let op = MUTATIONS[n % MUTATIONS.len()];
            (gp::apply(&a, op, &mut rng), format!("{op:?}"))
        };
        assert_bounded(&child, &name);
        let entry = changed.entry(name).or_default();
        entry.0 += 1;
        entry.1 += usize::from(child != a);
        let slot = rng.below(pool.len());
        pool[slot] = child;
        if pool.len() < 40 {
            pool.push(pool[slot].clone());
        }
    }
    // Removing a memory cell from a cell with none, or adding one to a full cell, changes
    // nothing; each operator still changes a good share of the cells it meets.
    eprintln!("changed / tried: {changed:?}");
    for (name, (tried, made)) in &changed {
        assert!(*made * 5 > *tried, "{name} changed {made} of {tried} cells");
    }
    let memory: Vec<usize> = pool.iter().map(|c| c.cells.len()).collect();
    assert!(memory.iter().any(|&k| k >= 2), "memory cells are added: {memory:?}");
}

/// Each task's generator: shapes, the chance levels its doc states, and its own rules.
#[test]
fn each_task_makes_the_sequences_its_doc_describes() {
    use evonas::scene::recurrent::task::{generate, Task};
    let mut rng = Stream::new(2, Purpose::Recurrent, 0, 0);
    // Adding: two markers, one per half; the target their sum; the variance of a sum of two
    // uniform values is 1/6, so guessing the mean scores about 0.167.
    let adding = generate(Task::Adding, 50, 32, 4, 2000, &mut rng);
    assert!((adding.chance_loss - 1.0 / 6.0).abs() < 0.015, "adding chance {}", adding.chance_loss);
    let b = &adding.test;
    assert_eq!((b.length, b.inputs, b.real, b.every_step), (50, 2, 2000, false));
    for s in 0..50 {
        let marker = |t: usize| b.x[(t * 2 + 1) * b.batch + s];
        let marked: Vec<usize> = (0..50).filter(|&t| marker(t) == 1.0).collect();
        assert!(marked.len() == 2 && marked[0] < 25 && marked[1] >= 25, "markers at {marked:?}");
        let sum: f32 = marked.iter().map(|&t| b.x[t * 2 * b.batch + s]).sum();
        let Target::Values(v) = &b.target else { panic!("adding is scored by MSE") };
        assert_eq!(v[s], sum);
    }
    // Temporal order: four classes of about a quarter each; X/Y at the positions the class says.
    let order = generate(Task::Order, 50, 32, 4, 2000, &mut rng);
    assert_eq!(order.outputs, 4);
    let share = order.chance_accuracy.unwrap();
    assert!((0.23..0.29).contains(&share) && (order.chance_loss - 4f32.ln()).abs() < 0.01, "order chance {share}, {}", order.chance_loss);
    let b = &order.test;
    let Target::Classes(classes) = &b.target else { panic!("order is classified") };
    for (s, &class) in classes.iter().enumerate().take(50) {
        let symbol = |t: usize| (0..8).find(|&k| b.x[(t * 8 + k) * b.batch + s] == 1.0).unwrap();
        let relevant: Vec<usize> = (0..50).map(symbol).filter(|&k| k == 4 || k == 5).map(|k| k - 4).collect();
        assert_eq!((symbol(0), symbol(49)), (6, 7), "B first, E last");
        assert_eq!(relevant.len(), 2);
        assert_eq!(class, (2 * relevant[0] + relevant[1]) as u32);
    }
    // Embedded Reber: only the second-to-last symbol is scored, T or P as often, and it is the
    // second symbol of its string.
    let reber = generate(Task::Reber, 50, 32, 4, 2000, &mut rng);
    assert!((reber.chance_accuracy.unwrap() - 0.5).abs() < 0.04 && (reber.chance_loss - 2f32.ln()).abs() < 0.01);
    let b = &reber.test;
    let Target::Classes(classes) = &b.target else { panic!("reber is classified") };
    for s in 0..50 {
        let scored: Vec<usize> = (0..b.length).filter(|&t| classes[t * b.batch + s] != evonas::tensor::UNSCORED).collect();
        assert_eq!(scored, vec![b.length - 2]);
        let symbol = |t: usize| (0..7).find(|&k| b.x[(t * 7 + k) * b.batch + s] == 1.0);
        let first = (0..b.length).find(|&t| symbol(t).is_some()).unwrap();
        assert_eq!(symbol(first), Some(0), "B starts the string");
        assert_eq!(classes[(b.length - 2) * b.batch + s], symbol(first + 1).unwrap() as u32, "the end repeats the second symbol");
    }
}

/// A run gives the same bits for any number of threads, and reports the named cells beside
/// the best of the population.
#[test]
fn a_run_is_the_same_on_one_thread_and_on_three() {
    use evonas::scene::recurrent::config::RecurrentConfig;
    use evonas::scene::recurrent::run::RecurrentRun;
    let config = RecurrentConfig::from_link("scene=recurrent&task=reber&length=20&hidden=6&steps=20&population=6&children=3&sample=2&seed=5").unwrap();
    let summaries = |threads: usize| {
        let mut run = RecurrentRun::new(&config, threads);
        (0..3)
            .map(|_| {
                run.step();
                serde_json::to_string(&run.summary()).unwrap()
            })
            .collect::<Vec<_>>()
    };
    let one = summaries(1);
    assert_eq!(one, summaries(3));
    let last: serde_json::Value = serde_json::from_str(&one[2]).unwrap();
    assert_eq!((last["generation"].as_u64(), last["trained"].as_u64()), (Some(3), Some(12)));
    for name in Named::NAMES {
        assert!(last["baselines"][name]["test_loss"].is_number(), "{name} in {last}");
    }
}

#[test]
fn run_prints_a_line_per_generation_for_a_recurrent_link() {
    let evonas = |args: &[&str]| std::process::Command::new(env!("CARGO_BIN_EXE_evonas")).args(args).output().unwrap();
    let out =
        evonas(&["run", "--link", "scene=recurrent&task=order&length=16&hidden=4&steps=10&population=4&children=2&sample=2", "--generations", "2", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line["generation"], i as u64 + 1);
        assert!(line["elapsed_ms"].is_number());
        for key in ["test_loss", "test_accuracy", "memory_cells", "nodes", "parameters"] {
            assert!(line["best"][key].is_number(), "best.{key} in {line}");
        }
        for name in ["lstm", "gru", "rnn", "nascell"] {
            assert!(line["baselines"][name]["test_loss"].is_number(), "baselines.{name} in {line}");
        }
    }
    for (link, message) in [
        ("scene=recurrent&task=copy", "task: 'copy' is not one of adding, order, reber, text (scene=recurrent)"),
        ("scene=recurrent&cell=transformer", "cell: 'transformer' is not one of lstm, gru, rnn, nascell (scene=recurrent)"),
        ("scene=recurrent&sample=30", "sample: 30 is more than the population 20 (scene=recurrent)"),
        ("scene=recurrent&hidden=0", "hidden"),
    ] {
        let out = evonas(&["run", "--link", link, "--generations", "1"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && stderr.contains(message), "{link}: {stderr}");
    }
}

/// With novelty weighed, the archive gains each generation's most novel child, the run stays
/// the same on any number of threads, and the parents chosen differ from loss alone.
#[test]
fn novelty_keeps_an_archive_and_changes_who_breeds() {
    use evonas::scene::recurrent::config::RecurrentConfig;
    use evonas::scene::recurrent::run::RecurrentRun;
    let link = "scene=recurrent&task=adding&length=12&hidden=4&steps=15&population=8&children=4&sample=3&seed=2";
    let cells_after = |novelty: &str, threads: usize| {
        let config = RecurrentConfig::from_link(&format!("{link}&novelty={novelty}")).unwrap();
        let mut run = RecurrentRun::new(&config, threads);
        for _ in 0..4 {
            run.step();
        }
        (run.archive.descriptors.len(), run.queue.iter().map(|m| m.cell.clone()).collect::<Vec<_>>())
    };
    let (archived, novel) = cells_after("0.7", 1);
    assert_eq!(archived, 4, "one behaviour a generation");
    assert_eq!((archived, novel.clone()), cells_after("0.7", 2));
    let (none, by_loss) = cells_after("0", 1);
    assert_eq!(none, 0);
    assert_ne!(novel, by_loss, "novelty picks other parents");
}
