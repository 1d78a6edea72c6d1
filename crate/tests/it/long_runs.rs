//! Long runs stay small and generalise: size pressure holds once the loss nears zero, and the
//! champion, chosen on the validation share, keeps its test accuracy as the run goes on.
//!
//! The bounds come from the README's 1,000-generation table, at CI sizes.

use evonas::{Config, Run};

/// The champion's (enabled connections, test accuracy) at each generation of `marks`.
fn champions(link: &str, marks: &[u64]) -> Vec<(usize, f32)> {
    let mut run = Run::new(Config::from_link(link).unwrap()).unwrap();
    let last = *marks.last().unwrap();
    (1..=last).map(|_| run.step()).filter(|s| marks.contains(&s.generation)).map(|s| (s.best.connections, s.best.test_accuracy)).collect()
}

fn median(mut v: Vec<f32>) -> f32 {
    v.sort_by(f32::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// Over seeds 1..=seeds: the median growth of the champion from the first mark to the last,
/// and its median test accuracy at each.
fn growth(link: &str, seeds: u64, marks: &[u64]) -> (f32, f32, f32) {
    let runs: Vec<Vec<(usize, f32)>> = (1..=seeds).map(|s| champions(&format!("{link}&seed={s}"), marks)).collect();
    eprintln!("{link}: (connections, test accuracy) at {marks:?}: {runs:?}");
    let last = marks.len() - 1;
    let ratio = median(runs.iter().map(|r| r[last].0 as f32 / r[0].0 as f32).collect());
    (ratio, median(runs.iter().map(|r| r[0].1).collect()), median(runs.iter().map(|r| r[last].1).collect()))
}

#[test]
fn champions_stop_growing_once_they_fit() {
    for dataset in ["spiral", "circle"] {
        let (ratio, early, late) = growth(&format!("dataset={dataset}&population=30"), 3, &[100, 300]);
        assert!(ratio <= 1.5, "{dataset}: the champion grew {ratio:.2}x from generation 100 to 300");
        // Three seeds of 200 test points: a champion that trades places moves a few of them.
        assert!(late >= early - 0.02, "{dataset}: median test accuracy fell from {early} to {late}");
    }
}

#[test]
fn version_1_links_keep_their_growth() {
    // The scaled cost on the training loss: what the added cost and the validation share fix.
    let (ratio, _, _) = growth("v=1&dataset=spiral&population=30", 3, &[100, 300]);
    assert!(ratio > 1.5, "version 1 links should still grow as they did ({ratio:.2}x)");
}

#[test]
fn champions_chosen_on_the_validation_share_keep_generalising_on_noisy_data() {
    // README's table (defaults, seeds 1-5): version 1 links fall from 0.89 at generation 100 to
    // 0.785 at 300 as their champions overfit; input noise and the validation share reach 0.90
    // by 100 and hold 0.915 at 300. Seeds 1-3 give 0.90 and 0.905; a champion that trades
    // places moves a few of the 200 test points, hence 0.02 of slack.
    let (_, early, late) = growth("dataset=spiral&noise=0.5", 3, &[100, 300]);
    assert!(early >= 0.88, "median test accuracy at generation 100 is {early}");
    assert!(late >= early - 0.02, "median test accuracy fell from {early} to {late}");
}
