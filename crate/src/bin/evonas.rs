//! The native CLI: `evonas run` prints one JSON line per generation; `evonas bench` times the
//! trainer; `evonas cells` searches NAS-Bench-201 cells. The same link strings as the page.

use evonas::train::{self, gpu::Gpu, Settings};
use evonas::compare::Contender;
use evonas::nasbench::{Bench, Table};
use evonas::strategy::cells::{CellSearch, CellStrategy};
use evonas::{bench, Config, Run};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage:
  evonas run [--link 'key=value&...'] [--generations N] [--threads T] [--backend cpu|gpu|auto] [--json] [--champion]
             --champion: end with the link that opens the final champion (genome=...)
  evonas bench [--json] [--quick] [--backend cpu|gpu]
  evonas compare [--link 'key=value&...'] [--strategies neat,aging,aging-worst,pareto] [--seeds K]
                 [--budget N] [--points M] [--json | --csv]
             best-so-far test accuracy against networks trained, mean and 95% band over seeds
  evonas cells [--strategy aging,aging-worst,random,local] [--dataset cifar10|cifar100|imagenet16]
               [--evaluations N] [--seeds K] [--population P] [--sample S] [--noise X] [--points M]
               [--json | --csv]
             NAS-Bench-201 cell search on recorded accuracies: the test accuracy of the
             best-by-validation cell against cells evaluated, mean and 95% band over seeds 1..K,
             and the regret to the best cell; --noise adds Gaussian noise (std X points) to every
             validation accuracy a search sees; --json ends with one object per strategy;
             defaults: all four strategies, cifar10, 300 evaluations, 20 seeds, P 20, S 5, noise 0,
             10 points
  evonas table --out PATH
             writes the NAS-Bench-201 table in its compact binary form (for the page)";

/// NAS-Bench-201's recorded accuracies (see data/README.md), compiled in.
const NASBENCH_CSV: &str = include_str!("../../../data/nasbench201_12epoch.csv");

/// Command-line flags: `--name value` pairs and bare `--flag`s.
struct Args(Vec<String>);

impl Args {
    fn value(&self, name: &str) -> Result<Option<&str>, String> {
        match self.0.iter().position(|a| a == name) {
            None => Ok(None),
            Some(i) => self.0.get(i + 1).map(|v| Some(v.as_str())).ok_or(format!("{name} needs a value")),
        }
    }

    fn number(&self, name: &str, default: usize, max: usize) -> Result<usize, String> {
        match self.value(name)? {
            None => Ok(default),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(format!("{name}: '{v}' is not a whole number from 1 to {max}")),
            },
        }
    }

    fn flag(&self, name: &str) -> bool {
        self.0.iter().any(|a| a == name)
    }
}

fn main() -> ExitCode {
    let all: Vec<String> = std::env::args().skip(1).collect();
    let result = match all.first().map(String::as_str) {
        Some("run") => run(&Args(all[1..].to_vec())),
        Some("bench") => bench(&Args(all[1..].to_vec())),
        Some("compare") => compare(&Args(all[1..].to_vec())),
        Some("cells") => cells(&Args(all[1..].to_vec())),
        Some("table") => table(&Args(all[1..].to_vec())),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("evonas: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), String> {
    let config = Config::from_link(args.value("--link")?.unwrap_or(""))?;
    let generations = args.number("--generations", 100, 1_000_000)?;
    let backend = match args.value("--backend")? {
        Some(b) => b.to_string(),
        None => match config.backend {
            evonas::config::Backend::Cpu => "cpu".into(),
            evonas::config::Backend::Webgpu => "gpu".into(),
            evonas::config::Backend::Auto => "auto".into(),
        },
    };
    let mut run = Run::new(config)?;
    match backend.as_str() {
        "cpu" => {}
        "gpu" => run.use_gpu(Gpu::new()?),
        // Automatic choice: a hardware adapter only; a software one is slower than the CPU path.
        "auto" => {
            if let Ok(gpu) = Gpu::new().map_err(|e| eprintln!("evonas: {e}; training on the CPU")) {
                if gpu.software {
                    eprintln!("evonas: {} is a software adapter; training on the CPU", gpu.adapter);
                } else {
                    run.use_gpu(gpu);
                }
            }
        }
        other => return Err(format!("--backend: '{other}' is not one of cpu, gpu, auto")),
    }
    if args.value("--threads")?.is_some() {
        run.set_threads(args.number("--threads", 1, 1024)?);
    }
    let start = Instant::now();
    for _ in 0..generations {
        let summary = run.step();
        if let Some(notice) = run.notice() {
            eprintln!("evonas: {notice}");
        }
        let elapsed_ms = start.elapsed().as_secs_f64() * 1e3;
        if args.flag("--json") {
            let mut line = serde_json::to_value(&summary).map_err(|e| e.to_string())?;
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
    }
    if args.flag("--champion") {
        let link = run.champion_link();
        if args.flag("--json") {
            println!("{}", serde_json::json!({ "champion_link": link }));
        } else {
            println!("champion: {link}");
        }
    }
    Ok(())
}

/// Connection-sample-steps per second training the fixed population on `threads` threads:
/// the median of five repetitions, so one noisy moment does not decide the figure.
fn throughput(threads: usize, size: usize, steps: usize) -> f64 {
    let (programs, data) = bench::workload(size, 30);
    let settings = Settings { steps, lr: 0.01, clip: 1.0, optimizer: evonas::config::Optimizer::Adam };
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
fn bench_gpu(args: &Args) -> Result<(), String> {
    let gpu = Gpu::new()?;
    let steps = if args.flag("--quick") { 2 } else { 20 };
    let settings = Settings { steps, lr: 0.01, clip: 1.0, optimizer: evonas::config::Optimizer::Adam };
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
        if !args.flag("--json") {
            println!("P={size:5} points={points:5}: cpu {cpu:.3e}/s (1 thread), gpu {gpu_rate:.3e}/s ({:.1}x)", gpu_rate / cpu);
        }
    }
    if args.flag("--json") {
        println!("{}", serde_json::json!({"adapter": gpu.adapter, "software": gpu.software, "sizes": rows}));
    } else {
        println!("adapter: {}{}", gpu.adapter, if gpu.software { " (software)" } else { "" });
    }
    Ok(())
}

fn bench(args: &Args) -> Result<(), String> {
    match args.value("--backend")? {
        None | Some("cpu") => {}
        Some("gpu") => return bench_gpu(args),
        Some(other) => return Err(format!("--backend: '{other}' is not one of cpu, gpu")),
    }
    let quick = args.flag("--quick");
    let (size, steps) = if quick { (40, 20) } else { (100, 100) };
    let threads = train::available_threads();
    let one = throughput(1, size, steps);
    let all = throughput(threads, size, steps);
    let (seeds, max_generations) = if quick { (1, 5) } else { (5, 200) };
    let mut times = Vec::new();
    for seed in 1..=seeds {
        times.push(time_to_accuracy(seed, 0.9, max_generations)?);
    }
    let mut solved: Vec<f64> = times.iter().flatten().copied().collect();
    solved.sort_by(f64::total_cmp);
    // The median over all seeds counts unsolved ones as slowest, so it exists while most solve.
    let median = solved.get(seeds as usize / 2).copied();
    let report = serde_json::json!({
        "conn_sample_steps_per_s_1thread": one,
        "conn_sample_steps_per_s_all_threads": all,
        "threads": threads,
        "spiral_to_90_median_s": median,
        "spiral_to_90_s": times,
        "population": size,
        "steps": steps,
    });
    if args.flag("--json") {
        println!("{report}");
    } else {
        println!("trainer: {:.3e} conn-sample-steps/s on 1 thread, {:.3e} on {} threads", one, all, threads);
        println!("spiral (noise 0.5, 400 points) to 90% test accuracy: median {median:?} s, per seed {times:?}");
    }
    Ok(())
}

/// Strategies side by side on one experiment (see `evonas::compare`).
fn compare(args: &Args) -> Result<(), String> {
    let base = Config::from_link(args.value("--link")?.unwrap_or(""))?;
    let names = args.value("--strategies")?.unwrap_or("neat,aging,aging-worst,pareto");
    let contenders = names.split(',').map(|n| Contender::from_name(n.trim())).collect::<Result<Vec<_>, _>>()?;
    let seeds: Vec<u64> = (1..=args.number("--seeds", 5, 1000)? as u64).collect();
    let budget = args.number("--budget", 1000, 10_000_000)? as u64;
    let points = args.number("--points", 10, 1000)?;
    let curves = evonas::compare::compare(&base, &contenders, &seeds, budget, points)?;
    if args.flag("--json") {
        let out = serde_json::json!({ "link": base.to_link(), "seeds": seeds.len(), "budget": budget, "curves": curves });
        println!("{out}");
    } else if args.flag("--csv") {
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

/// Cell search strategies side by side on NAS-Bench-201 (see `evonas::strategy::cells`).
fn cells(args: &Args) -> Result<(), String> {
    let defaults = CellSearch::default();
    let names = args.value("--strategy")?.unwrap_or("aging,aging-worst,random,local");
    let strategies = names.split(',').map(|n| CellStrategy::from_name(n.trim())).collect::<Result<Vec<_>, _>>()?;
    let noise = match args.value("--noise")? {
        None => defaults.noise,
        Some(v) => v.parse::<f32>().map_err(|_| format!("--noise: '{v}' is not a number"))?,
    };
    let base = CellSearch {
        bench: Bench::from_name(args.value("--dataset")?.unwrap_or(defaults.bench.name()))?,
        evaluations: args.number("--evaluations", defaults.evaluations, evonas::strategy::cells::MAX_EVALUATIONS)?,
        population: args.number("--population", defaults.population, evonas::strategy::cells::MAX_POPULATION)?,
        sample: args.number("--sample", defaults.sample, evonas::strategy::cells::MAX_POPULATION)?,
        noise,
        ..defaults
    };
    base.validate()?;
    let seeds: Vec<u64> = (1..=args.number("--seeds", 20, 10_000)? as u64).collect();
    let points = args.number("--points", 10, 1000)?;
    let table = Table::from_csv(NASBENCH_CSV)?;
    let reports = evonas::cell_compare::compare(&table, &base, &strategies, &seeds, points)?;
    if args.flag("--json") {
        for r in &reports {
            println!("{}", serde_json::to_string(r).map_err(|e| e.to_string())?);
        }
    } else if args.flag("--csv") {
        println!("strategy,evaluated,mean_test_accuracy,low,high");
        for r in &reports {
            let c = &r.curve;
            for k in 0..c.evaluated.len() {
                println!("{},{},{},{},{}", r.strategy, c.evaluated[k], c.mean_test_accuracy[k], c.low[k], c.high[k]);
            }
        }
    } else {
        println!("{} seeds, {} evaluations on {} (best test accuracy {:.2}%):", seeds.len(), base.evaluations, base.bench.name(), table.oracle(base.bench).test_accuracy);
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
fn table(args: &Args) -> Result<(), String> {
    let path = args.value("--out")?.ok_or("table needs --out PATH")?;
    let bytes = Table::from_csv(NASBENCH_CSV)?.to_bytes();
    std::fs::write(path, &bytes).map_err(|e| format!("cannot write {path}: {e}"))?;
    println!("wrote {path} ({} bytes)", bytes.len());
    Ok(())
}
