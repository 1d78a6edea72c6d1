//! Search strategies: how an evaluated population becomes the next one.

pub mod neat;
