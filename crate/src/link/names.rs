//! Named enums: one table gives each variant its link name, parsing, listing and serde form.
//!
//! Every enum a link, the JSON output or the page names is declared with `named_enum!`, so its
//! names are written once: serde reads and writes the same names the link codec does, and the
//! page lists `NAMES` instead of spelling them again.

/// Declares an enum whose variants are named by string literals: `ALL` and `NAMES` in
/// declaration order, `name()`, `from_name()` (an error lists every name, after the noun if
/// one is given: `strategy 'x' is not one of ...`) and serde as those names.
macro_rules! named_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident $(: $noun:literal)? { $($(#[$vmeta:meta])* $variant:ident = $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name { $($(#[$vmeta])* $variant),* }

        impl $name {
            /// Every variant, in the order links and the page list them.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// Every variant's name, in the same order.
            pub const NAMES: &'static [&'static str] = &[$($text),*];

            /// The name links, JSON and the page use.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            pub fn from_name(text: &str) -> Result<$name, String> {
                match text {
                    $($text => Ok($name::$variant),)*
                    _ => Err(format!(concat!($($noun, " ",)? "'{}' is not one of {}"), text, Self::NAMES.join(", "))),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.name())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(deserializer)?;
                $name::from_name(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use named_enum;

#[cfg(test)]
mod tests {
    named_enum! {
        /// A test enum.
        enum Fruit: "fruit" { Apple = "apple", BloodOrange = "blood-orange" }
    }
    named_enum! {
        enum Bare { One = "one" }
    }

    #[test]
    fn names_parse_list_and_serialise_alike() {
        assert_eq!(Fruit::NAMES, ["apple", "blood-orange"]);
        assert_eq!(Fruit::ALL, [Fruit::Apple, Fruit::BloodOrange]);
        for &f in Fruit::ALL {
            assert_eq!(Fruit::from_name(f.name()), Ok(f));
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(json, format!("\"{}\"", f.name()));
            assert_eq!(serde_json::from_str::<Fruit>(&json).unwrap(), f);
        }
        assert_eq!(Fruit::from_name("pear"), Err("fruit 'pear' is not one of apple, blood-orange".to_string()));
        assert_eq!(Bare::ALL, [Bare::One]);
        assert_eq!(Bare::from_name("two"), Err("'two' is not one of one".to_string()));
        assert!(serde_json::from_str::<Fruit>("\"pear\"").unwrap_err().to_string().contains("not one of"));
    }
}
