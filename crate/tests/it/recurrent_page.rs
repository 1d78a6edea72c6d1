//! What the page's recurrent scene rests on: a pool trains a generation's jobs anywhere and the
//! run ends the same, bands over weight seeds, a cell's drawing, and the sequences it shows.

use evonas::scene::recurrent::bands::SEEDS;
use evonas::scene::recurrent::config::RecurrentConfig;
use evonas::scene::recurrent::drawing::draw;
use evonas::scene::recurrent::examples::{examples, Trained};
use evonas::scene::recurrent::named::Named;
use evonas::scene::recurrent::run::{task_data, RecurrentRun};
use evonas::tensor::Target;

fn config(link: &str) -> RecurrentConfig {
    RecurrentConfig::from_link(link).unwrap()
}

/// Jobs trained one by one, last first, each on its own copy of the task (as the page's
/// workers do), give the run what `step` gives it.
#[test]
fn a_generation_trained_by_a_pool_in_any_order_is_the_generation_step_trains() {
    let config = config("scene=recurrent&task=order&length=14&hidden=4&steps=12&population=5&children=3&sample=2&crossover=0.5&seed=3");
    let mut stepped = RecurrentRun::new(&config, 2);
    let mut pooled = RecurrentRun::new(&config, 1);
    let worker = task_data(&config);
    for _ in 0..3 {
        stepped.step();
        let jobs = pooled.begin_step();
        let mut outcomes: Vec<_> = jobs.iter().rev().map(|job| job.train(&worker, &config)).collect();
        outcomes.reverse();
        pooled.finish_step(outcomes).unwrap();
        let json = |run: &RecurrentRun| serde_json::to_string(&run.summary()).unwrap();
        assert_eq!(json(&stepped), json(&pooled));
    }
    assert_eq!(pooled.begin_step().len(), 3, "children only, after the first generation");
}

#[test]
fn a_generation_finished_with_the_wrong_outcomes_is_refused_and_the_run_carries_on() {
    let config = config("scene=recurrent&length=8&hidden=3&steps=4&population=3&children=3&sample=2");
    let mut run = RecurrentRun::new(&config, 1);
    let jobs = run.begin_step();
    assert_eq!(jobs.len(), Named::ALL.len() + 3, "the named cells, then the first population");
    let data = task_data(&config);
    let mut outcomes: Vec<_> = jobs.iter().map(|j| j.train(&data, &config)).collect();
    let err = run.finish_step(outcomes[1..].to_vec()).unwrap_err();
    assert_eq!(err, "generation 0 trains 7 cells, not 6");
    outcomes[2].params.clear();
    assert!(run.finish_step(outcomes.clone()).unwrap_err().contains("no trained parameters"));
    outcomes[2] = jobs[2].train(&data, &config);
    run.finish_step(outcomes).unwrap();
    assert_eq!(run.generation, 1);
}

/// Each reported cell gets one band of `SEEDS` test losses, its run's own first; a cell
/// banded once is not trained again.
#[test]
fn bands_train_each_reported_cell_from_other_weights_once() {
    let config = config("scene=recurrent&length=10&hidden=4&steps=30&population=4&children=2&sample=2&seed=7");
    let mut run = RecurrentRun::new(&config, 2);
    run.step();
    let jobs = run.band_jobs();
    // The best is one of the named cells (the first population starts with them) or a mutant.
    let rows = 1 + Named::ALL.len();
    assert!(jobs.len() == (rows - 1) * (SEEDS - 1) || jobs.len() == rows * (SEEDS - 1), "{} jobs", jobs.len());
    let data = task_data(&config);
    let outcomes: Vec<_> = jobs.iter().map(|j| j.train(&data, &config)).collect();
    assert!(run.finish_bands(&outcomes[1..]).is_err(), "a short list is refused");
    run.finish_bands(&outcomes).unwrap();
    assert!(run.band_jobs().is_empty());
    let summary = serde_json::to_value(run.summary()).unwrap();
    for row in Named::NAMES.iter().map(|n| &summary["baselines"][n]).chain([&summary["best"]]) {
        let band = &row["band"];
        let losses: Vec<f64> = band["test_losses"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
        assert_eq!(losses.len(), SEEDS);
        assert_eq!(losses[0], row["test_loss"].as_f64().unwrap(), "the run's own training comes first");
        assert!(losses.windows(2).any(|w| w[0] != w[1]), "other weights train differently: {losses:?}");
        let (mean, low, high) = (band["mean"].as_f64().unwrap(), band["low"].as_f64().unwrap(), band["high"].as_f64().unwrap());
        assert!((mean - losses.iter().sum::<f64>() / SEEDS as f64).abs() < 1e-5 && low < mean && mean < high);
    }
}

/// LSTM's drawing: c(t) is one node, the add of the forget-gated c(t-1) and the input-gated
/// candidate, and its memory path is that multiply and that add alone.
#[test]
fn the_lstm_is_drawn_with_one_memory_path_through_a_multiply_and_an_add() {
    let drawing = draw(&Named::Lstm.cell());
    assert_eq!(drawing.memory_cells, 1);
    let labels = |f: &dyn Fn(&evonas::scene::recurrent::drawing::Shown) -> bool| {
        let mut l: Vec<&str> = drawing.nodes.iter().filter(|n| f(n)).map(|n| n.label.as_str()).collect();
        l.sort_unstable();
        l
    };
    assert_eq!(labels(&|n| n.paths == [0]), ["+", "c0(t-1)", "\u{00D7}"]);
    assert_eq!(labels(&|n| n.root.is_some()), ["+", "\u{00D7}"]);
    let h = drawing.nodes.iter().find(|n| n.root.as_deref() == Some("h(t)")).unwrap();
    let read: Vec<&str> = h.inputs.iter().map(|&i| drawing.nodes[i].label.as_str()).collect();
    assert!(read.contains(&"tanh") && read.contains(&"sigmoid"), "h = o * tanh(c): {read:?}");
    let mut rng = evonas::rng::Stream::new(4, evonas::rng::Purpose::Recurrent, 0, 0);
    let random = (0..300).map(|k| evonas::scene::recurrent::gp::random_cell(&mut rng, 1 + k % 3));
    for cell in Named::ALL.iter().map(|n| n.cell()).chain(random) {
        let d = draw(&cell);
        assert!(d.nodes.iter().all(|n| n.kind != "fresh" && n.inputs.iter().all(|&i| d.nodes[i].layer < n.layer)));
        for layer in 0..d.layers {
            let mut order: Vec<usize> = d.nodes.iter().filter(|n| n.layer == layer).map(|n| n.order).collect();
            order.sort_unstable();
            assert_eq!(order, (0..order.len()).collect::<Vec<_>>(), "layer {layer} of {}", d.text);
        }
        // One h(t-1) and one c_k(t-1) however many nodes read them; a root per memory cell and h(t).
        let count = |label: &str| d.nodes.iter().filter(|n| n.label == label).count();
        assert!(count("h(t-1)") <= 1 && (0..cell.cells.len()).all(|k| count(&format!("c{k}(t-1)")) <= 1), "{}", d.text);
        let roots: Vec<&str> = d.nodes.iter().filter_map(|n| n.root.as_deref()).collect();
        assert_eq!(roots.iter().filter(|r| r.ends_with("h(t)")).count(), 1, "{roots:?}");
        assert_eq!(roots.iter().map(|r| r.matches("(t)").count()).sum::<usize>(), cell.cells.len() + 1, "{roots:?} of {}", d.text);
    }
    assert!(draw(&Named::Gru.cell()).nodes.iter().all(|n| n.paths.is_empty()), "GRU keeps no memory cell");
}

/// The sequences shown are the test set's: the readouts' errors over all of it give the test
/// loss and accuracy the run reports.
#[test]
fn the_sequences_shown_score_what_the_run_reports() {
    for (task, solved) in [("adding", None), ("order", Some(())), ("reber", Some(()))] {
        let config = config(&format!("scene=recurrent&task={task}&length=16&hidden=6&steps=40&population=2&children=1&sample=1"));
        let mut run = RecurrentRun::new(&config, 2);
        run.step();
        let (named, outcome) = &run.baselines[0];
        let cell = named.cell();
        let trained = [Trained { name: "lstm", cell: &cell, params: &outcome.params }];
        let shown = examples(&run.data, config.hidden, &trained, usize::MAX).unwrap();
        assert_eq!(shown.len(), run.data.test.real);
        if solved.is_none() {
            let mse: f64 = shown.iter().map(|e| (f64::from(e.readouts[0].value) - e.target.parse::<f64>().unwrap()).powi(2)).sum::<f64>() / shown.len() as f64;
            assert!((mse - f64::from(outcome.test_loss)).abs() < 2e-3 * mse.max(1e-3), "{task}: {mse} against {}", outcome.test_loss);
            for e in &shown {
                let sum: f32 = e.marked.iter().map(|&t| e.values[t]).sum();
                assert_eq!((e.values.len(), e.marked.len(), format!("{sum:.3}")), (16, 2, e.target.clone()));
            }
        } else {
            let right = shown.iter().filter(|e| e.readouts[0].right).count() as f32 / shown.len() as f32;
            assert!((right - outcome.test_accuracy.unwrap()).abs() < 1e-6, "{task}: {right} against {:?}", outcome.test_accuracy);
            let ce: f64 = -shown.iter().map(|e| f64::from(e.readouts[0].value).ln()).sum::<f64>() / shown.len() as f64;
            assert!((ce - f64::from(outcome.test_loss)).abs() < 1e-3 * ce, "{task}: {ce} against {}", outcome.test_loss);
        }
        if task == "reber" {
            let e = &shown[0];
            assert_eq!((e.symbols[0], e.marked.as_slice(), e.asked), ("B", &[1][..], Some(e.symbols.len() - 1)));
            assert_eq!(e.symbols[1], e.target, "the embedded string ends as it began");
        }
        if task == "order" {
            let xy: String = shown[0].marked.iter().map(|&t| shown[0].symbols[t]).collect();
            assert_eq!(xy, shown[0].target);
        }
    }
    let cell = Named::Lstm.cell();
    let run = RecurrentRun::new(&config("scene=recurrent&length=8&hidden=3"), 1);
    let wrong = [Trained { name: "lstm", cell: &cell, params: &[0.0; 5] }];
    assert!(examples(&run.data, 3, &wrong, 2).unwrap_err().starts_with("lstm: 5 parameters for a graph of"));
}

/// Aging evolution: each generation's children join the queue and as many of the oldest leave,
/// so members live several generations; more children than the queue holds is refused, and a
/// population below the default children shrinks them with it.
#[test]
fn children_push_out_as_many_of_the_oldest() {
    let config = config("scene=recurrent&length=8&hidden=3&steps=5&population=6&children=2&sample=2");
    let mut run = RecurrentRun::new(&config, 2);
    for generation in 0..4u64 {
        run.step();
        let born: Vec<u64> = run.queue.iter().map(|m| m.born).collect();
        let want: Vec<u64> = match generation {
            0 => vec![0; 6],
            g => [vec![0; 6 - 2 * g as usize], (1..=g).flat_map(|b| [b, b]).collect()].concat(),
        };
        assert_eq!(born, want, "after generation {generation}");
    }
    let err = RecurrentConfig::from_link("scene=recurrent&population=6&children=7").unwrap_err();
    assert!(err.starts_with("children: 7 is more than the population 6"), "{err}");
    let small = RecurrentConfig::from_link("scene=recurrent&population=4&sample=2").unwrap();
    assert_eq!(small.children, 4, "unset, children follows a smaller population down");
}

/// The next-character task: the text in its alphabet, windows whose every step predicts the
/// next symbol from the split they belong to, and samples the cells write.
#[test]
fn the_text_task_predicts_each_next_character_of_held_out_text() {
    use evonas::scene::recurrent::examples::GENERATED;
    use evonas::scene::recurrent::text::{corpus, ALPHABET};
    let text = corpus();
    assert!(text.codes.len() > 40_000, "a few tens of KB: {} symbols", text.codes.len());
    assert!(text.codes.iter().all(|&c| (c as usize) < ALPHABET.len()));
    assert!(!text.codes.windows(2).any(|w| w == [0, 0]), "one space between words");
    let decoded: String = text.codes.iter().map(|&c| ALPHABET.as_bytes()[c as usize] as char).collect();
    assert!(decoded.contains("abdomen, n. the temple of the god stomach"), "{}", &decoded[..200]);
    let config = config("scene=recurrent&task=text&length=30&hidden=8&steps=60&population=2&children=1&sample=1");
    let mut run = RecurrentRun::new(&config, 2);
    let data = &run.data;
    let symbols = |b: usize| -> String {
        (0..30)
            .map(|t| {
                (0..ALPHABET.len()).find(|&i| data.test.x[(t * ALPHABET.len() + i) * data.test.batch + b] > 0.5).map_or('?', |i| ALPHABET.as_bytes()[i] as char)
            })
            .collect()
    };
    let Target::Classes(classes) = &data.test.target else { panic!("classes") };
    for b in 0..8 {
        let window = symbols(b);
        let at = decoded.find(&window).unwrap_or_else(|| panic!("'{window}' is not in the text"));
        assert!(at >= text.test, "test window {b} comes from the test split");
        let next: Vec<u32> = (0..30).map(|t| classes[t * data.test.batch + b]).collect();
        let want: Vec<u32> = decoded[at + 1..at + 31].bytes().map(|c| ALPHABET.find(c as char).unwrap() as u32).collect();
        assert_eq!(next, want, "each step's target is the next symbol");
    }
    assert!((2.6..3.2).contains(&data.chance_loss), "letter frequencies: {} nats", data.chance_loss);
    run.step();
    let (named, outcome) = &run.baselines[0];
    let cell = named.cell();
    let trained = [Trained { name: "lstm", cell: &cell, params: &outcome.params }];
    let shown = examples(&run.data, config.hidden, &trained, usize::MAX).unwrap();
    let bits = shown.iter().map(|e| f64::from(e.readouts[0].value)).sum::<f64>() / shown.len() as f64;
    let want = f64::from(outcome.test_loss) / std::f64::consts::LN_2;
    assert!((bits - want).abs() < 1e-3 * want, "bits per character {bits} against the test loss's {want}");
    assert!(shown[..3].iter().all(|e| e.readouts[0].answer.chars().count() == GENERATED && e.readouts[0].answer.chars().all(|c| ALPHABET.contains(c))));
    let again = examples(&run.data, config.hidden, &trained, 3).unwrap();
    assert_eq!(again[0].readouts[0].answer, shown[0].readouts[0].answer, "the same cell writes the same text");
}
