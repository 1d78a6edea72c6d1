//! evonas: Backprop NEAT and evolutionary neural architecture search, natively and in wasm.

pub mod activation;
pub mod bench;
pub mod cell;
pub mod cell_compare;
pub mod codec;
pub mod compare;
pub mod config;
pub mod dataset;
pub mod export;
pub mod fitness;
pub mod genome;
pub mod hyper;
pub mod link;
pub mod math;
pub mod mutation;
pub mod nasbench;
pub mod program;
pub mod rng;
pub mod run;
pub mod species;
pub mod stats;
pub mod strategy;
pub mod summary;
pub mod train;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use config::Config;
pub use genome::Genome;
pub use run::Run;
