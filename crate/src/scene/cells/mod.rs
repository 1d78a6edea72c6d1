//! Cell search: aging evolution against random and local search on NAS-Bench-201's recorded table.

pub mod cell;
pub mod compare;
pub mod config;
pub mod nasbench;
pub mod record;
pub mod scene;
pub mod search;
pub mod strategy;
