use evonas::config::{Config, Optimizer};
use evonas::dataset;
use evonas::program::compile;
use evonas::train::{self, gpu::Gpu, Settings};
fn main() {
    let gpu = Gpu::new().unwrap();
    let config = Config::from_link("dataset=spiral&noise=0.3&points=300&seed=4").unwrap();
    let data = dataset::generate(&config).unwrap();
    let genomes = evonas::bench::population(40, std::env::args().nth(1).unwrap().parse().unwrap());
    for steps in [1usize, 2, 5, 10, 20] {
        let settings = Settings { steps, lr: 0.02, clip: 1.0, optimizer: Optimizer::Adam };
        let mut a: Vec<_> = genomes.iter().map(compile).collect();
        let mut b = a.clone();
        let ca = train::train_all(&mut a, &data, &settings, 1);
        let cb = gpu.train(&mut b, &data, &settings).unwrap();
        let mut worst = (0.0f32, 0);
        for i in 0..ca.len() {
            let d = (ca[i].loss - cb[i].loss).abs() / (1.0 + ca[i].loss.abs());
            if d > worst.0 { worst = (d, i); }
        }
        let i = worst.1;
        println!("steps {steps}: worst genome {i} rel diff {:.2e} cpu {} gpu {} slots {} edges {} mults {}", worst.0, ca[i].loss, cb[i].loss, a[i].slots, a[i].edges.len(), a[i].nodes.iter().filter(|n| n.activation == 8).count());
    }
}
