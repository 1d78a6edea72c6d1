//! Modules and blueprints (scene=modules): the genomes' operators keep their rules, assembly
//! substitutes one module per species, fitness is the mean over a genome's networks, assembled
//! networks have the gradients finite differences give, and runs are deterministic.

mod genomes;
mod run;
