//! Evolved recurrent cells (scene=recurrent): genetic programming over memory-cell graphs that
//! contain LSTM and GRU, trained by the tensor engine (Rawal & Miikkulainen 2018).

pub mod bands;
pub mod cell;
pub mod compile;
pub mod config;
pub mod contest;
pub mod drawing;
pub mod examples;
pub mod fitness;
pub mod gp;
pub mod job;
pub mod named;
pub mod novelty;
pub mod run;
pub mod scene;
pub mod task;
pub mod text;
