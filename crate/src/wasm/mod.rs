//! The browser facade: a thin wasm_bindgen layer over Run; every error becomes a JS exception.
//!
//! Bulk arrays (grids, points, predictions, trained weights) cross as Float32Arrays; small
//! structured values (summaries, history, genomes, configs) as plain JS objects. Only this
//! module (`experiment`, `trainers`, `cells`, `recurrent`, `modules`, `saved`) knows of wasm_bindgen.

mod cells;
mod experiment;
mod modules;
mod recurrent;
mod saved;
mod trainers;

use crate::compare::Contest;
use crate::dataset::Split;
use crate::genome::Genome;
use crate::scene::neat::config::{Config, Contender};
use crate::scene::Experiment;
use serde::Serialize;
use wasm_bindgen::prelude::*;

pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&e.to_string()))
}

/// As `to_js`, but u64s past JavaScript's exact integers cross as BigInts: jobs, whose stream
/// generations may be `u64::MAX` (the named cells', the baselines').
pub(crate) fn to_js_with_bigints<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible().serialize_large_number_types_as_bigints(true);
    value.serialize(&serializer).map_err(|e| JsError::new(&e.to_string()))
}

/// A config from a link (drawn points travel in it, as `drawn=`).
pub(crate) fn config_of(link: &str) -> Result<Config, JsError> {
    Config::from_link(link).map_err(|e| JsError::new(&e))
}

/// Checks a link and returns `{config, link}`: every setting, and the link rewritten in full.
#[wasm_bindgen(js_name = parseLink)]
pub fn parse_link(link: &str) -> Result<JsValue, JsError> {
    let experiment = Experiment::from_link(link).map_err(|e| JsError::new(&e))?;
    #[derive(Serialize)]
    struct Parsed<'a> {
        /// The scene's settings, with `scene` naming it.
        config: &'a Experiment,
        link: String,
        /// Drawn points as flat (x, y, class, split) quadruples, the split's code
        /// (`dataset::Split`: 0 by the fraction, 1 train, 2 test).
        drawn: Vec<f32>,
        /// Whether the link carries a champion genome.
        champion: bool,
    }
    let (drawn, champion) = match &experiment {
        Experiment::Neat(config) => (config.custom_points.iter().flat_map(|&(x, y, l)| point_quad(x, y, l)).collect(), config.genome.is_some()),
        Experiment::Cells(_) | Experiment::Recurrent(_) | Experiment::Modules(_) => (Vec::new(), false),
    };
    to_js(&Parsed { config: &experiment, link: experiment.to_link(), drawn, champion })
}

/// A point's (x, y, class, split code), as the page holds drawn points.
fn point_quad(x: f32, y: f32, byte: u8) -> [f32; 4] {
    let (class, split) = Split::of_byte(byte).unwrap_or((byte & 1, Split::Fraction));
    [x, y, f32::from(class), f32::from(split as u8)]
}

/// Drawn points (flat x, y, class, split quadruples, as `parseLink` gives them) as the link's
/// `drawn=` text; a split code that is none is "by the fraction".
#[wasm_bindgen(js_name = encodePoints)]
pub fn encode_points(flat: Vec<f32>) -> String {
    let split = |code: f32| Split::from_code(code as u8).unwrap_or(Split::Fraction);
    let points: Vec<(f32, f32, u8)> = flat.chunks_exact(4).map(|p| (p[0], p[1], split(p[3]).byte((p[2] > 0.5) as u8))).collect();
    crate::codec::encode_points(&points)
}

/// A points file (CSV, `points_csv`) as `{drawn, points, scaled, test, classes}`: the link's
/// `drawn=` text, how many points, whether they were scaled into the plane, how many the file
/// marks test, and its two labels; a bad file throws the line and the reason.
#[wasm_bindgen(js_name = pointsFromCsv)]
pub fn points_from_csv(text: &str) -> Result<JsValue, JsError> {
    let file = crate::points_csv::read(text).map_err(|e| JsError::new(&e))?;
    #[derive(Serialize)]
    struct Read {
        drawn: String,
        points: usize,
        scaled: bool,
        test: usize,
        classes: [String; 2],
    }
    to_js(&Read { drawn: crate::codec::encode_points(&file.points), points: file.points.len(), scaled: file.scaled, test: file.test, classes: file.classes })
}

/// A genome file's JSON, checked, as the link's `genome=` text.
#[wasm_bindgen(js_name = importGenome)]
pub fn import_genome(json: &str) -> Result<String, JsError> {
    let genome: Genome = serde_json::from_str(json).map_err(|e| JsError::new(&format!("not a genome file: {e}")))?;
    genome.validate().map_err(|e| JsError::new(&format!("invalid genome: {e}")))?;
    Ok(crate::codec::encode_genome(&genome))
}

/// Every link key: its scene, kind, default, bounds or names and one-line doc (`scene::schema`).
/// The page's controls take their bounds, help text and choices from it.
#[wasm_bindgen]
pub fn schema() -> Result<JsValue, JsError> {
    to_js(&crate::scene::schema())
}

/// Packed training results (`Trainer.trainPacked`, `GpuTrainer.trainPacked`) as one
/// `{outcome, weights}` per genome (`train::packed`), for the page's checks.
#[wasm_bindgen(js_name = unpackTrained)]
pub fn unpack_trained(packed: Vec<f32>) -> Result<JsValue, JsError> {
    to_js(&crate::train::packed::unpack(&packed).map_err(|e| JsError::new(&e))?)
}

/// The link with `key` set to `value` (`link::edit::with`); checking it is `parseLink`'s job.
#[wasm_bindgen(js_name = linkWith)]
pub fn link_with(link: &str, key: &str, value: &str) -> Result<String, JsError> {
    crate::link::edit::with(link, key, value).map_err(|e| JsError::new(&e))
}

/// The link without any of `keys`.
#[wasm_bindgen(js_name = linkWithout)]
pub fn link_without(link: &str, keys: Vec<String>) -> Result<String, JsError> {
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    crate::link::edit::without(link, &keys).map_err(|e| JsError::new(&e))
}

/// The link's pairs, decoded, in order: `[[key, value], ...]`.
#[wasm_bindgen(js_name = linkPairs)]
pub fn link_pairs(link: &str) -> Result<JsValue, JsError> {
    to_js(&crate::link::edit::pairs(link).map_err(|e| JsError::new(&e))?)
}

/// The value `key` has in the link (its first well-formed pair, decoded), or undefined.
#[wasm_bindgen(js_name = linkValue)]
pub fn link_value(link: &str, key: &str) -> Option<String> {
    crate::link::edit::value_of(link, key)
}

/// Half the side of the plane the 2-D data lives in, `[-extent, extent]^2` (`dataset::EXTENT`).
#[wasm_bindgen(js_name = planeExtent)]
pub fn plane_extent() -> f32 {
    crate::dataset::EXTENT
}

/// The default experiment's link.
#[wasm_bindgen(js_name = defaultLink)]
pub fn default_link() -> String {
    Config::default().to_link()
}

/// A JS exception carrying `message`, for promises that reject.
pub(crate) fn js_error(message: String) -> JsValue {
    JsError::new(&message).into()
}

/// One seed's run of a strategy (`neat`, `aging`, `aging-worst`, `pareto`) on the experiment
/// of `link` until `budget` networks are trained, for the page's comparison workers (a cell
/// search's link needs the table: `CellTable.trace`).
#[wasm_bindgen(js_name = traceStrategy)]
pub fn trace_strategy(link: &str, strategy: &str, seed: u64, budget: u64) -> Result<JsValue, JsError> {
    let experiment = Experiment::from_link(link).map_err(|e| JsError::new(&e))?;
    to_js(&experiment.trace(strategy, seed, budget, None, None).map_err(|e| JsError::new(&e))?)
}

/// A NEAT link's comparison: `{link, experiment}`, the link its runs get and what it compares
/// on (`Config::comparison`).
#[wasm_bindgen(js_name = comparisonOf)]
pub fn comparison_of(link: &str) -> Result<JsValue, JsError> {
    to_js(&config_of(link)?.comparison())
}

/// A strategy's curve (mean and 95% band over seeds) from its traces, at `points` budgets.
#[wasm_bindgen(js_name = curveOf)]
pub fn curve_of(strategy: &str, traces: JsValue, budget: u64, points: usize) -> Result<JsValue, JsError> {
    let contender = Contender::from_name(strategy).map_err(|e| JsError::new(&e))?;
    let traces: Vec<crate::compare::Trace> = serde_wasm_bindgen::from_value(traces).map_err(|e| JsError::new(&format!("bad traces: {e}")))?;
    to_js(&crate::compare::curve(contender.name(), traces, budget, points, Config::CEILING))
}

/// A dataset tile's preview: `count` points of the shape `kind` without noise, as flat
/// (x, y, label) triples (none for custom points).
#[wasm_bindgen(js_name = datasetPreview)]
pub fn dataset_preview(kind: &str, count: usize) -> Result<Vec<f32>, JsError> {
    let kind = crate::dataset::DatasetKind::from_name(kind).map_err(|e| JsError::new(&e))?;
    let points = crate::dataset::preview(kind, count.min(1000));
    Ok((0..points.len()).flat_map(|i| [points.x[i], points.y[i], points.label[i]]).collect())
}

/// The scene a link asks for (`neat` or `cells`), even when the link is refused for another key.
#[wasm_bindgen(js_name = sceneOf)]
pub fn scene_of(link: &str) -> String {
    crate::scene::scene_of(link).name().to_string()
}

/// The lecture tour's stops, in order: `[{title, caption, link}]` (`tour::STOPS`).
#[wasm_bindgen]
pub fn tour() -> Result<JsValue, JsError> {
    to_js(crate::tour::STOPS)
}
