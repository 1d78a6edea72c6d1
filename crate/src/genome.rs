//! NodeGene, ConnGene, Genome and the innovation registry: NEAT's encoding of a network.
//!
//! Invariants every Genome keeps (checked by `validate`, relied on everywhere else):
//! - nodes are sorted by id, ids unique; ids 0..4 are input x, input y, bias and output;
//! - connections are sorted by innovation, innovations unique, and one innovation always names
//!   the same (from, to) pair in every genome of a run, so crossover can align genes by number;
//! - no connection enters an input or the bias, none leaves the output, no pair appears twice;
//! - the connections, enabled or not, form no cycle: the network is feed-forward, and enabling
//!   a disabled connection can never create a cycle either.

use crate::activation::Activation;
use crate::hyper::Hyper;
use crate::link::names::named_enum;
use crate::rng::Stream;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub const INPUT_X: u32 = 0;
pub const INPUT_Y: u32 = 1;
pub const BIAS: u32 = 2;
pub const OUTPUT: u32 = 3;
/// Ids of hidden nodes start here.
pub const FIRST_HIDDEN: u32 = 4;
/// The sources every genome starts with, wired straight to the output.
pub const SOURCES: [u32; 3] = [INPUT_X, INPUT_Y, BIAS];

named_enum! {
    /// What a node is for (the JSON and the page name it).
    pub enum Role { Input = "input", Bias = "bias", Output = "output", Hidden = "hidden" }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeGene {
    pub id: u32,
    pub role: Role,
    pub activation: Activation,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnGene {
    pub innovation: u32,
    pub from: u32,
    pub to: u32,
    pub weight: f32,
    pub enabled: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Genome {
    pub nodes: Vec<NodeGene>,
    pub conns: Vec<ConnGene>,
    /// Its own learning rate and steps, when the run evolves them (see hyper.rs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hyper: Option<Hyper>,
}

/// Hands out innovation numbers and hidden-node ids for a whole run, so the same structural
/// mutation gets the same number in every genome that makes it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(into = "SavedInnovations", try_from = "SavedInnovations")]
pub struct Innovations {
    by_pair: HashMap<(u32, u32), u32>,
    by_split: HashMap<(u32, u32), u32>,
    next_innovation: u32,
    next_node: u32,
}

/// Innovations as a save file holds them: each map as pairs sorted by key, so the same registry
/// always writes the same bytes.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedInnovations {
    by_pair: Vec<((u32, u32), u32)>,
    by_split: Vec<((u32, u32), u32)>,
    next_innovation: u32,
    next_node: u32,
}

impl From<Innovations> for SavedInnovations {
    fn from(r: Innovations) -> SavedInnovations {
        let sorted = |map: HashMap<(u32, u32), u32>| {
            let mut pairs: Vec<_> = map.into_iter().collect();
            pairs.sort_unstable();
            pairs
        };
        SavedInnovations { by_pair: sorted(r.by_pair), by_split: sorted(r.by_split), next_innovation: r.next_innovation, next_node: r.next_node }
    }
}

impl TryFrom<SavedInnovations> for Innovations {
    type Error = String;
    /// Every number handed out lies below the next one to hand out.
    fn try_from(s: SavedInnovations) -> Result<Innovations, String> {
        if s.by_pair.iter().chain(&s.by_split).any(|&(_, n)| n >= s.next_innovation.max(s.next_node)) {
            return Err("innovations: a number at or past the next one to hand out".into());
        }
        Ok(Innovations {
            by_pair: s.by_pair.into_iter().collect(),
            by_split: s.by_split.into_iter().collect(),
            next_innovation: s.next_innovation,
            next_node: s.next_node,
        })
    }
}

impl Default for Innovations {
    fn default() -> Self {
        let mut registry = Innovations { by_pair: HashMap::new(), by_split: HashMap::new(), next_innovation: 0, next_node: FIRST_HIDDEN };
        for s in SOURCES {
            registry.connection(s, OUTPUT);
        }
        registry
    }
}

impl Innovations {
    /// The innovation number of the connection `from -> to`, new or already known.
    pub fn connection(&mut self, from: u32, to: u32) -> u32 {
        let next = &mut self.next_innovation;
        *self.by_pair.entry((from, to)).or_insert_with(|| {
            *next += 1;
            *next - 1
        })
    }

    /// The id of the node that splits connection `innovation`; `nth` counts earlier splits of
    /// the same connection in one genome, so a genome never receives one id twice.
    pub fn split(&mut self, innovation: u32, nth: u32) -> u32 {
        let next = &mut self.next_node;
        *self.by_split.entry((innovation, nth)).or_insert_with(|| {
            *next += 1;
            *next - 1
        })
    }
}

impl Genome {
    /// Plain logistic regression: both inputs and the bias wired to a sigmoid output.
    pub fn logistic(registry: &mut Innovations, rng: &mut Stream) -> Genome {
        let node = |id, role, activation| NodeGene { id, role, activation };
        let nodes = vec![
            node(INPUT_X, Role::Input, Activation::Identity),
            node(INPUT_Y, Role::Input, Activation::Identity),
            node(BIAS, Role::Bias, Activation::Identity),
            node(OUTPUT, Role::Output, Activation::Sigmoid),
        ];
        let conns = SOURCES
            .iter()
            .map(|&from| ConnGene { innovation: registry.connection(from, OUTPUT), from, to: OUTPUT, weight: rng.normal(), enabled: true })
            .collect();
        Genome { nodes, conns, hyper: None }
    }

    pub fn node(&self, id: u32) -> Option<&NodeGene> {
        self.nodes.binary_search_by_key(&id, |n| n.id).ok().map(|i| &self.nodes[i])
    }

    pub fn enabled_connections(&self) -> usize {
        self.conns.iter().filter(|c| c.enabled).count()
    }

    pub fn hidden_nodes(&self) -> usize {
        self.nodes.iter().filter(|n| n.role == Role::Hidden).count()
    }

    pub fn has_pair(&self, from: u32, to: u32) -> bool {
        self.conns.iter().any(|c| c.from == from && c.to == to)
    }

    /// Position of node `id` in `nodes`.
    pub fn index_of(&self, id: u32) -> Option<usize> {
        self.nodes.binary_search_by_key(&id, |n| n.id).ok()
    }

    /// For each node (by position), whether a path of connections, enabled or not, leads
    /// there from `start` (`start` itself included). O(nodes + connections).
    pub fn descendants(&self, start: u32) -> Vec<bool> {
        let mut out: Vec<Vec<usize>> = vec![Vec::new(); self.nodes.len()];
        for c in &self.conns {
            if let (Some(f), Some(t)) = (self.index_of(c.from), self.index_of(c.to)) {
                out[f].push(t);
            }
        }
        let mut seen = vec![false; self.nodes.len()];
        let mut stack: Vec<usize> = self.index_of(start).into_iter().collect();
        while let Some(at) = stack.pop() {
            if !std::mem::replace(&mut seen[at], true) {
                stack.extend(out[at].iter().copied().filter(|&t| !seen[t]));
            }
        }
        seen
    }

    /// True when the connections, enabled or not, form no cycle (Kahn's algorithm).
    pub fn is_acyclic(&self) -> bool {
        let mut waiting = vec![0usize; self.nodes.len()];
        let mut out: Vec<Vec<usize>> = vec![Vec::new(); self.nodes.len()];
        for c in &self.conns {
            if let (Some(f), Some(t)) = (self.index_of(c.from), self.index_of(c.to)) {
                out[f].push(t);
                waiting[t] += 1;
            }
        }
        let mut ready: Vec<usize> = (0..self.nodes.len()).filter(|&i| waiting[i] == 0).collect();
        let mut done = 0;
        while let Some(at) = ready.pop() {
            done += 1;
            for &t in &out[at] {
                waiting[t] -= 1;
                if waiting[t] == 0 {
                    ready.push(t);
                }
            }
        }
        done == self.nodes.len()
    }

    /// Inserts a connection keeping the innovation order.
    pub fn insert_conn(&mut self, conn: ConnGene) {
        let at = self.conns.partition_point(|c| c.innovation < conn.innovation);
        self.conns.insert(at, conn);
    }

    /// Inserts a node keeping the id order.
    pub fn insert_node(&mut self, node: NodeGene) {
        let at = self.nodes.partition_point(|n| n.id < node.id);
        self.nodes.insert(at, node);
    }

    /// Checks every invariant in the module doc; the error names the first one broken.
    pub fn validate(&self) -> Result<(), String> {
        let fixed = [(INPUT_X, Role::Input), (INPUT_Y, Role::Input), (BIAS, Role::Bias), (OUTPUT, Role::Output)];
        for (id, role) in fixed {
            match self.node(id) {
                Some(n) if n.role == role => {}
                _ => return Err(format!("node {id} must be the {role:?} node")),
            }
        }
        if self.nodes.windows(2).any(|w| w[0].id >= w[1].id) {
            return Err("node ids must be unique and sorted".into());
        }
        if let Some(n) = self.nodes.iter().find(|n| n.id >= FIRST_HIDDEN && n.role != Role::Hidden) {
            return Err(format!("node {} must be hidden", n.id));
        }
        if self.conns.windows(2).any(|w| w[0].innovation >= w[1].innovation) {
            return Err("connection innovations must be unique and sorted".into());
        }
        for c in &self.conns {
            let (from, to) = match (self.node(c.from), self.node(c.to)) {
                (Some(f), Some(t)) => (f, t),
                _ => return Err(format!("connection {} joins a missing node", c.innovation)),
            };
            if matches!(to.role, Role::Input | Role::Bias) || from.role == Role::Output {
                return Err(format!("connection {} runs {} -> {} against the flow", c.innovation, c.from, c.to));
            }
            if !c.weight.is_finite() {
                return Err(format!("connection {} has a non-finite weight", c.innovation));
            }
        }
        let mut pairs: Vec<(u32, u32)> = self.conns.iter().map(|c| (c.from, c.to)).collect();
        pairs.sort_unstable();
        if let Some(w) = pairs.windows(2).find(|w| w[0] == w[1]) {
            return Err(format!("connection {} -> {} appears twice", w[0].0, w[0].1));
        }
        if !self.is_acyclic() {
            return Err("the connections form a cycle".into());
        }
        self.hyper.as_ref().map_or(Ok(()), Hyper::validate)
    }
}
