//! NAS-Bench-201's recorded accuracies: every cell's validation and test accuracy on three datasets.
//!
//! Read from the benchmark's CSV (data/nasbench201_12epoch.csv) or from a compact binary copy
//! for the web page. Both hold hundredths of a percent, so a decoded value is within 0.005
//! points of the CSV's, and a table read either way is the same table.

use crate::scene::cells::cell::{Cell, CELLS};
use serde::Serialize;

/// The CSV header the reader insists on, so a reordered column can never be misread.
pub const CSV_HEADER: &str = "arch,cell,cifar10_val,cifar10_test,cifar100_val,cifar100_test,imagenet16_val,imagenet16_test";
/// The binary table's first bytes, then its format version (little-endian u16).
pub const MAGIC: [u8; 6] = *b"NB201T";
pub const VERSION: u16 = 1;
const HEADER_BYTES: usize = MAGIC.len() + 2;
/// Accuracies per cell: validation and test on each dataset, in the CSV's column order.
const COLUMNS: usize = 6;
/// Bytes of a binary table: the header, then six u16 per cell.
pub const TABLE_BYTES: usize = HEADER_BYTES + CELLS * COLUMNS * 2;

use crate::link::names::named_enum;

named_enum! {
    /// A NAS-Bench-201 dataset (`imagenet16`: ImageNet16-120, 120 ImageNet classes downsampled
    /// to 16x16 pixels); its place in `ALL` is its column pair in the table.
    pub enum Bench: "dataset" { Cifar10 = "cifar10", Cifar100 = "cifar100", Imagenet16 = "imagenet16" }
}

impl Bench {
    /// Columns of this dataset's validation and test accuracy in a row.
    fn columns(self) -> (usize, usize) {
        (2 * self as usize, 2 * self as usize + 1)
    }
}

/// The best a search could do on one dataset, for regret and for scale.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Oracle {
    /// The highest test accuracy of any cell, and that cell (the lowest code on ties).
    pub test_accuracy: f32,
    pub test_cell: u16,
    /// The cell with the highest validation accuracy (the lowest code on ties), its validation
    /// and its test accuracy: where a search that sees validation alone, without noise, ends up.
    pub validation_cell: u16,
    pub validation_accuracy: f32,
    pub validation_cell_test_accuracy: f32,
}

/// Every cell's accuracies in hundredths of a percent, indexed by cell code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    rows: Vec<[u16; COLUMNS]>,
}

/// Percent to hundredths; only finite values in 0..=100 are accuracies.
fn hundredths(text: &str) -> Result<u16, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=100.0).contains(&v) => Ok((v * 100.0).round() as u16),
        _ => Err(format!("'{text}' is not an accuracy in percent from 0 to 100")),
    }
}

impl Table {
    /// Reads the benchmark CSV: the exact header, then one row per cell, each cell exactly
    /// once, every accuracy a finite percentage.
    pub fn from_csv(text: &str) -> Result<Table, String> {
        let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
        match lines.next() {
            Some((_, header)) if header.trim() == CSV_HEADER => {}
            Some((_, header)) => return Err(format!("CSV header '{header}' is not '{CSV_HEADER}'")),
            None => return Err("the CSV is empty".into()),
        }
        let mut rows: Vec<Option<[u16; COLUMNS]>> = vec![None; CELLS];
        for (i, line) in lines {
            let at = |why: String| format!("CSV line {}: {why}", i + 1);
            let fields: Vec<&str> = line.split(',').collect();
            if fields.len() != COLUMNS + 2 {
                return Err(at(format!("{} fields, not {}", fields.len(), COLUMNS + 2)));
            }
            let code = fields[1].parse::<Cell>().map_err(at)?.code();
            let mut row = [0; COLUMNS];
            for (value, text) in row.iter_mut().zip(&fields[2..]) {
                *value = hundredths(text).map_err(at)?;
            }
            if rows[code as usize].replace(row).is_some() {
                return Err(at(format!("cell {} appears twice", fields[1])));
            }
        }
        let missing = rows.iter().filter(|r| r.is_none()).count();
        if missing > 0 {
            return Err(format!("the CSV lacks {missing} of the {CELLS} cells"));
        }
        Ok(Table { rows: rows.into_iter().flatten().collect() })
    }

    /// The compact binary form: `MAGIC`, `VERSION`, then per cell in code order its six
    /// accuracies as little-endian u16 hundredths, in the CSV's column order.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(TABLE_BYTES);
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        for row in &self.rows {
            for value in row {
                out.extend_from_slice(&value.to_le_bytes());
            }
        }
        out
    }

    /// Reads what `to_bytes` writes; any other size, magic, version or a value above 100% is
    /// an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Table, String> {
        if bytes.len() != TABLE_BYTES {
            return Err(format!("a NAS-Bench-201 table is {TABLE_BYTES} bytes, not {}", bytes.len()));
        }
        if bytes[..MAGIC.len()] != MAGIC {
            return Err("not a NAS-Bench-201 table: the file does not start with NB201T".into());
        }
        let version = u16::from_le_bytes([bytes[MAGIC.len()], bytes[MAGIC.len() + 1]]);
        if version != VERSION {
            return Err(format!("NAS-Bench-201 table format {version} is not the supported {VERSION}"));
        }
        let values: Vec<u16> = bytes[HEADER_BYTES..].chunks_exact(2).map(|b| u16::from_le_bytes([b[0], b[1]])).collect();
        if let Some(k) = values.iter().position(|&v| v > 10_000) {
            return Err(format!("cell {} holds {}, above 100%", k / COLUMNS, values[k]));
        }
        let rows = values.chunks_exact(COLUMNS).map(|r| std::array::from_fn(|c| r[c])).collect();
        Ok(Table { rows })
    }

    /// Validation accuracy of `cell` on `bench`, in percent.
    pub fn validation(&self, cell: Cell, bench: Bench) -> f32 {
        self.rows[cell.code() as usize][bench.columns().0] as f32 / 100.0
    }

    /// Test accuracy of `cell` on `bench`, in percent.
    pub fn test(&self, cell: Cell, bench: Bench) -> f32 {
        self.rows[cell.code() as usize][bench.columns().1] as f32 / 100.0
    }

    /// The best cells of `bench` by test and by validation accuracy.
    pub fn oracle(&self, bench: Bench) -> Oracle {
        let (val, test) = bench.columns();
        // The first maximum: max_by_key would keep the last, so compare on reversed codes.
        let best = |column: usize| (0..CELLS).max_by_key(|&c| (self.rows[c][column], std::cmp::Reverse(c))).unwrap_or(0);
        let (by_test, by_val) = (best(test), best(val));
        Oracle {
            test_accuracy: self.rows[by_test][test] as f32 / 100.0,
            test_cell: by_test as u16,
            validation_cell: by_val as u16,
            validation_accuracy: self.rows[by_val][val] as f32 / 100.0,
            validation_cell_test_accuracy: self.rows[by_val][test] as f32 / 100.0,
        }
    }
}

/// The benchmark's recorded table, read from data/ (the unit tests' fixture).
#[cfg(test)]
pub(crate) fn recorded() -> Table {
    let csv = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/nasbench201_12epoch.csv")).unwrap();
    Table::from_csv(&csv).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A CSV of every cell with accuracies made from its code, so each value is known exactly.
    fn synthetic() -> Vec<String> {
        let mut lines = vec![CSV_HEADER.to_string()];
        for code in 0..CELLS {
            let cell = Cell::from_code(code as u16).unwrap();
            let v = |k: usize| format!("{:.3}", ((code * 7 + k * 1000) % 10_001) as f64 / 100.0);
            lines.push(format!("{code},{cell},{},{},{},{},{},{}", v(0), v(1), v(2), v(3), v(4), v(5)));
        }
        lines
    }

    /// The synthetic CSV with the row of cell `code` replaced.
    fn with_row(code: usize, row: String) -> String {
        let mut lines = synthetic();
        lines[code + 1] = row;
        lines.join("\n")
    }

    #[test]
    fn a_synthetic_csv_reads_back_every_value_by_code() {
        let table = Table::from_csv(&synthetic().join("\n")).unwrap();
        for code in [0usize, 1, 777, 15_624] {
            let cell = Cell::from_code(code as u16).unwrap();
            assert_eq!(table.validation(cell, Bench::Cifar10), ((code * 7) % 10_001) as f32 / 100.0);
            assert_eq!(table.test(cell, Bench::Imagenet16), ((code * 7 + 5000) % 10_001) as f32 / 100.0);
        }
        assert_eq!(Table::from_bytes(&table.to_bytes()).unwrap(), table);
        // CIFAR-10 test is (7 code + 1000) mod 10001, 100.00 only where 7 code = 9000 + 10001 k:
        // code 9858 (k = 6). Validation is 7 code mod 10001, 100.00 at codes 4286 and 14287
        // (k = 2, 9); the tie goes to the lower code, whose test is 31002 mod 10001 = 999.
        let oracle = table.oracle(Bench::Cifar10);
        assert_eq!((oracle.test_accuracy, oracle.test_cell), (100.0, 9858));
        assert_eq!((oracle.validation_accuracy, oracle.validation_cell), (100.0, 4286));
        assert_eq!(oracle.validation_cell_test_accuracy, 9.99);
    }

    #[test]
    fn bad_csv_rows_are_errors_naming_the_line() {
        let cell = |code: u16| Cell::from_code(code).unwrap().to_string();
        for (csv, needle) in [
            (with_row(5, format!("5,{},1,NaN,1,1,1,1", cell(5))), "line 7: 'NaN' is not an accuracy"),
            (with_row(5, format!("5,{},1,1,1,1,1,-0.5", cell(5))), "'-0.5' is not an accuracy"),
            (with_row(3, format!("3,{},101,1,1,1,1,1", cell(3))), "line 5: '101' is not an accuracy"),
            (with_row(5, format!("5,{},1,1,1,1,1,1,1", cell(5))), "9 fields, not 8"),
            (with_row(9, format!("9,{},1,1,1,1,1,1", cell(9).replace("none~0", "nope~0"))), "'nope' is not one of"),
            (with_row(9, format!("9,{},1,1,1,1,1,1", cell(8))), "line 11: cell |nor_conv_3x3~0|+|skip_connect~0|none~1|"),
            (synthetic()[..101].join("\n"), "lacks 15525 of the 15625"),
            ("arch,cell\n".into(), "header"),
            (String::new(), "empty"),
        ] {
            let err = Table::from_csv(&csv).unwrap_err();
            assert!(err.contains(needle), "{needle}: {err}");
        }
        assert!(Table::from_csv(&with_row(9, format!("9,{},1,1,1,1,1,1", cell(8)))).unwrap_err().contains("appears twice"));
    }

    #[test]
    fn binary_tables_of_the_wrong_size_magic_version_or_range_are_refused() {
        let good = Table::from_csv(&synthetic().join("\n")).unwrap().to_bytes();
        assert_eq!(good.len(), TABLE_BYTES);
        assert!(Table::from_bytes(&good[1..]).unwrap_err().contains("not 187507"));
        assert!(Table::from_bytes(&[]).unwrap_err().contains("not 0"));
        let mut bytes = good.clone();
        bytes[0] = b'X';
        assert!(Table::from_bytes(&bytes).unwrap_err().contains("does not start"));
        let mut bytes = good.clone();
        bytes[6] = 2;
        assert!(Table::from_bytes(&bytes).unwrap_err().contains("format 2"));
        // Cell 3's second value: 12 bytes a row, 2 a value.
        let mut bytes = good;
        let at = HEADER_BYTES + 3 * 12 + 2;
        bytes[at..at + 2].copy_from_slice(&10_001u16.to_le_bytes());
        assert!(Table::from_bytes(&bytes).unwrap_err().contains("cell 3 holds 10001"));
    }
}
