//! Experiment config: every setting, its default and bounds, and the link codec (`key=value&...`).
//!
//! Decoding is strict: an unknown or repeated key, a non-number, NaN or a value out of bounds is
//! an error naming the key and what it allows; nothing is half-applied.

use crate::activation::{self, Activation};
use crate::codec;
use crate::genome::Genome;
use crate::nasbench::Bench;
use serde::Serialize;

mod escape;
mod scene;

use escape::decode_pair;

/// The link format this code writes. A link's `v` names the defaults its missing keys take:
/// v=1 links (selection on the training loss, the scaled size cost) still open as they did;
/// a link without `v` takes the current defaults; other versions are refused.
pub const LINK_VERSION: u32 = 2;
/// Every version this code reads.
pub const LINK_VERSIONS: &[u32] = &[1, 2];

macro_rules! enum_setting {
    ($name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $name { $($variant),* }
        impl $name {
            pub const NAMES: &'static [&'static str] = &[$($text),*];
            pub fn name(self) -> &'static str { match self { $($name::$variant => $text),* } }
            pub fn from_name(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)* _ => None }
            }
        }
    };
}

enum_setting!(DatasetKind { Circle = "circle", Xor = "xor", Gauss = "gauss", Spiral = "spiral", Custom = "custom" });
enum_setting!(Strategy { Neat = "neat", Aging = "aging", Pareto = "pareto" });
// Aging evolution: which member leaves when a child joins, the oldest (regularized evolution)
// or the worst (the non-aging baseline).
enum_setting!(Removal { Oldest = "oldest", Worst = "worst" });
enum_setting!(Backend { Auto = "auto", Cpu = "cpu", Webgpu = "webgpu" });
enum_setting!(Optimizer { Adam = "adam", Rmsprop = "rmsprop" });
// How size enters fitness: `scaled` multiplies the loss by (1 + penalty * sqrt(connections)),
// which stops acting once the loss nears zero; `added` adds penalty * connections, a price per
// connection in nats that holds whatever the loss (see fitness.rs).
enum_setting!(Cost { Scaled = "scaled", Added = "added" });
// The cell search's views (scene=cells) are curves, cell and population.
enum_setting!(View {
    Boundary = "boundary", Network = "network", Charts = "charts", Gallery = "gallery", Pareto = "pareto", Compare = "compare",
    Curves = "curves", Cell = "cell", Population = "population",
});
enum_setting!(Scene { Neat = "neat", Cells = "cells" });

/// One numeric setting's key, bounds and meaning, for errors and for the UI.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Bound {
    pub key: &'static str,
    pub min: f64,
    pub max: f64,
    pub integer: bool,
    pub doc: &'static str,
}

macro_rules! numeric_settings {
    ($($key:ident : $ty:ty = $default:expr, [$min:expr, $max:expr], $doc:literal;)*) => {
        /// A whole experiment. Construct with `Config::default()` or `Config::from_link`.
        #[derive(Clone, Debug, PartialEq, Serialize)]
        pub struct Config {
            pub dataset: DatasetKind,
            pub activations: Vec<Activation>,
            pub strategy: Strategy,
            /// Aging evolution: who leaves the queue when a child joins (`removal`).
            pub removal: Removal,
            pub backend: Backend,
            pub optimizer: Optimizer,
            /// How size enters fitness (`cost`).
            pub cost: Cost,
            pub scene: Scene,
            /// The cell search's dataset: what `dataset` names under `scene=cells`.
            pub bench: Bench,
            pub embed: bool,
            pub autoplay: bool,
            /// Strategies the page compares (`compare`, e.g. `neat,aging`); empty for none.
            pub compare: Vec<String>,
            /// The views an embed shows (`show`), in the page's order.
            pub show: Vec<View>,
            /// Points drawn by hand, `(x, y, label)`; used when `dataset` is `custom` (`drawn`).
            #[serde(skip)]
            pub custom_points: Vec<(f32, f32, u8)>,
            /// A champion carried by the link (`genome`), shown as it is when the link opens.
            #[serde(skip)]
            pub genome: Option<Genome>,
            $(#[doc = $doc] pub $key: $ty,)*
        }

        /// Bounds of every numeric setting, in link order.
        pub const NUMERIC: &[Bound] = &[$(Bound {
            key: stringify!($key), min: $min as f64, max: $max as f64,
            integer: <$ty as Numeric>::INTEGER, doc: $doc,
        },)*];

        impl Default for Config {
            fn default() -> Self {
                Config {
                    dataset: DatasetKind::Circle,
                    activations: default_activations(),
                    strategy: Strategy::Neat,
                    removal: Removal::Oldest,
                    backend: Backend::Auto,
                    optimizer: Optimizer::Adam,
                    cost: Cost::Added,
                    scene: Scene::Neat,
                    bench: Bench::Cifar10,
                    embed: false,
                    autoplay: false,
                    compare: Vec::new(),
                    // An embed shows the four classic views unless `show` asks for the Pareto view.
                    show: vec![View::Boundary, View::Network, View::Charts, View::Gallery],
                    custom_points: Vec::new(),
                    genome: None,
                    $($key: $default,)*
                }
            }
        }

        impl Config {
            fn set_number(&mut self, key: &str, value: f64) -> bool {
                match key { $(stringify!($key) => { self.$key = <$ty as Numeric>::from_f64(value); true })* _ => false }
            }
            /// The setting as the link writes it: the shortest text that reads back exactly.
            fn number_text(&self, key: &str) -> Option<String> {
                match key { $(stringify!($key) => Some(self.$key.to_string()),)* _ => None }
            }
        }
    };
}

trait Numeric {
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

numeric_settings! {
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

/// The default activation set: every hidden kind (identity is `add` under another name).
pub fn default_activations() -> Vec<Activation> {
    activation::ALL.iter().copied().filter(|&a| a != Activation::Identity).collect()
}

/// Reads an enum-valued setting, naming the key and the allowed values on error.
fn parse_enum<T>(key: &str, value: &str, names: &[&str], parse: fn(&str) -> Option<T>) -> Result<T, String> {
    parse(value).ok_or_else(|| format!("{key}: '{value}' is not one of {}", names.join(", ")))
}

fn parse_flag(key: &str, value: &str) -> Result<bool, String> {
    match value {
        "1" | "true" => Ok(true),
        "0" | "false" => Ok(false),
        _ => Err(format!("{key}: '{value}' is not 0 or 1")),
    }
}

fn parse_number(bound: &Bound, value: &str) -> Result<f64, String> {
    let range = format!("allowed {} to {}", bound.min, bound.max);
    let v: f64 = value
        .parse()
        .map_err(|_| format!("{}: '{}' is not a number ({})", bound.key, value, range))?;
    if !v.is_finite() {
        return Err(format!("{}: '{}' is not a finite number ({})", bound.key, value, range));
    }
    if v < bound.min || v > bound.max {
        return Err(format!("{}: {} is out of range ({})", bound.key, value, range));
    }
    if bound.integer && v.fract() != 0.0 {
        return Err(format!("{}: {} is not a whole number ({})", bound.key, value, range));
    }
    Ok(v)
}

impl Config {
    /// Parses a link (`#key=value&...`, the leading `#` or `?` optional). Keys not named keep
    /// their defaults; any problem is an error and no config at all.
    pub fn from_link(link: &str) -> Result<Config, String> {
        let body = link.trim().trim_start_matches(['#', '?']);
        let pairs: Vec<Result<(String, String), String>> = body.split('&').filter(|p| !p.is_empty()).map(decode_pair).collect();
        let read_first = |name: &str| pairs.iter().find_map(|p| p.as_ref().ok().filter(|(k, _)| k == name));
        // The version first (it says which defaults missing keys take), then the scene (it
        // says what `dataset` and `compare` name). Then every pair in link order, so the error
        // named is the first problem in the link.
        let mut config = match read_first("v") {
            Some((_, value)) => Config::of_version(value)?,
            None => Config::default(),
        };
        if let Some((key, value)) = read_first("scene") {
            config.apply(key, value)?;
        }
        let mut given: Vec<&str> = Vec::new();
        for pair in &pairs {
            let (key, value) = pair.as_ref().map_err(String::clone)?;
            if given.contains(&key.as_str()) {
                return Err(format!("{key}: given more than once"));
            }
            if key != "scene" {
                config.apply(key, value)?;
            }
            given.push(key);
        }
        config.check_scene(&given)?;
        Ok(config)
    }

    /// Sets one setting from its link text.
    pub fn apply(&mut self, key: &str, value: &str) -> Result<(), String> {
        match key {
            "v" => {
                Config::of_version(value)?;
            }
            "dataset" if self.scene == Scene::Cells => self.bench = Bench::from_name(value).map_err(|e| format!("dataset: {e} (scene=cells)"))?,
            "dataset" => self.dataset = parse_enum(key, value, DatasetKind::NAMES, DatasetKind::from_name).map_err(scene::dataset_hint)?,
            "strategy" => self.strategy = parse_enum(key, value, Strategy::NAMES, Strategy::from_name)?,
            "removal" => self.removal = parse_enum(key, value, Removal::NAMES, Removal::from_name)?,
            "backend" => self.backend = parse_enum(key, value, Backend::NAMES, Backend::from_name)?,
            "optimizer" => self.optimizer = parse_enum(key, value, Optimizer::NAMES, Optimizer::from_name)?,
            "cost" => self.cost = parse_enum(key, value, Cost::NAMES, Cost::from_name)?,
            "scene" => self.scene = parse_enum(key, value, Scene::NAMES, Scene::from_name)?,
            "embed" => self.embed = parse_flag(key, value)?,
            "autoplay" => self.autoplay = parse_flag(key, value)?,
            "activations" => self.activations = activation::parse_list(value).map_err(|e| format!("activations: {e}"))?,
            "show" => self.show = parse_views(value)?,
            "compare" => self.compare = parse_names(value)?,
            "drawn" => self.custom_points = codec::decode_points(value).map_err(|e| format!("drawn: {e}"))?,
            "genome" => self.genome = Some(codec::decode_genome(value).map_err(|e| format!("genome: {e}"))?),
            _ => {
                let bound = NUMERIC.iter().find(|b| b.key == key).ok_or_else(|| unknown_key(key))?;
                let v = parse_number(bound, value)?;
                self.set_number(key, v);
            }
        }
        Ok(())
    }

    /// The link that reproduces this experiment: the version, then every setting (for the
    /// cell search, every setting it reads).
    pub fn to_link(&self) -> String {
        if self.scene == Scene::Cells {
            return self.cells_link();
        }
        let names: Vec<&str> = self.activations.iter().map(|a| a.name()).collect();
        let mut parts = vec![
            format!("v={LINK_VERSION}"),
            format!("dataset={}", self.dataset.name()),
            format!("strategy={}", self.strategy.name()),
            format!("removal={}", self.removal.name()),
            format!("optimizer={}", self.optimizer.name()),
            format!("cost={}", self.cost.name()),
            format!("activations={}", names.join(",")),
        ];
        for b in NUMERIC {
            parts.push(format!("{}={}", b.key, self.number_text(b.key).unwrap_or_default()));
        }
        if self.backend != Backend::Auto {
            parts.push(format!("backend={}", self.backend.name()));
        }
        // Drawn points stay in the link whatever the dataset, so switching back to custom finds them.
        if !self.custom_points.is_empty() {
            parts.push(format!("drawn={}", codec::encode_points(&self.custom_points)));
        }
        if !self.compare.is_empty() {
            parts.push(format!("compare={}", self.compare.join(",")));
        }
        parts.extend(self.view_settings());
        if let Some(genome) = &self.genome {
            parts.push(format!("genome={}", codec::encode_genome(genome)));
        }
        parts.join("&")
    }

    /// How the page presents the experiment, as link pairs: only what differs from a plain page.
    fn view_settings(&self) -> Vec<String> {
        let mut parts = Vec::new();
        if self.embed {
            parts.push("embed=1".to_string());
        }
        if self.autoplay {
            parts.push("autoplay=1".to_string());
        }
        if self.show != Config::default().show {
            let names: Vec<&str> = self.show.iter().map(|v| v.name()).collect();
            parts.push(format!("show={}", names.join(",")));
        }
        parts
    }

    /// The defaults of link version `v` (text as the link gives it).
    fn of_version(value: &str) -> Result<Config, String> {
        let supported = || {
            let list: Vec<String> = LINK_VERSIONS.iter().map(|v| format!("v={v}")).collect();
            format!("v: link version '{value}' is not supported (this page reads {})", list.join(" or "))
        };
        match value.parse::<u32>().map_err(|_| supported())? {
            // Version 1 selected on the training loss with the scaled size cost, and trained
            // 50 genomes a generation on the points as they are.
            1 => Ok(Config { valid: 0.0, cost: Cost::Scaled, penalty: 0.03, jitter: 0.0, population: 50, ..Config::default() }),
            LINK_VERSION => Ok(Config::default()),
            _ => Err(supported()),
        }
    }
}

/// A comma list of strategies to compare, none twice (which names exist depends on the scene:
/// `check_scene` checks them once the scene is known).
fn parse_names(value: &str) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = Vec::new();
    for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if names.iter().any(|n| n == name) {
            return Err(format!("compare: '{name}' is named twice"));
        }
        names.push(name.to_string());
    }
    Ok(names)
}

/// A comma list of views: known names, none twice, at least one.
fn parse_views(value: &str) -> Result<Vec<View>, String> {
    let mut views = Vec::new();
    for name in value.split(',') {
        let view = parse_enum("show", name.trim(), View::NAMES, View::from_name)?;
        if views.contains(&view) {
            return Err(format!("show: '{}' is named twice", view.name()));
        }
        views.push(view);
    }
    if views.is_empty() {
        return Err("show: name at least one view".into());
    }
    Ok(views)
}

fn unknown_key(key: &str) -> String {
    let mut known = vec![
        "v", "dataset", "strategy", "removal", "backend", "optimizer", "cost", "scene", "embed", "autoplay", "activations", "show", "compare", "drawn", "genome",
    ];
    known.extend(NUMERIC.iter().map(|b| b.key));
    format!("unknown key '{key}' (known: {})", known.join(", "))
}
