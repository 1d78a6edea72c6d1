//! The scenes, each with its own settings section, genome, search and run (Backprop NEAT,
//! NAS-Bench-201 cell search, evolved recurrent cells, modules and blueprints), and the link that opens one of them.

pub mod cells;
pub mod modules;
pub mod neat;
pub mod recurrent;

use crate::compare::{Contest, Trace};
use crate::contract::{Live, SceneRun};
use crate::link::names::named_enum;
use crate::link::schema::KeyDoc;
use crate::link::{Pairs, LINK_VERSION, LINK_VERSIONS};
use crate::mnist1d::Mnist1d;
use crate::saved::Saved;
use cells::compare::CellContest;
use cells::config::CellConfig;
use cells::nasbench::{Bench, Table};
use cells::scene::CellsScene;
use cells::search::{CellSearch, CellStrategy};
use modules::config::ModulesConfig;
use modules::contest::{ModulesContender, ModulesContest};
use modules::run::ModulesRun;
use neat::config::{Config, Contender};
use neat::run::Run;
use recurrent::config::RecurrentConfig;
use recurrent::contest::CellContender;
use recurrent::run::RecurrentRun;
use serde::Serialize;

named_enum!(
    pub enum Scene {
        Neat = "neat",
        Cells = "cells",
        Recurrent = "recurrent",
        Modules = "modules",
    }
);

/// What a link opens: a scene and its settings. Serialised as the settings with `scene` added.
/// (One is made per link read, so the NEAT variant's size costs nothing worth a box.)
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "scene", rename_all = "lowercase")]
pub enum Experiment {
    Neat(Config),
    Cells(CellConfig),
    Recurrent(RecurrentConfig),
    Modules(ModulesConfig),
}

impl Experiment {
    /// Reads a link: its `scene` (Backprop NEAT where it names none) says whose settings
    /// section reads the rest.
    pub fn from_link(link: &str) -> Result<Experiment, String> {
        let pairs = Pairs::of(link);
        let scene = match pairs.first("scene") {
            Some(name) => Scene::from_name(name).map_err(|e| format!("scene: {e}"))?,
            None => Scene::Neat,
        };
        match scene {
            Scene::Neat => Config::from_pairs(&pairs).map(Experiment::Neat).map_err(|e| dataset_hint(e, &pairs)),
            Scene::Cells => CellConfig::from_pairs(&pairs).map(Experiment::Cells),
            Scene::Recurrent => RecurrentConfig::from_pairs(&pairs).map(Experiment::Recurrent),
            Scene::Modules => ModulesConfig::from_pairs(&pairs).map(Experiment::Modules),
        }
    }

    pub fn scene(&self) -> Scene {
        match self {
            Experiment::Neat(_) => Scene::Neat,
            Experiment::Cells(_) => Scene::Cells,
            Experiment::Recurrent(_) => Scene::Recurrent,
            Experiment::Modules(_) => Scene::Modules,
        }
    }

    /// One seed's search of the strategy named `strategy` until `budget` evaluations are spent:
    /// a comparison's job in any scene. The cell search looks its cells up in `table`; a
    /// modules link on MNIST-1D trains on `mnist1d`.
    pub fn trace(&self, strategy: &str, seed: u64, budget: u64, table: Option<&Table>, mnist1d: Option<&Mnist1d>) -> Result<Trace, String> {
        match self {
            Experiment::Neat(config) => config.trace(Contender::from_name(strategy)?, seed, budget),
            Experiment::Cells(config) => {
                let table = table.ok_or("a cell search looks its cells up in the NAS-Bench-201 table, and none was given")?;
                let strategy = CellStrategy::from_name(strategy)?;
                CellContest { table, base: CellSearch::from_config(config, strategy, seed) }.trace(strategy, seed, budget)
            }
            Experiment::Recurrent(config) => config.trace(CellContender::from_name(strategy)?, seed, budget),
            Experiment::Modules(config) => {
                let contender = ModulesContender::from_name(strategy)?;
                let data = modules::data::scene_data(config, mnist1d)?;
                ModulesContest { config, data: &data }.trace(contender, seed, budget)
            }
        }
    }

    /// The strategies a comparison of this scene runs unless told otherwise: the contrast the
    /// lecture draws, or the link's own list (`compare`) where it has one.
    pub fn contenders(&self) -> Vec<&'static str> {
        match self {
            Experiment::Neat(config) if !config.compare.is_empty() => config.compare.iter().map(|c| c.name()).collect(),
            Experiment::Neat(_) => Contender::NAMES.to_vec(),
            Experiment::Cells(config) => config.compare.iter().map(|c| c.name()).collect(),
            Experiment::Recurrent(_) => CellContender::NAMES.to_vec(),
            Experiment::Modules(_) => ModulesContender::NAMES.to_vec(),
        }
    }

    /// A comparison's budget unless told otherwise: the link's where it has one; cells trained
    /// by a recurrent run of 10 generations, networks by a modules run of 5.
    pub fn budget(&self) -> u64 {
        match self {
            Experiment::Neat(config) => config.budget as u64,
            Experiment::Cells(config) => config.budget as u64,
            Experiment::Recurrent(config) => (config.population + 9 * config.children) as u64,
            Experiment::Modules(config) => (5 * config.blueprints * config.networks) as u64,
        }
    }

    /// Whether the link asks to train on a GPU (a NEAT link's `backend=webgpu`); nothing else
    /// makes a face probe for one.
    pub fn asks_gpu(&self) -> bool {
        matches!(self, Experiment::Neat(config) if config.backend == neat::config::Backend::Webgpu)
    }

    /// The shipped data this link's comparisons look up or train on, loaded once: the cell
    /// search's table, MNIST-1D for a modules link on it.
    pub fn comparison_data(&self, shipped: &Shipped) -> Result<(Option<Table>, Option<Mnist1d>), String> {
        let table = matches!(self, Experiment::Cells(_)).then(|| (shipped.table)()).transpose()?;
        let mnist1d = match self {
            Experiment::Modules(config) => mnist1d_of(config, shipped)?,
            _ => None,
        };
        Ok((table, mnist1d))
    }

    /// What a comparison's figures are, and the most they can be.
    pub fn metric(&self) -> (&'static str, f32) {
        match self {
            Experiment::Neat(_) => (Config::METRIC, Config::CEILING),
            Experiment::Cells(_) => (CellContest::METRIC, CellContest::CEILING),
            Experiment::Recurrent(_) => (RecurrentConfig::METRIC, RecurrentConfig::CEILING),
            Experiment::Modules(_) => (ModulesContest::METRIC, ModulesContest::CEILING),
        }
    }

    /// The link that reproduces it.
    pub fn to_link(&self) -> String {
        match self {
            Experiment::Neat(config) => config.to_link(),
            Experiment::Cells(config) => config.to_link(),
            Experiment::Recurrent(config) => config.to_link(),
            Experiment::Modules(config) => config.to_link(),
        }
    }
}

/// The data the scenes ship, loaded by a face only when the scene it opens needs it: the cell
/// search's NAS-Bench-201 table and MNIST-1D.
pub struct Shipped<'a> {
    pub table: &'a dyn Fn() -> Result<Table, String>,
    pub mnist1d: &'a dyn Fn() -> Result<Mnist1d, String>,
}

/// The registry: the run a link's experiment opens, training on `threads` threads.
pub fn open(experiment: &Experiment, shipped: &Shipped, threads: usize) -> Result<Box<dyn SceneRun>, String> {
    let link = experiment.to_link();
    Ok(match experiment {
        Experiment::Neat(config) => {
            let mut run = Run::new(config.clone())?;
            run.set_threads(threads);
            Live::boxed(run, threads, link)
        }
        Experiment::Cells(config) => Live::boxed(CellsScene::new(config, (shipped.table)()?, Vec::new())?, threads, link),
        Experiment::Recurrent(config) => Live::boxed(RecurrentRun::new(config, threads), threads, link),
        Experiment::Modules(config) => {
            let data = modules_data(config, shipped)?;
            Live::boxed(ModulesRun::new(config, data, threads), threads, link)
        }
    })
}

/// A save file read strictly, with the experiment its link opens (which must be of the scene
/// the file names); `scene`, where given, is the one a face expects.
pub fn saved_of(bytes: &[u8], scene: Option<Scene>) -> Result<(Experiment, Saved), String> {
    let saved = Saved::from_bytes(bytes)?;
    let experiment = Experiment::from_link(&saved.link).map_err(|e| format!("the run file's link: {e}"))?;
    if experiment.scene().name() != saved.scene {
        return Err(format!("the run file says scene {}, its link opens {}", saved.scene, experiment.scene().name()));
    }
    if let Some(scene) = scene.filter(|&s| s != experiment.scene()) {
        return Err(format!("the run file holds a {} run, not a {} one", saved.scene, scene.name()));
    }
    Ok((experiment, saved))
}

/// A saved run (`saved::Saved`'s bytes) opened again, to go on from where it was saved.
pub fn resume(bytes: &[u8], shipped: &Shipped, threads: usize) -> Result<Box<dyn SceneRun>, String> {
    let (experiment, saved) = saved_of(bytes, None)?;
    let link = experiment.to_link();
    let run = match &experiment {
        Experiment::Neat(config) => Live::boxed(Run::resume(config.clone(), saved.state()?)?, threads, link),
        Experiment::Cells(config) => Live::boxed(CellsScene::new(config, (shipped.table)()?, saved.state()?)?, threads, link),
        Experiment::Recurrent(config) => Live::boxed(RecurrentRun::resume(config, saved.state()?, threads)?, threads, link),
        Experiment::Modules(config) => {
            let data = modules_data(config, shipped)?;
            Live::boxed(ModulesRun::resume(config, data, saved.state()?, threads)?, threads, link)
        }
    };
    if run.generation() != saved.generation {
        return Err(format!("the run file says generation {}, its state is at generation {}", saved.generation, run.generation()));
    }
    Ok(run)
}

/// MNIST-1D where a modules link names it, loaded only then.
fn mnist1d_of(config: &ModulesConfig, shipped: &Shipped) -> Result<Option<Mnist1d>, String> {
    (config.dataset == modules::config::DataKind::Mnist1d).then(|| (shipped.mnist1d)()).transpose()
}

/// A modules link's data (see `mnist1d_of`).
fn modules_data(config: &ModulesConfig, shipped: &Shipped) -> Result<modules::data::SceneData, String> {
    modules::data::scene_data(config, mnist1d_of(config, shipped)?.as_ref())
}

/// The scene a link asks for, even when it is refused for some other key: its first
/// well-formed `scene` pair, Backprop NEAT where it names none it knows.
pub fn scene_of(link: &str) -> Scene {
    Pairs::of(link).first("scene").and_then(|name| Scene::from_name(name).ok()).unwrap_or(Scene::Neat)
}

/// A NEAT link's unknown dataset, pointing at the cell search when the name is one of its.
fn dataset_hint(error: String, pairs: &Pairs) -> String {
    let cells = error.starts_with("dataset:") && pairs.first("dataset").is_some_and(|name| Bench::from_name(name).is_ok());
    if cells {
        format!("{error} (cifar10, cifar100 and imagenet16 are cell-search datasets: add scene=cells)")
    } else {
        error
    }
}

/// Every link key: the version and the scene, then each scene's section.
pub fn schema() -> Vec<KeyDoc> {
    let mut keys = vec![
        KeyDoc {
            min: LINK_VERSIONS.first().map(|&v| v as f64),
            max: LINK_VERSIONS.last().map(|&v| v as f64),
            ..KeyDoc::choice("v", "all", "integer", &[], &LINK_VERSION.to_string(), "link version: which defaults the keys a link leaves out take")
                .called("Link version")
        },
        KeyDoc::choice(
            "scene",
            "all",
            "enum",
            Scene::NAMES,
            Scene::Neat.name(),
            "which scene the link opens: Backprop NEAT, cell search on NAS-Bench-201, evolved recurrent cells, or modules and blueprints (CoDeepNEAT)",
        )
        .called("Scene"),
    ];
    keys.extend(neat::keys::schema());
    // The page keys every scene reads are listed once, with the first scene.
    keys.extend(cells::config::schema().into_iter().filter(|k| k.scene == "cells"));
    keys.extend(recurrent::config::schema().into_iter().filter(|k| k.scene == "recurrent"));
    keys.extend(modules::config::schema().into_iter().filter(|k| k.scene == "modules"));
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::page::View;

    #[test]
    fn every_key_the_codec_writes_is_in_the_schema_with_its_default() {
        let keys = schema();
        for default in [
            Experiment::Neat(Config::default()),
            Experiment::Cells(CellConfig::default()),
            Experiment::Recurrent(RecurrentConfig::default()),
            Experiment::Modules(ModulesConfig::default()),
        ] {
            let scene = default.scene().name();
            for pair in default.to_link().split('&') {
                let (key, value) = pair.split_once('=').unwrap();
                let doc = keys.iter().find(|k| k.key == key && (k.scene == scene || k.scene == "all"));
                let doc = doc.unwrap_or_else(|| panic!("{key} ({scene}) is not in the schema"));
                // A cell link names its scene; every other value is the key's default.
                if key != "scene" {
                    assert_eq!(doc.default, value, "{key} ({scene})");
                }
            }
        }
    }

    #[test]
    fn every_schema_key_is_accepted_at_its_default_and_its_bounds() {
        for key in schema() {
            let scene = match key.scene {
                "cells" => "scene=cells&",
                "recurrent" => "scene=recurrent&",
                "modules" => "scene=modules&",
                _ => "",
            };
            let mut values = vec![key.default.clone()];
            values.extend(key.min.iter().chain(&key.max).map(f64::to_string));
            values.extend(key.names.iter().map(|n| n.to_string()));
            for value in values.into_iter().filter(|v| !v.is_empty()) {
                let link = format!("{scene}{}={value}", key.key);
                // The cell search's sample may not exceed its population: each bound of one is
                // tried with the other at its widest.
                let link = match (scene.is_empty(), key.key) {
                    (false, "sample") => format!("{link}&population={}", if key.scene == "cells" { 2000 } else { 500 }),
                    (false, "children") => format!("{link}&population=500"),
                    (false, "population") => format!("{link}&sample=1"),
                    _ => link,
                };
                Experiment::from_link(&link).unwrap_or_else(|e| panic!("{link}: {e}"));
            }
            assert!(!key.doc.is_empty() && !key.label.is_empty(), "{} has no doc or no label", key.key);
            assert!(key.labels.is_empty() || key.labels.len() == key.names.len(), "{}: a label for each name", key.key);
            assert!(key.helps.is_empty() || key.helps.len() == key.names.len(), "{}: help for each name", key.key);
            let part = match key.key {
                "embed" | "autoplay" | "show" | "tour" | "theme" | "strip" | "caption" => "page",
                "compare" | "seeds" | "budget" if key.scene == "neat" => "comparison",
                _ => "experiment",
            };
            assert_eq!(key.part, part, "{} ({})", key.key, key.scene);
        }
        // A key is listed once per scene that reads it, or once for all.
        let mut rows: Vec<(&str, &str)> = schema().iter().map(|k| (k.key, k.scene)).collect();
        let n = rows.len();
        rows.sort();
        rows.dedup();
        assert_eq!(rows.len(), n, "no key twice in one scene");
        assert!(rows.iter().all(|(key, scene)| *scene != "all" || rows.iter().filter(|(k, _)| k == key).count() == 1));
        // Every view belongs to one scene, and each scene's embed default is among its own.
        let mut all: Vec<View> = [neat::config::VIEWS, cells::config::VIEWS, recurrent::config::VIEWS, modules::config::VIEWS].concat();
        all.sort();
        assert_eq!(all, View::ALL);
        assert!(Config::default().page.show.iter().all(|v| neat::config::VIEWS.contains(v)));
        assert!(cells::config::SHOWN.iter().all(|v| cells::config::VIEWS.contains(v)));
    }

    #[test]
    fn a_comparison_job_runs_the_search_of_its_links_scene() {
        let neat = Experiment::from_link("dataset=xor&population=8&steps=10").unwrap();
        let Experiment::Neat(config) = &neat else { unreachable!() };
        assert_eq!(neat.trace("aging", 2, 24, None, None).unwrap(), config.trace(Contender::Aging, 2, 24).unwrap());
        assert!(neat.trace("random", 2, 24, None, None).unwrap_err().contains("not one of"), "random is a cell search");
        let table = cells::nasbench::recorded();
        let cells = Experiment::from_link("scene=cells&population=10&sample=2").unwrap();
        let Experiment::Cells(config) = &cells else { unreachable!() };
        let base = CellSearch::from_config(config, CellStrategy::Local, 3);
        let expected = CellContest { table: &table, base }.trace(CellStrategy::Local, 3, 50).unwrap();
        assert_eq!(cells.trace("local", 3, 50, Some(&table), None).unwrap(), expected);
        assert!(expected.trained.last().is_some_and(|&spent| spent <= 50), "the budget bounds the search");
        assert!(cells.trace("local", 3, 50, None, None).unwrap_err().contains("NAS-Bench-201 table"));
        assert!(cells.trace("neat", 3, 50, Some(&table), None).unwrap_err().contains("not one of"));
        let recurrent = Experiment::from_link("scene=recurrent&population=4&children=2&steps=5&sample=2").unwrap();
        let Experiment::Recurrent(config) = &recurrent else { unreachable!() };
        let aging = recurrent.trace("aging", 2, 6, None, None).unwrap();
        assert_eq!(aging, config.trace(recurrent::contest::CellContender::Aging, 2, 6).unwrap());
        assert_ne!(recurrent.trace("random", 2, 6, None, None).unwrap(), aging, "random cells are another search");
        assert!(aging.trained.last().is_some_and(|&n| n >= 6) && aging.test_accuracy.iter().all(|l| l.is_finite()));
        let modules = Experiment::from_link("scene=modules").unwrap();
        assert!(modules.trace("coevolution", 1, 4, None, None).unwrap_err().contains("MNIST-1D"), "its data must be given");
        assert!(modules.trace("aging", 1, 4, None, None).unwrap_err().contains("not one of"));
    }

    #[test]
    fn a_refused_link_still_names_its_scene() {
        for (link, scene) in [
            ("scene=cells&dataset=spiral", Scene::Cells),
            ("scene=%63ells&lr=9", Scene::Cells),
            ("lr=x&scene=cells&scene=neat", Scene::Cells),
            ("dataset=cifar10", Scene::Neat),
            ("scene=lab", Scene::Neat),
            ("%zz&scene=cells", Scene::Cells),
            ("", Scene::Neat),
        ] {
            assert_eq!(scene_of(link), scene, "{link}");
        }
    }

    #[test]
    fn a_link_opens_the_scene_it_names() {
        assert_eq!(Experiment::from_link("").unwrap(), Experiment::Neat(Config::default()));
        assert_eq!(Experiment::from_link("scene=neat&dataset=xor").unwrap().to_link(), Config::from_link("dataset=xor").unwrap().to_link());
        let cells = Experiment::from_link("scene=cells&seeds=3").unwrap();
        assert_eq!(cells, Experiment::Cells(CellConfig { seeds: 3, ..CellConfig::default() }));
        assert_eq!(Experiment::from_link(&cells.to_link()).unwrap(), cells);
        // The page reads the settings with the scene named.
        let json = serde_json::to_value(&cells).unwrap();
        assert_eq!((json["scene"].as_str(), json["dataset"].as_str(), json["embed"].as_bool()), (Some("cells"), Some("cifar10"), Some(false)));
        assert_eq!(serde_json::to_value(Experiment::Neat(Config::default())).unwrap()["scene"], "neat");
    }
}
