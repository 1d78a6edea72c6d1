//! The exported JavaScript (run by node) and Python (run by python3 with NumPy) against the
//! engine's own `Program::eval_point`, on genomes grown by random mutation. Neither language
//! may be missing: the test command installs both, so a missing one fails here, never skips.

use evonas::activation::ALL;
use evonas::bench;
use evonas::genome::{Genome, Innovations, INPUT_X, INPUT_Y, OUTPUT};
use evonas::rng::{Purpose, Stream};
use evonas::scene::neat::compile::compile;
use evonas::scene::neat::export::{to_javascript, to_python};
use evonas::scene::neat::mutation::{add_connection, add_node};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Largest |exported - engine| allowed on a probability.
const TOLERANCE: f64 = 1e-5;
/// Points per genome.
const POINTS: usize = 1000;
/// The Python scalar calls check every this many points.
const SCALAR_EVERY: usize = 10;

/// Mixed-activation genomes (mult included), a few grown from the whole table (the benchmark's
/// default set leaves out identity), plain logistic regression, and two corner cases: an output
/// fed by the bias alone (the result must still take the inputs' shape) and an output with no
/// enabled input at all (it combines to 0).
fn genomes() -> Vec<Genome> {
    let mut out = bench::population(20, 30);
    let mut registry = Innovations::default();
    for i in 0..4 {
        let mut rng = Stream::new(5, Purpose::Bench, 0, i);
        let mut g = Genome::logistic(&mut registry, &mut rng);
        for _ in 0..12 {
            add_node(&mut g, ALL, &mut registry, &mut rng);
            add_connection(&mut g, &mut registry, &mut rng);
        }
        out.push(g);
    }
    let mut rng = Stream::new(3, Purpose::Bench, 0, 0);
    let logistic = Genome::logistic(&mut registry, &mut rng);
    let mut bias_only = logistic.clone();
    for c in bias_only.conns.iter_mut().filter(|c| c.from == INPUT_X || c.from == INPUT_Y) {
        c.enabled = false;
    }
    let mut cut_off = logistic.clone();
    for c in cut_off.conns.iter_mut().filter(|c| c.to == OUTPUT) {
        c.enabled = false;
    }
    out.extend([logistic, bias_only, cut_off]);
    for g in &out {
        g.validate().expect("test genomes are valid");
    }
    for &act in ALL {
        let used = out.iter().any(|g| compile(g).nodes.iter().any(|n| n.activation() == act));
        assert!(used, "no test genome uses {}", act.name());
    }
    out
}

/// Seeded points in [-6, 6]^2.
fn points() -> Vec<(f32, f32)> {
    let mut rng = Stream::new(11, Purpose::Bench, 0, 1);
    (0..POINTS).map(|_| (rng.uniform(-6.0, 6.0), rng.uniform(-6.0, 6.0))).collect()
}

/// A fresh path under the temp dir, unique to this process and call.
fn temp_path(stem: &str, ext: &str) -> PathBuf {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!("evonas-export-{}-{stem}-{n}.{ext}", std::process::id()))
}

/// Code files under the temp dir, removed when dropped, so a failing run leaves none behind.
struct TempFiles(Vec<PathBuf>);

impl TempFiles {
    /// Writes each genome's code to its own file.
    fn write(codes: &[String], ext: &str) -> TempFiles {
        let mut files = TempFiles(Vec::new());
        for (i, code) in codes.iter().enumerate() {
            let path = temp_path(&format!("g{i}"), ext);
            std::fs::write(&path, code).expect("write the exported code");
            files.0.push(path);
        }
        files
    }
}

impl Drop for TempFiles {
    fn drop(&mut self) {
        for path in &self.0 {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The job both runners read on stdin: the code files and the points. Each f32 is written as
/// its exact value in f64's shortest text, so both languages read the very same numbers.
fn job(files: &[PathBuf], pts: &[(f32, f32)]) -> String {
    let files: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    let xs: Vec<f64> = pts.iter().map(|p| p.0 as f64).collect();
    let ys: Vec<f64> = pts.iter().map(|p| p.1 as f64).collect();
    serde_json::json!({ "files": files, "xs": xs, "ys": ys, "every": SCALAR_EVERY }).to_string()
}

/// Runs `program args...` with `input` on stdin; its stdout, or a panic that says what failed.
fn run(program: &str, args: &[&str], input: &str) -> String {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run `{program}` ({e}): install it (./build.sh test does)"));
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write the job");
    let out = child.wait_with_output().expect("wait for the runner");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "`{program}` failed ({}):\n{stderr}", out.status);
    assert!(stderr.trim().is_empty(), "`{program}` printed to stderr (a warning?):\n{stderr}");
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Node requires each file and evaluates it at every point.
const NODE_RUNNER: &str = r#"
const job = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = job.files.map((file) => {
  const f = require(file);
  if (typeof f !== 'function') throw new Error(file + ' exports no function');
  return job.xs.map((x, i) => f(x, job.ys[i]));
});
console.log(JSON.stringify(out));
"#;

/// Python execs each file, calls it once on the arrays and on every `every`-th point as
/// scalars (which must come back as plain floats), and checks that extreme inputs stay silent
/// (the runner turns every warning into an error).
const PYTHON_RUNNER: &str = r#"
import json, sys
import numpy as np
job = json.load(sys.stdin)
xs, ys = np.array(job["xs"]), np.array(job["ys"])
out = []
for path in job["files"]:
    scope = {}
    with open(path) as source:
        exec(compile(source.read(), path, "exec"), scope)
    f = scope["evonas_champion"]
    vec = f(xs, ys)
    assert isinstance(vec, np.ndarray) and vec.shape == xs.shape, (path, type(vec))
    scalars = []
    for i in range(0, len(xs), job["every"]):
        v = f(float(xs[i]), float(ys[i]))
        assert type(v) is float, (path, type(v))
        scalars.append(v)
    big = np.array([1e300, -1e300, 1e30, -1e30, 0.0, 700.0, -700.0])
    f(big, big[::-1])
    out.append({"vec": vec.tolist(), "scalars": scalars})
print(json.dumps(out))
"#;

/// The first interpreter that imports NumPy: `python3` on the PATH, else the system one (a
/// version manager's python3 may shadow the one that Debian's python3-numpy installs into).
pub fn python_with_numpy() -> &'static str {
    let candidates = ["python3", "/usr/bin/python3"];
    candidates
        .into_iter()
        .find(|py| Command::new(py).args(["-c", "import numpy"]).output().is_ok_and(|o| o.status.success()))
        .unwrap_or_else(|| panic!("no python3 with NumPy among {candidates:?}: install python3-numpy (./build.sh test does)"))
}

/// The largest |a - b| over the pairs; a NaN on either side fails at once.
fn max_difference(what: &str, expected: &[f32], got: &[f64]) -> f64 {
    assert_eq!(expected.len(), got.len(), "{what}: result count");
    expected
        .iter()
        .zip(got)
        .map(|(&e, &g)| {
            assert!(e.is_finite() && g.is_finite(), "{what}: engine {e}, export {g}");
            (e as f64 - g).abs()
        })
        .fold(0.0, f64::max)
}

#[test]
fn exported_code_matches_the_engine() {
    let genomes = genomes();
    let pts = points();
    let expected: Vec<Vec<f32>> = genomes
        .iter()
        .map(|g| {
            let p = compile(g);
            pts.iter().map(|&(x, y)| p.eval_point(x, y)).collect()
        })
        .collect();

    let js_files = TempFiles::write(&genomes.iter().map(to_javascript).collect::<Vec<_>>(), "js");
    let js_out = run("node", &["-e", NODE_RUNNER], &job(&js_files.0, &pts));
    let py_files = TempFiles::write(&genomes.iter().map(to_python).collect::<Vec<_>>(), "py");
    let py_out = run(python_with_numpy(), &["-W", "error", "-c", PYTHON_RUNNER], &job(&py_files.0, &pts));

    let js: Vec<Vec<f64>> = serde_json::from_str(&js_out).expect("node printed JSON");
    let py: Vec<serde_json::Value> = serde_json::from_str(&py_out).expect("python printed JSON");
    let numbers = |v: &serde_json::Value| -> Vec<f64> { serde_json::from_value(v.clone()).expect("numbers") };
    let (mut worst_js, mut worst_py) = (0.0f64, 0.0f64);
    for (i, want) in expected.iter().enumerate() {
        let sampled: Vec<f32> = want.iter().step_by(SCALAR_EVERY).copied().collect();
        let d_js = max_difference(&format!("genome {i} js"), want, &js[i]);
        let d_vec = max_difference(&format!("genome {i} numpy"), want, &numbers(&py[i]["vec"]));
        let d_scalar = max_difference(&format!("genome {i} python scalars"), &sampled, &numbers(&py[i]["scalars"]));
        let d_py = d_vec.max(d_scalar);
        let nodes = compile(&genomes[i]).nodes.len();
        eprintln!("genome {i:2} ({nodes:2} nodes): max |diff| js {d_js:.2e}, python {d_py:.2e}");
        assert!(d_js <= TOLERANCE, "genome {i}: JavaScript differs by {d_js:e}");
        assert!(d_py <= TOLERANCE, "genome {i}: Python differs by {d_py:e}");
        worst_js = worst_js.max(d_js);
        worst_py = worst_py.max(d_py);
    }
    eprintln!("max |diff| over {} genomes x {POINTS} points: js {worst_js:.2e}, python {worst_py:.2e}", genomes.len());
}

#[test]
fn exported_code_has_the_promised_shape() {
    let mut registry = Innovations::default();
    let mut rng = Stream::new(3, Purpose::Bench, 0, 0);
    let g = Genome::logistic(&mut registry, &mut rng);
    let js = to_javascript(&g);
    assert!(js.contains("function evonasChampion(x, y) {"), "{js}");
    assert!(js.trim_end().ends_with("if (typeof module !== 'undefined') module.exports = evonasChampion;"));
    assert!(!js.contains("import") && !js.contains("inf") && !js.contains("NaN"), "{js}");
    let py = to_python(&g);
    assert!(py.contains("import numpy as np\n") && py.contains("def evonas_champion(x, y):"), "{py}");
    // Every weight reads back as the same f32 from the text.
    for c in &g.conns {
        let text = format!("{:?}", c.weight.abs());
        assert!(js.contains(&text) && py.contains(&text), "weight {} missing:\n{js}", c.weight);
    }
    for code in [&js, &py] {
        assert!(code.lines().all(|l| l.len() < 200 && l == l.trim_end()), "long or trailing-space line:\n{code}");
    }
}
