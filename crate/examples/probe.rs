use evonas::rng::{Purpose, Stream};
use evonas::scene::recurrent::{fitness, named::Named, task};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let t = task::Task::from_name(&args[1]).unwrap();
    let steps: usize = args[2].parse().unwrap();
    let lr: f32 = args[3].parse().unwrap();
    let length: usize = args.get(4).map_or(50, |s| s.parse().unwrap());
    for seed in 1..=3u64 {
        let data = task::generate(t, length, 32, 64, 512, &mut Stream::new(seed, Purpose::Recurrent, 0, 0));
        let budget = fitness::Budget { width: 16, steps, lr, clip: 1.0 };
        let start = std::time::Instant::now();
        let line: Vec<String> = Named::ALL
            .iter()
            .map(|n| {
                let o = fitness::train(&n.cell(), &data, &budget, &mut Stream::new(seed, Purpose::Recurrent, 0, 1));
                format!("{} {:.4} {:?}", n.name(), o.test_loss, o.test_accuracy)
            })
            .collect();
        println!("seed {seed} chance {:.3} {:?}: {} ({:.1}s)", data.chance_loss, data.chance_accuracy, line.join(" | "), start.elapsed().as_secs_f64());
    }
}
