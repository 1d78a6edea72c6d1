//! The browser facade: a thin wasm_bindgen layer over Run; every error becomes a JS exception.
//!
//! Bulk arrays (grids, points, predictions, trained weights) cross as Float32Arrays; small
//! structured values (summaries, history, genomes, configs) as plain JS objects. Only this
//! module (`experiment`, `trainers`) knows of wasm_bindgen.

mod experiment;
mod trainers;

use crate::config::Config;
use crate::genome::Genome;
use serde::Serialize;
use wasm_bindgen::prelude::*;

pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&e.to_string()))
}

/// A config from a link and, for the custom dataset, drawn points as flat (x, y, label) triples.
pub(crate) fn config_of(link: &str, custom: Option<Vec<f32>>) -> Result<Config, JsError> {
    let mut config = Config::from_link(link).map_err(|e| JsError::new(&e))?;
    if let Some(flat) = custom {
        config.custom_points = flat.chunks_exact(3).map(|p| (p[0], p[1], if p[2] > 0.5 { 1 } else { 0 })).collect();
    }
    Ok(config)
}

/// Checks a link and returns `{config, link}`: every setting, and the link rewritten in full.
#[wasm_bindgen(js_name = parseLink)]
pub fn parse_link(link: &str) -> Result<JsValue, JsError> {
    let config = config_of(link, None)?;
    #[derive(Serialize)]
    struct Parsed<'a> {
        config: &'a Config,
        link: String,
        /// Drawn points as flat (x, y, label) triples.
        drawn: Vec<f32>,
        /// Whether the link carries a champion genome.
        champion: bool,
    }
    let drawn = config.custom_points.iter().flat_map(|&(x, y, l)| [x, y, l as f32]).collect();
    to_js(&Parsed { config: &config, link: config.to_link(), drawn, champion: config.genome.is_some() })
}

/// Drawn points (flat x, y, label triples) as the link's `drawn=` text.
#[wasm_bindgen(js_name = encodePoints)]
pub fn encode_points(flat: Vec<f32>) -> String {
    let points: Vec<(f32, f32, u8)> = flat.chunks_exact(3).map(|p| (p[0], p[1], (p[2] > 0.5) as u8)).collect();
    crate::codec::encode_points(&points)
}

/// A genome file's JSON, checked, as the link's `genome=` text.
#[wasm_bindgen(js_name = importGenome)]
pub fn import_genome(json: &str) -> Result<String, JsError> {
    let genome: Genome = serde_json::from_str(json).map_err(|e| JsError::new(&format!("not a genome file: {e}")))?;
    genome.validate().map_err(|e| JsError::new(&format!("invalid genome: {e}")))?;
    Ok(crate::codec::encode_genome(&genome))
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
