//! The schema's parts: a numeric key's bounds, a key's row for the page, and the macro that
//! makes a scene's settings section from its table of keys.
//!
//! Each scene lists its numeric keys once, in a `settings!` table (type, default, bounds, doc);
//! the macro derives the section's struct, its defaults and its bounds from it, so a key, its
//! bounds and its default are written in one place and nowhere else.

use serde::Serialize;

/// One numeric setting's key, bounds and meaning, for errors and for the page.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Bound {
    pub key: &'static str,
    /// What the page calls it.
    pub label: &'static str,
    pub min: f64,
    pub max: f64,
    pub integer: bool,
    pub doc: &'static str,
}

/// One link key as the page and its users see it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeyDoc {
    pub key: &'static str,
    /// The scene that reads it: `neat`, `cells` or `all`. A key both scenes read with different
    /// meanings or defaults (`dataset`, `compare`, `population`, ...) has one row per scene.
    pub scene: &'static str,
    /// What the page calls it: its control's label.
    pub label: &'static str,
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
    /// What each name means, in the same order, for the page's help text (empty: no help of their own).
    pub helps: Vec<&'static str>,
    pub doc: &'static str,
    /// What the key is part of: `experiment` (what runs), `comparison` (how a scene's comparison
    /// panel compares strategies on it: changing one keeps the run) or `page` (how the page
    /// shows it: an embed, autoplay, its views).
    pub part: &'static str,
}

impl KeyDoc {
    /// A key whose values are names (or free text): `kind` enum, list, flag or text.
    pub fn choice(key: &'static str, scene: &'static str, kind: &'static str, names: &[&'static str], default: &str, doc: &'static str) -> KeyDoc {
        KeyDoc {
            key,
            scene,
            label: "",
            kind,
            default: default.to_string(),
            min: None,
            max: None,
            names: names.to_vec(),
            labels: Vec::new(),
            helps: Vec::new(),
            doc,
            part: "experiment",
        }
    }

    /// The same row with what the page calls the key.
    pub fn called(self, label: &'static str) -> KeyDoc {
        KeyDoc { label, ..self }
    }

    /// A numeric key's row, with the default as the link writes it.
    pub fn number(bound: &Bound, scene: &'static str, default: String) -> KeyDoc {
        KeyDoc {
            key: bound.key,
            scene,
            label: bound.label,
            kind: if bound.integer { "integer" } else { "number" },
            default,
            min: Some(bound.min),
            max: Some(bound.max),
            names: Vec::new(),
            labels: Vec::new(),
            helps: Vec::new(),
            doc: bound.doc,
            part: "experiment",
        }
    }

    /// The same row with the page's label for each name.
    pub fn labelled(self, labels: &[&'static str]) -> KeyDoc {
        KeyDoc { labels: labels.to_vec(), ..self }
    }

    /// The same row as part of `part` (see `KeyDoc::part`).
    pub fn part_of(self, part: &'static str) -> KeyDoc {
        KeyDoc { part, ..self }
    }

    /// The same row with what each name means.
    pub fn helped(self, helps: &[&'static str]) -> KeyDoc {
        KeyDoc { helps: helps.to_vec(), ..self }
    }
}

/// Every key a scene reads, in schema order: the version and the scene (which every scene
/// reads), then the scene's own `rows`.
pub fn key_names(rows: &[KeyDoc]) -> Vec<&'static str> {
    let mut names = vec!["v", "scene"];
    names.extend(rows.iter().map(|k| k.key));
    names
}

/// The number types a key can hold, and whether they are whole.
pub trait Numeric {
    const INTEGER: bool;
    fn from_f64(v: f64) -> Self;
}
impl Numeric for f32 {
    const INTEGER: bool = false;
    fn from_f64(v: f64) -> f32 {
        v as f32
    }
}
impl Numeric for usize {
    const INTEGER: bool = true;
    fn from_f64(v: f64) -> usize {
        v as usize
    }
}
impl Numeric for u64 {
    const INTEGER: bool = true;
    fn from_f64(v: f64) -> u64 {
        v as u64
    }
}

/// A settings section: the struct with its other fields (`name: type = default`) and its
/// numeric keys (`key: type = default, [min, max], "label", "doc";`, in link order),
/// `Default`, `NUMERIC` (the keys' bounds), `BOUNDS` (each by name), `apply_number` (a key read
/// from the link), `number_pairs` (them written back) and `number_rows` (their schema rows).
macro_rules! settings {
    (
        $(#[$meta:meta])* pub struct $name:ident, $bounds:ident {
            $($(#[$fmeta:meta])* $field:ident : $fty:ty = $fdefault:expr,)*
        }
        numbers { $($key:ident : $ty:ty = $default:expr, [$min:expr, $max:expr], $label:literal, $doc:literal;)* }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, serde::Serialize)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $fty,)*
            $(#[doc = $doc] pub $key: $ty,)*
        }

        impl Default for $name {
            fn default() -> Self {
                $name { $($field: $fdefault,)* $($key: $default,)* }
            }
        }

        /// Each numeric key's bounds, by name.
        pub struct $bounds { $(pub $key: $crate::link::schema::Bound,)* }

        impl $name {
            /// Bounds of every numeric key of this section, in link order.
            pub const NUMERIC: &'static [$crate::link::schema::Bound] = &[$(Self::BOUNDS.$key,)*];
            pub const BOUNDS: $bounds = $bounds {
                $($key: $crate::link::schema::Bound {
                    key: stringify!($key),
                    label: $label,
                    min: $min as f64,
                    max: $max as f64,
                    integer: <$ty as $crate::link::schema::Numeric>::INTEGER,
                    doc: $doc,
                },)*
            };

            /// Sets a numeric key from its link text, checked against its bounds; `None` when
            /// `key` is not one of this section's.
            fn apply_number(&mut self, key: &str, value: &str) -> Option<Result<(), String>> {
                let bound = Self::NUMERIC.iter().find(|b| b.key == key)?;
                Some($crate::link::parse_number(bound, value).map(|v| match key {
                    $(stringify!($key) => self.$key = <$ty as $crate::link::schema::Numeric>::from_f64(v),)*
                    _ => unreachable!("every bound names a field"),
                }))
            }

            /// The numeric keys as the link writes them, in link order: the shortest text that
            /// reads back exactly.
            fn number_pairs(&self) -> Vec<String> {
                vec![$(format!("{}={}", stringify!($key), self.$key),)*]
            }

            /// The numeric keys' schema rows as `scene` reads them, defaults from `self`.
            fn number_rows(&self, scene: &'static str) -> Vec<$crate::link::schema::KeyDoc> {
                vec![$($crate::link::schema::KeyDoc::number(&Self::BOUNDS.$key, scene, self.$key.to_string()),)*]
            }
        }
    };
}
pub(crate) use settings;
