//! The schema: every numeric link key's type, default, bounds and meaning, listed once.
//!
//! `numeric_keys!` hands the table to a macro that derives what it needs from it: the bounds
//! below, and the settings struct's fields and defaults (config.rs). So a key, its bounds and
//! its default are written here and nowhere else, and code that keeps a value within a key's
//! range (a genome's own learning rate) reads `BOUNDS.lr`, not a key string.

use serde::Serialize;

/// One numeric setting's key, bounds and meaning, for errors and for the page.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Bound {
    pub key: &'static str,
    pub min: f64,
    pub max: f64,
    pub integer: bool,
    pub doc: &'static str,
}

/// Calls the macro `$then` with the table of numeric keys, in link order:
/// `key: type = default, [min, max], "doc";`.
macro_rules! numeric_keys {
    ($then:ident) => {
        $then! {
            noise: f32 = 0.0, [0, 1], "label noise: how far points stray from their class's shape";
            points: usize = 400, [10, 4000], "number of points, training and test together";
            train: f32 = 0.5, [0.1, 0.9], "fraction of the points used for training";
            valid: f32 = 0.25, [0, 0.5], "fraction of the training points held out from backprop; selection scores on them";
            seed: u64 = 1, [0, 4_294_967_295u64], "seed of every random choice in the run";
            population: usize = 100, [2, 2000], "genomes per generation";
            steps: usize = 100, [1, 2000], "backprop steps per genome per generation";
            lr: f32 = 0.05, [0.0001, 1], "learning rate of the optimizer";
            penalty: f32 = 0.001, [0, 1], "size penalty: fitness = loss + penalty * connections (cost=added), or loss * (1 + penalty * sqrt(connections)) (cost=scaled)";
            clip: f32 = 1.0, [0.001, 100], "gradient clipping: the largest global gradient norm applied";
            decay: f32 = 0.0, [0, 1], "weight decay (AdamW): each step also takes lr * decay * weight off every weight";
            jitter: f32 = 0.5, [0, 2], "input noise: each backprop step moves every training point by up to this much in x and in y";
            add_node: f32 = 0.25, [0, 1], "chance a child gets a new node splitting a connection";
            add_conn: f32 = 0.4, [0, 1], "chance a child gets a new connection";
            toggle: f32 = 0.05, [0, 1], "chance a child has one connection enabled or disabled";
            perturb: f32 = 0.5, [0, 1], "chance a child's weights are perturbed";
            replace: f32 = 0.1, [0, 1], "per weight, chance a perturbation replaces it instead";
            act_change: f32 = 0.15, [0, 1], "chance a child has one hidden node's activation changed";
            crossover: f32 = 0.5, [0, 1], "chance a child has two parents rather than one";
            species: usize = 6, [1, 100], "number of species the compatibility threshold steers toward";
            stagnation: usize = 15, [1, 1000], "generations without improvement before a species is culled";
            survival: f32 = 0.3, [0.05, 1], "fraction of each species allowed to breed";
            elitism: usize = 1, [0, 10], "best genomes of each species copied unchanged";
            sample: usize = 10, [1, 2000], "aging evolution: models sampled per tournament (S)";
            batch: usize = 10, [1, 2000], "aging evolution: children trained per step";
            seeds: usize = 5, [1, 100], "comparison: seeds each strategy runs";
            budget: usize = 1000, [10, 100_000], "comparison: networks each run trains";
            hyper: f32 = 0.0, [0, 1], "chance a child's own learning rate and steps are nudged; 0: all train with lr and steps";
            eval_noise: f32 = 0.0, [0, 5], "cell search: std, in accuracy points, of noise on every validation accuracy a search sees";
        }
    };
}
pub(crate) use numeric_keys;

/// The number types a key can hold, and whether they are whole.
pub(crate) trait Numeric {
    const INTEGER: bool;
    fn from_f64(v: f64) -> Self;
}
impl Numeric for f32 {
    const INTEGER: bool = false;
    fn from_f64(v: f64) -> f32 {
        v as f32
    }
}
impl Numeric for usize {
    const INTEGER: bool = true;
    fn from_f64(v: f64) -> usize {
        v as usize
    }
}
impl Numeric for u64 {
    const INTEGER: bool = true;
    fn from_f64(v: f64) -> u64 {
        v as u64
    }
}

macro_rules! bounds_table {
    ($($key:ident : $ty:ty = $default:expr, [$min:expr, $max:expr], $doc:literal;)*) => {
        /// Bounds of every numeric setting, in link order.
        pub const NUMERIC: &[Bound] = &[$(BOUNDS.$key,)*];

        /// Each numeric key's bounds, by name.
        pub struct Bounds { $(pub $key: Bound,)* }

        pub const BOUNDS: Bounds = Bounds {
            $($key: Bound { key: stringify!($key), min: $min as f64, max: $max as f64, integer: <$ty as Numeric>::INTEGER, doc: $doc },)*
        };
    };
}
numeric_keys!(bounds_table);
