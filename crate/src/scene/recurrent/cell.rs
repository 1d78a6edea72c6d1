//! A recurrent cell as genetic programming evolves it: a DAG of ops with roots h(t) and c_k(t).
//!
//! Leaves are x(t) through a learned projection, h(t-1), the memory cells c_k(t-1), a cell's
//! new value c_k(t), and a learned bias; inner nodes add, subtract, multiply (gating), project
//! (a learned matrix) or apply sigmoid, tanh, relu or identity. A node may feed several others
//! (a DAG, not a tree): LSTM's h(t) reads the c(t) its cell computed, GRU reads its update gate
//! twice, and one subtree feeding two places shares its weights, as the textbook cells do.
//!
//! The invariants `Cell::check` enforces (every operator's result is checked, and refused
//! when it breaks one):
//! - children come before their parents in `nodes` (the arena is in evaluation order);
//! - c_k(t) is read only by h(t)'s graph or by cells numbered above k, so one pass computes all;
//! - every node is reachable from a root (no dead code), and the cell has at most `MAX_NODES`
//!   nodes, `MAX_CELLS` memory cells and depth `MAX_DEPTH`.

use crate::activation::Activation;
use serde::{Deserialize, Serialize};

/// At most this many nodes in a cell, over all its roots.
pub const MAX_NODES: usize = 64;
/// At most this many memory cells.
pub const MAX_CELLS: usize = 3;
/// The longest path from a root to a leaf, in nodes.
pub const MAX_DEPTH: usize = 14;
/// The activations an inner node may apply.
pub const KINDS: [Activation; 4] = [Activation::Sigmoid, Activation::Tanh, Activation::Relu, Activation::Identity];

/// One node of a cell; children are indices of earlier nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Node {
    /// W x(t) + b.
    Input,
    /// h(t-1).
    Hidden,
    /// c_k(t-1).
    Memory(u8),
    /// c_k(t), this step's value of memory cell k.
    Fresh(u8),
    /// A learned vector.
    Bias,
    /// W a + b, a learned matrix over a node.
    Proj(u16),
    Add(u16, u16),
    Sub(u16, u16),
    Mult(u16, u16),
    Act(Activation, u16),
}

impl Node {
    /// The nodes this one reads.
    pub fn children(&self) -> Vec<usize> {
        match *self {
            Node::Input | Node::Hidden | Node::Memory(_) | Node::Fresh(_) | Node::Bias => Vec::new(),
            Node::Proj(a) | Node::Act(_, a) => vec![a as usize],
            Node::Add(a, b) | Node::Sub(a, b) | Node::Mult(a, b) => vec![a as usize, b as usize],
        }
    }

    /// The node with its children renamed by `f`.
    pub fn map(&self, f: impl Fn(usize) -> usize) -> Node {
        let c = |a: u16| f(a as usize) as u16;
        match *self {
            Node::Proj(a) => Node::Proj(c(a)),
            Node::Act(k, a) => Node::Act(k, c(a)),
            Node::Add(a, b) => Node::Add(c(a), c(b)),
            Node::Sub(a, b) => Node::Sub(c(a), c(b)),
            Node::Mult(a, b) => Node::Mult(c(a), c(b)),
            leaf => leaf,
        }
    }

    /// Whether the node has learned parameters (its own matrix or vector).
    pub fn learns(&self) -> bool {
        matches!(self, Node::Input | Node::Bias | Node::Proj(_))
    }
}

/// A recurrent cell: its nodes in evaluation order, the root of h(t) and of each c_k(t).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cell {
    pub nodes: Vec<Node>,
    pub hidden: usize,
    /// The root of each memory cell's new value c_k(t).
    pub cells: Vec<usize>,
}

impl Cell {
    /// The roots: each memory cell's, then h(t)'s.
    pub fn roots(&self) -> Vec<usize> {
        self.cells.iter().copied().chain([self.hidden]).collect()
    }

    /// The nodes c_k(t) reads through its graph (a cell's own root is reachable from itself).
    fn reaches(&self, root: usize) -> Vec<bool> {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack = vec![root];
        while let Some(i) = stack.pop() {
            if i < seen.len() && !std::mem::replace(&mut seen[i], true) {
                stack.extend(self.nodes[i].children());
            }
        }
        seen
    }

    /// Longest path from any root to a leaf, in nodes.
    pub fn depth(&self) -> usize {
        let mut depth = vec![0usize; self.nodes.len()];
        for (i, node) in self.nodes.iter().enumerate() {
            depth[i] = 1 + node.children().iter().map(|&c| depth.get(c).copied().unwrap_or(0)).max().unwrap_or(0);
        }
        self.roots().iter().map(|&r| depth.get(r).copied().unwrap_or(0)).max().unwrap_or(0)
    }

    /// Checks the invariants of the module doc; the error names what breaks one.
    pub fn check(&self) -> Result<(), String> {
        let (n, k) = (self.nodes.len(), self.cells.len());
        if n == 0 || n > MAX_NODES {
            return Err(format!("a cell has 1 to {MAX_NODES} nodes, this one {n}"));
        }
        if k > MAX_CELLS {
            return Err(format!("a cell has at most {MAX_CELLS} memory cells, this one {k}"));
        }
        for (i, node) in self.nodes.iter().enumerate() {
            if let Some(c) = node.children().into_iter().find(|&c| c >= i) {
                return Err(format!("node {i} reads node {c}, which does not come before it"));
            }
            if let Node::Memory(m) | Node::Fresh(m) = node {
                if *m as usize >= k {
                    return Err(format!("node {i} reads memory cell {m}, and the cell has {k}"));
                }
            }
            if let Node::Act(kind, _) = node {
                if !KINDS.contains(kind) {
                    return Err(format!("node {i} applies {}, which a cell does not use", kind.name()));
                }
            }
        }
        if let Some(r) = self.roots().into_iter().find(|&r| r >= n) {
            return Err(format!("a root is node {r}, and the cell has {n} nodes"));
        }
        for (j, &root) in self.cells.iter().enumerate() {
            let reached = self.reaches(root);
            let fresh = self.nodes.iter().zip(&reached).find_map(|(node, &r)| match node {
                Node::Fresh(m) if r && *m as usize >= j => Some(*m),
                _ => None,
            });
            if let Some(m) = fresh {
                return Err(format!("memory cell {j} reads c_{m}(t), which is computed after it"));
            }
        }
        let mut live = vec![false; n];
        for root in self.roots() {
            live.iter_mut().zip(self.reaches(root)).for_each(|(l, r)| *l |= r);
        }
        if let Some(dead) = live.iter().position(|&l| !l) {
            return Err(format!("node {dead} is read by no root"));
        }
        let depth = self.depth();
        if depth > MAX_DEPTH {
            return Err(format!("the cell is {depth} nodes deep, at most {MAX_DEPTH}"));
        }
        Ok(())
    }

    /// Learned matrices and vectors the cell has (projections, biases, the input's matrix).
    pub fn learned(&self) -> usize {
        self.nodes.iter().filter(|n| n.learns()).count()
    }

    /// The cell written out, one equation per root, memory cells first:
    /// `c0 = sigmoid(Wx + W(h')) * c0' + ...; h = ...` (a node read twice is written twice;
    /// each `W` is a learned matrix of its own, `b` a learned vector).
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self.cells.iter().enumerate().map(|(k, &root)| format!("c{k} = {}", self.expression(root))).collect();
        parts.push(format!("h = {}", self.expression(self.hidden)));
        parts.join("; ")
    }

    fn expression(&self, i: usize) -> String {
        let e = |c: u16| self.expression(c as usize);
        match self.nodes[i] {
            Node::Input => "Wx".to_string(),
            Node::Hidden => "h'".to_string(),
            Node::Memory(k) => format!("c{k}'"),
            Node::Fresh(k) => format!("c{k}"),
            Node::Bias => "b".to_string(),
            Node::Proj(a) => format!("W({})", e(a)),
            Node::Add(a, b) => format!("({} + {})", e(a), e(b)),
            Node::Sub(a, b) => format!("({} - {})", e(a), e(b)),
            Node::Mult(a, b) => format!("{} * {}", e(a), e(b)),
            Node::Act(kind, a) => format!("{}({})", kind.name(), e(a)),
        }
    }
}
