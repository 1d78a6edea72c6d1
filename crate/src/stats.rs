//! Statistics over seeds: the mean and 95% band (Student's t x standard error) of a sample.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// The two-sided 95% quantile of Student's t with `df` degrees of freedom (the 97.5th
/// percentile), exact to statrs' incomplete-beta inverse; `df` 0 has none and gives 0.
pub fn t_975(df: usize) -> f64 {
    match StudentsT::new(0.0, 1.0, df as f64) {
        Ok(t) => t.inverse_cdf(0.975),
        Err(_) => 0.0,
    }
}

/// Mean and 95% band of `values`: mean +- t(n - 1) x standard error (the band is the mean
/// alone for fewer than two values).
pub fn band(values: &[f32]) -> (f32, f32, f32) {
    if values.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    let n = values.len() as f32;
    let mean = values.iter().sum::<f32>() / n;
    if values.len() < 2 {
        return (mean, mean, mean);
    }
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / (n - 1.0);
    let half = t_975(values.len() - 1) as f32 * (var / n).sqrt();
    (mean, mean - half, mean + half)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_matches_published_two_sided_95_percent_values() {
        let published = [(1, 12.706), (2, 4.303), (4, 2.776), (9, 2.262), (29, 2.045), (30, 2.042), (31, 2.040), (60, 2.000), (99, 1.984)];
        for (df, t) in published {
            assert!((t_975(df) - t).abs() < 1e-3, "df {df}: {} against {t}", t_975(df));
        }
    }

    #[test]
    fn t_falls_with_df_towards_the_normal() {
        let ts: Vec<f64> = (1..=10_000).map(t_975).collect();
        assert!(ts.windows(2).all(|w| w[0] > w[1]), "t is not strictly decreasing in df");
        assert!(ts[9_999] > 1.959_96 && ts[9_999] < 1.961);
        assert_eq!(t_975(0), 0.0);
    }

    #[test]
    fn the_band_narrows_as_seeds_grow_with_the_same_spread() {
        // Halves at 0 and 1: the standard error is 0.5 / sqrt(n - 1), so the band is t(n - 1) x that.
        let widths: Vec<f32> = (2..=100)
            .step_by(2)
            .map(|n| {
                let values: Vec<f32> = (0..n).map(|i| (i % 2) as f32).collect();
                let (mean, low, high) = band(&values);
                assert!((mean - 0.5).abs() < 1e-6 && (high - mean - (mean - low)).abs() < 1e-6);
                high - low
            })
            .collect();
        assert!((widths[0] - 2.0 * 12.706 * 0.5).abs() < 1e-2, "{}", widths[0]);
        assert!(widths.windows(2).all(|w| w[0] > w[1]), "{widths:?}");
        assert_eq!(band(&[0.5]), (0.5, 0.5, 0.5));
        assert_eq!(band(&[]), (0.0, 0.0, 0.0));
    }
}
