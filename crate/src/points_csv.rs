//! Points files: a CSV of x, y, label and optionally train/test, read into the custom points a link's `drawn=` carries.
//!
//! The rules (README, "Your own data"): an optional header row, taken as one when the first
//! row's x or y is not a number, whose names (x, y, label or class, split or set, any case) may
//! put the columns in any order; without one the columns are x, y, label and, in rows of four
//! fields, the split. Blank lines and lines starting with `#` are skipped. Labels take exactly
//! two values: numbers (the smaller is class 0: 0/1, -1/1) or text (sorted, the first is class
//! 0). A split is `train` or `test`, in any case. At most `MAX_DRAWN` points, because the link
//! must hold them exactly. When any point lies outside the plane, all are mapped into it by one
//! map, the same scale on both axes, so shapes keep their proportions. Every problem with a row
//! names its line and what is wrong with it; nothing is guessed.

use crate::codec::MAX_DRAWN;
use crate::dataset::{Split, EXTENT};

/// How far from the centre imported points reach when they must be scaled: inside the plane's
/// `EXTENT`, so no point sits on the plot's very edge.
const FIT: f64 = 5.6;
/// Longest piece of a bad field a message quotes.
const QUOTE: usize = 40;

/// A points file, read.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// `(x, y, label byte)` (`Split::byte`) in the file's order, as `drawn=` carries them.
    pub points: Vec<(f32, f32, u8)>,
    /// Whether the points were mapped into the plane.
    pub scaled: bool,
    /// How many points the file marks test.
    pub test: usize,
    /// The two labels as the file writes them, class 0 first.
    pub classes: [String; 2],
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Column {
    X,
    Y,
    Label,
    Split,
}

impl Column {
    fn name(self) -> &'static str {
        match self {
            Column::X => "x",
            Column::Y => "y",
            Column::Label => "label",
            Column::Split => "split",
        }
    }
}

/// One data row, checked but for its label, which only the whole file gives a class.
struct Row {
    line: u64,
    x: f64,
    y: f64,
    label: String,
    split: Split,
}

/// Reads a points file; an error names the line and the reason, or what the whole file lacks.
pub fn read(text: &str) -> Result<Imported, String> {
    let text = uncommented(text.strip_prefix('\u{feff}').unwrap_or(text));
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let (mut header, mut rows, mut any) = (None, Vec::new(), false);
    let mut lines = Lines { text: text.as_bytes(), at: 0, line: 1 };
    for record in reader.records() {
        let record = record.map_err(|e| format!("line {}: {e}", lines.at(e.position().map_or(0, |p| p.byte()))))?;
        let line = lines.at(record.position().map_or(0, |p| p.byte()));
        let fields: Vec<&str> = record.iter().collect();
        // A line of blanks (or of empty fields) is a blank line.
        if fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        if !any && fields.iter().take(2).any(|f| f.parse::<f64>().is_err()) {
            header = Some(columns_of(&fields, line)?);
        } else {
            if rows.len() == MAX_DRAWN {
                return Err(format!("line {line}: more than {MAX_DRAWN} points; a link carries at most {MAX_DRAWN}"));
            }
            rows.push(row(&fields, line, header.as_deref())?);
        }
        any = true;
    }
    if !any {
        return Err("the file is empty: no points in it".to_string());
    }
    if rows.len() < 2 {
        let points = if rows.len() == 1 { "1 point" } else { "no points" };
        return Err(format!("the file has {points}; a dataset needs at least 2"));
    }
    sides_of(&rows)?;
    let (classes, names) = classes_of(&rows)?;
    let (plane, scaled) = into_plane(&rows);
    let points = plane.iter().zip(&rows).zip(&classes).map(|((&(x, y), row), &class)| (x, y, row.split.byte(class))).collect();
    let test = rows.iter().filter(|r| r.split == Split::Test).count();
    Ok(Imported { points, scaled, test, classes: names })
}

/// The text with its comment lines (`#` first, after any blanks) made blank, so that the csv
/// reader skips them as it skips blank lines.
fn uncommented(text: &str) -> String {
    text.split_inclusive('\n').map(|line| if line.trim_start().starts_with('#') { "\n" } else { line }).collect()
}

/// Line numbers as a person's editor shows them. The csv reader's own count leaves out the
/// blank lines it skips, and a record's position is where reading it began, before them; so
/// the lines are counted here, forwards once, past those blank lines.
struct Lines<'a> {
    text: &'a [u8],
    at: usize,
    line: u64,
}

impl Lines<'_> {
    /// The line of the record whose reading began at byte `offset` (offsets come in order).
    fn at(&mut self, offset: u64) -> u64 {
        let mut end = usize::try_from(offset).unwrap_or(usize::MAX).clamp(self.at, self.text.len());
        while matches!(self.text.get(end), Some(b'\r' | b'\n')) {
            end += 1;
        }
        self.line += self.text[self.at..end].iter().filter(|&&b| b == b'\n').count() as u64;
        self.at = end;
        self.line
    }
}

/// The columns a header row names, each once; x, y and label are required.
fn columns_of(names: &[&str], line: u64) -> Result<Vec<Column>, String> {
    let mut columns = Vec::new();
    for name in names {
        let column = match name.to_ascii_lowercase().as_str() {
            "x" => Column::X,
            "y" => Column::Y,
            "label" | "class" => Column::Label,
            "split" | "set" => Column::Split,
            _ => return Err(format!("line {line}: column '{}' is not x, y, label or split", quoted(name))),
        };
        if columns.contains(&column) {
            return Err(format!("line {line}: the header names {} twice", column.name()));
        }
        columns.push(column);
    }
    match [Column::X, Column::Y, Column::Label].into_iter().find(|c| !columns.contains(c)) {
        Some(missing) => Err(format!("line {line}: the header has no {} column (it needs x, y and label, and may have split)", missing.name())),
        None => Ok(columns),
    }
}

/// One data row, its fields in the header's order or, without one, x, y, label[, split].
fn row(fields: &[&str], line: u64, header: Option<&[Column]>) -> Result<Row, String> {
    const PLAIN: [Column; 4] = [Column::X, Column::Y, Column::Label, Column::Split];
    let n = fields.len();
    let plural = if n == 1 { "field" } else { "fields" };
    let columns = match header {
        Some(columns) if columns.len() == n => columns,
        Some(columns) => {
            let names: Vec<&str> = columns.iter().map(|c| c.name()).collect();
            return Err(format!("line {line}: {n} {plural}, expected {} ({})", columns.len(), names.join(", ")));
        }
        None if n == 3 || n == 4 => &PLAIN[..n],
        None => return Err(format!("line {line}: {n} {plural}, expected 3 (x, y, label) or 4 (with train/test)")),
    };
    let mut row = Row { line, x: 0.0, y: 0.0, label: String::new(), split: Split::Fraction };
    for (&column, &field) in columns.iter().zip(fields) {
        match column {
            Column::X => row.x = number(field, "x", line)?,
            Column::Y => row.y = number(field, "y", line)?,
            Column::Label if field.is_empty() => return Err(format!("line {line}: label is empty")),
            Column::Label => row.label = field.to_string(),
            Column::Split => row.split = split_of(field, line)?,
        }
    }
    Ok(row)
}

fn number(field: &str, name: &str, line: u64) -> Result<f64, String> {
    match field.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(format!("line {line}: {name} is '{}', not a finite number", quoted(field))),
        Err(_) => Err(format!("line {line}: {name} is '{}', not a number", quoted(field))),
    }
}

fn split_of(field: &str, line: u64) -> Result<Split, String> {
    match field.to_ascii_lowercase().as_str() {
        "train" => Ok(Split::Train),
        "test" => Ok(Split::Test),
        _ => Err(format!("line {line}: split is '{}', expected train or test", quoted(field))),
    }
}

/// A file that marks every point gives both sides of the split some, or no run could start.
fn sides_of(rows: &[Row]) -> Result<(), String> {
    let has = |split: Split| rows.iter().any(|r| r.split == split || r.split == Split::Fraction);
    if !has(Split::Test) {
        return Err("every point is marked train: mark some test, or leave the split column out".to_string());
    }
    if !has(Split::Train) {
        return Err("every point is marked test: mark some train, or leave the split column out".to_string());
    }
    Ok(())
}

/// Each row's class and the two labels, class 0 first: numbers when every label is one (by
/// value, so `1` and `1.0` are one label), else text.
fn classes_of(rows: &[Row]) -> Result<(Vec<u8>, [String; 2]), String> {
    let numbers: Option<Vec<f64>> = rows.iter().map(|r| r.label.parse::<f64>().ok().filter(|v| v.is_finite())).collect();
    let same = |a: usize, b: usize| match &numbers {
        Some(values) => values[a] == values[b],
        None => rows[a].label == rows[b].label,
    };
    // The first row of each label, in the file's order.
    let mut firsts: Vec<usize> = Vec::new();
    for i in 0..rows.len() {
        if firsts.iter().any(|&f| same(f, i)) {
            continue;
        }
        if let [a, b] = firsts[..] {
            let (row, a, b) = (&rows[i], quoted(&rows[a].label), quoted(&rows[b].label));
            return Err(format!("line {}: label '{}' is a third class (the others are '{a}' and '{b}'); labels take two values", row.line, quoted(&row.label)));
        }
        firsts.push(i);
    }
    let [a, b] = firsts[..] else {
        return Err(format!("every point has label '{}': a dataset needs two classes", quoted(&rows[0].label)));
    };
    let a_first = match &numbers {
        Some(values) => values[a] < values[b],
        None => rows[a].label < rows[b].label,
    };
    let (zero, one) = if a_first { (a, b) } else { (b, a) };
    let classes = (0..rows.len()).map(|i| u8::from(!same(zero, i))).collect();
    Ok((classes, [rows[zero].label.clone(), rows[one].label.clone()]))
}

/// The points in the plane, and whether they had to be moved there: when any lies outside, all
/// are centred on their bounding box and scaled alike on both axes to reach `FIT`.
fn into_plane(rows: &[Row]) -> (Vec<(f32, f32)>, bool) {
    let extent = f64::from(EXTENT);
    if rows.iter().all(|r| r.x.abs() <= extent && r.y.abs() <= extent) {
        return (rows.iter().map(|r| (r.x as f32, r.y as f32)).collect(), false);
    }
    let range = |v: &dyn Fn(&Row) -> f64| rows.iter().map(v).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let ((x_lo, x_hi), (y_lo, y_hi)) = (range(&|r| r.x), range(&|r| r.y));
    // Halves first, so that no sum of two finite values overflows.
    let (cx, cy) = (x_lo / 2.0 + x_hi / 2.0, y_lo / 2.0 + y_hi / 2.0);
    let half = (x_hi / 2.0 - x_lo / 2.0).max(y_hi / 2.0 - y_lo / 2.0);
    let scale = if half > 0.0 { FIT / half } else { 1.0 };
    let place = |v: f64, centre: f64| (((v - centre) * scale) as f32).clamp(-EXTENT, EXTENT);
    (rows.iter().map(|r| (place(r.x, cx), place(r.y, cy))).collect(), true)
}

/// A field as a message quotes it: at most `QUOTE` characters.
fn quoted(field: &str) -> String {
    match field.char_indices().nth(QUOTE) {
        Some((end, _)) => format!("{}...", &field[..end]),
        None => field.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::{decode_points, encode_points};

    fn error(text: &str) -> String {
        read(text).unwrap_err()
    }

    #[test]
    fn plain_rows_read_as_x_y_label_and_split() {
        let got = read("1,2,0\n-1.5,-2,1\n0.25 , 3 , 1 , TRAIN\n4,4,0,Test\n").unwrap();
        let (t, e) = (Split::Train, Split::Test);
        assert_eq!(got.points, vec![(1.0, 2.0, 0), (-1.5, -2.0, 1), (0.25, 3.0, t.byte(1)), (4.0, 4.0, e.byte(0))]);
        assert_eq!((got.scaled, got.test, got.classes.clone()), (false, 1, ["0".to_string(), "1".to_string()]));
        // The link holds them exactly.
        assert_eq!(decode_points(&encode_points(&got.points)).unwrap(), got.points);
    }

    #[test]
    fn a_header_names_the_columns_in_any_order() {
        let got = read("\u{feff}Label,X,y,split\n1,0.5,-0.5,test\n0,2,3,train\n").unwrap();
        assert_eq!(got.points, vec![(0.5, -0.5, Split::Test.byte(1)), (2.0, 3.0, Split::Train.byte(0))]);
        let quoted = read("\"x\",\"y\",\"class\"\n1,1,a\n2,2,b\n").unwrap();
        assert_eq!(quoted.points, vec![(1.0, 1.0, 0), (2.0, 2.0, 1)]);
        // A first row whose x and y are numbers is data, whatever its label.
        assert_eq!(read("1,1,label\n2,2,other\n").unwrap().classes, ["label".to_string(), "other".to_string()]);
    }

    #[test]
    fn labels_map_to_two_classes() {
        let classes = |text: &str| read(text).map(|g| (g.points.iter().map(|p| p.2).collect::<Vec<_>>(), g.classes));
        let s = |a: &str, b: &str| [a.to_string(), b.to_string()];
        assert_eq!(classes("0,0,1\n1,1,-1\n2,2,1").unwrap(), (vec![1, 0, 1], s("-1", "1")));
        // Numbers by value (9 before 10), text sorted, and 1 and 1.0 one label.
        assert_eq!(classes("0,0,10\n1,1,9").unwrap(), (vec![1, 0], s("9", "10")));
        assert_eq!(classes("0,0,dog\n1,1,cat\n2,2,dog").unwrap(), (vec![1, 1 - 1, 1], s("cat", "dog")));
        assert_eq!(classes("0,0,1\n1,1,1.0\n2,2,0").unwrap(), (vec![1, 1, 0], s("0", "1")));
        assert_eq!(error("0,0,1\n1,1,1.0\n2,2,1"), "every point has label '1': a dataset needs two classes");
        assert_eq!(error("0,0,a\n1,1,b\n# note\n2,2,c"), "line 4: label 'c' is a third class (the others are 'a' and 'b'); labels take two values");
        assert_eq!(error("0,0,0\n1,1,1\n2,2,x"), "line 3: label 'x' is a third class (the others are '0' and '1'); labels take two values");
    }

    /// Each bad row is named by its line in the file, counting blank and comment lines.
    #[test]
    fn bad_rows_name_their_line_and_reason() {
        let cases = [
            ("# points\n1,1,0\n\n2,2,1\n  \n\nabc,1,0\n", "line 7: x is 'abc', not a number"),
            ("1,1,0\n2,inf,1\n", "line 2: y is 'inf', not a finite number"),
            ("1,1,0\r\n\r\n2,2,1\r\nq,1,0\r\n", "line 4: x is 'q', not a number"),
            (
                "x,y,label\n1,1,\"two\nlines\"\n\n2,2,b\n3,3,c\n",
                "line 6: label 'c' is a third class (the others are 'two\nlines' and 'b'); labels take two values",
            ),
            ("1,1,0\nNaN,1,1\n", "line 2: x is 'NaN', not a finite number"),
            ("1,1,0\n2,2,1\n3,3\n", "line 3: 2 fields, expected 3 (x, y, label) or 4 (with train/test)"),
            ("1,1,0\n2,2,1,test,9\n", "line 2: 5 fields, expected 3 (x, y, label) or 4 (with train/test)"),
            ("x,y,label\n1,1,0\n2,2,1,test\n", "line 3: 4 fields, expected 3 (x, y, label)"),
            ("1,1,0,train\n2,2,1,test\n3,3,0,dev\n", "line 3: split is 'dev', expected train or test"),
            ("1,1,0\n2,2,,\n", "line 2: label is empty"),
            ("x,y,colour\n1,1,0\n", "line 1: column 'colour' is not x, y, label or split"),
            ("x,y,x\n1,1,0\n", "line 1: the header names x twice"),
            ("x,label,split\n1,1,0\n", "line 1: the header has no y column (it needs x, y and label, and may have split)"),
            ("1,1,0,train\n2,2,1,train\n", "every point is marked train: mark some test, or leave the split column out"),
            ("1,1,0,test\n2,2,1,test\n", "every point is marked test: mark some train, or leave the split column out"),
            ("", "the file is empty: no points in it"),
            ("# only a comment\n\n", "the file is empty: no points in it"),
            ("x,y,label\n", "the file has no points; a dataset needs at least 2"),
            ("x,y,label\n1,1,0\n", "the file has 1 point; a dataset needs at least 2"),
        ];
        for (text, want) in cases {
            assert_eq!(error(text), want, "{text:?}");
        }
        let long = format!("1,1,0\n{},1,1\n", "z".repeat(100));
        assert_eq!(error(&long), format!("line 2: x is '{}...', not a number", "z".repeat(QUOTE)));
    }

    #[test]
    fn at_most_max_drawn_points() {
        let rows = |n: usize| (0..n).map(|i| format!("{},{},{}\n", i % 10, i % 7, i % 2)).collect::<String>();
        assert_eq!(read(&rows(MAX_DRAWN)).unwrap().points.len(), MAX_DRAWN);
        let over = format!("x,y,label\n{}", rows(MAX_DRAWN + 1));
        assert_eq!(error(&over), format!("line {}: more than 2000 points; a link carries at most 2000", MAX_DRAWN + 2));
    }

    /// Points off the plane move into it by one map: centred, the same scale on both axes.
    #[test]
    fn scaling_keeps_relative_positions() {
        let raw = [(100.0, 50.0), (300.0, -150.0), (200.0, 10.0), (120.0, 0.0)];
        let text: String = raw.iter().enumerate().map(|(i, (x, y))| format!("{x},{y},{}\n", i % 2)).collect();
        let got = read(&text).unwrap();
        assert!(got.scaled);
        let p: Vec<(f64, f64)> = got.points.iter().map(|&(x, y, _)| (f64::from(x), f64::from(y))).collect();
        // x spans 200 and y 200: both reach FIT, centred on (200, -50).
        let scale = FIT / 100.0;
        for (&(x, y), &(rx, ry)) in p.iter().zip(&raw) {
            assert!((x - (rx - 200.0) * scale).abs() < 1e-5 && (y - (ry + 50.0) * scale).abs() < 1e-5, "({x}, {y})");
            assert!(x.abs() <= FIT + 1e-6 && y.abs() <= FIT + 1e-6);
        }
        assert_eq!(got.points.iter().map(|p| p.2).collect::<Vec<_>>(), [0, 1, 0, 1], "labels stay");
        // Points already in the plane stay exactly where they are; huge ones still land in it.
        assert!(!read("6,-6,0\n0,0,1").unwrap().scaled);
        let huge = read("1e300,-1e300,0\n-1e300,1e300,1\n5,5,0").unwrap();
        assert!(huge.scaled && huge.points.iter().all(|p| p.0.abs() <= EXTENT && p.1.abs() <= EXTENT));
        let same = read("50,50,0\n50,50,1").unwrap();
        assert_eq!(same.points, vec![(0.0, 0.0, 0), (0.0, 0.0, 1)]);
    }
}
