//! The named cells every task compares against, written in the cell representation:
//! LSTM, GRU, the vanilla tanh RNN and NASCell.

use super::cell::{Cell, Node};
use crate::activation::Activation::{self, Relu, Sigmoid, Tanh};
use crate::link::names::named_enum;

named_enum!(
    /// A baseline cell, as links name it (`cell=lstm`).
    pub enum Named {
        Lstm = "lstm",
        Gru = "gru",
        Rnn = "rnn",
        Nascell = "nascell",
    }
);

/// Builds a cell node by node; each method returns the new node's index.
#[derive(Default)]
struct Graph {
    nodes: Vec<Node>,
}

impl Graph {
    fn push(&mut self, node: Node) -> u16 {
        self.nodes.push(node);
        (self.nodes.len() - 1) as u16
    }
    /// W x + U h + b: x's projection plus h(t-1)'s (compiled to one dense op).
    fn affine(&mut self) -> u16 {
        let x = self.push(Node::Input);
        let h = self.push(Node::Hidden);
        let uh = self.push(Node::Proj(h));
        self.push(Node::Add(x, uh))
    }
    fn gate(&mut self, kind: Activation) -> u16 {
        let z = self.affine();
        self.push(Node::Act(kind, z))
    }
    fn act(&mut self, kind: Activation, a: u16) -> u16 {
        self.push(Node::Act(kind, a))
    }
    fn mult(&mut self, a: u16, b: u16) -> u16 {
        self.push(Node::Mult(a, b))
    }
    fn add(&mut self, a: u16, b: u16) -> u16 {
        self.push(Node::Add(a, b))
    }
    fn cell(self, hidden: u16, cells: &[u16]) -> Cell {
        let cell = Cell { nodes: self.nodes, hidden: hidden as usize, cells: cells.iter().map(|&c| c as usize).collect() };
        cell.check().expect("a named cell keeps the invariants");
        cell
    }
}

impl Named {
    pub fn cell(self) -> Cell {
        match self {
            Named::Lstm => lstm(),
            Named::Gru => gru(),
            Named::Rnn => rnn(),
            Named::Nascell => nascell(),
        }
    }
}

/// Hochreiter & Schmidhuber 1997, with the forget gate of Gers et al. 2000:
/// c = f c' + i g and h = o tanh(c), the gates sigmoid(W [x; h'] + b) and g = tanh(W [x; h'] + b).
fn lstm() -> Cell {
    let mut g = Graph::default();
    let f = g.gate(Sigmoid);
    let memory = g.push(Node::Memory(0));
    let kept = g.mult(f, memory);
    let i = g.gate(Sigmoid);
    let candidate = g.gate(Tanh);
    let written = g.mult(i, candidate);
    let c = g.add(kept, written);
    let o = g.gate(Sigmoid);
    let fresh = g.push(Node::Fresh(0));
    let squashed = g.act(Tanh, fresh);
    let h = g.mult(o, squashed);
    g.cell(h, &[c])
}

/// Cho et al. 2014: z and r = sigmoid(W [x; h'] + b), n = tanh(W x + U (r h') + b),
/// h = (1 - z) n + z h', written n + z (h' - n) (one update gate, read twice).
fn gru() -> Cell {
    let mut g = Graph::default();
    let z = g.gate(Sigmoid);
    let r = g.gate(Sigmoid);
    let x = g.push(Node::Input);
    let previous = g.push(Node::Hidden);
    let reset = g.mult(r, previous);
    let projected = g.push(Node::Proj(reset));
    let sum = g.add(x, projected);
    let n = g.act(Tanh, sum);
    let change = g.push(Node::Sub(previous, n));
    let moved = g.mult(z, change);
    let h = g.add(n, moved);
    g.cell(h, &[])
}

/// The vanilla (Elman) RNN: h = tanh(W [x; h'] + b).
fn rnn() -> Cell {
    let mut g = Graph::default();
    let h = g.gate(Tanh);
    g.cell(h, &[])
}

/// Zoph & Le 2017's cell, found by reinforcement learning (as TensorFlow's NASCell computes it):
/// eight first-layer units over x and h', pairs combined and squashed, the memory injected into
/// the first pair, c = l1 l2 and h = tanh(c tanh(l3 + l4)).
fn nascell() -> Cell {
    let mut g = Graph::default();
    let o1 = g.gate(Sigmoid);
    let o2 = g.gate(Relu);
    let o3 = g.gate(Sigmoid);
    let (x, h) = (g.push(Node::Input), g.push(Node::Hidden));
    let uh = g.push(Node::Proj(h));
    let product = g.mult(x, uh);
    let o4 = g.act(Relu, product);
    let o5 = g.gate(Tanh);
    let o6 = g.gate(Sigmoid);
    let o7 = g.gate(Tanh);
    let o8 = g.gate(Sigmoid);
    let p1 = g.mult(o1, o2);
    let l1 = g.act(Tanh, p1);
    let s2 = g.add(o3, o4);
    let l2 = g.act(Tanh, s2);
    let memory = g.push(Node::Memory(0));
    let injected = g.add(l1, memory);
    let l1 = g.act(Tanh, injected);
    let c = g.mult(l1, l2);
    let p3 = g.mult(o5, o6);
    let l3 = g.act(Tanh, p3);
    let s4 = g.add(o7, o8);
    let l4 = g.act(Sigmoid, s4);
    let s5 = g.add(l3, l4);
    let l5 = g.act(Tanh, s5);
    let fresh = g.push(Node::Fresh(0));
    let product = g.mult(fresh, l5);
    let h_new = g.act(Tanh, product);
    g.cell(h_new, &[c])
}
