//! What `evonas run` prints for the scenes that run on the CPU alone (recurrent cells, modules):
//! one line per generation, as JSON (the summary with the scene and the time since the start)
//! or as text.

use super::args::RunArgs;
use serde::Serialize;
use std::time::Instant;

/// A generation's report as `--json` prints it.
#[derive(Serialize)]
struct Line<'a, S> {
    scene: &'static str,
    elapsed_ms: f64,
    #[serde(flatten)]
    summary: &'a S,
}

/// Refuses the flags such a scene has no use for, naming the scene and `what` it lacks.
pub fn cpu_only(args: &RunArgs, scene: &str, champion: &str) -> Result<(), String> {
    if args.champion {
        return Err(format!("--champion: {champion} has no champion link yet (scene={scene})"));
    }
    if args.backend.is_some() {
        return Err(format!("--backend: scene={scene} trains on the CPU"));
    }
    Ok(())
}

/// Runs `--generations` generations, `step` giving each one's summary, and prints each.
pub fn print_generations<S: Serialize>(scene: &'static str, args: &RunArgs, mut step: impl FnMut() -> S, text: fn(&S, f64)) -> Result<(), String> {
    let start = Instant::now();
    for _ in 0..args.generations {
        let summary = step();
        let elapsed_ms = start.elapsed().as_secs_f64() * 1e3;
        if args.json {
            println!("{}", serde_json::to_string(&Line { scene, elapsed_ms, summary: &summary }).map_err(|e| e.to_string())?);
        } else {
            text(&summary, elapsed_ms);
        }
    }
    Ok(())
}
