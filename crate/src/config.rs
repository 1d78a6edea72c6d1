//! Experiment config: every setting, its default and bounds, and the link codec (`key=value&...`).
//!
//! Decoding is strict: an unknown or repeated key, a non-number, NaN or a value out of bounds is
//! an error naming the key and what it allows; nothing is half-applied.

use crate::activation::{self, Activation};
use crate::codec;
pub use crate::dataset::DatasetKind;
use crate::genome::Genome;
use crate::link::escape::decode_pair;
use crate::link::names::named_enum;
use crate::link::schema::{Numeric, NUMERIC};
use crate::link::{parse_enum, parse_flag, parse_number};
use serde::Serialize;

mod keys;
mod scene;

pub use keys::{schema, KeyDoc};

pub use scene::{CELL_EVALUATIONS, CELL_POPULATION, CELL_SAMPLE};

/// The link format this code writes. A link's `v` names the defaults its missing keys take:
/// v=1 links (selection on the training loss, the scaled size cost) still open as they did;
/// a link without `v` takes the current defaults; other versions are refused.
pub const LINK_VERSION: u32 = 2;
/// Every version this code reads.
pub const LINK_VERSIONS: &[u32] = &[1, 2];

named_enum!(
    pub enum Strategy {
        Neat = "neat",
        Aging = "aging",
        Pareto = "pareto",
    }
);
named_enum! {
    /// Aging evolution: which member leaves when a child joins, the oldest (regularized
    /// evolution) or the worst (the non-aging baseline).
    pub enum Removal { Oldest = "oldest", Worst = "worst" }
}
named_enum!(
    pub enum Backend {
        Auto = "auto",
        Cpu = "cpu",
        Webgpu = "webgpu",
    }
);
named_enum!(
    pub enum Optimizer {
        Adam = "adam",
        Rmsprop = "rmsprop",
    }
);
named_enum! {
    /// How size enters fitness: `scaled` multiplies the loss by (1 + penalty * sqrt(connections)),
    /// which stops acting once the loss nears zero; `added` adds penalty * connections, a price
    /// per connection in nats that holds whatever the loss (see fitness.rs).
    pub enum Cost { Scaled = "scaled", Added = "added" }
}
named_enum! {
    /// The views a page or an embed shows; the cell search's (scene=cells) are curves, cell
    /// and population.
    pub enum View {
        Boundary = "boundary", Network = "network", Charts = "charts", Gallery = "gallery", Pareto = "pareto", Compare = "compare",
        Curves = "curves", Cell = "cell", Population = "population",
    }
}
impl View {
    /// The NEAT scene's views, in the page's order.
    pub const NEAT: &'static [View] = &[View::Boundary, View::Network, View::Charts, View::Gallery, View::Pareto, View::Compare];
    /// The cell search's views, and what its embed shows when the link names none of them.
    pub const CELLS: &'static [View] = &[View::Curves, View::Cell, View::Population];
    pub const CELLS_SHOWN: &'static [View] = &[View::Curves, View::Cell];
}

named_enum! {
    /// A NAS-Bench-201 dataset (`imagenet16`: ImageNet16-120, 120 ImageNet classes downsampled
    /// to 16x16 pixels); its place in `ALL` is its column pair in the table (nasbench.rs).
    pub enum Bench: "dataset" { Cifar10 = "cifar10", Cifar100 = "cifar100", Imagenet16 = "imagenet16" }
}
named_enum!(
    pub enum Scene {
        Neat = "neat",
        Cells = "cells",
    }
);
named_enum! {
    /// What a NEAT comparison runs (`compare`): a strategy, with aging evolution's removal
    /// (`aging-worst` is the non-aging baseline, which retires the worst member).
    pub enum Contender: "strategy" { Neat = "neat", Aging = "aging", AgingWorst = "aging-worst", Pareto = "pareto" }
}
named_enum! {
    /// A cell search (`compare` under scene=cells): aging evolution (regularized, or the
    /// non-aging baseline that retires the worst cell), random sampling, or first-improvement
    /// local search with restarts (White et al. 2020). Its place in `ALL` names its random
    /// streams, so a new one goes at the end and old seeds still reproduce.
    pub enum CellStrategy: "strategy" { Aging = "aging", AgingWorst = "aging-worst", Random = "random", Local = "local" }
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

crate::link::schema::numeric_keys!(numeric_settings);

/// The default activation set: every hidden kind (identity is `add` under another name).
pub fn default_activations() -> Vec<Activation> {
    activation::ALL.iter().copied().filter(|&a| a != Activation::Identity).collect()
}

impl Config {
    /// What the points are drawn from.
    pub fn data_spec(&self) -> crate::dataset::Spec {
        crate::dataset::Spec {
            kind: self.dataset,
            points: self.points,
            noise: self.noise,
            train: self.train,
            valid: self.valid,
            seed: self.seed,
            custom: self.custom_points.clone(),
        }
    }

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
            "dataset" => self.dataset = parse_enum(key, value, DatasetKind::from_name).map_err(scene::dataset_hint)?,
            "strategy" => self.strategy = parse_enum(key, value, Strategy::from_name)?,
            "removal" => self.removal = parse_enum(key, value, Removal::from_name)?,
            "backend" => self.backend = parse_enum(key, value, Backend::from_name)?,
            "optimizer" => self.optimizer = parse_enum(key, value, Optimizer::from_name)?,
            "cost" => self.cost = parse_enum(key, value, Cost::from_name)?,
            "scene" => self.scene = parse_enum(key, value, Scene::from_name)?,
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
        let view = parse_enum("show", name.trim(), View::from_name)?;
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
    format!("unknown key '{key}' (known: {})", keys::key_names().join(", "))
}
