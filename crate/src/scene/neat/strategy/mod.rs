//! NEAT's search strategies: how an evaluated population of genomes becomes the next one.

pub mod aging;
pub mod neat;
pub mod pareto;
