//! Backprop NEAT's settings section: every key a NEAT link holds, its default and bounds, read
//! from a link and written back (`key=value&...`).
//!
//! Decoding is strict: an unknown or repeated key, a non-number, NaN or a value out of bounds is
//! an error naming the key and what it allows; nothing is half-applied.

use crate::activation::{self, Activation};
use crate::codec;
pub use crate::dataset::DatasetKind;
use crate::genome::Genome;
use crate::hyper;
use crate::link::names::named_enum;
use crate::link::page::{Page, View};
use crate::link::schema::{settings, Bound};
use crate::link::{apply_shared, changed, parse_enum, parse_list, parse_number, unknown_key, Pairs, LINK_VERSION};
pub use crate::search::aging::Removal;
pub use crate::train::Optimizer;

pub use super::keys::{key_names, schema};

named_enum!(
    pub enum Strategy {
        Neat = "neat",
        Aging = "aging",
        Pareto = "pareto",
    }
);
named_enum!(
    pub enum Backend {
        Auto = "auto",
        Cpu = "cpu",
        Webgpu = "webgpu",
    }
);
named_enum! {
    /// How size enters fitness: `scaled` multiplies the loss by (1 + penalty * sqrt(connections)),
    /// which stops acting once the loss nears zero; `added` adds penalty * connections, a price
    /// per connection in nats that holds whatever the loss (see fitness.rs).
    pub enum Cost { Scaled = "scaled", Added = "added" }
}
named_enum! {
    /// What a NEAT comparison runs (`compare`): a strategy, with aging evolution's removal
    /// (`aging-worst` is the non-aging baseline, which retires the worst member).
    pub enum Contender: "strategy" { Neat = "neat", Aging = "aging", AgingWorst = "aging-worst", Pareto = "pareto" }
}

/// The NEAT scene's views, in the page's order.
pub const VIEWS: &[View] = &[View::Boundary, View::Network, View::Charts, View::Gallery, View::Pareto, View::Compare];

/// `eval_noise` is the cell search's key; NEAT links written before the scenes had settings
/// of their own carry it (at 0), so a NEAT link still reads it, within its bounds, and drops it.
const CELL_KEY_EVAL_NOISE: Bound = Bound { key: "eval_noise", label: "", min: 0.0, max: 5.0, integer: false, doc: "" };

settings! {
    /// A Backprop NEAT experiment. Construct with `Config::default()` or `Config::from_link`.
    pub struct Config, Bounds {
        dataset: DatasetKind = DatasetKind::Circle,
        activations: Vec<Activation> = default_activations(),
        strategy: Strategy = Strategy::Neat,
        /// Aging evolution: who leaves the queue when a child joins (`removal`).
        removal: Removal = Removal::Oldest,
        backend: Backend = Backend::Auto,
        optimizer: Optimizer = Optimizer::Adam,
        /// How size enters fitness (`cost`).
        cost: Cost = Cost::Added,
        /// Strategies the page compares (`compare`, e.g. `neat,aging`); empty for none.
        compare: Vec<Contender> = Vec::new(),
        /// How the page shows it (`embed`, `autoplay`, `show`).
        #[serde(flatten)]
        page: Page = Page::default(),
        /// Points drawn by hand or imported, `(x, y, label byte)` (`dataset::Split::byte`: the
        /// class, and a split when a file marked one); used when `dataset` is `custom` (`drawn`).
        #[serde(skip)]
        custom_points: Vec<(f32, f32, u8)> = Vec::new(),
        /// A champion carried by the link (`genome`), shown as it is when the link opens.
        #[serde(skip)]
        genome: Option<Genome> = None,
    }
    numbers {
        noise: f32 = 0.0, [0, 1], "Noise", "label noise: how far points stray from their class's shape";
        points: usize = 400, [10, 4000], "Points", "number of points, training and test together";
        train: f32 = 0.5, [0.1, 0.9], "Training share", "fraction of the points used for training";
        valid: f32 = 0.25, [0, 0.5], "Validation share", "share of the training points held out from backprop: selection scores networks on them, so memorising the training points gains nothing";
        seed: u64 = 1, [0, 4_294_967_295u64], "Seed", "seed of every random choice in the run";
        population: usize = 100, [2, 2000], "Population", "genomes per generation";
        steps: usize = 100, [hyper::STEPS.0, hyper::STEPS.1], "Backprop steps", "backprop steps per genome per generation";
        lr: f32 = 0.05, [hyper::LR.0, hyper::LR.1], "Learning rate", "learning rate of the optimizer";
        penalty: f32 = 0.001, [0, 1], "Size penalty", "size penalty: fitness = loss + penalty * connections (cost=added), or loss * (1 + penalty * sqrt(connections)) (cost=scaled)";
        clip: f32 = 1.0, [0.001, 100], "Gradient clip", "gradient clipping: the largest global gradient norm applied";
        decay: f32 = 0.0, [0, 1], "Weight decay", "weight decay (AdamW): each step also takes lr * decay * weight off every weight";
        jitter: f32 = 0.5, [0, 2], "Input noise", "input noise: each backprop step moves every training point by up to this much in x and in y, so a network cannot fit the points' exact places: a smoother boundary that holds between them (0: the points as they are)";
        add_node: f32 = 0.25, [0, 1], "Add-node rate", "chance a child gets a new node splitting a connection";
        add_conn: f32 = 0.4, [0, 1], "Add-connection rate", "chance a child gets a new connection";
        toggle: f32 = 0.05, [0, 1], "Toggle rate", "chance a child has one connection enabled or disabled";
        perturb: f32 = 0.5, [0, 1], "Perturb rate", "chance a child's weights are perturbed";
        replace: f32 = 0.1, [0, 1], "Replace rate", "per weight, chance a perturbation replaces it instead";
        act_change: f32 = 0.15, [0, 1], "Activation-change rate", "chance a child has one hidden node's activation changed";
        crossover: f32 = 0.5, [0, 1], "Crossover rate", "chance a child has two parents rather than one";
        species: usize = 6, [1, 100], "Target species", "number of species the compatibility threshold steers toward";
        stagnation: usize = 15, [1, 1000], "Stagnation limit", "generations without improvement before a species is culled";
        survival: f32 = 0.3, [0.05, 1], "Survival share", "fraction of each species allowed to breed";
        elitism: usize = 1, [0, 10], "Elitism", "best genomes of each species copied unchanged";
        sample: usize = 10, [1, 2000], "Sample", "aging evolution: members drawn at random per tournament (S); the best of them is the parent";
        batch: usize = 10, [1, 2000], "Batch", "aging evolution: children trained per step (a generation)";
        seeds: usize = 5, [1, 100], "Seeds", "comparison: seeds each strategy runs";
        budget: usize = 1000, [10, 100_000], "Networks per run", "comparison: networks each run trains";
        hyper: f32 = 0.0, [0, 1], "Evolve lr & steps", "chance a child's own learning rate and step count are nudged (x0.74 to x1.35 typically); 0: every network trains with lr and steps";
    }
}

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

    /// Parses a NEAT link (`#key=value&...`, the leading `#` or `?` optional). Keys not named
    /// keep their defaults; any problem is an error and no config at all.
    pub fn from_link(link: &str) -> Result<Config, String> {
        Config::from_pairs(&Pairs::of(link))
    }

    /// The config a link's pairs describe: the version first (it says which defaults missing
    /// keys take), then every pair in link order, so the error named is the first problem.
    pub fn from_pairs(pairs: &Pairs) -> Result<Config, String> {
        let mut config = match pairs.first("v") {
            Some(value) => Config::of_version(crate::link::version(value)?),
            None => Config::default(),
        };
        pairs.each(|key, value| config.apply(key, value))?;
        Ok(config)
    }

    /// Sets one setting from its link text.
    pub fn apply(&mut self, key: &str, value: &str) -> Result<(), String> {
        if let Some(set) = apply_shared(&mut self.page, "neat", "Backprop NEAT's", key, value) {
            return set;
        }
        match key {
            "dataset" => self.dataset = parse_enum(key, value, DatasetKind::from_name)?,
            "strategy" => self.strategy = parse_enum(key, value, Strategy::from_name)?,
            "removal" => self.removal = parse_enum(key, value, Removal::from_name)?,
            "backend" => self.backend = parse_enum(key, value, Backend::from_name)?,
            "optimizer" => self.optimizer = parse_enum(key, value, Optimizer::from_name)?,
            "cost" => self.cost = parse_enum(key, value, Cost::from_name)?,
            "activations" => self.activations = activation::parse_list(value).map_err(|e| format!("activations: {e}"))?,
            "compare" => self.compare = parse_list(key, value, Contender::from_name, |c| c.name())?,
            "drawn" => self.custom_points = codec::decode_points(value).map_err(|e| format!("drawn: {e}"))?,
            "genome" => self.genome = Some(codec::decode_genome(value).map_err(|e| format!("genome: {e}"))?),
            "eval_noise" => drop(parse_number(&CELL_KEY_EVAL_NOISE, value)?),
            _ => self.apply_number(key, value).unwrap_or_else(|| Err(unknown_key(key, &key_names())))?,
        }
        Ok(())
    }

    /// The link that reproduces this experiment: the version, then each setting that differs
    /// from the version's default (the version says which defaults the rest take), so a link
    /// fits a slide or a QR code.
    pub fn to_link(&self) -> String {
        let mut parts = vec![format!("v={LINK_VERSION}")];
        parts.extend(changed(self.pairs(), &Config::default().pairs()));
        parts.join("&")
    }

    /// Every setting as a link pair, in link order.
    fn pairs(&self) -> Vec<String> {
        let names: Vec<&str> = self.activations.iter().map(|a| a.name()).collect();
        let mut parts = vec![
            format!("dataset={}", self.dataset.name()),
            format!("strategy={}", self.strategy.name()),
            format!("removal={}", self.removal.name()),
            format!("optimizer={}", self.optimizer.name()),
            format!("cost={}", self.cost.name()),
            format!("activations={}", names.join(",")),
        ];
        parts.extend(self.number_pairs());
        if self.backend != Backend::Auto {
            parts.push(format!("backend={}", self.backend.name()));
        }
        // Drawn points stay in the link whatever the dataset, so switching back to custom finds them.
        if !self.custom_points.is_empty() {
            parts.push(format!("drawn={}", codec::encode_points(&self.custom_points)));
        }
        if !self.compare.is_empty() {
            let names: Vec<&str> = self.compare.iter().map(|c| c.name()).collect();
            parts.push(format!("compare={}", names.join(",")));
        }
        parts.extend(self.page.pairs());
        if let Some(genome) = &self.genome {
            parts.push(format!("genome={}", codec::encode_genome(genome)));
        }
        parts
    }

    /// The numeric keys' schema rows, for `keys::schema`.
    pub(super) fn numeric_rows(&self) -> Vec<crate::link::schema::KeyDoc> {
        self.number_rows("neat")
    }

    /// The defaults of link version `v`.
    fn of_version(version: u32) -> Config {
        match version {
            // Version 1 selected on the training loss with the scaled size cost, and trained
            // 50 genomes a generation on the points as they are.
            1 => Config { valid: 0.0, cost: Cost::Scaled, penalty: 0.03, jitter: 0.0, population: 50, ..Config::default() },
            _ => Config::default(),
        }
    }
}
