//! The integration tests, one binary: each module is one concern's tests against the public crate
//! (one link instead of fourteen, and libtest spreads all of them over the cores).

mod bad_input;
mod cells;
mod cli;
mod config;
mod determinism;
mod export;
mod gpu;
mod gradients;
mod hyper;
mod layers;
mod link_fuzz;
mod long_runs;
mod modules;
mod pareto;
mod recurrent;
mod recurrent_page;
mod saved;
mod solving;
mod strategies;
mod tensor;
mod tour;
