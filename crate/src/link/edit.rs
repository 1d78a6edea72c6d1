//! Link edits on its pairs: set a key, drop keys, read one. Each pair is decoded and written
//! back by the codec's own escapes, so the page never edits link text by hand.

use super::escape::{decode_pair, percent_encode};

/// The pairs of a link (`#key=value&...`, the leading `#` or `?` optional), decoded, in order.
pub fn pairs(link: &str) -> Result<Vec<(String, String)>, String> {
    link.trim().trim_start_matches(['#', '?']).split('&').filter(|p| !p.is_empty()).map(decode_pair).collect()
}

/// Pairs as link text, keys and values escaped where they need it.
pub fn write(pairs: &[(String, String)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v))).collect::<Vec<_>>().join("&")
}

/// The link with `key` set to `value`: in its place if the link has it, else at the end.
pub fn with(link: &str, key: &str, value: &str) -> Result<String, String> {
    let mut all = pairs(link)?;
    match all.iter_mut().find(|(k, _)| k == key) {
        Some(pair) => pair.1 = value.to_string(),
        None => all.push((key.to_string(), value.to_string())),
    }
    Ok(write(&all))
}

/// The link without any of `keys`.
pub fn without(link: &str, keys: &[&str]) -> Result<String, String> {
    let all: Vec<(String, String)> = pairs(link)?.into_iter().filter(|(k, _)| !keys.contains(&k.as_str())).collect();
    Ok(write(&all))
}

/// The value `key` has in the link, if it has one: its first well-formed pair, decoded, so a
/// link refused for another pair still says what it asked for (a broken embed still embeds).
pub fn value_of(link: &str, key: &str) -> Option<String> {
    super::Pairs::of(link).first(key).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::Experiment;

    #[test]
    fn edits_keep_the_other_pairs_and_escape_what_needs_it() {
        let link = "#v=2&dataset=xor&compare=neat,aging&seed=3";
        assert_eq!(with(link, "seed", "7").unwrap(), "v=2&dataset=xor&compare=neat,aging&seed=7", "in its place");
        assert_eq!(with(link, "noise", "0.5").unwrap(), "v=2&dataset=xor&compare=neat,aging&seed=3&noise=0.5", "at the end");
        assert_eq!(without(link, &["compare", "seed", "absent"]).unwrap(), "v=2&dataset=xor");
        assert_eq!(value_of(link, "compare").as_deref(), Some("neat,aging"));
        assert_eq!(value_of(link, "genome"), None);
        assert_eq!(value_of("%%%&embed=%31&lr=x", "embed").as_deref(), Some("1"), "decoded, whatever else is broken");
        // Text that would break the link is escaped, and decodes back to itself.
        let odd = "a&b=c %d+é";
        let edited = with("x=1", "k", odd).unwrap();
        assert_eq!(edited, "x=1&k=a%26b%3Dc%20%25d%2B%C3%A9");
        assert_eq!(value_of(&edited, "k").as_deref(), Some(odd));
        assert!(with("broken", "k", "v").unwrap_err().contains("not key=value"));
    }

    #[test]
    fn a_canonical_link_comes_back_unchanged() {
        for link in ["", "dataset=spiral&compare=neat,aging&show=network,boundary&embed=1", "scene=cells&compare=random,local"] {
            let canonical = Experiment::from_link(link).unwrap().to_link();
            assert_eq!(write(&pairs(&canonical).unwrap()), canonical);
            let edited = Experiment::from_link(&with(&canonical, "seeds", "9").unwrap()).unwrap();
            let seeds = match edited {
                Experiment::Neat(config) => config.seeds,
                Experiment::Cells(config) => config.seeds,
                Experiment::Recurrent(config) => config.population,
                Experiment::Modules(config) => config.blueprints,
            };
            assert_eq!(seeds, 9);
        }
        let canonical = Experiment::from_link("scene=recurrent&task=reber&start=random").unwrap().to_link();
        assert_eq!(write(&pairs(&canonical).unwrap()), canonical);
        assert_eq!(canonical, "v=2&scene=recurrent&task=reber&start=random");
        let canonical = Experiment::from_link("scene=modules&dataset=mnist1d&shuffled=1&epochs=5").unwrap().to_link();
        assert_eq!(write(&pairs(&canonical).unwrap()), canonical);
        assert_eq!(canonical, "v=2&scene=modules&shuffled=1&epochs=5");
    }
}
