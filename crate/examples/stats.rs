fn measure(programs: &[evonas::program::Program], data: &evonas::dataset::Dataset) -> f64 {
    let settings = evonas::train::Settings { steps: 100, lr: 0.01, clip: 1.0, optimizer: evonas::config::Optimizer::Adam };
    let work = evonas::bench::work(programs, data, 100);
    let mut best = 0.0f64;
    for _ in 0..5 {
        let mut p = programs.to_vec();
        let t = std::time::Instant::now();
        evonas::train::train_all(&mut p, data, &settings, 1);
        best = best.max(work as f64 / t.elapsed().as_secs_f64());
    }
    best
}
fn main() {
    let (programs, data) = evonas::bench::workload(100, 30);
    println!("mixed {:.3e}", measure(&programs, &data));
    for code in [0u32, 2, 4, 7, 8] {
        let mut p = programs.clone();
        for prog in &mut p { let n = prog.nodes.len(); for (i, node) in prog.nodes.iter_mut().enumerate() { if i + 1 < n { node.activation = code; } } }
        println!("all {:?} {:.3e}", evonas::activation::Activation::from_code(code).unwrap(), measure(&p, &data));
    }
}
