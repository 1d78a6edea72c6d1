//! Search: selection written once over costs and objectives, so every scene's genomes share it.

pub mod aging;
pub mod nsga2;
