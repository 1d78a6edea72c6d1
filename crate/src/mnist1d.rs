//! MNIST-1D (Greydanus & Kobak): 4,000 training and 1,000 test sequences of 40 values, 10 digits.
//!
//! Values are kept on a grid of 1/4096 (the CSV's six significant digits are finer than that;
//! its noise is 0.02), so the compact binary the page fetches and the CSV the CLI compiles in
//! give the same numbers, and a link reproduces in both.

/// The sequences' length and the digits.
pub const LENGTH: usize = 40;
pub const CLASSES: usize = 10;
/// The CSV's header, as `data/mnist1d_default.csv` has it.
pub const CSV_HEADER_START: &str = "split,label,x0,";
pub const MAGIC: [u8; 6] = *b"MNIST1";
pub const VERSION: u16 = 1;
/// Values are i16 multiples of 1/SCALE.
const SCALE: f32 = 4096.0;
const HEADER_BYTES: usize = 6 + 2 + 4 + 4;

/// One split: each sample's 40 values and its digit.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Split {
    pub x: Vec<[f32; LENGTH]>,
    pub labels: Vec<u8>,
}

/// The training and test splits.
#[derive(Clone, Debug, PartialEq)]
pub struct Mnist1d {
    pub train: Split,
    pub test: Split,
}

/// A value on the grid, or an error if it is outside what an i16 holds.
fn on_grid(v: f32) -> Option<i16> {
    let q = (v * SCALE).round();
    (q.abs() <= f32::from(i16::MAX)).then_some(q as i16)
}

impl Mnist1d {
    /// Reads the CSV (`split,label,x0..x39`); a malformed row is an error naming its line.
    pub fn from_csv(text: &str) -> Result<Mnist1d, String> {
        let mut lines = text.lines();
        if !lines.next().is_some_and(|h| h.starts_with(CSV_HEADER_START)) {
            return Err(format!("an MNIST-1D CSV starts with the header {CSV_HEADER_START}..."));
        }
        let (mut train, mut test) = (Split::default(), Split::default());
        for (k, line) in lines.enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let bad = |why: &str| format!("MNIST-1D CSV line {}: {why}", k + 2);
            let fields: Vec<&str> = line.split(',').collect();
            if fields.len() != 2 + LENGTH {
                return Err(bad(&format!("{} fields, not {}", fields.len(), 2 + LENGTH)));
            }
            let split = match fields[0] {
                "train" => &mut train,
                "test" => &mut test,
                other => return Err(bad(&format!("split {other:?} is neither train nor test"))),
            };
            let label: u8 = fields[1].parse().ok().filter(|&l| usize::from(l) < CLASSES).ok_or_else(|| bad("the label is not a digit 0-9"))?;
            let mut x = [0.0f32; LENGTH];
            for (v, field) in x.iter_mut().zip(&fields[2..]) {
                let q = field.trim().parse::<f32>().ok().and_then(on_grid).ok_or_else(|| bad(&format!("{field:?} is not a value within +-8")))?;
                *v = f32::from(q) / SCALE;
            }
            split.x.push(x);
            split.labels.push(label);
        }
        if train.x.is_empty() || test.x.is_empty() {
            return Err("an MNIST-1D CSV needs training and test rows".into());
        }
        Ok(Mnist1d { train, test })
    }

    /// The compact binary: `MAGIC`, `VERSION` (u16), the training and test counts (u32), then
    /// each sample (training first) as its label byte and 40 little-endian i16 multiples of 1/4096.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_BYTES + (self.train.x.len() + self.test.x.len()) * (1 + 2 * LENGTH));
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(self.train.x.len() as u32).to_le_bytes());
        out.extend_from_slice(&(self.test.x.len() as u32).to_le_bytes());
        for split in [&self.train, &self.test] {
            for (x, &label) in split.x.iter().zip(&split.labels) {
                out.push(label);
                for &v in x {
                    out.extend_from_slice(&on_grid(v).unwrap_or(0).to_le_bytes());
                }
            }
        }
        out
    }

    /// Reads what `to_bytes` writes; another magic, version or size, or a label above 9, is an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Mnist1d, String> {
        if bytes.len() < HEADER_BYTES || bytes[..6] != MAGIC {
            return Err("not an MNIST-1D file: it does not start with MNIST1".into());
        }
        let word = |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize;
        let version = u16::from_le_bytes([bytes[6], bytes[7]]);
        if version != VERSION {
            return Err(format!("MNIST-1D format {version} is not the supported {VERSION}"));
        }
        let (n_train, n_test) = (word(8), word(12));
        let sample = 1 + 2 * LENGTH;
        let expected = n_train.checked_add(n_test).and_then(|n| n.checked_mul(sample)).map(|n| n + HEADER_BYTES);
        if expected != Some(bytes.len()) {
            return Err(format!("an MNIST-1D file of {n_train} + {n_test} samples is not {} bytes", bytes.len()));
        }
        let mut samples = bytes[HEADER_BYTES..].chunks_exact(sample);
        let mut read = |n: usize| -> Result<Split, String> {
            let mut split = Split::default();
            for s in samples.by_ref().take(n) {
                if usize::from(s[0]) >= CLASSES {
                    return Err(format!("sample {} has label {}", split.x.len(), s[0]));
                }
                split.labels.push(s[0]);
                split.x.push(std::array::from_fn(|k| f32::from(i16::from_le_bytes([s[1 + 2 * k], s[2 + 2 * k]])) / SCALE));
            }
            Ok(split)
        };
        Ok(Mnist1d { train: read(n_train)?, test: read(n_test)? })
    }

    /// The same data with the 40 positions shuffled by one permutation drawn from `seed`
    /// (the paper's shuffled variant: the same permutation for every sample).
    pub fn shuffled(&self, seed: u64) -> Mnist1d {
        let perm = permutation(seed);
        let apply = |split: &Split| Split { x: split.x.iter().map(|x| std::array::from_fn(|k| x[perm[k]])).collect(), labels: split.labels.clone() };
        Mnist1d { train: apply(&self.train), test: apply(&self.test) }
    }
}

/// The positions' permutation for `seed` (Fisher-Yates over a named stream).
pub fn permutation(seed: u64) -> [usize; LENGTH] {
    let mut stream = crate::rng::Stream::new(seed, crate::rng::Purpose::Modules, 0, 1);
    let mut perm: [usize; LENGTH] = std::array::from_fn(|k| k);
    stream.shuffle(&mut perm);
    perm
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(rows: &[&str]) -> String {
        let header: Vec<String> = (0..LENGTH).map(|k| format!("x{k}")).collect();
        format!("split,label,{}\n{}\n", header.join(","), rows.join("\n"))
    }

    fn row(split: &str, label: u8, v: f32) -> String {
        let xs: Vec<String> = (0..LENGTH).map(|k| format!("{}", v + k as f32 * 0.01)).collect();
        format!("{split},{label},{}", xs.join(","))
    }

    #[test]
    fn a_csv_round_trips_through_the_binary_on_the_grid() {
        let text = csv(&[&row("train", 3, -1.25), &row("test", 9, 0.333333), &row("train", 0, 4.5)]);
        let data = Mnist1d::from_csv(&text).unwrap();
        assert_eq!((data.train.x.len(), data.test.labels.clone()), (2, vec![9]));
        assert_eq!(data.test.x[0][0], 1365.0 / 4096.0, "0.333333 lies on the grid of 1/4096");
        assert_eq!(Mnist1d::from_bytes(&data.to_bytes()).unwrap(), data);
    }

    #[test]
    fn bad_csv_rows_and_bad_files_are_errors_naming_the_problem() {
        let err = |rows: &[&str]| Mnist1d::from_csv(&csv(rows)).unwrap_err();
        assert!(err(&[&row("train", 3, 0.0), &row("valid", 1, 0.0)]).contains("line 3"));
        assert!(err(&[&row("train", 3, 0.0), "test,12,1"]).contains("fields"));
        assert!(err(&[&row("train", 11, 0.0), &row("test", 1, 0.0)]).contains("label"));
        assert!(err(&[&row("train", 1, 9.5), &row("test", 1, 0.0)]).contains("within"));
        let bytes = Mnist1d::from_csv(&csv(&[&row("train", 3, 0.0), &row("test", 1, 0.0)])).unwrap().to_bytes();
        assert!(Mnist1d::from_bytes(&bytes[..bytes.len() - 1]).unwrap_err().contains("bytes"));
        assert!(Mnist1d::from_bytes(b"NB201T..........").unwrap_err().contains("MNIST1"));
        let mut wrong = bytes.clone();
        wrong[HEADER_BYTES] = 10;
        assert!(Mnist1d::from_bytes(&wrong).unwrap_err().contains("label 10"));
    }

    #[test]
    fn shuffling_permutes_every_sample_alike_and_follows_the_seed() {
        let data = Mnist1d::from_csv(&csv(&[&row("train", 3, 0.0), &row("test", 1, 2.0)])).unwrap();
        let perm = permutation(5);
        let mut sorted = perm;
        sorted.sort_unstable();
        assert_eq!(sorted, std::array::from_fn(|k| k), "a permutation");
        assert_ne!(perm, permutation(6));
        let shuffled = data.shuffled(5);
        for (split, original) in [(&shuffled.train, &data.train), (&shuffled.test, &data.test)] {
            assert!((0..LENGTH).all(|k| split.x[0][k] == original.x[0][perm[k]]));
        }
    }
}
