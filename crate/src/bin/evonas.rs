//! The native CLI: `evonas run` prints one JSON line per generation (per finished search for a
//! `scene=cells` link); `evonas bench` times the trainer; `evonas cells` searches NAS-Bench-201
//! cells from flags. The same link strings as the page.
//! `evonas --help` (and `evonas <command> --help`) describe every flag.

// The flags live beside this file (crate/src/bin/evonas/), so cargo does not take them for a binary.
#[path = "evonas/args.rs"]
mod args;
// The recurrent scene's run beside it too.
#[path = "evonas/recurrent.rs"]
mod recurrent;
// And the modules scene's, and the generation lines both print.
#[path = "evonas/lines.rs"]
mod lines;
#[path = "evonas/modules.rs"]
mod modules;

use args::{BenchArgs, BenchBackend, CellsArgs, Cli, Command, CompareArgs, RunArgs, RunBackend, TableArgs};
use clap::FromArgMatches;
use evonas::scene::cells::cell::Cell;
use evonas::scene::cells::compare as cells_compare;
use evonas::scene::cells::config::CellConfig;
use evonas::scene::cells::nasbench::Table;
use evonas::scene::cells::search::{CellSearch, Trace};
use evonas::scene::neat::summary::Summary;
use evonas::scene::Experiment;
use evonas::train::{self, gpu::Gpu, Settings};
use evonas::{bench, Config, Run};
use std::process::ExitCode;
use std::time::Instant;

/// NAS-Bench-201's recorded accuracies (see data/README.md), compiled in.
const NASBENCH_CSV: &str = include_str!("../../../data/nasbench201_12epoch.csv");

fn main() -> ExitCode {
    let cli = Cli::from_arg_matches(&args::command().get_matches()).unwrap_or_else(|e| e.exit());
    let result = match cli.command {
        Command::Run(args) => run(&args),
        Command::Bench(args) => bench(&args),
        Command::Compare(args) => compare(&args),
        Command::Cells(args) => cells(&args),
        Command::Table(args) => table(&args),
        Command::Mnist1d(args) => mnist1d(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("evonas: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &RunArgs) -> Result<(), String> {
    let config = match Experiment::from_link(args.link.as_deref().unwrap_or(""))? {
        Experiment::Neat(config) => config,
        Experiment::Cells(config) => return run_cells(config, args),
        Experiment::Recurrent(config) => return recurrent::run(config, args),
        Experiment::Modules(config) => return modules::run(config, args),
    };
    let backend = args.backend.unwrap_or(match config.backend {
        evonas::scene::neat::config::Backend::Cpu => RunBackend::Cpu,
        evonas::scene::neat::config::Backend::Webgpu => RunBackend::Gpu,
        evonas::scene::neat::config::Backend::Auto => RunBackend::Auto,
    });
    let mut run = Run::new(config)?;
    use_backend(&mut run, backend)?;
    if let Some(threads) = args.threads {
        run.set_threads(threads);
    }
    let start = Instant::now();
    for _ in 0..args.generations {
        let summary = run.step();
        if let Some(notice) = run.notice() {
            eprintln!("evonas: {notice}");
        }
        print_generation(&summary, start.elapsed().as_secs_f64() * 1e3, args.json)?;
    }
    if args.champion {
        let link = run.champion_link();
        if args.json {
            println!("{}", serde_json::json!({ "champion_link": link }));
        } else {
            println!("champion: {link}");
        }
    }
    Ok(())
}

/// One finished search of `run_cells`, as a JSON line (accuracies as f32 print, as `cells --json`).
#[derive(serde::Serialize)]
struct SearchLine {
    scene: &'static str,
    /// Searches finished so far.
    generation: usize,
    runs: usize,
    strategy: &'static str,
    seed: u64,
    best: Option<SearchBest>,
    elapsed_ms: f64,
}

#[derive(serde::Serialize)]
struct SearchBest {
    cell: String,
    validation: f32,
    test_accuracy: f32,
}

/// A `scene=cells` link: its comparison in the order the page runs it (`compare::schedule`),
/// one line per finished search (`--generations` caps them), then one per strategy's report.
fn run_cells(config: CellConfig, args: &RunArgs) -> Result<(), String> {
    if args.champion {
        return Err("--champion: a cell search carries no champion network (scene=cells)".into());
    }
    let table = Table::from_csv(NASBENCH_CSV)?;
    let schedule = cells_compare::schedule(&config);
    let mut traces = Vec::new();
    let start = Instant::now();
    for (done, &(strategy, seed)) in schedule.iter().enumerate().take(args.generations) {
        let trace = evonas::scene::cells::search::trace(&table, &CellSearch::from_config(&config, strategy, seed))?;
        print_search(&trace, strategy.name(), (done + 1, schedule.len()), start.elapsed().as_secs_f64() * 1e3, args.json)?;
        traces.push((strategy, cells_compare::progress(&trace)));
    }
    for report in cells_compare::reports(&config, &traces, table.oracle(config.dataset).test_accuracy, 20) {
        if args.json {
            // Written as `cells --json` writes it (f32 at their shortest), inside {"report": ...}.
            println!("{{\"report\":{}}}", serde_json::to_string(&report).map_err(|e| e.to_string())?);
        } else {
            println!(
                "{:12} test accuracy {:6.2}% (95% band {:6.2}% to {:6.2}%) over {} seeds",
                report.strategy,
                report.mean_test_accuracy,
                report.low,
                report.high,
                report.seeds.len()
            );
        }
    }
    Ok(())
}

/// One finished search of a cell comparison, the `done`th of `runs`.
fn print_search(trace: &Trace, strategy: &'static str, (done, runs): (usize, usize), elapsed_ms: f64, json: bool) -> Result<(), String> {
    let best = trace.improvements.last();
    if json {
        let cell = best.map(|b| Cell::from_code(b.cell).map(|c| c.to_string())).transpose()?;
        let best = best.zip(cell).map(|(b, cell)| SearchBest { cell, validation: b.validation, test_accuracy: b.test_accuracy });
        let line = SearchLine { scene: "cells", generation: done, runs, strategy, seed: trace.seed, best, elapsed_ms };
        println!("{}", serde_json::to_string(&line).map_err(|e| e.to_string())?);
    } else {
        let test = best.map_or(f32::NAN, |b| b.test_accuracy);
        println!("search {done:4}/{runs}  {strategy:12} seed {:3}  best test {test:6.2}%  {elapsed_ms:7.0} ms", trace.seed);
    }
    Ok(())
}

fn use_backend(run: &mut Run, backend: RunBackend) -> Result<(), String> {
    match backend {
        RunBackend::Cpu => {}
        RunBackend::Gpu => run.use_gpu(Gpu::new()?),
        // Automatic choice: a hardware adapter only; a software one is slower than the CPU path.
        RunBackend::Auto => {
            if let Ok(gpu) = Gpu::new().map_err(|e| eprintln!("evonas: {e}; training on the CPU")) {
                if gpu.software {
                    eprintln!("evonas: {} is a software adapter; training on the CPU", gpu.adapter);
                } else {
                    run.use_gpu(gpu);
                }
            }
        }
    }
    Ok(())
}

fn print_generation(summary: &Summary, elapsed_ms: f64, json: bool) -> Result<(), String> {
    if json {
        let mut line = serde_json::to_value(summary).map_err(|e| e.to_string())?;
        line["elapsed_ms"] = serde_json::json!(elapsed_ms);
        println!("{line}");
    } else {
        let b = &summary.best;
        println!(
            "gen {:4}  fitness {:.4}  train {:5.1}%  test {:5.1}%  nodes {:3}  conns {:3}  species {:2}  {:7.0} ms",
            summary.generation,
            b.fitness,
            b.train_accuracy * 100.0,
            b.test_accuracy * 100.0,
            b.nodes,
            b.connections,
            summary.species.len(),
            elapsed_ms
        );
    }
    Ok(())
}

/// Connection-sample-steps per second training the fixed population on `threads` threads:
/// the median of five repetitions, so one noisy moment does not decide the figure.
fn throughput(threads: usize, size: usize, steps: usize) -> f64 {
    let (programs, data) = bench::workload(size, 30);
    let settings = Settings { steps, lr: 0.01, clip: 1.0, decay: 0.0, optimizer: evonas::train::Optimizer::Adam, ..Default::default() };
    let work = bench::work(&programs, &data, steps);
    let mut rates: Vec<f64> = (0..5)
        .map(|_| {
            let mut trained = programs.clone();
            let start = Instant::now();
            train::train_all(&mut trained, &data, &settings, threads);
            work as f64 / start.elapsed().as_secs_f64()
        })
        .collect();
    rates.sort_by(f64::total_cmp);
    rates[2]
}

/// Seconds until the champion's test accuracy reaches `target` on spiral, or None.
fn time_to_accuracy(seed: u64, target: f32, max_generations: usize) -> Result<Option<f64>, String> {
    let mut run = Run::new(Config::from_link(&format!("{}&seed={seed}", bench::BENCH_DATA))?)?;
    let start = Instant::now();
    for _ in 0..max_generations {
        if run.step().best.test_accuracy >= target {
            return Ok(Some(start.elapsed().as_secs_f64()));
        }
    }
    Ok(None)
}

/// CPU and GPU throughput on the same populations at the sizes issue 4 names.
fn bench_gpu(args: &BenchArgs) -> Result<(), String> {
    let gpu = Gpu::new()?;
    let steps = if args.quick { 2 } else { 20 };
    let settings = Settings { steps, lr: 0.01, clip: 1.0, decay: 0.0, optimizer: evonas::train::Optimizer::Adam, ..Default::default() };
    let mut rows = Vec::new();
    for (size, points) in [(100, 400), (100, 2000), (1000, 400), (1000, 2000)] {
        let (programs, data) = bench::workload_with_points(size, 30, points);
        let work = bench::work(&programs, &data, steps) as f64;
        let (mut on_cpu, mut on_gpu) = (programs.clone(), programs.clone());
        let start = Instant::now();
        train::train_all(&mut on_cpu, &data, &settings, 1);
        let cpu = work / start.elapsed().as_secs_f64();
        let start = Instant::now();
        gpu.train(&mut on_gpu, &data, &settings)?;
        let gpu_rate = work / start.elapsed().as_secs_f64();
        rows.push(serde_json::json!({"population": size, "points": points, "steps": steps,
            "cpu_conn_sample_steps_per_s_1thread": cpu, "gpu_conn_sample_steps_per_s": gpu_rate}));
        if !args.json {
            println!("P={size:5} points={points:5}: cpu {cpu:.3e}/s (1 thread), gpu {gpu_rate:.3e}/s ({:.1}x)", gpu_rate / cpu);
        }
    }
    if args.json {
        println!("{}", serde_json::json!({"adapter": gpu.adapter, "software": gpu.software, "sizes": rows}));
    } else {
        println!("adapter: {}{}", gpu.adapter, if gpu.software { " (software)" } else { "" });
    }
    Ok(())
}

fn bench(args: &BenchArgs) -> Result<(), String> {
    if let BenchBackend::Gpu = args.backend {
        return bench_gpu(args);
    }
    let (size, steps) = if args.quick { (40, 20) } else { (100, 100) };
    let threads = train::available_threads();
    let one = throughput(1, size, steps);
    let all = throughput(threads, size, steps);
    let (seeds, max_generations) = if args.quick { (1, 5) } else { (5, 200) };
    let mut times = Vec::new();
    for seed in 1..=seeds {
        times.push(time_to_accuracy(seed, 0.9, max_generations)?);
    }
    let mut solved: Vec<f64> = times.iter().flatten().copied().collect();
    solved.sort_by(f64::total_cmp);
    // The median over all seeds counts unsolved ones as slowest, so it exists while most solve.
    let median = solved.get(seeds as usize / 2).copied();
    let lstm = evonas::bench::lstm_steps_per_s(16, 50, 32, if args.quick { 300 } else { 1000 });
    let first_step = evonas::bench::new_cell_first_step_ms(if args.quick { 5 } else { 51 });
    let cnn_epoch = evonas::bench::mnist1d_cnn_epoch_s(if args.quick { 1 } else { 5 });
    let report = serde_json::json!({
        "lstm_h16_t50_b32_steps_per_s_1thread": lstm,
        "new_cell_first_step_ms": first_step,
        "mnist1d_cnn_epoch_s_1thread": cnn_epoch,
        "conn_sample_steps_per_s_1thread": one,
        "conn_sample_steps_per_s_all_threads": all,
        "threads": threads,
        "spiral_to_90_median_s": median,
        "spiral_to_90_s": times,
        "population": size,
        "steps": steps,
    });
    if args.json {
        println!("{report}");
    } else {
        println!("trainer: {:.3e} conn-sample-steps/s on 1 thread, {:.3e} on {} threads", one, all, threads);
        println!("spiral (noise 0.5, 400 points) to 90% test accuracy: median {median:?} s, per seed {times:?}");
        println!("LSTM (hidden 16, length 50, batch 32; adding problem): {lstm:.0} training steps/s on 1 thread");
        println!("a new cell (an LSTM mutant) compiled, initialised and through its first step: {first_step:.2} ms (median)");
        println!("MNIST-1D's CNN (the paper's, 4,000 samples in batches of 100, Adam): {cnn_epoch:.3} s an epoch on 1 thread (median)");
    }
    Ok(())
}

/// Strategies side by side on one experiment (see `evonas::compare`).
fn compare(args: &CompareArgs) -> Result<(), String> {
    let base = Config::from_link(args.link.as_deref().unwrap_or(""))?;
    let seeds: Vec<u64> = (1..=args.seeds as u64).collect();
    let budget = args.budget as u64;
    let curves = evonas::compare::compare(&base, &args.strategies, &seeds, budget, args.curves.points)?;
    if args.curves.json {
        let out = serde_json::json!({ "link": base.to_link(), "seeds": seeds.len(), "budget": budget, "curves": curves });
        println!("{out}");
    } else if args.curves.csv {
        println!("strategy,trained,mean_test_accuracy,low,high,mean_connections");
        for c in &curves {
            for k in 0..c.trained.len() {
                println!("{},{},{},{},{},{}", c.strategy, c.trained[k], c.mean_test_accuracy[k], c.low[k], c.high[k], c.mean_connections[k]);
            }
        }
    } else {
        for c in &curves {
            let last = c.trained.len() - 1;
            println!(
                "{:12} after {:6} networks: test accuracy {:5.1}% (95% band {:5.1}% to {:5.1}%), {:5.1} connections",
                c.strategy,
                c.trained[last],
                c.mean_test_accuracy[last] * 100.0,
                c.low[last] * 100.0,
                c.high[last] * 100.0,
                c.mean_connections[last]
            );
        }
    }
    Ok(())
}

/// Cell search strategies side by side on NAS-Bench-201 (see `evonas::scene::cells::search`).
fn cells(args: &CellsArgs) -> Result<(), String> {
    let base = CellSearch {
        bench: args.dataset,
        evaluations: args.evaluations,
        population: args.population,
        sample: args.sample,
        noise: args.noise,
        ..CellSearch::default()
    };
    base.validate()?;
    let seeds: Vec<u64> = (1..=args.seeds as u64).collect();
    let table = Table::from_csv(NASBENCH_CSV)?;
    let reports = evonas::scene::cells::compare::compare(&table, &base, &args.strategy, &seeds, args.curves.points)?;
    if args.curves.json {
        for r in &reports {
            println!("{}", serde_json::to_string(r).map_err(|e| e.to_string())?);
        }
    } else if args.curves.csv {
        println!("strategy,evaluated,mean_test_accuracy,low,high");
        for r in &reports {
            let c = &r.curve;
            for k in 0..c.evaluated.len() {
                println!("{},{},{},{},{}", r.strategy, c.evaluated[k], c.mean_test_accuracy[k], c.low[k], c.high[k]);
            }
        }
    } else {
        println!(
            "{} seeds, {} evaluations on {} (best test accuracy {:.2}%):",
            seeds.len(),
            base.evaluations,
            base.bench.name(),
            table.oracle(base.bench).test_accuracy
        );
        for r in &reports {
            println!(
                "{:12} test accuracy {:6.2}% (95% band {:6.2}% to {:6.2}%), regret {:5.2} points",
                r.strategy, r.mean_test_accuracy, r.low, r.high, r.mean_regret
            );
        }
    }
    Ok(())
}

/// Writes the compiled-in table in its compact binary form.
fn table(args: &TableArgs) -> Result<(), String> {
    let path = &args.out;
    let bytes = Table::from_csv(NASBENCH_CSV)?.to_bytes();
    std::fs::write(path, &bytes).map_err(|e| format!("cannot write {path}: {e}"))?;
    println!("wrote {path} ({} bytes)", bytes.len());
    Ok(())
}

fn mnist1d(args: &TableArgs) -> Result<(), String> {
    let path = &args.out;
    let bytes = modules::mnist1d()?.to_bytes();
    std::fs::write(path, &bytes).map_err(|e| format!("cannot write {path}: {e}"))?;
    println!("wrote {path} ({} bytes)", bytes.len());
    Ok(())
}
