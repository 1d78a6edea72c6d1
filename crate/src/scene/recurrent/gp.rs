//! Genetic programming over cells: point mutation, subtree replacement, inserting and removing
//! a node, adding and removing a memory cell, subtree crossover, and random cells.
//!
//! Every operator edits a draft (nodes in any order, dead ones allowed), which `tidy` puts back
//! in evaluation order without its dead nodes; a draft that has a cycle or breaks one of
//! `Cell::check`'s bounds is refused, and the operator tries again (at most `TRIES` times,
//! then the parent comes back unchanged), so every cell GP returns is valid and bounded.

use super::cell::{Cell, Node, KINDS, MAX_CELLS};
use crate::rng::Stream;

/// Attempts an operator makes before it gives the parent back unchanged.
const TRIES: usize = 16;
/// Depth of the subtrees the operators grow.
const GROW_DEPTH: usize = 3;

/// The mutation operators, each chosen with equal chance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mutation {
    Point,
    Subtree,
    Insert,
    Remove,
    AddMemory,
    RemoveMemory,
}

pub const MUTATIONS: [Mutation; 6] = [Mutation::Point, Mutation::Subtree, Mutation::Insert, Mutation::Remove, Mutation::AddMemory, Mutation::RemoveMemory];

/// A cell being edited: nodes in any order, children by index.
#[derive(Clone, Debug)]
struct Draft {
    nodes: Vec<Node>,
    hidden: usize,
    cells: Vec<usize>,
}

impl Draft {
    fn of(cell: &Cell) -> Draft {
        Draft { nodes: cell.nodes.clone(), hidden: cell.hidden, cells: cell.cells.clone() }
    }

    fn push(&mut self, node: Node) -> u16 {
        self.nodes.push(node);
        (self.nodes.len() - 1) as u16
    }

    /// The draft as a cell: nodes reachable from the roots, children first (a depth-first
    /// post-order from each root in turn); none if it has a cycle or breaks `Cell::check`.
    fn tidy(&self) -> Option<Cell> {
        const NEW: u8 = 0;
        const OPEN: u8 = 1;
        let mut state = vec![NEW; self.nodes.len()];
        let mut index: Vec<Option<usize>> = vec![None; self.nodes.len()];
        let mut order = Vec::new();
        let roots: Vec<usize> = self.cells.iter().copied().chain([self.hidden]).collect();
        for root in roots {
            // An explicit stack: (node, children pushed).
            let mut stack = vec![(root, false)];
            while let Some((i, expanded)) = stack.pop() {
                if index[i].is_some() {
                    continue;
                }
                if expanded {
                    index[i] = Some(order.len());
                    order.push(i);
                    continue;
                }
                if state[i] == OPEN {
                    return None; // reached again while its children are open: a cycle
                }
                state[i] = OPEN;
                stack.push((i, true));
                for c in self.nodes[i].children().into_iter().rev() {
                    if index[c].is_none() {
                        stack.push((c, false));
                    }
                }
            }
        }
        let at = |i: usize| index[i].expect("every child is placed before its parent");
        let cell =
            Cell { nodes: order.iter().map(|&i| self.nodes[i].map(at)).collect(), hidden: at(self.hidden), cells: self.cells.iter().map(|&c| at(c)).collect() };
        cell.check().ok().map(|()| cell)
    }

    /// A random leaf: x's projection, h(t-1), a bias, or (when the cell has memory) c_k(t-1)
    /// or, rarely, c_k(t).
    fn leaf(&self, rng: &mut Stream) -> Node {
        let k = self.cells.len();
        let pick = rng.below(if k > 0 { 9 } else { 6 });
        let memory = rng.below(k.max(1)) as u8;
        match pick {
            0..=2 => Node::Input,
            3 | 4 => Node::Hidden,
            5 => Node::Bias,
            8 => Node::Fresh(memory),
            _ => Node::Memory(memory),
        }
    }

    /// Grows a random subtree at most `depth` deep; returns its root.
    fn grow(&mut self, rng: &mut Stream, depth: usize) -> u16 {
        if depth <= 1 || rng.chance(0.3) {
            let leaf = self.leaf(rng);
            return self.push(leaf);
        }
        let node = match rng.below(5) {
            0 => Node::Proj(self.grow(rng, depth - 1)),
            1 => Node::Act(*rng.pick(&KINDS), self.grow(rng, depth - 1)),
            op => {
                let (a, b) = (self.grow(rng, depth - 1), self.grow(rng, depth - 1));
                binary(op, a, b)
            }
        };
        self.push(node)
    }

    fn random_node(&self, rng: &mut Stream) -> usize {
        rng.below(self.nodes.len())
    }
}

/// Add, Sub or Mult by number (2, 3, 4).
fn binary(op: usize, a: u16, b: u16) -> Node {
    match op {
        2 => Node::Add(a, b),
        3 => Node::Sub(a, b),
        _ => Node::Mult(a, b),
    }
}

/// The cell after one random mutation (or the cell itself when `TRIES` attempts broke it).
pub fn mutate(cell: &Cell, rng: &mut Stream) -> Cell {
    let operator = *rng.pick(&MUTATIONS);
    apply(cell, operator, rng)
}

/// The cell after `operator` (or the cell itself when `TRIES` attempts broke it).
pub fn apply(cell: &Cell, operator: Mutation, rng: &mut Stream) -> Cell {
    for _ in 0..TRIES {
        let mut draft = Draft::of(cell);
        let changed = match operator {
            Mutation::Point => point(&mut draft, rng),
            Mutation::Subtree => subtree(&mut draft, rng),
            Mutation::Insert => insert(&mut draft, rng),
            Mutation::Remove => remove(&mut draft, rng),
            Mutation::AddMemory => add_memory(&mut draft, rng),
            Mutation::RemoveMemory => remove_memory(&mut draft, rng),
        };
        if let Some(child) = changed.then(|| draft.tidy()).flatten() {
            return child;
        }
    }
    cell.clone()
}

/// Changes one node's op for another of its arity (a leaf for another leaf).
fn point(d: &mut Draft, rng: &mut Stream) -> bool {
    let i = d.random_node(rng);
    d.nodes[i] = match d.nodes[i] {
        Node::Add(a, b) | Node::Sub(a, b) | Node::Mult(a, b) => binary(2 + rng.below(3), a, b),
        Node::Act(_, a) | Node::Proj(a) if rng.chance(0.2) => Node::Proj(a),
        Node::Act(_, a) | Node::Proj(a) => Node::Act(*rng.pick(&KINDS), a),
        _ => d.leaf(rng),
    };
    true
}

/// Replaces a node by a freshly grown subtree.
fn subtree(d: &mut Draft, rng: &mut Stream) -> bool {
    let i = d.random_node(rng);
    let root = d.grow(rng, GROW_DEPTH) as usize;
    d.nodes[i] = d.nodes[root];
    true
}

/// Puts a new node above one: an activation or projection of it, or it combined with a new leaf.
fn insert(d: &mut Draft, rng: &mut Stream) -> bool {
    let i = d.random_node(rng);
    let moved = d.push(d.nodes[i]);
    d.nodes[i] = match rng.below(5) {
        0 => Node::Proj(moved),
        1 => Node::Act(*rng.pick(&KINDS), moved),
        op => {
            let leaf = d.leaf(rng);
            let other = d.push(leaf);
            binary(op, moved, other)
        }
    };
    true
}

/// Removes an inner node: whatever read it reads one of its children instead.
fn remove(d: &mut Draft, rng: &mut Stream) -> bool {
    let i = d.random_node(rng);
    let children = d.nodes[i].children();
    if children.is_empty() {
        return false;
    }
    let c = *rng.pick(&children);
    let to = |j: usize| if j == i { c } else { j };
    d.nodes = d.nodes.iter().map(|n| n.map(to)).collect();
    d.hidden = to(d.hidden);
    d.cells = d.cells.iter().map(|&r| to(r)).collect();
    true
}

/// A new memory cell k: c_k(t) = sigmoid(W [x; h] + b) c_k(t-1) + a grown subtree, and h(t)'s
/// graph reads it (one of its nodes gains c_k(t) added).
fn add_memory(d: &mut Draft, rng: &mut Stream) -> bool {
    let k = d.cells.len();
    if k >= MAX_CELLS {
        return false;
    }
    d.cells.push(0);
    let (x, h) = (d.push(Node::Input), d.push(Node::Hidden));
    let uh = d.push(Node::Proj(h));
    let sum = d.push(Node::Add(x, uh));
    let gate = d.push(Node::Act(crate::activation::Activation::Sigmoid, sum));
    let memory = d.push(Node::Memory(k as u8));
    let kept = d.push(Node::Mult(gate, memory));
    let written = d.grow(rng, GROW_DEPTH);
    d.cells[k] = d.push(Node::Add(kept, written)) as usize;
    let reader = *rng.pick(&reachable(d, d.hidden));
    let moved = d.push(d.nodes[reader]);
    let fresh = d.push(Node::Fresh(k as u8));
    d.nodes[reader] = Node::Add(moved, fresh);
    true
}

/// Removes memory cell k: what read c_k reads h(t-1) instead; the later cells move down.
fn remove_memory(d: &mut Draft, rng: &mut Stream) -> bool {
    if d.cells.is_empty() {
        return false;
    }
    let k = rng.below(d.cells.len()) as u8;
    d.cells.remove(k as usize);
    for node in &mut d.nodes {
        *node = match *node {
            Node::Memory(m) | Node::Fresh(m) if m == k => Node::Hidden,
            Node::Memory(m) if m > k => Node::Memory(m - 1),
            Node::Fresh(m) if m > k => Node::Fresh(m - 1),
            other => other,
        };
    }
    true
}

/// The nodes `root`'s graph reaches.
fn reachable(d: &Draft, root: usize) -> Vec<usize> {
    let mut seen = vec![false; d.nodes.len()];
    let mut stack = vec![root];
    while let Some(i) = stack.pop() {
        if !std::mem::replace(&mut seen[i], true) {
            stack.extend(d.nodes[i].children());
        }
    }
    (0..seen.len()).filter(|&i| seen[i]).collect()
}

/// Subtree crossover: a node of `a` replaced by a copy of the graph under a node of `b` (its
/// memory cells renumbered into `a`'s, h(t-1) where `a` has none); `a` itself when `TRIES`
/// attempts broke it.
pub fn crossover(a: &Cell, b: &Cell, rng: &mut Stream) -> Cell {
    for _ in 0..TRIES {
        let mut d = Draft::of(a);
        let (i, j) = (d.random_node(rng), rng.below(b.nodes.len()));
        let base = d.nodes.len();
        let k = a.cells.len();
        let memory = |m: u8, fresh: bool| match (k, fresh) {
            (0, _) => Node::Hidden,
            (_, false) => Node::Memory(m % k as u8),
            (_, true) => Node::Fresh(m % k as u8),
        };
        // b's nodes up to j, appended (the dead ones are dropped by tidy).
        for node in &b.nodes[..=j] {
            let copied = match *node {
                Node::Memory(m) => memory(m, false),
                Node::Fresh(m) => memory(m, true),
                other => other.map(|c| c + base),
            };
            d.nodes.push(copied);
        }
        d.nodes[i] = d.nodes[base + j];
        if let Some(child) = d.tidy() {
            return child;
        }
    }
    a.clone()
}

/// A random cell with `memory` memory cells (each c_k = gate c_k(t-1) + a grown subtree) and
/// h(t) grown over them.
pub fn random_cell(rng: &mut Stream, memory: usize) -> Cell {
    loop {
        let hidden = Node::Act(crate::activation::Activation::Tanh, 0);
        let mut d = Draft { nodes: vec![Node::Input, hidden], hidden: 1, cells: Vec::new() };
        let grown = d.grow(rng, GROW_DEPTH + 1);
        d.nodes[1] = Node::Act(crate::activation::Activation::Tanh, grown);
        let mut ok = true;
        for _ in 0..memory.min(MAX_CELLS) {
            ok &= add_memory(&mut d, rng);
        }
        if let Some(cell) = ok.then(|| d.tidy()).flatten() {
            return cell;
        }
    }
}
