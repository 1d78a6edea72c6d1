//! The save file of a run, any scene: a versioned, checksummed envelope around CBOR, decoded strictly.
//!
//! Layout: the magic `EVONAS-RUN` and a newline (11 bytes), the format version (u16, little
//! endian), the body's length (u64) and its CRC-32 (u32), then the body: CBOR of `Saved`.
//! CBOR rather than JSON because a run holds infinite costs (a failed network) and every f32
//! must come back with its bits; the checksum turns a flipped byte into a clear refusal instead
//! of a run that silently differs. Decoding refuses unknown fields, trailing bytes and any
//! version but this one.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

const MAGIC: &[u8; 11] = b"EVONAS-RUN\n";
/// The format version this build writes and reads.
pub const FORMAT_VERSION: u16 = 1;
const HEADER: usize = MAGIC.len() + 2 + 8 + 4;
/// A larger body is refused before anything is allocated for it.
pub const MAX_BODY: u64 = 1 << 30;

/// A saved run: the link that made it (the settings, through the one schema), the
/// generations it has done, and the scene's own state (`contract::Scene::State`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Saved {
    pub link: String,
    pub scene: String,
    pub generation: u64,
    pub state: ciborium::Value,
}

/// `value` as CBOR bytes.
pub fn to_cbor<T: Serialize>(value: &T) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// CBOR bytes as a `T`: one item, nothing after it.
pub fn from_cbor<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let mut rest = bytes;
    let value = ciborium::from_reader(&mut rest).map_err(|e| e.to_string())?;
    if !rest.is_empty() {
        return Err(format!("{} bytes follow the encoded value", rest.len()));
    }
    Ok(value)
}

impl Saved {
    /// The save file of a run of `scene` made by `link`, `generation` generations in, as `state`.
    pub fn of<T: Serialize>(link: &str, scene: &str, generation: u64, state: &T) -> Result<Saved, String> {
        let state = ciborium::Value::serialized(state).map_err(|e| format!("the {scene} run's state: {e}"))?;
        Ok(Saved { link: link.to_string(), scene: scene.to_string(), generation, state })
    }

    /// The file's bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, String> {
        let body = to_cbor(self)?;
        let mut out = Vec::with_capacity(HEADER + body.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// Reads a file, naming what is wrong with it: not a save file, another version, cut short,
    /// corrupted, or a body that does not decode.
    pub fn from_bytes(bytes: &[u8]) -> Result<Saved, String> {
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err("not an evonas run file (it does not start with EVONAS-RUN)".into());
        }
        if bytes.len() < HEADER {
            return Err(format!("the run file is cut short: {} bytes, less than its {HEADER}-byte header", bytes.len()));
        }
        let field = |at: usize, n: usize| &bytes[MAGIC.len() + at..MAGIC.len() + at + n];
        let version = u16::from_le_bytes(field(0, 2).try_into().expect("2 bytes"));
        if version != FORMAT_VERSION {
            return Err(format!("the run file is format version {version}; this evonas reads version {FORMAT_VERSION}"));
        }
        let length = u64::from_le_bytes(field(2, 8).try_into().expect("8 bytes"));
        let crc = u32::from_le_bytes(field(10, 4).try_into().expect("4 bytes"));
        let body = &bytes[HEADER..];
        if length > MAX_BODY || body.len() as u64 != length {
            return Err(format!("the run file is cut short or padded: its header says {length} bytes of run, it holds {}", body.len()));
        }
        if crc32fast::hash(body) != crc {
            return Err("the run file is corrupted: its checksum does not match".into());
        }
        from_cbor(body).map_err(|e| format!("the run file does not decode: {e}"))
    }

    /// The scene's state as its own type, strictly.
    pub fn state<T: DeserializeOwned>(&self) -> Result<T, String> {
        self.state.deserialized().map_err(|e| format!("the {} run's state does not decode: {e}", self.scene))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Saved {
        let state = ciborium::Value::serialized(&(vec![1.5f32, f32::INFINITY, -0.0], "x")).unwrap();
        Saved { link: "dataset=xor".into(), scene: "neat".into(), generation: 3, state }
    }

    #[test]
    fn a_file_reads_back_bit_for_bit() {
        let bytes = sample().to_bytes().unwrap();
        let back = Saved::from_bytes(&bytes).unwrap();
        assert_eq!(back, sample());
        let (floats, _): (Vec<f32>, String) = back.state().unwrap();
        assert_eq!(floats.iter().map(|f| f.to_bits()).collect::<Vec<_>>(), [1.5f32.to_bits(), f32::INFINITY.to_bits(), (-0.0f32).to_bits()]);
    }

    #[test]
    fn bad_files_are_named() {
        let bytes = sample().to_bytes().unwrap();
        assert!(Saved::from_bytes(b"{\"link\":1}").unwrap_err().contains("not an evonas run file"));
        assert!(Saved::from_bytes(&bytes[..12]).unwrap_err().contains("cut short"));
        assert!(Saved::from_bytes(&bytes[..bytes.len() - 1]).unwrap_err().contains("cut short"));
        let mut other = bytes.clone();
        other[11] = 9;
        assert!(Saved::from_bytes(&other).unwrap_err().contains("version 9"));
        let mut flipped = bytes.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(Saved::from_bytes(&flipped).unwrap_err().contains("checksum"));
    }
}
