//! A cell compiled to the tensor engine's tape: each memory cell's graph, then h(t)'s.
//!
//! A sum of learned terms (x's projection, projections of nodes, biases) that no other node
//! reads becomes one dense op over all of them with one bias: the same functions with fewer
//! parameters, and the LSTM's gates come out as the textbook W [x; h] + b.

use super::cell::{Cell, Node};
use crate::activation::Activation;
use crate::tensor::{Builder, Op, Tape};

/// What a fused dense op reads: x(t), or the value of a node.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Term {
    Input,
    Of(usize),
}

struct Compiler<'a> {
    cell: &'a Cell,
    /// How many parents (and roots) read each node.
    readers: Vec<usize>,
    op_of: Vec<Option<usize>>,
    builder: Builder,
}

/// The tape of `cell` over inputs `inputs` wide, values `width` wide, a readout `outputs` wide:
/// slot 0 is h(t), slot 1 + k memory cell k. The cell must pass `Cell::check`.
pub fn compile(cell: &Cell, inputs: usize, width: usize, outputs: usize) -> Tape {
    let mut readers = vec![0; cell.nodes.len()];
    for node in &cell.nodes {
        node.children().into_iter().for_each(|c| readers[c] += 1);
    }
    cell.roots().into_iter().for_each(|r| readers[r] += 1);
    let builder = Builder::new(inputs, width, 1 + cell.cells.len(), outputs);
    let mut compiler = Compiler { cell, readers, op_of: vec![None; cell.nodes.len()], builder };
    let cells: Vec<usize> = cell.cells.iter().map(|&root| compiler.op(root)).collect();
    let hidden = compiler.op(cell.hidden);
    let slots: Vec<usize> = [hidden].into_iter().chain(cells).collect();
    compiler.builder.finish(&slots).expect("a checked cell compiles to a valid tape")
}

impl Compiler<'_> {
    /// The op computing node `i`, emitted after its children's (memoised: a DAG's shared node is one op).
    fn op(&mut self, i: usize) -> usize {
        if let Some(op) = self.op_of[i] {
            return op;
        }
        let op = match self.cell.nodes[i] {
            Node::Hidden => Builder::prev(0),
            Node::Memory(k) => Builder::prev(1 + k as usize),
            Node::Fresh(k) => self.op(self.cell.cells[k as usize]),
            Node::Input | Node::Bias | Node::Proj(_) => self.dense(i),
            Node::Add(a, b) if self.fusable(a as usize) && self.fusable(b as usize) => self.dense(i),
            Node::Add(a, b) => self.binary(a, b, Op::Add),
            Node::Sub(a, b) => self.binary(a, b, Op::Sub),
            Node::Mult(a, b) => {
                let op = self.binary(a, b, Op::Mult);
                self.open_gate(a as usize, b as usize);
                op
            }
            Node::Act(kind, a) => {
                let a = self.op(a as usize);
                self.builder.act(kind, a)
            }
        };
        self.op_of[i] = Some(op);
        op
    }

    fn binary(&mut self, a: u16, b: u16, make: fn(usize, usize) -> Op) -> usize {
        let (a, b) = (self.op(a as usize), self.op(b as usize));
        self.builder.op(make(a, b))
    }

    /// A sigmoid of a learned sum times a memory cell's previous value is a forget gate: its
    /// dense op starts open (`Tape::open`), in evolved cells as in the LSTM.
    fn open_gate(&mut self, a: usize, b: usize) {
        for (gate, memory) in [(a, b), (b, a)] {
            if let (Node::Act(Activation::Sigmoid, z), Node::Memory(_)) = (self.cell.nodes[gate], self.cell.nodes[memory]) {
                let op = self.op(z as usize);
                if matches!(self.builder_op(op), Some(Op::Dense(_))) {
                    self.builder.open(op);
                }
            }
        }
    }

    fn builder_op(&self, op: usize) -> Option<&Op> {
        self.builder.ops().get(op)
    }

    /// Whether node `i` is a learned term read only by the sum it is part of.
    fn fusable(&self, i: usize) -> bool {
        self.readers[i] == 1 && self.terms(i).is_some()
    }

    /// The terms of a learned sum rooted at `i` (x, projections, biases, and sums of them
    /// read nowhere else); none when `i` is no such sum.
    fn terms(&self, i: usize) -> Option<Vec<Term>> {
        match self.cell.nodes[i] {
            Node::Input => Some(vec![Term::Input]),
            Node::Bias => Some(Vec::new()),
            Node::Proj(a) => Some(vec![Term::Of(a as usize)]),
            Node::Add(a, b) => {
                let (a, b) = (a as usize, b as usize);
                if self.readers[a] != 1 || self.readers[b] != 1 {
                    return None;
                }
                let mut terms = self.terms(a)?;
                terms.extend(self.terms(b)?);
                Some(terms)
            }
            _ => None,
        }
    }

    /// One dense op over the terms of the learned sum at `i`, each distinct input once.
    fn dense(&mut self, i: usize) -> usize {
        let terms = self.terms(i).expect("a dense node is a learned sum");
        let mut from: Vec<usize> = Vec::new();
        for term in terms {
            let op = match term {
                Term::Input => Builder::INPUT,
                Term::Of(j) => self.op(j),
            };
            if !from.contains(&op) {
                from.push(op);
            }
        }
        self.builder.dense(&from)
    }
}
