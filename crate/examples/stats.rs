//! Trainer throughput on the bench population: `stats [reps] [identity]`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let reps: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(5);
    let (mut programs, data) = evonas::bench::workload(100, 30);
    if args.iter().any(|a| a == "identity") {
        for p in &mut programs { let n = p.nodes.len(); for node in &mut p.nodes[..n - 1] { node.activation = 7; } }
    }
    let settings = evonas::train::Settings { steps: 100, lr: 0.01, clip: 1.0, optimizer: evonas::config::Optimizer::Adam };
    let work = evonas::bench::work(&programs, &data, 100);
    let mut best = 0.0f64;
    for _ in 0..reps {
        let mut p = programs.clone();
        let t = std::time::Instant::now();
        evonas::train::train_all(&mut p, &data, &settings, 1);
        best = best.max(work as f64 / t.elapsed().as_secs_f64());
    }
    println!("{:.3e}", best);
}
