//! `evonas run` for a `scene=recurrent` link: one line per generation, the best evolved cell
//! beside the named cells trained on the same budget and data.

use super::args::RunArgs;
use evonas::scene::recurrent::config::RecurrentConfig;
use evonas::scene::recurrent::run::{RecurrentRun, Summary};
use std::time::Instant;

/// A generation's report as `--json` prints it: the summary plus the time since the start.
#[derive(serde::Serialize)]
struct Line<'a> {
    scene: &'static str,
    elapsed_ms: f64,
    #[serde(flatten)]
    summary: &'a Summary,
}

/// Runs `--generations` generations of the link's evolution and prints each.
pub fn run(config: RecurrentConfig, args: &RunArgs) -> Result<(), String> {
    if args.champion {
        return Err("--champion: a recurrent cell has no champion link yet (scene=recurrent)".into());
    }
    if args.backend.is_some() {
        return Err("--backend: the recurrent cells train on the CPU (scene=recurrent)".into());
    }
    let threads = args.threads.unwrap_or_else(evonas::train::available_threads);
    let mut run = RecurrentRun::new(&config, threads);
    let start = Instant::now();
    for _ in 0..args.generations {
        run.step();
        let summary = run.summary();
        let elapsed_ms = start.elapsed().as_secs_f64() * 1e3;
        if args.json {
            println!("{}", serde_json::to_string(&Line { scene: "recurrent", elapsed_ms, summary: &summary }).map_err(|e| e.to_string())?);
        } else {
            print_line(&summary, elapsed_ms);
        }
    }
    Ok(())
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
