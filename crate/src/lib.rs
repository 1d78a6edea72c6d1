//! evonas: Backprop NEAT and evolutionary neural architecture search, natively and in wasm.

pub mod activation;
pub mod bench;
pub mod codec;
pub mod compare;
pub mod contract;
pub mod dataset;
pub mod genome;
pub mod hyper;
pub mod link;
pub mod math;
pub mod mnist1d;
pub mod parallel;
pub mod points_csv;
pub mod program;
pub mod rng;
pub mod saved;
pub mod scene;
pub mod search;
pub mod stats;
pub mod tensor;
pub mod tour;
pub mod train;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use genome::Genome;
pub use scene::neat::config::Config;
pub use scene::neat::run::Run;
