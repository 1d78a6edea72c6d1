//! The schema of Backprop NEAT's link keys: each one's kind, default, bounds or names, and meaning.
//!
//! The page builds its controls' bounds, help text and choices from this (wasm `schema()`),
//! and the codec names the known keys from it, so no key, bound or enum is listed twice.

use super::config::{Backend, Config, Contender, Cost, DatasetKind, Optimizer, Removal, Strategy, VIEWS};
use crate::activation::Activation;
use crate::link::page::{Page, SHOWN};
use crate::link::schema::KeyDoc;

/// Every key a NEAT link may hold, the non-numeric ones first, then the numeric ones in link
/// order (the version and the scene, which every scene reads, are the scene table's).
pub fn schema() -> Vec<KeyDoc> {
    let base = Config::default();
    let activations: Vec<&str> = base.activations.iter().map(|a| a.name()).collect();
    let choice = |key, kind, names: &[&'static str], default: &str, doc| KeyDoc::choice(key, "neat", kind, names, default, doc);
    let mut keys = vec![
        choice("dataset", "enum", DatasetKind::NAMES, base.dataset.name(), "the 2-D points: a shape, or custom (the points drawn by hand, in drawn)")
            .called("Dataset")
            .labelled(&["Circle", "Exclusive or", "Two gaussians", "Spiral", "Draw your own"]),
        choice(
            "strategy",
            "enum",
            Strategy::NAMES,
            base.strategy.name(),
            "how each generation's networks are chosen and who stays: NEAT, aging evolution or Pareto (NSGA-II)",
        )
        .called("Strategy")
        .labelled(&["NEAT", "Aging evolution", "Pareto (accuracy vs size)"])
        .helped(&[
            "Species share fitness; each generation breeds a whole new population.",
            "A queue: each step trains a batch of children, each a mutant of the best of a random sample.",
            "NSGA-II keeps the networks no other beats on both training loss and connections.",
        ]),
        choice("removal", "enum", Removal::NAMES, base.removal.name(), "aging evolution: who leaves the queue when a child joins (the oldest, or the worst)")
            .called("Leaving the queue")
            .labelled(&["oldest (regularized)", "worst (non-aging)"]),
        choice(
            "backend",
            "enum",
            Backend::NAMES,
            base.backend.name(),
            "where networks train: WebGPU when a hardware adapter is there (auto), or always the CPU",
        )
        .called("Training on")
        .labelled(&["auto (GPU if a hardware one)", "CPU (wasm)", "WebGPU"]),
        choice("optimizer", "enum", Optimizer::NAMES, base.optimizer.name(), "the gradient optimizer of backprop").called("Optimizer"),
        choice(
            "cost",
            "enum",
            Cost::NAMES,
            base.cost.name(),
            "how size enters fitness: added charges a price per connection that holds however small the loss; scaled (version 1) multiplies the loss, so it fades as the loss nears zero",
        )
        .called("Size cost"),
        choice("activations", "list", Activation::NAMES, &activations.join(","), "the activations a new hidden node may take").called("Activations"),
        choice("compare", "list", Contender::NAMES, "", "strategies the comparison panel runs over seeds")
            .called("Compare")
            .labelled(&["NEAT", "aging", "aging, worst out", "Pareto"])
            .helped(&[
                "Speciated NEAT: each generation breeds a whole new population",
                "Regularized evolution: the oldest member leaves the queue",
                "The non-aging baseline: the worst member leaves instead",
                "NSGA-II on training loss and connections",
            ]),
        choice("drawn", "text", &[], "", "points drawn by hand or imported from a CSV file, encoded; used when dataset is custom").called("Drawn points"),
        choice("genome", "text", &[], "", "a champion network carried by the link, encoded; shown as it is when the link opens").called("Champion"),
    ];
    keys.extend(Page::schema("neat", VIEWS, SHOWN));
    keys.extend(base.numeric_rows());
    for key in &mut keys {
        if COMPARISON_KEYS.contains(&key.key) {
            key.part = "comparison";
        }
    }
    keys
}

/// The comparison panel's keys: which strategies, how many seeds, how many networks each run
/// trains (`Config::comparison`); the rest is the experiment they run on.
pub const COMPARISON_KEYS: &[&str] = &["compare", "seeds", "budget"];

/// Every key a NEAT link may hold, in schema order.
pub fn key_names() -> Vec<&'static str> {
    crate::link::schema::key_names(&schema())
}
