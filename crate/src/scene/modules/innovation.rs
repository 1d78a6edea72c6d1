//! Innovation numbers: the same structural change (a link between the same two nodes, a split
//! of the same link) gets the same number in every genome of a run, so crossover and distance
//! can line genes up by history (NEAT).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A run's record of the links and nodes its mutations have made, for one kind of genome.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Innovations {
    links: BTreeMap<(u32, u32), u32>,
    splits: BTreeMap<u32, u32>,
    appends: BTreeMap<u32, u32>,
    next_link: u32,
    next_node: u32,
}

impl Innovations {
    /// The number of the link from `from` to `to`, made the first time it is asked for.
    pub fn link(&mut self, from: u32, to: u32) -> u32 {
        let next = &mut self.next_link;
        *self.links.entry((from, to)).or_insert_with(|| {
            *next += 1;
            *next
        })
    }

    /// The id of the node that splits link `innovation`, made the first time it is asked for.
    pub fn split(&mut self, innovation: u32) -> u32 {
        self.next_node = self.next_node.max(1);
        let next = &mut self.next_node;
        *self.splits.entry(innovation).or_insert_with(|| {
            *next += 1;
            *next
        })
    }

    /// The id of the node appended after node `after` (a first population's deeper chains).
    pub fn append(&mut self, after: u32) -> u32 {
        self.next_node = self.next_node.max(1);
        let next = &mut self.next_node;
        *self.appends.entry(after).or_insert_with(|| {
            *next += 1;
            *next
        })
    }

    /// The id every minimal (one-node) graph's node shares: node 1.
    pub fn first_node(&mut self) -> u32 {
        self.next_node = self.next_node.max(1);
        1
    }
}
