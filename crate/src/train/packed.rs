//! Trained results as one flat f32 array, the form they cross between workers and wasm in.
//!
//! Per genome, in order: loss, train accuracy, test accuracy, failed (0 or 1), active
//! connections, the weight count n, then its n weights. A page's trainers (wasm or WebGPU)
//! pack, the run's worker unpacks; tests/gpu.test.mjs reads the same layout.

use super::{Outcome, Trained};

/// Values before each genome's weights.
pub const HEADER: usize = 6;

/// Every result, concatenated in genome order.
pub fn pack(trained: &[Trained]) -> Vec<f32> {
    let mut out = Vec::with_capacity(trained.iter().map(|t| HEADER + t.weights.len()).sum());
    for t in trained {
        let o = t.outcome;
        out.extend([o.loss, o.train_accuracy, o.test_accuracy, o.failed as u8 as f32, o.active_connections as f32]);
        out.push(t.weights.len() as f32);
        out.extend(&t.weights);
    }
    out
}

/// The results `pack` made, or an error naming what is cut short or malformed.
pub fn unpack(packed: &[f32]) -> Result<Vec<Trained>, String> {
    let mut out = Vec::new();
    let mut rest = packed;
    while !rest.is_empty() {
        let (head, tail) = rest.split_at_checked(HEADER).ok_or_else(|| format!("truncated training results (genome {})", out.len()))?;
        let count = |v: f32, what: &str| {
            if v >= 0.0 && v.fract() == 0.0 && v <= u32::MAX as f32 {
                Ok(v as usize)
            } else {
                Err(format!("genome {}: {what} {v} is not a count", out.len()))
            }
        };
        let (active_connections, n) = (count(head[4], "active connections")?, count(head[5], "weight count")?);
        let (weights, tail) = tail.split_at_checked(n).ok_or_else(|| format!("truncated training weights (genome {})", out.len()))?;
        let outcome = Outcome { loss: head[0], train_accuracy: head[1], test_accuracy: head[2], failed: head[3] != 0.0, active_connections };
        out.push(Trained { outcome, weights: weights.to_vec() });
        rest = tail;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trained(loss: f32, failed: bool, weights: &[f32]) -> Trained {
        let outcome = Outcome { loss, train_accuracy: 0.75, test_accuracy: 0.5, failed, active_connections: weights.len() };
        Trained { outcome, weights: weights.to_vec() }
    }

    #[test]
    fn results_round_trip_in_the_documented_layout() {
        let results = vec![trained(0.25, false, &[1.0, -2.0]), trained(f32::INFINITY, true, &[]), trained(0.5, false, &[3.5])];
        let packed = pack(&results);
        assert_eq!(&packed[..8], &[0.25, 0.75, 0.5, 0.0, 2.0, 2.0, 1.0, -2.0], "header then weights");
        assert_eq!(packed.len(), 3 * HEADER + 3);
        assert_eq!(unpack(&packed).unwrap(), results);
        assert_eq!(unpack(&[]).unwrap(), Vec::<Trained>::new());
    }

    #[test]
    fn cut_or_malformed_input_is_an_error_naming_the_genome() {
        let packed = pack(&[trained(0.25, false, &[1.0, -2.0]), trained(0.5, false, &[3.5])]);
        assert!(unpack(&packed[..packed.len() - 1]).unwrap_err().contains("weights (genome 1)"));
        assert!(unpack(&packed[..3]).unwrap_err().contains("results (genome 0)"));
        let mut bad = packed.clone();
        bad[5] = -1.0;
        assert!(unpack(&bad).unwrap_err().contains("weight count -1"));
        bad[5] = f32::NAN;
        assert!(unpack(&bad).unwrap_err().contains("not a count"));
    }
}
