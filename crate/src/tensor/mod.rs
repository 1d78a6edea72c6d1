//! The tensor engine: tapes of vector ops over a batch, trained through time (BPTT) with Adam.
//!
//! A scene compiles its genome (a recurrent cell, a network of layers) to a `Tape`; the engine
//! knows no genome. `Workspace` runs a tape forward and backward over a `Batch`; `Trainer`
//! holds its parameters and optimizer. Lane loops keep every result bit-identical natively
//! and in wasm (`kernels`).

pub mod adam;
pub mod batch;
pub mod exec;
pub mod kernels;
pub mod loss;
pub mod net;
pub mod tape;
pub mod trainer;

pub use batch::{Batch, Target, UNSCORED};
pub use exec::Workspace;
pub use loss::Score;
pub use tape::{Builder, Op, Tape};
pub use trainer::Trainer;
