//! The sequence tasks cells are scored on, generated from the seed: the adding problem,
//! temporal order, the embedded Reber grammar and the next character of a text, each with its
//! chance level.

use super::text::{self, Split};
use crate::link::names::named_enum;
use crate::rng::Stream;
use crate::tensor::{Batch, Target, UNSCORED};

named_enum!(
    /// A sequence task, as links name it (`task=adding`).
    pub enum Task {
        Adding = "adding",
        Order = "order",
        Reber = "reber",
        Text = "text",
    }
);

/// Symbols of temporal order: distractors a-d, the relevant X and Y, begin and end markers.
const ORDER_SYMBOLS: usize = 8;
/// Symbols of the Reber grammar, one-hot: B T P S X V E.
const REBER: [char; 7] = ['B', 'T', 'P', 'S', 'X', 'V', 'E'];

/// A task's sequences for one run: training batches (cycled through, the same for every
/// candidate), a validation batch (what selection sees) and a test batch (what is reported),
/// with what the readout is and what chance scores.
#[derive(Clone, Debug)]
pub struct TaskData {
    pub task: Task,
    pub train: Vec<Batch>,
    pub validation: Batch,
    pub test: Batch,
    /// Width of x(t) and of the readout.
    pub inputs: usize,
    pub outputs: usize,
    /// The test loss of the best constant guess (MSE of the mean; cross-entropy of the class
    /// frequencies), and the accuracy of guessing.
    pub chance_loss: f32,
    pub chance_accuracy: Option<f32>,
}

impl Task {
    /// What the task asks, and what chance is, in a line.
    pub fn about(self) -> &'static str {
        match self {
            Task::Adding => "the sum of the two marked values of a sequence of numbers in [0, 1]; MSE, solved below 0.04, always guessing 1 scores about 0.167",
            Task::Order => "the order of the two relevant symbols (X or Y) among distractors: XX, XY, YX or YY; chance is 25% (cross-entropy ln 4 = 1.386)",
            Task::Reber => "the embedded Reber grammar: the second-to-last symbol, which only the second symbol foretells; chance is 50%",
            Task::Text => "the next character of a public-domain text (Bierce's The Devil's Dictionary, A to C) at every step; bits per character, chance is the letters' frequencies (about 4.1 bits)",
        }
    }
}

/// `batches` training batches of `size` sequences, and `held_out` validation and as many test
/// sequences, of `task` at length `length`, all drawn from `rng`.
pub fn generate(task: Task, length: usize, size: usize, batches: usize, held_out: usize, rng: &mut Stream) -> TaskData {
    let make = |n: usize, split: Split, rng: &mut Stream| match task {
        Task::Adding => adding(n, length, rng),
        Task::Order => order(n, length, rng),
        Task::Reber => reber(n, length, rng),
        Task::Text => text::windows(n, length, split, rng),
    };
    let train = (0..batches).map(|_| make(size, Split::Train, rng)).collect();
    let validation = make(held_out, Split::Validation, rng);
    let test = make(held_out, Split::Test, rng);
    let (inputs, outputs) = match task {
        Task::Adding => (2, 1),
        Task::Order => (ORDER_SYMBOLS, 4),
        Task::Reber => (REBER.len(), REBER.len()),
        Task::Text => (text::ALPHABET.len(), text::ALPHABET.len()),
    };
    let (chance_loss, chance_accuracy) = chance(&test, outputs);
    TaskData { task, train, validation, test, inputs, outputs, chance_loss, chance_accuracy }
}

/// The held-out score of the best constant readout: the targets' variance (MSE), or the
/// entropy of the class frequencies and the most frequent class's share.
fn chance(batch: &Batch, outputs: usize) -> (f32, Option<f32>) {
    match &batch.target {
        Target::Values(v) => {
            let real: Vec<f64> = (0..batch.real).map(|b| f64::from(v[b])).collect();
            let mean = real.iter().sum::<f64>() / real.len() as f64;
            ((real.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / real.len() as f64) as f32, None)
        }
        Target::Classes(c) => {
            let mut counts = vec![0usize; outputs];
            c.iter().filter(|&&k| k != UNSCORED).for_each(|&k| counts[k as usize] += 1);
            let n = counts.iter().sum::<usize>().max(1) as f64;
            let entropy: f64 = counts.iter().filter(|&&k| k > 0).map(|&k| -(k as f64 / n) * (k as f64 / n).ln()).sum();
            (entropy as f32, Some((*counts.iter().max().unwrap_or(&0) as f64 / n) as f32))
        }
    }
}

/// The adding problem (Hochreiter & Schmidhuber 1997, as Le et al. 2015 state it): a value in
/// [0, 1] and a marker at each step, one marker in each half; the target is the marked sum.
pub fn adding(n: usize, length: usize, rng: &mut Stream) -> Batch {
    let half = (length / 2).max(1);
    let mut targets = Vec::with_capacity(n);
    let sequences: Vec<Vec<f32>> = (0..n)
        .map(|_| {
            let (a, b) = (rng.below(half), half + rng.below((length - half).max(1)));
            let values: Vec<f32> = (0..length).map(|_| rng.unit()).collect();
            targets.push(values[a] + values[b]);
            values.iter().enumerate().flat_map(|(t, &v)| [v, f32::from(u8::from(t == a || t == b))]).collect()
        })
        .collect();
    Batch::from_sequences(&sequences, 2, false, Target::Values(targets)).expect("sequences of one length")
}

/// Temporal order (Hochreiter & Schmidhuber 1997, task 6a): B, distractors a-d, X or Y at a
/// step in the first tenth-to-fifth and again in the middle tenth, E; four classes by the order.
fn order(n: usize, length: usize, rng: &mut Stream) -> Batch {
    let length = length.max(12);
    let mut classes = Vec::with_capacity(n);
    let sequences: Vec<Vec<f32>> = (0..n)
        .map(|_| {
            let mut symbols: Vec<usize> = (0..length).map(|_| rng.below(4)).collect();
            symbols[0] = 6;
            symbols[length - 1] = 7;
            let t1 = length / 10 + rng.below((length / 10).max(1));
            let t2 = length / 2 + rng.below((length / 10).max(1));
            let (first, second) = (rng.below(2), rng.below(2));
            symbols[t1.max(1)] = 4 + first;
            symbols[t2] = 4 + second;
            classes.push((2 * first + second) as u32);
            one_hot(&symbols, ORDER_SYMBOLS)
        })
        .collect();
    Batch::from_sequences(&sequences, ORDER_SYMBOLS, false, Target::Classes(classes)).expect("sequences of one length")
}

fn one_hot(symbols: &[usize], width: usize) -> Vec<f32> {
    symbols.iter().flat_map(|&s| (0..width).map(move |k| f32::from(u8::from(k == s)))).collect()
}

/// One Reber string, B to E (Reber 1967's grammar, as Hochreiter & Schmidhuber 1997 use it).
fn reber_string(rng: &mut Stream) -> Vec<usize> {
    // Per state, its two (symbol, next state) edges, taken with equal chance; state 6 is the
    // end (state 5 is unused).
    const EDGES: [[(usize, usize); 2]; 6] = [[(1, 1), (2, 2)], [(3, 1), (4, 3)], [(1, 2), (5, 4)], [(4, 2), (3, 6)], [(2, 3), (5, 6)], [(0, 0), (0, 0)]];
    let mut out = vec![0];
    let mut state = 0;
    while state != 6 {
        let (symbol, next) = EDGES[state][rng.below(2)];
        out.push(symbol);
        state = next;
    }
    out.push(6);
    out
}

/// The embedded Reber grammar: B, T or P, a Reber string, the same T or P, E. The readout
/// predicts each next symbol; only the second-to-last is scored (T or P: the only symbol whose
/// value depends on the start). Sequences end together: the shorter start with blank steps.
fn reber(n: usize, length: usize, rng: &mut Stream) -> Batch {
    let strings: Vec<Vec<usize>> = (0..n)
        .map(|_| loop {
            let branch = 1 + rng.below(2);
            let inner = reber_string(rng);
            let s: Vec<usize> = [vec![0, branch], inner, vec![branch, 6]].concat();
            if s.len() <= length.max(9) + 1 {
                break s;
            }
        })
        .collect();
    // Inputs are every symbol but the last; a step's target is the symbol after it.
    let steps = strings.iter().map(|s| s.len() - 1).max().unwrap_or(1);
    let mut classes = vec![UNSCORED; n * steps];
    let sequences: Vec<Vec<f32>> = strings
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let blank = steps - (s.len() - 1);
            // The critical prediction: the input before the second-to-last symbol, at step steps - 2.
            classes[k * steps + steps - 2] = s[s.len() - 2] as u32;
            let mut x = vec![0.0; blank * REBER.len()];
            x.extend(one_hot(&s[..s.len() - 1], REBER.len()));
            x
        })
        .collect();
    Batch::from_sequences(&sequences, REBER.len(), true, Target::Classes(classes)).expect("sequences end together")
}
