//! The modules scene's settings section (scene=modules): the data, the populations of
//! blueprints and modules, the target species count, and the training every network starts with.

use crate::link::names::named_enum;
use crate::link::page::{Page, View};
use crate::link::schema::{settings, KeyDoc};
use crate::link::{apply_shared, changed, parse_flag, unknown_key, Pairs, LINK_VERSION};

/// The scene's views, and what its embed shows when the link names none of them.
pub const VIEWS: &[View] = &[View::Assembled, View::Species, View::Accuracy, View::Front, View::Confusion, View::Digits];
pub const SHOWN: &[View] = &[View::Assembled, View::Accuracy];

named_enum!(
    /// What the networks learn: MNIST-1D, or a 2-D point set for quick demos.
    pub enum DataKind {
        Mnist1d = "mnist1d",
        Circle = "circle",
        Xor = "xor",
        Gauss = "gauss",
        Spiral = "spiral",
    }
);

settings! {
    /// CoDeepNEAT on MNIST-1D: module species and blueprints coevolve, networks assembled from
    /// them train in the tensor engine, accuracy and size both count (LEAF).
    pub struct ModulesConfig, ModulesBounds {
        /// The data (`dataset`).
        dataset: DataKind = DataKind::Mnist1d,
        /// MNIST-1D with its 40 positions shuffled by one permutation from the seed (`shuffled`).
        shuffled: bool = false,
        /// How the page shows it (`embed`, `autoplay`, `show`).
        #[serde(flatten)]
        page: Page = Page::default(),
    }
    numbers {
        blueprints: usize = 10, [2, 200], "Blueprints", "blueprints in the population; each assembles networks every generation";
        modules: usize = 30, [2, 400], "Modules", "modules in the population, split into species";
        species: usize = 4, [1, 40], "Module species", "how many module species the compatibility threshold aims for";
        networks: usize = 2, [1, 10], "Networks per blueprint", "networks each blueprint assembles per generation, each with modules drawn afresh from its species";
        epochs: usize = 12, [1, 200], "Epochs", "training epochs of the first blueprints (evolved within half to twice this) and of the baselines";
        lr: f32 = 0.01, [0.0001, 0.1], "Learning rate", "Adam's rate for the first blueprints (then evolved) and the baselines";
        batch: usize = 100, [25, 200], "Batch", "samples per step for the first blueprints (then evolved among 25, 50, 100, 200) and the baselines";
        validation: usize = 500, [50, 2000], "Validation samples", "MNIST-1D training samples held out for selection (the test set is only reported)";
        crossover: f32 = 0.2, [0, 1], "Crossover", "chance that a child blueprint or module is a crossover of two parents (then mutated)";
        elitism: f32 = 0.2, [0, 1], "Elitism", "share of each module species and of the blueprints kept unchanged into the next generation";
        points: usize = 200, [20, 2000], "Points", "points of a 2-D dataset (a quarter held out for validation, half for test)";
        noise: f32 = 0.1, [0, 1], "Noise", "noise of a 2-D dataset's points";
        seed: u64 = 1, [0, 4_294_967_295u64], "Seed", "seed of the validation split, the shuffled positions, every network's weights and every choice of the search";
    }
}

impl ModulesConfig {
    /// Parses a modules link (`scene=modules&...`).
    pub fn from_link(link: &str) -> Result<ModulesConfig, String> {
        ModulesConfig::from_pairs(&Pairs::of(link))
    }

    pub fn from_pairs(pairs: &Pairs) -> Result<ModulesConfig, String> {
        let mut config = ModulesConfig::default();
        let given = pairs.each(|key, value| config.apply(key, value))?;
        if !given.contains(&"scene") {
            return Err("scene: a modules link names scene=modules".into());
        }
        if config.shuffled && config.dataset != DataKind::Mnist1d {
            return Err(format!("shuffled: only MNIST-1D's positions can be shuffled, not {}'s (scene=modules)", config.dataset.name()));
        }
        Ok(config)
    }

    /// Sets one setting from its link text.
    pub fn apply(&mut self, key: &str, value: &str) -> Result<(), String> {
        if let Some(set) = apply_shared(&mut self.page, "modules", "the modules and blueprints'", key, value) {
            return set;
        }
        let scoped = |e: String| format!("{key}: {e} (scene=modules)");
        match key {
            "dataset" => self.dataset = DataKind::from_name(value).map_err(scoped)?,
            "shuffled" => self.shuffled = parse_flag(key, value).map_err(scoped)?,
            _ => self.apply_number(key, value).unwrap_or_else(|| Err(format!("{} (scene=modules)", unknown_key(key, &key_names()))))?,
        }
        Ok(())
    }

    /// The link that reproduces it: the version and the scene, then each setting that differs
    /// from the version's default.
    pub fn to_link(&self) -> String {
        let mut parts = vec![format!("v={LINK_VERSION}"), "scene=modules".to_string()];
        parts.extend(changed(self.pairs(), &ModulesConfig::default().pairs()));
        parts.join("&")
    }

    fn pairs(&self) -> Vec<String> {
        let mut parts = vec![format!("dataset={}", self.dataset.name()), format!("shuffled={}", u8::from(self.shuffled))];
        parts.extend(self.number_pairs());
        parts.extend(self.page.pairs());
        parts
    }
}

/// Every key a modules link may hold (but the version and the scene: the scene table's).
pub fn schema() -> Vec<KeyDoc> {
    let base = ModulesConfig::default();
    let mut keys = vec![
        KeyDoc::choice(
            "dataset",
            "modules",
            "enum",
            DataKind::NAMES,
            base.dataset.name(),
            "what the networks learn: MNIST-1D, or a 2-D point set for quick demos",
        )
        .called("Dataset")
        .labelled(&["MNIST-1D", "circle", "xor", "gaussians", "spiral"]),
        KeyDoc::choice(
            "shuffled",
            "modules",
            "flag",
            &[],
            "0",
            "MNIST-1D with its positions shuffled by one permutation from the seed (no locality left to exploit)",
        )
        .called("Shuffled positions"),
    ];
    keys.extend(Page::schema("modules", VIEWS, SHOWN));
    keys.extend(base.number_rows("modules"));
    keys
}

/// Every key a modules link may hold, in schema order.
pub fn key_names() -> Vec<&'static str> {
    crate::link::schema::key_names(&schema())
}
