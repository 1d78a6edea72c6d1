//! Fitness attribution: every blueprint and module gets the mean score of the networks it took
//! part in this generation (CoDeepNEAT), and none if it took part in none.

use serde::{Deserialize, Serialize};

/// One assembled network's part: its blueprint, the modules substituted into it (each once),
/// and what it scored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub blueprint: usize,
    pub modules: Vec<usize>,
    pub accuracy: f32,
    pub parameters: usize,
}

/// A genome's mean accuracy and parameter count over its networks.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mean {
    pub accuracy: f32,
    pub parameters: f32,
    pub networks: usize,
}

/// The means over `parts` for each of `blueprints` blueprints and `modules` modules (none for
/// a genome in no network). A module used at several nodes of one network counts once there.
pub fn attribute(parts: &[Part], blueprints: usize, modules: usize) -> (Vec<Option<Mean>>, Vec<Option<Mean>>) {
    let mut b = vec![(0.0f64, 0.0f64, 0usize); blueprints];
    let mut m = vec![(0.0f64, 0.0f64, 0usize); modules];
    for part in parts {
        let add = |slot: &mut (f64, f64, usize)| {
            slot.0 += f64::from(part.accuracy);
            slot.1 += part.parameters as f64;
            slot.2 += 1;
        };
        add(&mut b[part.blueprint]);
        let mut seen: Vec<usize> = part.modules.clone();
        seen.sort_unstable();
        seen.dedup();
        seen.into_iter().for_each(|k| add(&mut m[k]));
    }
    let mean = |&(acc, params, n): &(f64, f64, usize)| {
        (n > 0).then(|| Mean { accuracy: (acc / n as f64) as f32, parameters: (params / n as f64) as f32, networks: n })
    };
    (b.iter().map(mean).collect(), m.iter().map(mean).collect())
}
