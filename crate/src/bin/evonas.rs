//! The native CLI: `evonas run` prints one JSON line per generation (per finished search for a
//! `scene=cells` link); `evonas bench` times the trainer; `evonas cells` searches NAS-Bench-201
//! cells from flags. The same link strings as the page.
//! `evonas --help` (and `evonas <command> --help`) describe every flag.

// The flags live beside this file (crate/src/bin/evonas/), so cargo does not take them for a binary.
#[path = "evonas/args.rs"]
mod args;
// Standard output a line at a time, and the data the scenes ship.
#[path = "evonas/out.rs"]
mod out;
#[path = "evonas/shipped.rs"]
mod shipped;

use args::{BenchArgs, BenchBackend, CellsArgs, Cli, Command, CompareArgs, FolderArgs, RunArgs, RunBackend, TableArgs};
use clap::FromArgMatches;
use evonas::contract::SceneRun;
use evonas::scene::cells::search::CellSearch;
use evonas::scene::Experiment;
use evonas::train::{self, gpu::Gpu, Settings};
use evonas::{bench, Config, Run};
use out::{say, Stop};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let cli = Cli::from_arg_matches(&args::command().get_matches()).unwrap_or_else(|e| e.exit());
    let result = match cli.command {
        Command::Run(args) => run(&args),
        Command::Bench(args) => bench(&args),
        Command::Compare(args) => compare(&args),
        Command::Cells(args) => cells(&args),
        Command::Table(args) => table(&args),
        Command::Mnist1d(args) => mnist1d(&args),
        Command::TourRuns(args) => tour_runs(&args),
    };
    match result {
        Ok(()) | Err(Stop::Closed) => ExitCode::SUCCESS,
        Err(Stop::Failed(message)) => {
            eprintln!("evonas: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Any scene's run, from a link or a saved run: one line per generation, then the scene's
/// closing lines, the champion where asked for, and the save file where asked for.
fn run(args: &RunArgs) -> Result<(), Stop> {
    let threads = args.threads.unwrap_or_else(train::available_threads);
    let mut run = match &args.resume {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
            evonas::scene::resume(&bytes, &shipped::SHIPPED, threads).map_err(|e| format!("{path}: {e}"))?
        }
        None => evonas::scene::open(&Experiment::from_link(args.link.as_deref().unwrap_or(""))?, &shipped::SHIPPED, threads)?,
    };
    if args.champion && run.champion().is_none() {
        return Err(format!("--champion: scene={} has no champion link", run.scene()).into());
    }
    let backend = backend(args, run.link())?;
    use_backend(run.as_mut(), backend)?;
    let start = Instant::now();
    for _ in 0..args.generations {
        if !run.more() {
            break;
        }
        run.step()?;
        if let Some(notice) = run.notice() {
            eprintln!("evonas: {notice}");
        }
        let elapsed_ms = start.elapsed().as_secs_f64() * 1e3;
        out::line(&if args.json { run.json_line(elapsed_ms)? } else { run.text_line(elapsed_ms) })?;
    }
    for line in run.closing(args.json)? {
        out::line(&line)?;
    }
    if let Some(link) = run.champion().filter(|_| args.champion) {
        if args.json {
            say!("{}", serde_json::json!({ "champion_link": link }));
        } else {
            say!("champion: {link}");
        }
    }
    if let Some(path) = &args.save {
        std::fs::write(path, run.save()?).map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    Ok(())
}

/// Where the run trains: `--backend`, else a NEAT link's `backend=webgpu`; nothing else
/// probes for a GPU.
fn backend(args: &RunArgs, link: &str) -> Result<RunBackend, String> {
    if let Some(backend) = args.backend {
        return Ok(backend);
    }
    Ok(if Experiment::from_link(link)?.asks_gpu() { RunBackend::Gpu } else { RunBackend::Cpu })
}

fn use_backend(run: &mut dyn SceneRun, backend: RunBackend) -> Result<(), String> {
    match backend {
        RunBackend::Cpu => Ok(()),
        RunBackend::Gpu => run.use_gpu(Gpu::new()?).map_err(|e| format!("--backend: {e}")),
        // Automatic choice: a hardware adapter only; a software one is slower than the CPU path.
        RunBackend::Auto => {
            match Gpu::new() {
                Err(e) => eprintln!("evonas: {e}; training on the CPU"),
                Ok(gpu) if gpu.software => eprintln!("evonas: {} is a software adapter; training on the CPU", gpu.adapter),
                Ok(gpu) => run.use_gpu(gpu).map_err(|e| format!("--backend: {e}"))?,
            }
            Ok(())
        }
    }
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
fn bench_gpu(args: &BenchArgs) -> Result<(), Stop> {
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
            say!("P={size:5} points={points:5}: cpu {cpu:.3e}/s (1 thread), gpu {gpu_rate:.3e}/s ({:.1}x)", gpu_rate / cpu);
        }
    }
    if args.json {
        say!("{}", serde_json::json!({"adapter": gpu.adapter, "software": gpu.software, "sizes": rows}));
    } else {
        say!("adapter: {}{}", gpu.adapter, if gpu.software { " (software)" } else { "" });
    }
    Ok(())
}

fn bench(args: &BenchArgs) -> Result<(), Stop> {
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
        say!("{report}");
    } else {
        say!("trainer: {:.3e} conn-sample-steps/s on 1 thread, {:.3e} on {} threads", one, all, threads);
        say!("spiral (noise 0.5, 400 points) to 90% test accuracy: median {median:?} s, per seed {times:?}");
        say!("LSTM (hidden 16, length 50, batch 32; adding problem): {lstm:.0} training steps/s on 1 thread");
        say!("a new cell (an LSTM mutant) compiled, initialised and through its first step: {first_step:.2} ms (median)");
        say!("MNIST-1D's CNN (the paper's, 4,000 samples in batches of 100, Adam): {cnn_epoch:.3} s an epoch on 1 thread (median)");
    }
    Ok(())
}

/// Strategies side by side on one experiment of any scene, over seeds (see `evonas::compare`).
fn compare(args: &CompareArgs) -> Result<(), Stop> {
    let experiment = Experiment::from_link(args.link.as_deref().unwrap_or(""))?;
    let strategies: Vec<String> = match &args.strategies {
        Some(list) => list.iter().map(|s| s.trim().to_string()).collect(),
        None => experiment.contenders().iter().map(|s| s.to_string()).collect(),
    };
    let seeds: Vec<u64> = (1..=args.seeds as u64).collect();
    let budget = args.budget.map_or_else(|| experiment.budget(), |b| b as u64);
    let (table, mnist1d) = experiment.comparison_data(&shipped::SHIPPED)?;
    let (metric, ceiling) = experiment.metric();
    let mut curves = Vec::new();
    for strategy in &strategies {
        let traces = seeds.iter().map(|&seed| experiment.trace(strategy, seed, budget, table.as_ref(), mnist1d.as_ref())).collect::<Result<Vec<_>, _>>()?;
        curves.push(evonas::compare::curve(strategy, traces, budget, args.curves.points, ceiling));
    }
    let link = experiment.to_link();
    if args.curves.json {
        say!("{}", serde_json::json!({ "link": link, "seeds": seeds.len(), "budget": budget, "metric": metric, "curves": curves }));
    } else if args.curves.csv {
        say!("strategy,trained,mean_test_accuracy,low,high,mean_connections");
        for c in &curves {
            for k in 0..c.trained.len() {
                say!("{},{},{},{},{},{}", c.strategy, c.trained[k], c.mean_test_accuracy[k], c.low[k], c.high[k], c.mean_connections[k]);
            }
        }
    } else {
        // Fractions print as percent; percent (the cell table) and losses as they are.
        let scale = if ceiling == 1.0 { 100.0 } else { 1.0 };
        let unit = if ceiling.is_finite() { "%" } else { "" };
        for c in &curves {
            let last = c.trained.len() - 1;
            let [mean, low, high] = [c.mean_test_accuracy[last], c.low[last], c.high[last]].map(|v| v * scale);
            say!(
                "{:12} after {:6} evaluations: {metric} {mean:7.3}{unit} (95% band {low:7.3}{unit} to {high:7.3}{unit}), size {:7.1}",
                c.strategy,
                c.trained[last],
                c.mean_connections[last]
            );
        }
    }
    Ok(())
}

/// Cell search strategies side by side on NAS-Bench-201 (see `evonas::scene::cells::search`).
fn cells(args: &CellsArgs) -> Result<(), Stop> {
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
    let table = shipped::table()?;
    let reports = evonas::scene::cells::compare::compare(&table, &base, &args.strategy, &seeds, args.curves.points)?;
    if args.curves.json {
        for r in &reports {
            say!("{}", serde_json::to_string(r).map_err(|e| e.to_string())?);
        }
    } else if args.curves.csv {
        say!("strategy,evaluated,mean_test_accuracy,low,high");
        for r in &reports {
            let c = &r.curve;
            for k in 0..c.evaluated.len() {
                say!("{},{},{},{},{}", r.strategy, c.evaluated[k], c.mean_test_accuracy[k], c.low[k], c.high[k]);
            }
        }
    } else {
        say!(
            "{} seeds, {} evaluations on {} (best test accuracy {:.2}%):",
            seeds.len(),
            base.evaluations,
            base.bench.name(),
            table.oracle(base.bench).test_accuracy
        );
        for r in &reports {
            say!(
                "{:12} test accuracy {:6.2}% (95% band {:6.2}% to {:6.2}%), regret {:5.2} points",
                r.strategy,
                r.mean_test_accuracy,
                r.low,
                r.high,
                r.mean_regret
            );
        }
    }
    Ok(())
}

/// Writes the compiled-in table in its compact binary form.
fn table(args: &TableArgs) -> Result<(), Stop> {
    let path = &args.out;
    let bytes = shipped::table()?.to_bytes();
    std::fs::write(path, &bytes).map_err(|e| format!("cannot write {path}: {e}"))?;
    say!("wrote {path} ({} bytes)", bytes.len());
    Ok(())
}

fn mnist1d(args: &TableArgs) -> Result<(), Stop> {
    let path = &args.out;
    let bytes = shipped::mnist1d()?.to_bytes();
    std::fs::write(path, &bytes).map_err(|e| format!("cannot write {path}: {e}"))?;
    say!("wrote {path} ({} bytes)", bytes.len());
    Ok(())
}

/// The tour's recorded runs: each stop that has one, its link numbered (`tour=N`) run to its
/// recorded generation and saved, as `run --link ... --generations G --save` would.
fn tour_runs(args: &FolderArgs) -> Result<(), Stop> {
    for (k, stop) in evonas::tour::STOPS.iter().enumerate().filter(|(_, s)| s.recorded > 0) {
        let experiment = Experiment::from_link(&format!("{}&tour={}", stop.link, k + 1))?;
        let mut run = evonas::scene::open(&experiment, &shipped::SHIPPED, train::available_threads())?;
        while run.generation() < stop.recorded {
            run.step()?;
        }
        let path = format!("{}/stop-{}.run", args.out, k + 1);
        let bytes = run.save()?;
        std::fs::write(&path, &bytes).map_err(|e| format!("cannot write {path}: {e}"))?;
        say!("wrote {path} ({} bytes, generation {})", bytes.len(), stop.recorded);
    }
    Ok(())
}
