//! Search strategies: how an evaluated population becomes the next one.

pub mod aging;
pub mod cells;
pub mod neat;
pub mod pareto;
