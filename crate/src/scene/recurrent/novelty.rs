//! Novelty search's part of selection (Lehman & Stanley 2011, as Rawal & Miikkulainen 2018 use
//! it): an archive of behaviour descriptors, a cell's novelty as its mean distance to the
//! nearest of them, and tournament costs that blend the loss's rank with the novelty's.

/// Nearest neighbours a novelty averages over.
const NEIGHBOURS: usize = 5;
/// Descriptors the archive keeps (the oldest leave first).
const ARCHIVE: usize = 200;

/// The behaviours seen so far: each generation's most novel child joins.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Archive {
    pub descriptors: Vec<Vec<f32>>,
}

fn distance(a: &[f32], b: &[f32]) -> f32 {
    let sum: f32 = a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum();
    libm::sqrtf(sum)
}

/// The mean distance from `behaviour` to its `NEIGHBOURS` nearest among `others` (0 when there
/// are none).
pub fn novelty(behaviour: &[f32], others: &[&[f32]]) -> f32 {
    let mut d: Vec<f32> = others.iter().map(|o| distance(behaviour, o)).collect();
    d.sort_by(f32::total_cmp);
    let k = NEIGHBOURS.min(d.len());
    if k == 0 {
        0.0
    } else {
        d[..k].iter().sum::<f32>() / k as f32
    }
}

impl Archive {
    /// Each behaviour's novelty against the archive and the other behaviours.
    pub fn novelties(&self, behaviours: &[&[f32]]) -> Vec<f32> {
        (0..behaviours.len())
            .map(|i| {
                let others: Vec<&[f32]> =
                    behaviours.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, b)| *b).chain(self.descriptors.iter().map(|d| d.as_slice())).collect();
                novelty(behaviours[i], &others)
            })
            .collect()
    }

    /// Keeps `behaviour` (the oldest leave once the archive is full).
    pub fn add(&mut self, behaviour: &[f32]) {
        if self.descriptors.len() == ARCHIVE {
            self.descriptors.remove(0);
        }
        self.descriptors.push(behaviour.to_vec());
    }
}

/// Tournament costs: `(1 - weight)` times the loss's rank plus `weight` times the novelty's rank
/// (most novel first), ranks from 0; ties keep the lower index first.
pub fn blended(costs: &[f32], novelties: &[f32], weight: f32) -> Vec<f32> {
    let rank = |key: &dyn Fn(usize) -> f32| {
        let mut order: Vec<usize> = (0..costs.len()).collect();
        order.sort_by(|&a, &b| key(a).total_cmp(&key(b)).then(a.cmp(&b)));
        let mut rank = vec![0.0; costs.len()];
        order.iter().enumerate().for_each(|(r, &i)| rank[i] = r as f32);
        rank
    };
    let loss = rank(&|i| if costs[i].is_nan() { f32::INFINITY } else { costs[i] });
    let novel = rank(&|i| -novelties[i]);
    loss.iter().zip(&novel).map(|(l, n)| (1.0 - weight) * l + weight * n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn novelty_is_the_mean_distance_to_the_nearest() {
        let far = [10.0, 0.0];
        let near = [[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]];
        let others: Vec<&[f32]> = near.iter().map(|p| p.as_slice()).collect();
        assert_eq!(novelty(&[0.0, 0.0], &others), (0.0 + 1.0 + 2.0) / 3.0);
        assert!(novelty(&far, &others) > 8.0);
        assert_eq!(novelty(&far, &[]), 0.0);
    }

    #[test]
    fn blended_costs_trade_the_loss_rank_for_the_novelty_rank() {
        let (costs, novelties) = ([0.1, 0.5, 0.3], [0.0, 9.0, 1.0]);
        assert_eq!(blended(&costs, &novelties, 0.0), vec![0.0, 2.0, 1.0]);
        assert_eq!(blended(&costs, &novelties, 1.0), vec![2.0, 0.0, 1.0]);
        assert_eq!(blended(&costs, &novelties, 0.5), vec![1.0, 1.0, 1.0]);
    }
}
