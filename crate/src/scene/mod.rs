//! The scenes: each owns its genome, its search and its run (Backprop NEAT, NAS-Bench-201 cell search).

pub mod cells;
pub mod neat;
