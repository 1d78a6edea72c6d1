//! Links: the `key=value&...` text an experiment is saved as, the schema of its keys and the
//! named enums its values use. The ground layer: it imports nothing of the crate.

pub mod edit;
pub mod escape;
pub mod names;
pub mod schema;

use schema::Bound;

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
