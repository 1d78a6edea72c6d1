//! The recurrent scene's settings section (scene=recurrent): the task, the training budget every
//! cell gets, and the evolution's population, sample and seeding.

use super::named::Named;
use super::task::Task;
use crate::link::names::named_enum;
use crate::link::page::{Page, View};
use crate::link::schema::{settings, KeyDoc};
use crate::link::{apply_shared, changed, unknown_key, Pairs, LINK_VERSION};

/// The scene's views, and what its embed shows when the link names none of them.
pub const VIEWS: &[View] = &[View::Tree, View::Learning, View::Losses, View::Sequences, View::Members];
pub const SHOWN: &[View] = &[View::Tree, View::Learning];

named_enum!(
    /// Where the first population comes from: the named cells and their mutants, or random cells.
    pub enum Start {
        Baselines = "baselines",
        Random = "random",
    }
);

settings! {
    /// Genetic programming over recurrent cells on one task, against the named cells.
    pub struct RecurrentConfig, RecurrentBounds {
        /// The task cells are scored on (`task`).
        task: Task = Task::Adding,
        /// The first population (`start`).
        start: Start = Start::Baselines,
        /// A named cell the page shows instead of the best evolved one (`cell`); none by default.
        cell: Option<Named> = None,
        /// How the page shows it (`embed`, `autoplay`, `show`).
        #[serde(flatten)]
        page: Page = Page::default(),
    }
    numbers {
        length: usize = 50, [4, 400], "Sequence length", "steps of every sequence (T; the Reber strings' longest)";
        hidden: usize = 16, [1, 128], "Hidden width", "width H of h(t), of every memory cell and of every node's value";
        steps: usize = 300, [1, 100_000], "Training steps", "training steps every cell (and every named cell) gets before it is scored";
        batch: usize = 32, [1, 512], "Batch", "sequences per training step";
        lr: f32 = 0.01, [0.00001, 1], "Learning rate", "Adam's learning rate";
        clip: f32 = 1.0, [0.001, 1000], "Gradient clip", "the gradient's global norm is clipped to this";
        population: usize = 20, [2, 500], "Population", "cells in the queue (the first generation trains as many)";
        children: usize = 10, [1, 500], "Children", "cells bred and trained per generation (at most the population; unset, 10 or the population if smaller); as many of the oldest leave the queue (aging evolution)";
        sample: usize = 5, [1, 500], "Sample", "cells drawn per tournament (at most the population); the best is a parent";
        crossover: f32 = 0.2, [0, 1], "Crossover", "chance that a child is a crossover of two parents (then mutated), not a mutant of one";
        penalty: f32 = 0.0, [0, 10], "Size penalty", "fitness is the validation loss plus this per 1,000 parameters";
        novelty: f32 = 0.0, [0, 1], "Novelty", "weight of novelty in tournaments: 0 picks parents by loss alone, 1 by how differently they behave from the archive and the population (Lehman & Stanley 2011)";
        seed: u64 = 1, [0, 4_294_967_295u64], "Seed", "seed of the task's sequences, every cell's weights and every choice of the search";
    }
}

impl RecurrentConfig {
    /// Parses a recurrent link (`scene=recurrent&...`).
    pub fn from_link(link: &str) -> Result<RecurrentConfig, String> {
        RecurrentConfig::from_pairs(&Pairs::of(link))
    }

    /// The config a link's pairs describe, read in link order; tournaments draw from the population.
    pub fn from_pairs(pairs: &Pairs) -> Result<RecurrentConfig, String> {
        let mut config = RecurrentConfig::default();
        let given = pairs.each(|key, value| config.apply(key, value))?;
        if !given.contains(&"scene") {
            return Err("scene: a recurrent-cell link names scene=recurrent".into());
        }
        if config.sample > config.population {
            return Err(format!("sample: {} is more than the population {} (scene=recurrent)", config.sample, config.population));
        }
        // Left unset, children follows a smaller population down (a link that only shrinks the
        // population stays valid); set above it, it is refused.
        if !given.contains(&"children") {
            config.children = config.children.min(config.population);
        }
        if config.children > config.population {
            return Err(format!(
                "children: {} is more than the population {} (each child pushes out one of the queue; scene=recurrent)",
                config.children, config.population
            ));
        }
        Ok(config)
    }

    /// Sets one setting from its link text.
    pub fn apply(&mut self, key: &str, value: &str) -> Result<(), String> {
        if let Some(set) = apply_shared(&mut self.page, "recurrent", "the recurrent cells'", key, value) {
            return set;
        }
        let scoped = |e: String| format!("{key}: {e} (scene=recurrent)");
        match key {
            "task" => self.task = Task::from_name(value).map_err(scoped)?,
            "start" => self.start = Start::from_name(value).map_err(scoped)?,
            "cell" if value.is_empty() => self.cell = None,
            "cell" => self.cell = Some(Named::from_name(value).map_err(scoped)?),
            _ => self.apply_number(key, value).unwrap_or_else(|| Err(format!("{} (scene=recurrent)", unknown_key(key, &key_names()))))?,
        }
        Ok(())
    }

    /// The link that reproduces it: the version and the scene, then each setting that differs
    /// from the version's default.
    pub fn to_link(&self) -> String {
        let mut parts = vec![format!("v={LINK_VERSION}"), "scene=recurrent".to_string()];
        parts.extend(changed(self.pairs(), &RecurrentConfig::default().pairs()));
        parts.join("&")
    }

    /// Every setting as a link pair, in link order.
    fn pairs(&self) -> Vec<String> {
        let mut parts =
            vec![format!("task={}", self.task.name()), format!("start={}", self.start.name()), format!("cell={}", self.cell.map_or("", |c| c.name()))];
        parts.extend(self.number_pairs());
        parts.extend(self.page.pairs());
        parts
    }
}

/// Every key a recurrent link may hold (but the version and the scene: the scene table's).
pub fn schema() -> Vec<KeyDoc> {
    let base = RecurrentConfig::default();
    let mut keys = vec![
        KeyDoc::choice("task", "recurrent", "enum", Task::NAMES, base.task.name(), "the sequence task every cell is trained and scored on")
            .called("Task")
            .labelled(&["adding problem", "temporal order", "embedded Reber grammar", "next character of a text"]),
        KeyDoc::choice(
            "start",
            "recurrent",
            "enum",
            Start::NAMES,
            base.start.name(),
            "the first population: the named cells and their mutants, or random cells",
        )
        .called("First population")
        .labelled(&["named cells", "random cells"]),
        KeyDoc::choice("cell", "recurrent", "enum", Named::NAMES, "", "a named cell to show instead of the best evolved one")
            .called("Cell on show")
            .labelled(&["LSTM", "GRU", "tanh RNN", "NASCell"]),
    ];
    keys.extend(Page::schema("recurrent", VIEWS, SHOWN));
    keys.extend(base.number_rows("recurrent"));
    keys
}

/// Every key a recurrent link may hold, in schema order.
pub fn key_names() -> Vec<&'static str> {
    crate::link::schema::key_names(&schema())
}
