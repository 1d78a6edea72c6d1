//! The task made visible: test sequences, what each should give, and what trained cells read out.

use super::cell::Cell;
use super::compile::compile;
use super::task::{Task, TaskData};
use super::text;
use crate::rng::{Purpose, Stream};
use crate::tensor::{Batch, Target, Trainer, UNSCORED};
use serde::Serialize;

/// Temporal order's symbols as its inputs number them (`task::order`), and its classes.
const ORDER_SYMBOLS: [&str; 8] = ["a", "b", "c", "d", "X", "Y", "B", "E"];
const ORDER_CLASSES: [&str; 4] = ["XX", "XY", "YX", "YY"];
const REBER_SYMBOLS: [&str; 7] = ["B", "T", "P", "S", "X", "V", "E"];

/// One test sequence as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Example {
    /// The adding problem's numbers (empty for the symbol tasks).
    pub values: Vec<f32>,
    /// The symbol tasks' symbols, one per step (empty for adding).
    pub symbols: Vec<&'static str>,
    /// The steps that decide the answer: adding's two marked values, order's X and Y, the
    /// Reber string's second symbol.
    pub marked: Vec<usize>,
    /// What the answer is (a sum, a class, the second-to-last symbol).
    pub target: String,
    /// The Reber string's step whose symbol is asked for: the readout at the step before it
    /// predicts it, so a page hides it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asked: Option<usize>,
    /// What each cell gives, in the order asked.
    pub readouts: Vec<Readout>,
}

/// Symbols each cell writes after a text window, sampled from its readout.
pub const GENERATED: usize = 40;

/// What one trained cell gives on a sequence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Readout {
    pub cell: String,
    /// Its answer: the value, its most likely class, or (text) what it writes after the window.
    pub answer: String,
    /// Within the adding problem's 0.04 of the sum (about its "solved" MSE), the right class,
    /// or (text) fewer bits per character on the window than the letters' frequencies give.
    pub right: bool,
    /// The probability it gives the right class (the value itself for adding; for text its bits
    /// per character on the window).
    pub value: f32,
}

/// A trained cell to run: its name, its graph and its trained parameters.
pub struct Trained<'a> {
    pub name: &'a str,
    pub cell: &'a Cell,
    pub params: &'a [f32],
}

/// The first `count` test sequences of `data`, each cell of `cells` run on them (hidden width
/// `width`); an error names a cell whose parameters do not fit its graph.
pub fn examples(data: &TaskData, width: usize, cells: &[Trained], count: usize) -> Result<Vec<Example>, String> {
    let batch = &data.test;
    let count = count.min(batch.real);
    let mut shown: Vec<Example> = (0..count).map(|b| sequence(data, b)).collect();
    for trained in cells {
        let tape = compile(trained.cell, data.inputs, width, data.outputs);
        if tape.parameters() != trained.params.len() {
            return Err(format!("{}: {} parameters for a graph of {}", trained.name, trained.params.len(), tape.parameters()));
        }
        let mut trainer = Trainer::with_params(tape, trained.params.to_vec());
        trainer.evaluate(batch);
        if data.task == Task::Text {
            read_text(data, &mut trainer, trained.name, &mut shown);
            continue;
        }
        let step = batch.scored_steps() - if batch.every_step { 2 } else { 1 };
        let readout = trainer.readout(step).ok_or("no readout after evaluating")?;
        for (b, example) in shown.iter_mut().enumerate() {
            let row: Vec<f32> = (0..data.outputs).map(|o| readout[o * batch.batch + b]).collect();
            example.readouts.push(read(data, trained.name, &row, b, step));
        }
    }
    Ok(shown)
}

/// Test sequence `b` decoded from the batch's lanes.
fn sequence(data: &TaskData, b: usize) -> Example {
    let batch = &data.test;
    let at = |t: usize, i: usize| batch.x[(t * batch.inputs + i) * batch.batch + b];
    let steps = 0..batch.length;
    let mut example = Example { values: Vec::new(), symbols: Vec::new(), marked: Vec::new(), target: String::new(), asked: None, readouts: Vec::new() };
    match data.task {
        Task::Adding => {
            example.values = steps.clone().map(|t| at(t, 0)).collect();
            example.marked = steps.filter(|&t| at(t, 1) > 0.5).collect();
            if let Target::Values(v) = &batch.target {
                example.target = format!("{:.3}", v[b]);
            }
        }
        Task::Text => {
            let symbol = |t: usize| (0..batch.inputs).find(|&i| at(t, i) > 0.5).map_or("?", |i| &text::ALPHABET[i..=i]);
            example.symbols = steps.map(symbol).collect();
        }
        Task::Order | Task::Reber => {
            let names: &[&'static str] = if data.task == Task::Order { &ORDER_SYMBOLS } else { &REBER_SYMBOLS };
            // The Reber strings' blank steps (no symbol: shorter strings start late) are left out.
            let symbol = |t: usize| (0..batch.inputs).find(|&i| at(t, i) > 0.5).map(|i| names[i]);
            example.symbols = steps.filter_map(symbol).collect();
            let decides = |s: &&str| if data.task == Task::Order { ["X", "Y"].contains(s) } else { false };
            example.marked = example.symbols.iter().enumerate().filter(|(_, s)| decides(s)).map(|(t, _)| t).collect();
            if data.task == Task::Reber {
                example.marked = vec![1];
                example.asked = example.symbols.len().checked_sub(1);
            }
            if let Target::Classes(c) = &batch.target {
                let scored = if batch.every_step { batch.length - 2 } else { 0 };
                example.target = class_name(data.task, c[scored * batch.batch + b] as usize).to_string();
            }
        }
    }
    example
}

fn class_name(task: Task, k: usize) -> &'static str {
    match task {
        Task::Order => ORDER_CLASSES.get(k).copied().unwrap_or("?"),
        _ => REBER_SYMBOLS.get(k).copied().unwrap_or("?"),
    }
}

/// A cell's readout `row` on sequence `b` at scored step `step`, against its target.
fn read(data: &TaskData, name: &str, row: &[f32], b: usize, step: usize) -> Readout {
    let batch = &data.test;
    match &batch.target {
        Target::Values(v) => {
            let value = row[0];
            Readout { cell: name.into(), answer: format!("{value:.3}"), right: (value - v[b]).abs() < 0.04, value }
        }
        Target::Classes(c) => {
            let target = c[step * batch.batch + b] as usize;
            let best = (0..row.len()).max_by(|&i, &j| row[i].total_cmp(&row[j])).unwrap_or(0);
            let value = softmax(row).get(target).copied().unwrap_or(0.0);
            Readout { cell: name.into(), answer: class_name(data.task, best).into(), right: best == target, value }
        }
    }
}

/// Each text example's readout by the cell `trainer` holds (evaluated on the test batch): its
/// bits per character on the window, and `GENERATED` symbols it writes after it.
fn read_text(data: &TaskData, trainer: &mut Trainer, name: &str, shown: &mut [Example]) {
    let batch = &data.test;
    let Target::Classes(classes) = &batch.target else { return };
    let bits: Vec<f32> = (0..shown.len())
        .map(|b| {
            let nats: f32 = (0..batch.length)
                .map(|s| {
                    let readout = trainer.readout(s).unwrap_or(&[]);
                    let row: Vec<f32> = (0..data.outputs).map(|o| readout.get(o * batch.batch + b).copied().unwrap_or(0.0)).collect();
                    -softmax(&row)[classes[s * batch.batch + b] as usize].max(f32::MIN_POSITIVE).ln()
                })
                .sum();
            nats / batch.length as f32 / std::f32::consts::LN_2
        })
        .collect();
    let chance = data.chance_loss / std::f32::consts::LN_2;
    for (b, example) in shown.iter_mut().enumerate() {
        let written = generate(trainer, data, b);
        example.readouts.push(Readout { cell: name.into(), answer: written, right: bits[b] < chance, value: bits[b] });
    }
}

/// `GENERATED` symbols after test window `b`, each drawn from the readout at the step before it
/// (from a stream named by the window, so the same cell writes the same text anywhere).
fn generate(trainer: &mut Trainer, data: &TaskData, b: usize) -> String {
    let (batch, width) = (&data.test, data.inputs);
    let length = batch.length + GENERATED;
    let mut x: Vec<f32> = (0..batch.length * width).map(|k| batch.x[k * batch.batch + b]).collect();
    x.resize(length * width, 0.0);
    let mut rng = Stream::new(b as u64, Purpose::Recurrent, u64::MAX - 2, 0);
    let mut written = String::with_capacity(GENERATED);
    for t in batch.length..length {
        let classes = (0..length).map(|s| if s == 0 { 0 } else { UNSCORED }).collect();
        let Ok(prompt) = Batch::from_sequences(std::slice::from_ref(&x), width, true, Target::Classes(classes)) else { break };
        trainer.evaluate(&prompt);
        let readout = trainer.readout(t - 1).unwrap_or(&[]);
        let p = softmax(&(0..data.outputs).map(|o| readout.get(o * prompt.batch).copied().unwrap_or(0.0)).collect::<Vec<_>>());
        let u = rng.unit();
        let mut total = 0.0;
        let code = p.iter().position(|&q| {
            total += q;
            u < total
        });
        let code = code.unwrap_or(p.len() - 1);
        x[t * width + code] = 1.0;
        written.push(text::symbol(code));
    }
    written
}

fn softmax(row: &[f32]) -> Vec<f32> {
    let top = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exp: Vec<f32> = row.iter().map(|&z| (z - top).exp()).collect();
    let total: f32 = exp.iter().sum();
    exp.iter().map(|e| e / total).collect()
}
