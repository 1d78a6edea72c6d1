//! Links: the `key=value&...` text an experiment is saved as, the schema of its keys and the
//! named enums its values use. The ground layer: it imports nothing of the crate.

pub mod edit;
pub mod escape;
pub mod names;
pub mod page;
pub mod schema;

use escape::decode_pair;
use schema::Bound;

/// The link format this code writes. A link's `v` names the defaults its missing keys take:
/// v=1 links (selection on the training loss, the scaled size cost) still open as they did;
/// a link without `v` takes the current defaults; other versions are refused.
pub const LINK_VERSION: u32 = 2;
/// Every version this code reads.
pub const LINK_VERSIONS: &[u32] = &[1, 2];

/// The version a link's `v` names, if this code reads it.
pub fn version(value: &str) -> Result<u32, String> {
    let supported = || {
        let list: Vec<String> = LINK_VERSIONS.iter().map(|v| format!("v={v}")).collect();
        format!("v: link version '{value}' is not supported (this page reads {})", list.join(" or "))
    };
    value.parse::<u32>().ok().filter(|v| LINK_VERSIONS.contains(v)).ok_or_else(supported)
}

/// A link's pairs (`#key=value&...`, the leading `#` or `?` optional), each decoded on its own:
/// a broken pair is an error only when it is reached, so the first problem in link order is
/// the one a reader is told of.
pub struct Pairs(Vec<Result<(String, String), String>>);

impl Pairs {
    pub fn of(link: &str) -> Pairs {
        Pairs(link.trim().trim_start_matches(['#', '?']).split('&').filter(|p| !p.is_empty()).map(decode_pair).collect())
    }

    /// The value of the first well-formed pair with `key`.
    pub fn first(&self, key: &str) -> Option<&str> {
        self.0.iter().find_map(|p| p.as_ref().ok().filter(|(k, _)| k == key).map(|(_, v)| v.as_str()))
    }

    /// Hands every pair to `apply` in link order; a broken pair or a key given twice is an
    /// error. Returns the keys given.
    pub fn each(&self, mut apply: impl FnMut(&str, &str) -> Result<(), String>) -> Result<Vec<&str>, String> {
        let mut given: Vec<&str> = Vec::new();
        for pair in &self.0 {
            let (key, value) = pair.as_ref().map_err(String::clone)?;
            if given.contains(&key.as_str()) {
                return Err(format!("{key}: given more than once"));
            }
            apply(key, value)?;
            given.push(key);
        }
        Ok(given)
    }
}

/// A comma list of names, none twice, each read by `parse` (an error names `key`).
pub(crate) fn parse_list<T: PartialEq>(key: &str, value: &str, parse: fn(&str) -> Result<T, String>, name: fn(&T) -> &'static str) -> Result<Vec<T>, String> {
    let mut items: Vec<T> = Vec::new();
    for text in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let item = parse_enum(key, text, parse)?;
        if items.contains(&item) {
            return Err(format!("{key}: '{}' is named twice", name(&item)));
        }
        items.push(item);
    }
    Ok(items)
}

/// Reads an enum-valued setting, naming the key (and, by `parse`, the allowed values) on error.
pub(crate) fn parse_enum<T>(key: &str, value: &str, parse: fn(&str) -> Result<T, String>) -> Result<T, String> {
    parse(value).map_err(|e| format!("{key}: {e}"))
}

/// Reads a 0/1 (or false/true) setting.
pub(crate) fn parse_flag(key: &str, value: &str) -> Result<bool, String> {
    match value {
        "1" | "true" => Ok(true),
        "0" | "false" => Ok(false),
        _ => Err(format!("{key}: '{value}' is not 0 or 1")),
    }
}

/// Reads a number and checks it against its key's bounds (and wholeness).
pub(crate) fn parse_number(bound: &Bound, value: &str) -> Result<f64, String> {
    let range = format!("allowed {} to {}", bound.min, bound.max);
    let v: f64 = value.parse().map_err(|_| format!("{}: '{}' is not a number ({})", bound.key, value, range))?;
    if !v.is_finite() {
        return Err(format!("{}: '{}' is not a finite number ({})", bound.key, value, range));
    }
    if v < bound.min || v > bound.max {
        return Err(format!("{}: {} is out of range ({})", bound.key, value, range));
    }
    if bound.integer && v.fract() != 0.0 {
        return Err(format!("{}: {} is not a whole number ({})", bound.key, value, range));
    }
    Ok(v)
}

/// Reads a key every scene reads alike: a page key, the version, or `scene`, which must name
/// `scene` (called `title` in the error); `None` for any other key.
pub(crate) fn apply_shared(page: &mut page::Page, scene: &str, title: &str, key: &str, value: &str) -> Option<Result<(), String>> {
    match key {
        "v" => Some(version(value).map(drop)),
        "scene" if value == scene => Some(Ok(())),
        "scene" => Some(Err(format!("scene: '{value}' is not {title} (scene={scene})"))),
        _ => page.apply(key, value),
    }
}

/// The pairs of `pairs` that `defaults` (the same settings at their defaults, as pairs) does
/// not hold: what a link must write, the rest being the defaults its version names.
pub fn changed(pairs: Vec<String>, defaults: &[String]) -> Vec<String> {
    pairs.into_iter().filter(|pair| !defaults.contains(pair)).collect()
}

/// The error for a key a scene does not read, listing those it does.
pub(crate) fn unknown_key(key: &str, known: &[&str]) -> String {
    format!("unknown key '{key}' (known: {})", known.join(", "))
}
