//! A tape: the ops of one recurrent cell over vectors of width H, its memory slots and its readout.
//!
//! The rules a tape keeps (`Tape::check` enforces them, so every executor may rely on them):
//! - ops come in evaluation order: an op reads only ops before it, or a slot (the value a later
//!   op had at the previous time step, zero before the first step), so a step needs one pass;
//! - every value is H wide but the input, which is `inputs` wide and may only feed a `Dense`
//!   (it is the one value of another width);
//! - slot 0 is the hidden state h(t) the readout reads; the others are memory cells c_k(t);
//! - a dense op reads each op at most once (two matrices over one value are one matrix);
//! - parameters are the `Dense` matrices and biases and the readout's, in one flat vector, each
//!   `Dense` laid out row by row (`out` rows of `sum(inputs' widths)`, then `out` biases).

use crate::activation::Activation;

/// One op of a tape; its value is H wide (the input's is `inputs` wide).
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// x(t), the sequence's input at this step.
    Input,
    /// The value slot `k`'s op had at the previous step (zero at the first).
    Prev(usize),
    /// A learned matrix over the listed values, concatenated, plus a bias: `W [a; b; ...] + b`;
    /// over none, a learned vector (a bias alone).
    Dense(Vec<usize>),
    Add(usize, usize),
    /// `a - b`, elementwise.
    Sub(usize, usize),
    /// Elementwise product (gating).
    Mult(usize, usize),
    /// An activation of the table, elementwise (`Mult`/`Add` kinds are the identity here).
    Act(Activation, usize),
}

impl Op {
    /// The ops this one reads (a slot's op is read a step later, so it is not listed).
    pub fn reads(&self) -> Vec<usize> {
        match self {
            Op::Input | Op::Prev(_) => Vec::new(),
            Op::Dense(from) => from.clone(),
            Op::Add(a, b) | Op::Sub(a, b) | Op::Mult(a, b) => vec![*a, *b],
            Op::Act(_, a) => vec![*a],
        }
    }
}

/// A recurrent cell as ops, with the slots carried from step to step and the readout.
#[derive(Clone, Debug, PartialEq)]
pub struct Tape {
    /// Width of x(t).
    pub inputs: usize,
    /// Width H of every other value.
    pub width: usize,
    pub ops: Vec<Op>,
    /// The op whose value each slot takes for the next step: slot 0 is h(t), the rest c_k(t).
    pub slots: Vec<usize>,
    /// Width of the readout, a learned matrix over h(t) plus a bias.
    pub outputs: usize,
    /// Dense ops whose biases start at 1 rather than 0: the gates a memory cell's previous
    /// value is multiplied by start open, as Gers et al. 2000 and Jozefowicz et al. 2015 advise.
    pub open: Vec<usize>,
}

/// Where a `Dense` op's (or the readout's) parameters lie in the flat vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DenseAt {
    /// First weight; `rows * cols` weights row by row, then `rows` biases.
    pub offset: usize,
    pub rows: usize,
    pub cols: usize,
}

impl DenseAt {
    pub fn bias(&self) -> usize {
        self.offset + self.rows * self.cols
    }
    pub fn end(&self) -> usize {
        self.bias() + self.rows
    }
}

impl Tape {
    /// Width of op `i`'s value.
    pub fn width_of(&self, i: usize) -> usize {
        if self.ops[i] == Op::Input {
            self.inputs
        } else {
            self.width
        }
    }

    /// Each op's parameters (`Some` for `Dense` ops), then the readout's, in the flat vector.
    pub fn layout(&self) -> (Vec<Option<DenseAt>>, DenseAt) {
        let mut offset = 0;
        let mut place = |rows: usize, cols: usize| {
            let at = DenseAt { offset, rows, cols };
            offset = at.end();
            at
        };
        let ops = self.ops.iter().map(|op| match op {
            Op::Dense(from) => Some(place(self.width, from.iter().map(|&j| self.width_of(j)).sum())),
            _ => None,
        });
        let ops: Vec<Option<DenseAt>> = ops.collect();
        let readout = place(self.outputs, self.width);
        (ops, readout)
    }

    /// How many parameters the tape trains.
    pub fn parameters(&self) -> usize {
        self.layout().1.end()
    }

    /// Checks the rules of the module doc; the error names the op and what is wrong.
    pub fn check(&self) -> Result<(), String> {
        if self.inputs == 0 || self.width == 0 || self.outputs == 0 {
            return Err(format!("a tape needs widths of at least 1 (inputs {}, width {}, outputs {})", self.inputs, self.width, self.outputs));
        }
        if self.slots.is_empty() {
            return Err("a tape needs slot 0, the hidden state h(t)".to_string());
        }
        for (i, op) in self.ops.iter().enumerate() {
            if let Op::Prev(k) = op {
                if *k >= self.slots.len() {
                    return Err(format!("op {i} reads slot {k}, and the tape has {} slots", self.slots.len()));
                }
            }
            if let Op::Dense(from) = op {
                if let Some(j) = from.iter().enumerate().find_map(|(k, j)| from[..k].contains(j).then_some(j)) {
                    return Err(format!("op {i} reads op {j} twice; one matrix over it is the same"));
                }
            }
            for j in op.reads() {
                if j >= i {
                    return Err(format!("op {i} reads op {j}, which does not come before it"));
                }
                if self.ops[j] == Op::Input && !matches!(op, Op::Dense(_)) {
                    return Err(format!("op {i} reads the input directly; only a dense op may (it is {} wide)", self.inputs));
                }
            }
        }
        if let Some(&op) = self.open.iter().find(|&&op| !matches!(self.ops.get(op), Some(Op::Dense(_)))) {
            return Err(format!("op {op} starts open, and only a dense op has biases"));
        }
        for (k, &op) in self.slots.iter().enumerate() {
            if op >= self.ops.len() || self.ops[op] == Op::Input {
                return Err(format!("slot {k} takes op {op}, which is not an H-wide op of the tape"));
            }
        }
        Ok(())
    }
}

/// Builds a tape op by op; each method returns the new op's index.
#[derive(Clone, Debug)]
pub struct Builder {
    tape: Tape,
}

impl Builder {
    /// A tape over inputs `inputs` wide, values `width` wide, with `slots` slots (h, then cells)
    /// and a readout `outputs` wide. Op 0 is the input; ops 1..=slots read the slots.
    pub fn new(inputs: usize, width: usize, slots: usize, outputs: usize) -> Builder {
        let mut ops = vec![Op::Input];
        ops.extend((0..slots).map(Op::Prev));
        Builder { tape: Tape { inputs, width, ops, slots: vec![0; slots], outputs, open: Vec::new() } }
    }

    pub const INPUT: usize = 0;

    /// The op that reads slot `k` at the previous step.
    pub fn prev(k: usize) -> usize {
        1 + k
    }

    pub fn op(&mut self, op: Op) -> usize {
        self.tape.ops.push(op);
        self.tape.ops.len() - 1
    }
    pub fn dense(&mut self, from: &[usize]) -> usize {
        self.op(Op::Dense(from.to_vec()))
    }
    pub fn add(&mut self, a: usize, b: usize) -> usize {
        self.op(Op::Add(a, b))
    }
    pub fn sub(&mut self, a: usize, b: usize) -> usize {
        self.op(Op::Sub(a, b))
    }
    pub fn mult(&mut self, a: usize, b: usize) -> usize {
        self.op(Op::Mult(a, b))
    }
    pub fn act(&mut self, kind: Activation, a: usize) -> usize {
        self.op(Op::Act(kind, a))
    }
    /// The ops so far.
    pub fn ops(&self) -> &[Op] {
        &self.tape.ops
    }

    /// Starts dense op `op`'s biases at 1 (see `Tape::open`).
    pub fn open(&mut self, op: usize) {
        if !self.tape.open.contains(&op) {
            self.tape.open.push(op);
        }
    }

    /// The tape, with slot `k` taking op `slots[k]`; checked.
    pub fn finish(mut self, slots: &[usize]) -> Result<Tape, String> {
        if slots.len() != self.tape.slots.len() {
            return Err(format!("the tape has {} slots and {} were given ops", self.tape.slots.len(), slots.len()));
        }
        self.tape.slots = slots.to_vec();
        self.tape.check()?;
        Ok(self.tape)
    }
}
