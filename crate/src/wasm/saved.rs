//! Save files in the page: what a file holds (read strictly, before any run is touched), and the
//! one way each scene's facade writes and reads its run (`scene::saved_of`, `Saved::of`), so a
//! file saved in the page opens in the CLI (`evonas run --resume`) and the other way round.

use super::to_js;
use crate::saved::Saved;
use crate::scene::{saved_of, Experiment, Scene};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn error(e: String) -> JsError {
    JsError::new(&e)
}

#[derive(Serialize)]
struct About<'a> {
    scene: &'a str,
    link: &'a str,
    generation: u64,
}

/// `{scene, link, generation}` of a save file, or an exception naming what is wrong with it (not
/// a run file, another version, cut short, corrupted, a link refused).
#[wasm_bindgen(js_name = savedRun)]
pub fn saved_run(bytes: &[u8]) -> Result<JsValue, JsError> {
    let (_, saved) = saved_of(bytes, None).map_err(error)?;
    to_js(&About { scene: &saved.scene, link: &saved.link, generation: saved.generation })
}

/// The bytes of a `scene` run's save file.
pub fn save<T: Serialize>(link: &str, scene: Scene, generation: u64, state: &T) -> Result<Vec<u8>, JsError> {
    Saved::of(link, scene.name(), generation, state).and_then(|s| s.to_bytes()).map_err(error)
}

/// A `scene` save file's experiment and state, strictly; `generation_of` says where the resumed
/// run stands, which must be where the file says.
pub fn open<T: DeserializeOwned>(bytes: &[u8], scene: Scene) -> Result<(Experiment, T, u64), JsError> {
    let (experiment, saved) = saved_of(bytes, Some(scene)).map_err(error)?;
    let state = saved.state().map_err(error)?;
    Ok((experiment, state, saved.generation))
}

/// Refuses a resumed run whose state stands elsewhere than its file said.
pub fn check_generation(said: u64, resumed: u64) -> Result<(), JsError> {
    if said == resumed {
        Ok(())
    } else {
        Err(error(format!("the run file says generation {said}, its state is at generation {resumed}")))
    }
}
