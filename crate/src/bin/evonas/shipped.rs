//! The data the scenes ship, compiled into the CLI (see data/README.md): NAS-Bench-201's
//! recorded accuracies and MNIST-1D as its authors' generator makes it by default.

use evonas::mnist1d::Mnist1d;
use evonas::scene::cells::nasbench::Table;
use evonas::scene::Shipped;

const NASBENCH_CSV: &str = include_str!("../../../../data/nasbench201_12epoch.csv");
const MNIST1D_CSV: &str = include_str!("../../../../data/mnist1d_default.csv");

pub fn table() -> Result<Table, String> {
    Table::from_csv(NASBENCH_CSV)
}

pub fn mnist1d() -> Result<Mnist1d, String> {
    Mnist1d::from_csv(MNIST1D_CSV)
}

/// Both, loaded when a scene asks.
pub const SHIPPED: Shipped<'static> = Shipped { table: &table, mnist1d: &mnist1d };
