//! Backprop against independent truth: every activation and node kind, on random programs,
//! checked against central finite differences of an f64 reference written here from the
//! definitions (std's f64 math, not the crate's kernels).

use evonas::activation::{Activation, ALL};
use evonas::dataset::{self, Points};
use evonas::genome::{Genome, Innovations};
use evonas::program::{Program, INPUT_SLOTS};
use evonas::rng::{Purpose, Stream};
use evonas::scene::neat::compile::compile;
use evonas::scene::neat::config::Config;
use evonas::scene::neat::mutation::{add_connection, add_node, perturb_weights};
use evonas::train::cpu;

fn reference_activation(a: Activation, x: f64) -> f64 {
    match a {
        Activation::Sigmoid => 1.0 / (1.0 + (-x).exp()),
        Activation::Tanh => x.tanh(),
        Activation::Relu => x.max(0.0),
        Activation::Gaussian => (-x * x).exp(),
        Activation::Sine => x.sin(),
        Activation::Abs => x.abs(),
        Activation::Square => x * x,
        Activation::Identity | Activation::Add | Activation::Mult => x,
    }
}

/// Mean cross-entropy of `program` with `weights`, in f64; also whether some relu/abs input
/// lies so close to its kink that a finite difference would straddle it.
fn reference_loss(program: &Program, weights: &[f64], points: &Points, h: f64) -> (f64, bool) {
    let mut total = 0.0;
    let mut near_kink = false;
    for p in 0..points.len() {
        let mut values = vec![0.0f64; program.slots];
        values[..INPUT_SLOTS].copy_from_slice(&[points.x[p] as f64, points.y[p] as f64, 1.0]);
        let mut logit = 0.0;
        for node in &program.nodes {
            let act = node.activation();
            let edges = &program.edges[node.edge_range()];
            let terms = edges.iter().map(|e| weights[e.weight as usize] * values[e.source as usize]);
            let combined = match (act.is_product(), edges.is_empty()) {
                (_, true) => 0.0,
                (true, false) => terms.product(),
                (false, false) => terms.sum(),
            };
            if matches!(act, Activation::Relu | Activation::Abs) && combined != 0.0 && combined.abs() < 100.0 * h {
                near_kink = true;
            }
            logit = combined;
            values[node.slot as usize] = reference_activation(act, combined);
        }
        let y = points.label[p] as f64;
        total += logit.max(0.0) - y * logit + (-logit.abs()).exp().ln_1p();
    }
    (total / points.len() as f64, near_kink)
}

fn random_genome(allowed: &[Activation], seed: u64, registry: &mut Innovations) -> Genome {
    let mut rng = Stream::new(seed, Purpose::Bench, 1, 0);
    let mut g = Genome::logistic(registry, &mut rng);
    for _ in 0..(2 + seed % 10) {
        add_node(&mut g, allowed, registry, &mut rng);
        add_connection(&mut g, registry, &mut rng);
        add_connection(&mut g, registry, &mut rng);
    }
    perturb_weights(&mut g, 0.0, &mut rng);
    for c in &mut g.conns {
        c.weight *= 0.5;
    }
    g
}

/// Checks every weight's gradient of 12 random programs whose hidden nodes use `allowed`
/// (drawing up to 30: programs with an input on a relu or abs kink, or an exploding loss,
/// are skipped).
fn check(allowed: &[Activation]) {
    let config = Config::from_link("dataset=spiral&points=40&noise=0.3&seed=2").unwrap();
    let points = dataset::generate(&config.data_spec()).unwrap().train;
    let mut registry = Innovations::default();
    let h = 1e-4;
    let mut checked = 0;
    for seed in 0..30 {
        if checked == 12 {
            break;
        }
        let program = compile(&random_genome(allowed, seed, &mut registry));
        let base: Vec<f64> = program.weights.iter().map(|&w| w as f64).collect();
        let (loss, grads) = cpu::gradient(&program, &points);
        let (ref_loss, near_kink) = reference_loss(&program, &base, &points, h);
        // Chains of square nodes can blow the loss up to where an f64 finite difference
        // loses every digit; such programs test nothing, so they are skipped like kinks.
        if near_kink || ref_loss > 20.0 {
            continue;
        }
        assert!((loss as f64 - ref_loss).abs() < 1e-4 * (1.0 + ref_loss), "{allowed:?} seed {seed}: loss {loss} vs {ref_loss}");
        for (i, &g) in grads.iter().enumerate() {
            let mut plus = base.clone();
            plus[i] += h;
            let mut minus = base.clone();
            minus[i] -= h;
            let numeric = (reference_loss(&program, &plus, &points, h).0 - reference_loss(&program, &minus, &points, h).0) / (2.0 * h);
            let tolerance = 1e-3 * (1.0 + numeric.abs());
            assert!((g as f64 - numeric).abs() < tolerance, "{allowed:?} seed {seed} weight {i}: backprop {g}, finite difference {numeric}");
        }
        checked += 1;
    }
    assert!(checked >= 8, "{allowed:?}: only {checked} programs away from kinks");
}

#[test]
fn every_kind_alone_matches_finite_differences() {
    for &a in ALL.iter() {
        check(&[a]);
    }
}

#[test]
fn mixed_programs_match_finite_differences() {
    check(ALL);
}

#[test]
fn batched_forward_equals_the_scalar_reference_bit_for_bit() {
    let config = Config::from_link("dataset=circle&points=50").unwrap();
    let points = dataset::generate(&config.data_spec()).unwrap().train;
    let mut registry = Innovations::default();
    for seed in 0..20 {
        let genome = random_genome(ALL, seed, &mut registry);
        let program = compile(&genome);
        let mut ws = cpu::Workspace::default();
        ws.load(&program, &points.x, &points.y, None);
        ws.forward(&program);
        for (p, &value) in ws.result(&program).iter().enumerate() {
            assert_eq!(value.to_bits(), program.eval_point(points.x[p], points.y[p]).to_bits());
        }
    }
}
