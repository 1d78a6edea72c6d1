//! The next-character task's text: letters A to C of Ambrose Bierce's The Devil's Dictionary
//! (1911, in the public domain; `data/`), normalised to a small alphabet, and windows of it.
//!
//! The text is read in lower case with every run of white space one space, and only the
//! characters `ALPHABET` lists (italics' underscores, brackets and the rest are dropped), so a
//! cell reads and predicts one of a few dozen symbols. The first 80% trains, the next 10%
//! validates, the last 10% tests: held-out windows are text the cells never trained on.

use crate::rng::Stream;
use crate::tensor::{Batch, Target};
use std::sync::OnceLock;

const RAW: &str = include_str!("../../../../data/devils_dictionary_a-c.txt");
/// The symbols a window holds, in code order.
pub const ALPHABET: &str = " abcdefghijklmnopqrstuvwxyz.,;:'\"!?-()";

/// The normalised text as symbol codes, and where its splits begin.
pub struct Corpus {
    pub codes: Vec<u8>,
    /// Validation begins here, test at `test`.
    pub validation: usize,
    pub test: usize,
}

/// The text, normalised once.
pub fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut codes: Vec<u8> = Vec::with_capacity(RAW.len());
        for c in RAW.chars().map(|c| c.to_ascii_lowercase()) {
            let c = if c.is_whitespace() { ' ' } else { c };
            if c == ' ' && codes.last().is_none_or(|&last| last == 0) {
                continue;
            }
            if let Some(code) = ALPHABET.find(c) {
                codes.push(code as u8);
            }
        }
        let n = codes.len();
        Corpus { codes, validation: n * 8 / 10, test: n * 9 / 10 }
    })
}

/// The split a batch is drawn from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Split {
    Train,
    Validation,
    Test,
}

/// The symbol of code `k`.
pub fn symbol(k: usize) -> char {
    ALPHABET.as_bytes().get(k).map_or('?', |&b| b as char)
}

/// `n` windows of `length` symbols from `split` at offsets drawn from `rng`, one-hot; the
/// readout predicts each next symbol (every step scored).
pub fn windows(n: usize, length: usize, split: Split, rng: &mut Stream) -> Batch {
    let text = corpus();
    let (from, to) = match split {
        Split::Train => (0, text.validation),
        Split::Validation => (text.validation, text.test),
        Split::Test => (text.test, text.codes.len()),
    };
    // A window and the symbol after it fit in the split (length is at most 400, a split
    // holds about 5,000 symbols).
    let room = (to - from).saturating_sub(length + 1).max(1);
    let width = ALPHABET.len();
    let mut classes = Vec::with_capacity(n * length);
    let sequences: Vec<Vec<f32>> = (0..n)
        .map(|_| {
            let at = from + rng.below(room);
            let window = &text.codes[at..(at + length + 1).min(text.codes.len())];
            classes.extend(window[1..].iter().map(|&c| u32::from(c)));
            window[..length].iter().flat_map(|&c| (0..width).map(move |k| f32::from(u8::from(k == c as usize)))).collect()
        })
        .collect();
    Batch::from_sequences(&sequences, width, true, Target::Classes(classes)).expect("windows of one length")
}
