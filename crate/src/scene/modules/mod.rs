//! Modules and blueprints (scene=modules): CoDeepNEAT's coevolution of module species and
//! blueprints on MNIST-1D, networks assembled from them and trained by the layer engine, with
//! LEAF's second objective, size (Miikkulainen et al. 2019; Liang et al. 2019).

pub mod assemble;
pub mod baselines;
pub mod block;
pub mod blueprint;
pub mod breed;
pub mod config;
pub mod contest;
pub mod data;
pub mod drawing;
pub mod fitness;
pub mod graph;
pub mod innovation;
pub mod module;
pub mod run;
pub mod scene;
pub mod species;
pub mod summary;
pub mod training;
