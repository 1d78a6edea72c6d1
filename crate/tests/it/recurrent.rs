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
