//! Backprop NEAT: topologies and activations evolve, backprop trains the weights, on 2-D points.
//!
//! The genome, its codec and its Hyper are data the link carries, so they sit lower (`genome`,
//! `codec`, `hyper`); here are the parts that evolve and judge them.

pub mod compile;
pub mod config;
pub mod contest;
pub mod export;
pub mod fitness;
pub mod keys;
pub mod members;
pub mod mutation;
pub mod run;
pub mod scene;
pub mod species;
pub mod strategy;
pub mod summary;
pub mod training;
