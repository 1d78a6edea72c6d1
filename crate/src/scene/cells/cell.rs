//! A NAS-Bench-201 cell, the genome of cell search: one operation on each of six fixed edges.
//!
//! The cell has four nodes; node 0 is the input and every later node sums every earlier node,
//! each through its own edge's operation. The wiring is fixed, so a cell is just the six
//! operations, on the edges (0->1), (0->2), (1->2), (0->3), (1->3), (2->3) in that order.
//! `none` on an edge cuts that input; there is no other way to add or remove one.

use crate::link::names::named_enum;
use crate::rng::Stream;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Edges of a cell.
pub const EDGES: usize = 6;
/// Operations an edge can hold.
pub const OPS: usize = 5;
/// Cells in the search space: 5^6.
pub const CELLS: usize = 15_625;
/// Each edge's (from, to) nodes, in the order the code and the cell string use.
pub const EDGE_NODES: [(usize, usize); EDGES] = [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)];

named_enum! {
    /// An edge's operation (named as NAS-Bench-201's cell strings name it); its place in `ALL`
    /// is its digit in the cell's base-5 code.
    pub enum Op: "operation" {
        None = "none", SkipConnect = "skip_connect", NorConv1x1 = "nor_conv_1x1", NorConv3x3 = "nor_conv_3x3", AvgPool3x3 = "avg_pool_3x3",
    }
}

/// A cell: the operation on each edge, in `EDGE_NODES` order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cell {
    pub ops: [Op; EDGES],
}

impl Cell {
    /// The cell's index in the search space: the sum over edges of op * 5^edge.
    pub fn code(self) -> u16 {
        self.ops.iter().rev().fold(0, |code, &op| code * OPS as u16 + op as u16)
    }

    pub fn from_code(code: u16) -> Result<Cell, String> {
        if code as usize >= CELLS {
            return Err(format!("cell code {code} is not below {CELLS}"));
        }
        let mut ops = [Op::None; EDGES];
        let mut rest = code as usize;
        for op in &mut ops {
            *op = Op::ALL[rest % OPS];
            rest /= OPS;
        }
        Ok(Cell { ops })
    }

    /// A cell drawn uniformly from the whole space.
    pub fn random(rng: &mut Stream) -> Cell {
        Cell { ops: std::array::from_fn(|_| *rng.pick(Op::ALL)) }
    }

    /// Changes exactly one edge to a different operation, every one of the 24 neighbours
    /// equally likely. The wiring is fixed, so this is the only mutation: changing an edge to
    /// `none` removes that input from its node, and changing it from `none` adds it back.
    pub fn mutate(&mut self, rng: &mut Stream) {
        let edge = rng.below(EDGES);
        let shift = 1 + rng.below(OPS - 1);
        self.ops[edge] = Op::ALL[(self.ops[edge] as usize + shift) % OPS];
    }

    /// The 24 cells one edge change away, by edge then by operation.
    pub fn neighbours(self) -> Vec<Cell> {
        let mut out = Vec::with_capacity(EDGES * (OPS - 1));
        for edge in 0..EDGES {
            for op in Op::ALL.iter().copied().filter(|&op| op != self.ops[edge]) {
                let mut next = self;
                next.ops[edge] = op;
                out.push(next);
            }
        }
        out
    }
}

/// The NAS-Bench-201 cell string: `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`, one group per node
/// 1 to 3, each entry an edge's operation and the node it comes from.
impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (node, first) in [(1, 0), (2, 1), (3, 3)] {
            if node > 1 {
                write!(f, "+")?;
            }
            write!(f, "|")?;
            for from in 0..node {
                write!(f, "{}~{from}|", self.ops[first + from].name())?;
            }
        }
        Ok(())
    }
}

impl FromStr for Cell {
    type Err = String;

    /// Reads exactly the form `Display` writes (surrounding whitespace aside).
    fn from_str(text: &str) -> Result<Cell, String> {
        let bad = |why: &str| format!("cell '{text}': {why}");
        let inner = text.trim().strip_prefix('|').and_then(|t| t.strip_suffix('|'));
        let groups: Vec<&str> = inner.ok_or_else(|| bad("must start and end with '|'"))?.split("|+|").collect();
        if groups.len() != 3 {
            return Err(bad(&format!("has {} node groups separated by '|+|', not 3", groups.len())));
        }
        let mut ops = Vec::with_capacity(EDGES);
        for (group, node) in groups.iter().zip(1..) {
            let entries: Vec<&str> = group.split('|').collect();
            if entries.len() != node {
                return Err(bad(&format!("node {node} has {} inputs, not {node}", entries.len())));
            }
            for (entry, from) in entries.iter().zip(0..) {
                let (op, input) = entry.split_once('~').ok_or_else(|| bad(&format!("'{entry}' is not op~input")))?;
                if input != from.to_string() {
                    return Err(bad(&format!("input {from} of node {node} is written '{input}'")));
                }
                ops.push(Op::from_name(op).map_err(|e| bad(&e))?);
            }
        }
        Ok(Cell { ops: ops.try_into().map_err(|_| bad("does not have 6 edges"))? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Purpose;

    #[test]
    fn the_code_weights_edges_by_powers_of_five_in_edge_order() {
        let mut cell = Cell { ops: [Op::None; EDGES] };
        assert_eq!(cell.code(), 0);
        cell.ops[0] = Op::SkipConnect;
        assert_eq!(cell.code(), 1);
        cell.ops[2] = Op::NorConv3x3;
        assert_eq!(cell.code(), 1 + 3 * 25);
        cell.ops[5] = Op::AvgPool3x3;
        assert_eq!(cell.code(), 1 + 3 * 25 + 4 * 3125);
        assert_eq!(Cell { ops: [Op::AvgPool3x3; EDGES] }.code(), 15_624);
        assert!(Cell::from_code(15_625).unwrap_err().contains("15625"));
    }

    #[test]
    fn the_string_lists_node_inputs_in_edge_order() {
        // Edge k of the code is the k-th entry read left to right.
        let ops = [Op::AvgPool3x3, Op::NorConv1x1, Op::SkipConnect, Op::NorConv1x1, Op::SkipConnect, Op::None];
        let text = "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|none~2|";
        assert_eq!(Cell { ops }.to_string(), text);
        assert_eq!(text.parse::<Cell>().unwrap(), Cell { ops });
    }

    #[test]
    fn malformed_strings_are_errors_naming_the_problem() {
        let good = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";
        for (text, needle) in [
            ("none~0|+|none~0|none~1|+|none~0|none~1|none~2|", "start and end"),
            ("|none~0|+|none~0|none~1|", "2 node groups"),
            ("|none~0|+|none~0|+|none~0|none~1|none~2|", "node 2 has 1 inputs"),
            ("|none~0|+|none~0|none~2|+|none~0|none~1|none~2|", "input 1 of node 2"),
            ("|none~0|+|none~0|conv~1|+|none~0|none~1|none~2|", "'conv' is not one of"),
            ("|none0|+|none~0|none~1|+|none~0|none~1|none~2|", "not op~input"),
            ("", "start and end"),
        ] {
            let err = text.parse::<Cell>().unwrap_err();
            assert!(err.contains(needle), "{text}: {err}");
        }
        assert!(good.parse::<Cell>().is_ok());
    }

    #[test]
    fn neighbours_are_the_24_distinct_one_edge_changes() {
        let mut rng = Stream::new(1, Purpose::Bench, 0, 0);
        for _ in 0..50 {
            let cell = Cell::random(&mut rng);
            let near = cell.neighbours();
            assert_eq!(near.len(), 24);
            for n in &near {
                assert_eq!((0..EDGES).filter(|&e| n.ops[e] != cell.ops[e]).count(), 1);
            }
            let mut codes: Vec<u16> = near.iter().map(|n| n.code()).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), 24);
        }
    }
}
