//! The NEAT-style DAG genome that modules and blueprints share: genes on nodes, links between
//! them, each node and link named by an innovation number (Stanley & Miikkulainen 2002).
//!
//! The rules a graph keeps (`Graph::check`, which every operator preserves and assembly relies on):
//! - node ids are unique and above `INPUT` (0, the graph's input), nodes in ascending id order;
//! - a link runs from `INPUT` or a node to a node, at most one link per pair, links in
//!   ascending innovation order;
//! - the enabled links form no cycle, and every node has an enabled incoming link (so every
//!   node is reached from the input, and the graph's output, its sinks, exists).

use super::innovation::Innovations;
use crate::rng::Stream;
use serde::{Deserialize, Serialize};

/// The graph's input endpoint; nodes are numbered above it.
pub const INPUT: u32 = 0;

/// A node: its innovation number and its gene.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node<T> {
    pub id: u32,
    pub gene: T,
}

/// A connection from `from` (a node or `INPUT`) to node `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub innovation: u32,
    pub from: u32,
    pub to: u32,
    pub enabled: bool,
}

/// Nodes with genes of type `T`, and the links between them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Graph<T> {
    pub nodes: Vec<Node<T>>,
    pub links: Vec<Link>,
}

impl<T: Clone> Graph<T> {
    /// One node reading the input: the minimal graph every search starts from.
    pub fn single(gene: T, innovations: &mut Innovations) -> Graph<T> {
        let id = innovations.first_node();
        let link = Link { innovation: innovations.link(INPUT, id), from: INPUT, to: id, enabled: true };
        Graph { nodes: vec![Node { id, gene }], links: vec![link] }
    }

    pub fn node(&self, id: u32) -> Option<&Node<T>> {
        self.nodes.binary_search_by_key(&id, |n| n.id).ok().map(|k| &self.nodes[k])
    }

    /// The enabled links into node `id`, in innovation order.
    pub fn inputs(&self, id: u32) -> impl Iterator<Item = u32> + '_ {
        self.links.iter().filter(move |l| l.enabled && l.to == id).map(|l| l.from)
    }

    /// The nodes no enabled link leaves: the graph's output, in id order.
    pub fn sinks(&self) -> Vec<u32> {
        let fed = |id: u32| self.links.iter().any(|l| l.enabled && l.from == id);
        self.nodes.iter().map(|n| n.id).filter(|&id| !fed(id)).collect()
    }

    /// The nodes in an order where every node comes after those it reads (ids break ties), or
    /// none if the enabled links hold a cycle.
    pub fn order(&self) -> Option<Vec<u32>> {
        let mut placed: Vec<u32> = Vec::with_capacity(self.nodes.len());
        let mut left: Vec<u32> = self.nodes.iter().map(|n| n.id).collect();
        while !left.is_empty() {
            let ready = left.iter().position(|&id| self.inputs(id).all(|f| f == INPUT || placed.contains(&f)))?;
            placed.push(left.remove(ready));
        }
        Some(placed)
    }

    /// Checks the rules of the module doc; the error names what is wrong.
    pub fn check(&self) -> Result<(), String> {
        if self.nodes.is_empty() {
            return Err("a graph needs a node".into());
        }
        if self.nodes.windows(2).any(|w| w[0].id >= w[1].id) || self.nodes[0].id == INPUT {
            return Err("node ids must be above 0 and ascending".into());
        }
        if self.links.windows(2).any(|w| w[0].innovation >= w[1].innovation) {
            return Err("link innovations must ascend".into());
        }
        for (k, l) in self.links.iter().enumerate() {
            if self.node(l.to).is_none() || (l.from != INPUT && self.node(l.from).is_none()) {
                return Err(format!("link {} joins {} to {}, not both in the graph", l.innovation, l.from, l.to));
            }
            if self.links[..k].iter().any(|m| (m.from, m.to) == (l.from, l.to)) {
                return Err(format!("two links join {} to {}", l.from, l.to));
            }
        }
        if let Some(n) = self.nodes.iter().find(|n| self.inputs(n.id).next().is_none()) {
            return Err(format!("node {} has no enabled input", n.id));
        }
        self.order().map(|_| ()).ok_or_else(|| "the enabled links form a cycle".into())
    }

    /// Whether node `to` can read `from` without a cycle: `from` is not reached from `to`.
    fn reaches(&self, start: u32, goal: u32) -> bool {
        let mut stack = vec![start];
        let mut seen = Vec::new();
        while let Some(id) = stack.pop() {
            if id == goal {
                return true;
            }
            if !seen.contains(&id) {
                seen.push(id);
                stack.extend(self.links.iter().filter(|l| l.enabled && l.from == id).map(|l| l.to));
            }
        }
        false
    }

    /// NEAT's add-node: a random enabled link is disabled and a new node with `gene` takes its
    /// place (from -> new -> to). None if the split already happened in this graph.
    pub fn split(&self, gene: T, innovations: &mut Innovations, rng: &mut Stream) -> Option<Graph<T>> {
        let enabled: Vec<usize> = (0..self.links.len()).filter(|&k| self.links[k].enabled).collect();
        let old = self.links[*rng.pick(&enabled)];
        let id = innovations.split(old.innovation);
        if self.node(id).is_some() {
            return None;
        }
        let mut child = self.clone();
        child.links.iter_mut().filter(|l| l.innovation == old.innovation).for_each(|l| l.enabled = false);
        child.insert_node(Node { id, gene });
        child.insert_link(Link { innovation: innovations.link(old.from, id), from: old.from, to: id, enabled: true });
        child.insert_link(Link { innovation: innovations.link(id, old.to), from: id, to: old.to, enabled: true });
        Some(child)
    }

    /// NEAT's add-link: a new enabled link between a random source and a random node that
    /// neither exists nor closes a cycle (or re-enables such a link). None if the draw finds none.
    pub fn connect(&self, innovations: &mut Innovations, rng: &mut Stream) -> Option<Graph<T>> {
        let from = if rng.chance(0.3) { INPUT } else { rng.pick(&self.nodes).id };
        let to = rng.pick(&self.nodes).id;
        if from == to || self.reaches(to, from) || self.links.iter().any(|l| l.enabled && (l.from, l.to) == (from, to)) {
            return None;
        }
        let mut child = self.clone();
        match child.links.iter_mut().find(|l| (l.from, l.to) == (from, to)) {
            Some(link) => link.enabled = true,
            None => child.insert_link(Link { innovation: innovations.link(from, to), from, to, enabled: true }),
        }
        Some(child)
    }

    /// Disables a random enabled link whose node keeps another input, or re-enables a disabled
    /// one that closes no cycle. None if the drawn link can do neither.
    pub fn toggle(&self, rng: &mut Stream) -> Option<Graph<T>> {
        let link = *rng.pick(&self.links);
        let allowed = if link.enabled { self.inputs(link.to).count() > 1 } else { !self.reaches(link.to, link.from) };
        allowed.then(|| {
            let mut child = self.clone();
            child.links.iter_mut().filter(|l| l.innovation == link.innovation).for_each(|l| l.enabled = !l.enabled);
            child
        })
    }

    /// NEAT's crossover, `self` the fitter parent: its nodes and links, a matching gene (same
    /// innovation) from either parent at even odds, and `pick_gene` choosing between matching
    /// node genes. Falls back to the fitter parent where the mix would break a rule.
    pub fn crossover(&self, other: &Graph<T>, rng: &mut Stream, mut pick_gene: impl FnMut(&T, &T, &mut Stream) -> T) -> Graph<T> {
        let mut child = self.clone();
        for node in &mut child.nodes {
            if let Some(theirs) = other.node(node.id) {
                node.gene = pick_gene(&node.gene, &theirs.gene, rng);
            }
        }
        for link in &mut child.links {
            if let Some(theirs) = other.links.iter().find(|l| l.innovation == link.innovation) {
                if rng.chance(0.5) {
                    link.enabled = theirs.enabled;
                }
            }
        }
        if child.check().is_ok() {
            child
        } else {
            let mut keep = self.clone();
            keep.nodes = child.nodes;
            keep
        }
    }

    /// The nodes in order, each `id:label<-inputs` (`in` for the graph's input), comma-separated.
    pub fn describe(&self, label: impl Fn(&T) -> String) -> String {
        let node = |id: u32| {
            let from: Vec<String> = self.inputs(id).map(|f| if f == INPUT { "in".to_string() } else { f.to_string() }).collect();
            format!("{id}:{}<-{}", self.node(id).map_or(String::new(), |n| label(&n.gene)), from.join("+"))
        };
        self.order().unwrap_or_default().into_iter().map(node).collect::<Vec<_>>().join(", ")
    }

    /// Adds a node in id order.
    pub fn insert_node(&mut self, node: Node<T>) {
        let at = self.nodes.partition_point(|n| n.id < node.id);
        self.nodes.insert(at, node);
    }

    /// Adds a link in innovation order.
    pub fn insert_link(&mut self, link: Link) {
        let at = self.links.partition_point(|l| l.innovation < link.innovation);
        self.links.insert(at, link);
    }

    /// NEAT's structural distance terms: genes (nodes and links) one graph has and the other
    /// lacks, over the larger genome's gene count; and the node ids both have.
    pub fn structural_distance(&self, other: &Graph<T>) -> (f32, Vec<u32>) {
        let shared: Vec<u32> = self.nodes.iter().map(|n| n.id).filter(|&id| other.node(id).is_some()).collect();
        let shared_links = self.links.iter().filter(|l| other.links.iter().any(|m| m.innovation == l.innovation)).count();
        let size = |g: &Graph<T>| g.nodes.len() + g.links.len();
        let unmatched = size(self) + size(other) - 2 * (shared.len() + shared_links);
        (unmatched as f32 / size(self).max(size(other)) as f32, shared)
    }
}
