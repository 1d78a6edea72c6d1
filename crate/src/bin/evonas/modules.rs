//! `evonas run` for a `scene=modules` link: one line per generation, the best assembled
//! network beside the baselines trained on the same data and epochs.

use super::args::RunArgs;
use evonas::mnist1d::Mnist1d;
use evonas::scene::modules::config::ModulesConfig;
use evonas::scene::modules::data::scene_data;
use evonas::scene::modules::run::ModulesRun;
use evonas::scene::modules::summary::Summary;

/// MNIST-1D as its authors' generator makes it by default (see data/README.md), compiled in.
const MNIST1D_CSV: &str = include_str!("../../../../data/mnist1d_default.csv");

pub fn mnist1d() -> Result<Mnist1d, String> {
    Mnist1d::from_csv(MNIST1D_CSV)
}

/// Runs `--generations` generations of the link's coevolution and prints each.
pub fn run(config: ModulesConfig, args: &RunArgs) -> Result<(), String> {
    super::lines::cpu_only(args, "modules", "an assembled network")?;
    let threads = args.threads.unwrap_or_else(evonas::train::available_threads);
    let data = scene_data(&config, Some(&mnist1d()?))?;
    let mut run = ModulesRun::new(&config, data, threads);
    let step = || {
        run.step();
        run.summary()
    };
    super::lines::print_generations("modules", args, step, print_line)
}

fn print_line(summary: &Summary, elapsed_ms: f64) {
    let baselines: Vec<String> = summary.baselines.iter().map(|(name, s)| format!("{name} {:.1}%", 100.0 * s.test_accuracy)).collect();
    let best = summary.best.as_ref().map_or("none".to_string(), |b| {
        format!(
            "test {:.1}% (validation {:.1}%), {} parameters, {} modules",
            100.0 * b.test_accuracy,
            100.0 * b.validation_accuracy,
            b.parameters,
            b.modules.len()
        )
    });
    println!(
        "generation {:4} ({:6.1} s, {} networks trained, {} species): best {best}; baselines: {}",
        summary.generation,
        elapsed_ms / 1e3,
        summary.trained,
        summary.species,
        baselines.join(", ")
    );
}
