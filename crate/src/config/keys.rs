//! The schema of every link key: its scene, kind, default, bounds or names, and meaning.
//!
//! The page builds its controls' bounds, help text and choices from this (wasm `schema()`),
//! and the codec names the known keys from it, so no key, bound or enum is listed twice.

use super::{Backend, Bench, CellStrategy, Config, Contender, Cost, DatasetKind, Optimizer, Removal, Scene, Strategy, View, LINK_VERSIONS};
use crate::activation::Activation;
use crate::link::schema::NUMERIC;
use serde::Serialize;

/// One link key as the page and its users see it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeyDoc {
    pub key: &'static str,
    /// The scene that reads it: `neat`, `cells` or `all`. `dataset` and `compare` name
    /// different things in each scene, so each has one row per scene.
    pub scene: &'static str,
    /// `number`, `integer`, `enum` (one of `names`), `list` (a comma list of `names`), `flag`
    /// (0 or 1) or `text` (an encoded genome or points).
    pub kind: &'static str,
    /// The value a link without the key takes (as a link writes it; empty for none).
    pub default: String,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub names: Vec<&'static str>,
    /// How the page labels each name, in the same order (empty: the names are their own labels).
    pub labels: Vec<&'static str>,
    pub doc: &'static str,
}

/// The page's labels for the enums it offers in a menu, in their names' order.
const LABELS: &[(&str, &str, &[&str])] = &[
    ("dataset", "cells", &["CIFAR-10", "CIFAR-100", "ImageNet16-120"]),
    ("strategy", "neat", &["NEAT", "Aging evolution", "Pareto (accuracy vs size)"]),
    ("removal", "neat", &["oldest (regularized)", "worst (non-aging)"]),
    ("backend", "neat", &["auto (GPU if a hardware one)", "CPU (wasm)", "WebGPU"]),
];

fn choice(key: &'static str, scene: &'static str, kind: &'static str, names: &[&'static str], default: &str, doc: &'static str) -> KeyDoc {
    KeyDoc { key, scene, kind, default: default.to_string(), min: None, max: None, names: names.to_vec(), labels: Vec::new(), doc }
}

/// Every key a link may hold, the non-numeric ones first, then the numeric ones in link order.
pub fn schema() -> Vec<KeyDoc> {
    let base = Config::default();
    let versions: Vec<String> = LINK_VERSIONS.iter().map(u32::to_string).collect();
    let activations: Vec<&str> = base.activations.iter().map(|a| a.name()).collect();
    let shown: Vec<&str> = base.show.iter().map(|v| v.name()).collect();
    let mut keys = vec![
        KeyDoc {
            min: LINK_VERSIONS.first().map(|&v| v as f64),
            max: LINK_VERSIONS.last().map(|&v| v as f64),
            ..choice("v", "all", "integer", &[], &versions[versions.len() - 1], "link version: which defaults the keys a link leaves out take")
        },
        choice("dataset", "neat", "enum", DatasetKind::NAMES, base.dataset.name(), "the 2-D points: a shape, or custom (the points drawn by hand, in drawn)"),
        choice("dataset", "cells", "enum", Bench::NAMES, Bench::Cifar10.name(), "whose recorded NAS-Bench-201 accuracies the searches look up"),
        choice(
            "strategy",
            "neat",
            "enum",
            Strategy::NAMES,
            base.strategy.name(),
            "how a trained population becomes the next: NEAT, aging evolution or Pareto (NSGA-II)",
        ),
        choice("removal", "neat", "enum", Removal::NAMES, base.removal.name(), "aging evolution: who leaves the queue when a child joins"),
        choice(
            "backend",
            "neat",
            "enum",
            Backend::NAMES,
            base.backend.name(),
            "where networks train: WebGPU when a hardware adapter is there (auto), or always the CPU",
        ),
        choice("optimizer", "neat", "enum", Optimizer::NAMES, base.optimizer.name(), "the gradient optimizer of backprop"),
        choice(
            "cost",
            "neat",
            "enum",
            Cost::NAMES,
            base.cost.name(),
            "how size enters fitness: a price per connection added to the loss, or the loss scaled (version 1)",
        ),
        choice("scene", "all", "enum", Scene::NAMES, base.scene.name(), "which scene the link opens: Backprop NEAT, or cell search on NAS-Bench-201"),
        choice("activations", "neat", "list", Activation::NAMES, &activations.join(","), "the activations a new hidden node may take"),
        choice("compare", "neat", "list", Contender::NAMES, "", "strategies the comparison panel runs over seeds"),
        choice("compare", "cells", "list", CellStrategy::NAMES, &CellStrategy::NAMES.join(","), "the cell searches to run and compare"),
        choice("show", "neat", "list", &names_of(View::NEAT), &shown.join(","), "the views an embed shows, in the page's order"),
        choice(
            "show",
            "cells",
            "list",
            &names_of(View::CELLS),
            &names_of(View::CELLS_SHOWN).join(","),
            "the views an embed of the cell search shows, in the page's order",
        ),
        choice("embed", "all", "flag", &[], "0", "show only the views, filling the frame (for slides)"),
        choice("autoplay", "all", "flag", &[], "0", "start playing (or run the comparison) when the link opens"),
        choice("drawn", "neat", "text", &[], "", "points drawn by hand, encoded; used when dataset is custom"),
        choice("genome", "neat", "text", &[], "", "a champion network carried by the link, encoded; shown as it is when the link opens"),
    ];
    for (key, scene, labels) in LABELS {
        if let Some(doc) = keys.iter_mut().find(|k| k.key == *key && k.scene == *scene) {
            doc.labels = labels.to_vec();
        }
    }
    // Numeric keys are read and written in both scenes (a NEAT link writes the cell search's
    // too); their docs say which scene uses them.
    keys.extend(NUMERIC.iter().map(|b| KeyDoc {
        key: b.key,
        scene: "all",
        kind: if b.integer { "integer" } else { "number" },
        default: base.number_text(b.key).unwrap_or_default(),
        min: Some(b.min),
        max: Some(b.max),
        names: Vec::new(),
        labels: Vec::new(),
        doc: b.doc,
    }));
    keys
}

fn names_of(views: &[View]) -> Vec<&'static str> {
    views.iter().map(|v| v.name()).collect()
}

/// Every key's name, once, in schema order.
pub fn key_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for key in schema() {
        if !names.contains(&key.key) {
            names.push(key.key);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_the_codec_writes_is_in_the_schema_with_its_default() {
        let keys = schema();
        let neat = Config::default().to_link();
        let cells = Config::from_link("scene=cells").unwrap().to_link();
        for (link, scene) in [(neat, "neat"), (cells, "cells")] {
            for pair in link.split('&') {
                let (key, value) = pair.split_once('=').unwrap();
                let doc = keys.iter().find(|k| k.key == key && (k.scene == scene || k.scene == "all"));
                let doc = doc.unwrap_or_else(|| panic!("{key} ({scene}) is not in the schema"));
                // The cell search's own defaults for population, sample, budget and seeds differ
                // (and its link names its scene).
                if scene == "neat" || !["scene", "population", "sample", "budget", "seeds"].contains(&key) {
                    assert_eq!(doc.default, value, "{key} ({scene})");
                }
            }
        }
    }

    #[test]
    fn every_schema_key_is_accepted_at_its_default_and_its_bounds() {
        for key in schema() {
            let scene = if key.scene == "cells" { "scene=cells&" } else { "" };
            let mut values = vec![key.default.clone()];
            values.extend(key.min.iter().chain(&key.max).map(f64::to_string));
            values.extend(key.names.iter().map(|n| n.to_string()));
            for value in values.into_iter().filter(|v| !v.is_empty()) {
                let link = format!("{scene}{}={value}", key.key);
                Config::from_link(&link).unwrap_or_else(|e| panic!("{link}: {e}"));
            }
            assert!(!key.doc.is_empty(), "{} has no doc", key.key);
            assert!(key.labels.is_empty() || key.labels.len() == key.names.len(), "{}: a label for each name", key.key);
        }
        let labelled = schema().iter().filter(|k| !k.labels.is_empty()).count();
        assert_eq!(labelled, LABELS.len(), "every label row names a key of the schema");
        let names = key_names();
        assert_eq!(names.len(), schema().len() - 3, "dataset, compare and show have a row per scene, every other key one");
        // Every view belongs to one scene, and each scene's embed default is among its own.
        let mut all: Vec<View> = [View::NEAT, View::CELLS].concat();
        all.sort();
        assert_eq!(all, View::ALL);
        assert!(Config::default().show.iter().all(|v| View::NEAT.contains(v)) && View::CELLS_SHOWN.iter().all(|v| View::CELLS.contains(v)));
    }
}
