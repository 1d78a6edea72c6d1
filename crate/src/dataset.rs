//! The 2-D classification data: circle, xor, gaussians, spiral, or points drawn by hand.
//!
//! Shapes follow the well-known playgrounds: points in about [-6, 6]^2, labels 0/1, classes
//! balanced, `noise` moving points away from their class's shape. All draws come from the
//! run's seed, so a link always yields the same points.

use crate::link::names::named_enum;
use crate::rng::{Purpose, Stream};

named_enum! {
    /// The shapes (`custom`: the points drawn by hand).
    pub enum DatasetKind { Circle = "circle", Xor = "xor", Gauss = "gauss", Spiral = "spiral", Custom = "custom" }
}

/// What to draw: the few settings the points depend on (the link keys of the same names).
#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    pub kind: DatasetKind,
    pub points: usize,
    pub noise: f32,
    /// Fraction of the points used for training.
    pub train: f32,
    /// Fraction of the training points held out for selection.
    pub valid: f32,
    pub seed: u64,
    /// Points drawn by hand or imported, `(x, y, label byte)` (`Split::byte`), for `Custom`.
    pub custom: Vec<(f32, f32, u8)>,
}

/// Where a custom point goes: by the `train` fraction like a generated point, or where an
/// imported file's split column put it. Links carry it in a point's label byte (`Split::byte`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    Fraction = 0,
    Train = 1,
    Test = 2,
}

impl Split {
    /// The split of its code (0, 1, 2), as the page and the label byte write it.
    pub fn from_code(code: u8) -> Option<Split> {
        [Split::Fraction, Split::Train, Split::Test].get(code as usize).copied()
    }

    /// The label byte of a point of `class` (0 or 1): bit 0 the class, bits 1-2 the split, so
    /// points without a split (every link from before splits) hold 0 or 1, as they always did.
    pub fn byte(self, class: u8) -> u8 {
        (class & 1) | (self as u8) << 1
    }

    /// A label byte's class and split; none for the bytes no split has (6 and above).
    pub fn of_byte(byte: u8) -> Option<(u8, Split)> {
        Some((byte & 1, Split::from_code(byte >> 1)?))
    }
}

/// Half the side of the square every view draws: the plane is [-EXTENT, EXTENT]^2.
pub const EXTENT: f32 = 6.0;
const RADIUS: f32 = 5.0;

/// Points as columns (structure of arrays), the layout the trainers read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Points {
    pub x: Vec<f32>,
    pub y: Vec<f32>,
    /// 0.0 or 1.0.
    pub label: Vec<f32>,
}

impl Points {
    pub fn len(&self) -> usize {
        self.x.len()
    }

    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    fn push(&mut self, x: f32, y: f32, label: f32) {
        self.x.push(x);
        self.y.push(y);
        self.label.push(label);
    }
}

/// The points of one experiment: the training points split into the ones backprop fits
/// (`train`) and the validation share selection scores on (`valid`, empty when the run holds
/// none back), and the test points, which only reports read.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub train: Points,
    pub valid: Points,
    pub test: Points,
}

impl Dataset {
    /// Every point a run learns from (fitted and validation), as the views draw them.
    pub fn seen(&self) -> Points {
        let mut all = self.train.clone();
        all.x.extend(&self.valid.x);
        all.y.extend(&self.valid.y);
        all.label.extend(&self.valid.label);
        all
    }

    /// The points a view draws: the test points, or every training point (`seen`).
    pub fn view(&self, test: bool) -> Points {
        if test {
            self.test.clone()
        } else {
            self.seen()
        }
    }

    /// The points selection scores a trained genome on: the validation share, or the training
    /// points where the run holds none back.
    pub fn selection(&self) -> &Points {
        if self.valid.is_empty() {
            &self.train
        } else {
            &self.valid
        }
    }
}

/// A shape's points as a dataset tile previews it: `count` of them (both classes), without
/// noise, from seed 1. Custom points have no shape: none.
pub fn preview(kind: DatasetKind, count: usize) -> Points {
    if kind == DatasetKind::Custom {
        return Points::default();
    }
    let spec = Spec { kind, points: count, noise: 0.0, train: 0.5, valid: 0.0, seed: 1, custom: Vec::new() };
    generate(&spec)
        .map(|d| {
            let mut all = d.seen();
            all.x.extend(&d.test.x);
            all.y.extend(&d.test.y);
            all.label.extend(&d.test.label);
            all
        })
        .unwrap_or_default()
}

/// Draws the experiment's points and splits them; custom points are shuffled and split alike.
pub fn generate(config: &Spec) -> Result<Dataset, String> {
    let mut rng = Stream::new(config.seed, Purpose::Dataset, 0, 0);
    let mut all: Vec<(f32, f32, f32, Split)> = match config.kind {
        DatasetKind::Custom => custom(&config.custom)?,
        kind => (0..config.points)
            .map(|i| {
                let label = (i % 2) as u8;
                let (x, y) = shape_point(kind, label, i / 2, config.points.div_ceil(2), config.noise, &mut rng);
                (x.clamp(-EXTENT, EXTENT), y.clamp(-EXTENT, EXTENT), label as f32, Split::Fraction)
            })
            .collect(),
    };
    for i in (1..all.len()).rev() {
        let j = rng.below(i + 1);
        all.swap(i, j);
    }
    let (training, test) = split(&all, config.train)?;
    // The validation share comes off the end of the training points; backprop keeps at least one.
    let n_valid = ((training.len() as f32 * config.valid).round() as usize).min(training.len() - 1);
    let n_fit = training.len() - n_valid;
    let (mut train, mut valid) = (Points::default(), Points::default());
    for i in 0..training.len() {
        let part = if i < n_fit { &mut train } else { &mut valid };
        part.push(training.x[i], training.y[i], training.label[i]);
    }
    Ok(Dataset { train, valid, test })
}

/// The training and the test points, each in the shuffled order: marked points where their
/// split says, unmarked ones by the `train` fraction. When none is marked (every shape, every
/// link from before splits) each side keeps at least one point, as it always did; when some
/// are, the marks decide, and a side left empty is an error.
fn split(all: &[(f32, f32, f32, Split)], fraction: f32) -> Result<(Points, Points), String> {
    let unmarked = all.iter().filter(|p| p.3 == Split::Fraction).count();
    let mut n_unmarked_train = (unmarked as f32 * fraction).round() as usize;
    if unmarked == all.len() {
        n_unmarked_train = n_unmarked_train.max(1).min(all.len().saturating_sub(1));
    }
    let (mut train, mut test, mut seen_unmarked) = (Points::default(), Points::default(), 0);
    for &(x, y, l, split) in all {
        let training = match split {
            Split::Train => true,
            Split::Test => false,
            Split::Fraction => {
                seen_unmarked += 1;
                seen_unmarked <= n_unmarked_train
            }
        };
        let part = if training { &mut train } else { &mut test };
        part.push(x, y, l);
    }
    if train.is_empty() {
        return Err("the custom points have no training point (every point is marked test)".to_string());
    }
    if test.is_empty() {
        return Err("the custom points have no test point (every point is marked train)".to_string());
    }
    Ok((train, test))
}

fn custom(points: &[(f32, f32, u8)]) -> Result<Vec<(f32, f32, f32, Split)>, String> {
    if points.len() < 2 {
        return Err(format!("the custom dataset needs at least 2 points, it has {}", points.len()));
    }
    points
        .iter()
        .map(|&(x, y, l)| {
            if !(x.is_finite() && y.is_finite()) || x.abs() > EXTENT || y.abs() > EXTENT {
                Err(format!("custom point ({x}, {y}) lies outside the plane [-{EXTENT}, {EXTENT}]^2"))
            } else {
                match Split::of_byte(l) {
                    Some((class, split)) => Ok((x, y, class as f32, split)),
                    None => Err(format!("custom point ({x}, {y}) has label {l}; labels are 0 or 1 (plus 2 for train, 4 for test)")),
                }
            }
        })
        .collect()
}

/// Point `i` of `n` of class `label` (1 = the positive class) of a generated shape.
fn shape_point(kind: DatasetKind, label: u8, i: usize, n: usize, noise: f32, rng: &mut Stream) -> (f32, f32) {
    let jitter = |rng: &mut Stream| noise * rng.uniform(-1.0, 1.0);
    match kind {
        DatasetKind::Circle => {
            // Positives fill the inner disc, negatives a ring around it, with a gap between.
            let r = if label == 1 { rng.uniform(0.0, 0.5 * RADIUS) } else { rng.uniform(0.7 * RADIUS, RADIUS) };
            let angle = rng.uniform(0.0, core::f32::consts::TAU);
            let (s, c) = libm::sincosf(angle);
            (r * s + jitter(rng), r * c + jitter(rng))
        }
        DatasetKind::Xor => {
            // Positives in the quadrants where x and y share a sign; kept 0.3 off the axes.
            let sx = if rng.chance(0.5) { 1.0 } else { -1.0 };
            let sy = if label == 1 { sx } else { -sx };
            let x = sx * rng.uniform(0.3, RADIUS);
            let y = sy * rng.uniform(0.3, RADIUS);
            (x + jitter(rng), y + jitter(rng))
        }
        DatasetKind::Gauss => {
            let centre = if label == 1 { 2.0 } else { -2.0 };
            let sigma = 0.5 + 1.5 * noise;
            (centre + sigma * rng.normal(), centre + sigma * rng.normal())
        }
        DatasetKind::Spiral | DatasetKind::Custom => {
            // Two interleaved arms, 1.75 turns each, the negative arm rotated by half a turn.
            let f = i as f32 / n as f32;
            let r = f * RADIUS;
            let t = 1.75 * f * core::f32::consts::TAU + if label == 1 { 0.0 } else { core::f32::consts::PI };
            let (s, c) = libm::sincosf(t);
            (r * s + jitter(rng), r * c + jitter(rng))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::neat::config::Config;

    #[test]
    fn a_preview_holds_both_classes_of_each_shape_on_the_plane() {
        let previews: Vec<Points> = DatasetKind::ALL.iter().map(|&kind| preview(kind, 120)).collect();
        for (&kind, points) in DatasetKind::ALL.iter().zip(&previews) {
            if kind == DatasetKind::Custom {
                assert!(points.is_empty(), "custom points have no shape");
                continue;
            }
            assert_eq!(points.len(), 120, "{}", kind.name());
            assert_eq!(points.label.iter().filter(|&&l| l == 1.0).count(), 60, "{}: both classes alike", kind.name());
            assert!(points.x.iter().chain(&points.y).all(|v| v.abs() <= EXTENT), "{}: on the plane", kind.name());
            assert_eq!(&preview(kind, 120), points, "{}: the same every time", kind.name());
        }
        for (i, a) in previews.iter().enumerate() {
            assert!(previews[i + 1..].iter().all(|b| a.is_empty() || a != b), "each shape its own");
        }
    }

    fn config(link: &str) -> Spec {
        Config::from_link(link).unwrap().data_spec()
    }

    #[test]
    fn generated_sets_are_balanced_split_and_in_the_plane() {
        for kind in ["circle", "xor", "gauss", "spiral"] {
            let d = generate(&config(&format!("dataset={kind}&points=400&train=0.5&valid=0.25&noise=0.5"))).unwrap();
            assert_eq!((d.train.len(), d.valid.len(), d.test.len()), (150, 50, 200));
            let positives: f32 = d.train.label.iter().chain(&d.valid.label).chain(&d.test.label).sum();
            assert_eq!(positives, 200.0, "{kind}");
            for p in [&d.train, &d.valid, &d.test] {
                assert!(p.x.iter().chain(&p.y).all(|v| v.abs() <= EXTENT));
            }
        }
    }

    #[test]
    fn noiseless_shapes_have_their_defining_rule() {
        let d = generate(&config("dataset=xor&noise=0")).unwrap();
        for i in 0..d.train.len() {
            let same_sign = d.train.x[i] * d.train.y[i] > 0.0;
            assert_eq!(same_sign, d.train.label[i] == 1.0);
        }
        let d = generate(&config("dataset=circle&noise=0")).unwrap();
        for i in 0..d.train.len() {
            let r = d.train.x[i].hypot(d.train.y[i]);
            assert_eq!(r < 3.0, d.train.label[i] == 1.0);
        }
    }

    #[test]
    fn the_validation_share_comes_off_the_training_points_only() {
        let without = generate(&config("dataset=spiral&valid=0")).unwrap();
        let with = generate(&config("dataset=spiral&valid=0.3")).unwrap();
        assert!(without.valid.is_empty());
        assert_eq!(with.test, without.test, "the test points do not move");
        assert_eq!(with.seen(), without.train, "fitted and validation points are the training points");
        assert_eq!((with.train.len(), with.valid.len()), (140, 60));
        assert_eq!(with.selection(), &with.valid);
        assert_eq!(without.selection(), &without.train);
        // Backprop keeps a point even when the share would take them all.
        let tiny = generate(&config("dataset=xor&points=10&train=0.1&valid=0.5")).unwrap();
        assert_eq!((tiny.train.len(), tiny.valid.len()), (1, 0));
    }

    #[test]
    fn the_seed_decides_the_points() {
        let a = generate(&config("seed=3")).unwrap();
        assert_eq!(a, generate(&config("seed=3")).unwrap());
        assert_ne!(a, generate(&config("seed=4")).unwrap());
    }

    #[test]
    fn custom_points_are_checked() {
        let mut c = config("dataset=custom");
        assert!(generate(&c).unwrap_err().contains("at least 2"));
        c.custom = vec![(1.0, 1.0, 1), (-1.0, 2.0, 0), (9.0, 0.0, 1)];
        assert!(generate(&c).unwrap_err().contains("outside"));
        c.custom.pop();
        let d = generate(&c).unwrap();
        assert_eq!(d.train.len() + d.test.len(), 2);
        c.custom.push((0.0, 0.0, 6));
        assert!(generate(&c).unwrap_err().contains("label 6"));
    }

    /// Marked points go where they are marked, whatever the fraction; unmarked ones split by it.
    #[test]
    fn marked_custom_points_keep_their_split() {
        let mut c = config("dataset=custom&train=0.5&valid=0.25");
        // x tells the points apart: 0-9 marked train, 10-14 test, 15-24 unmarked.
        let mark = |i: usize| {
            if i < 10 {
                Split::Train
            } else if i < 15 {
                Split::Test
            } else {
                Split::Fraction
            }
        };
        c.custom = (0..25).map(|i| (i as f32 / 5.0, 0.0, mark(i).byte(i as u8 % 2))).collect();
        let d = generate(&c).unwrap();
        let side = |p: &Points| p.x.iter().map(|x| mark((x * 5.0).round() as usize)).collect::<Vec<_>>();
        let (seen, test) = (side(&d.seen()), side(&d.test));
        assert_eq!(seen.iter().filter(|&&s| s == Split::Train).count(), 10);
        assert_eq!(test.iter().filter(|&&s| s == Split::Test).count(), 5);
        assert!(!seen.contains(&Split::Test) && !test.contains(&Split::Train));
        assert_eq!((seen.len(), test.len()), (15, 10), "half the 10 unmarked each way");
        assert_eq!((d.train.len(), d.valid.len()), (11, 4), "the validation share comes off the training points");
        let labels: f32 = d.seen().label.iter().chain(&d.test.label).sum();
        assert_eq!(labels, 12.0, "the classes stay (12 odd x)");
        c.custom.retain(|p| Split::of_byte(p.2).unwrap().1 == Split::Train);
        assert!(generate(&c).unwrap_err().contains("no test point"));
    }
}
