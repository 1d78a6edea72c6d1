//! `evonas run` for a `scene=recurrent` link: one line per generation, the best evolved cell
//! beside the named cells trained on the same budget and data.

use super::args::RunArgs;
use evonas::scene::recurrent::config::RecurrentConfig;
use evonas::scene::recurrent::run::{RecurrentRun, Summary};

/// Runs `--generations` generations of the link's evolution and prints each.
pub fn run(config: RecurrentConfig, args: &RunArgs) -> Result<(), String> {
    super::lines::cpu_only(args, "recurrent", "a recurrent cell")?;
    let threads = args.threads.unwrap_or_else(evonas::train::available_threads);
    let mut run = RecurrentRun::new(&config, threads);
    let step = || {
        run.step();
        run.summary()
    };
    super::lines::print_generations("recurrent", args, step, print_line)
}

fn print_line(summary: &Summary, elapsed_ms: f64) {
    let named: Vec<String> = summary.baselines.iter().map(|(name, s)| format!("{name} {:.4}", s.test_loss)).collect();
    let best = summary.best.as_ref().map_or("none".to_string(), |b| {
        let accuracy = b.test_accuracy.map_or(String::new(), |a| format!(", accuracy {:.1}%", 100.0 * a));
        format!("test loss {:.4}{accuracy}, {} memory cells, {} nodes, {} parameters", b.test_loss, b.memory_cells, b.nodes, b.parameters)
    });
    println!(
        "generation {:4} ({:6.1} s, {} cells trained): best {best}; named: {} (chance {:.4})",
        summary.generation,
        elapsed_ms / 1e3,
        summary.trained,
        named.join(", "),
        summary.chance_loss
    );
}
