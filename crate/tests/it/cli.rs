//! The native CLI: JSON lines per generation, clear errors for bad links.

use std::process::Command;

fn evonas(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_evonas")).args(args).output().expect("the CLI runs")
}

#[test]
fn run_prints_one_json_line_per_generation() {
    let out = evonas(&["run", "--link", "dataset=xor&seed=3&population=12&steps=10", "--generations", "4", "--json"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 4);
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line["generation"], i as u64 + 1);
        for key in ["train_accuracy", "test_accuracy", "nodes", "connections", "fitness"] {
            assert!(line["best"][key].is_number(), "missing best.{key} in {line}");
        }
        assert!(line["species"].is_array());
        assert!(line["elapsed_ms"].as_f64().unwrap() >= 0.0);
    }
}

#[test]
fn run_runs_a_cell_search_link_as_the_cells_command_does() {
    let lines = |out: std::process::Output| -> Vec<serde_json::Value> {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    };
    let run = lines(evonas(&["run", "--link", "scene=cells&compare=aging,random&seeds=2&budget=60", "--json"]));
    assert_eq!(run.len(), 4 + 2, "one line per search, then one report per strategy");
    for (i, line) in run[..4].iter().enumerate() {
        assert_eq!((line["scene"].as_str(), line["generation"].as_u64(), line["runs"].as_u64()), (Some("cells"), Some(i as u64 + 1), Some(4)));
        assert!(line["best"]["test_accuracy"].is_number() && line["best"]["cell"].as_str().is_some_and(|c| c.starts_with('|')), "{line}");
    }
    let flags = ["cells", "--strategy", "aging,random", "--seeds", "2", "--evaluations", "60", "--points", "20", "--json"];
    let cells = lines(evonas(&flags));
    let reports: Vec<&serde_json::Value> = run[4..].iter().map(|l| &l["report"]).collect();
    assert_eq!(reports, cells.iter().collect::<Vec<_>>(), "the same searches give the same reports");
    let capped = lines(evonas(&["run", "--link", "scene=cells&seeds=3", "--generations", "2", "--json"]));
    assert_eq!(capped.iter().filter(|l| l.get("generation").is_some()).count(), 2, "--generations caps the searches");
    let out = evonas(&["run", "--link", "scene=cells", "--champion"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("--champion"));
}

#[test]
fn run_prints_a_modules_link_with_the_best_network_and_the_baselines() {
    let link = "scene=modules&blueprints=2&modules=3&species=2&networks=1&epochs=1&validation=100&seed=2";
    let out = evonas(&["run", "--link", link, "--generations", "2", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(
            (line["scene"].as_str(), line["generation"].as_u64(), line["trained"].as_u64()),
            (Some("modules"), Some(i as u64 + 1), Some(2 * (i as u64 + 1)))
        );
        assert!(line["elapsed_ms"].as_f64().is_some_and(|ms| ms >= 0.0));
        for key in ["test_accuracy", "validation_accuracy", "parameters"] {
            assert!(line["best"][key].is_number(), "best.{key} in {line}");
        }
        assert!(line["best"]["modules"].as_array().is_some_and(|m| !m.is_empty() && m[0]["layers"].is_string()), "{line}");
        for name in ["logistic", "mlp", "cnn"] {
            assert!(line["baselines"][name]["test_accuracy"].is_number() && line["baselines"][name]["published"].is_number(), "{name} in {line}");
        }
    }
    let out = evonas(&["run", "--link", "scene=modules&epochs=0"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("epochs"));
}

#[test]
fn mnist1d_writes_the_pages_binary() {
    let path = std::env::temp_dir().join(format!("evonas-mnist1d-{}.bin", std::process::id()));
    let out = evonas(&["mnist1d", "--out", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let data = evonas::mnist1d::Mnist1d::from_bytes(&std::fs::read(&path).unwrap()).unwrap();
    std::fs::remove_file(&path).ok();
    assert_eq!((data.train.x.len(), data.test.x.len()), (4000, 1000));
}

#[test]
fn bad_links_exit_non_zero_with_the_message() {
    for (link, needle) in [("noise=NaN", "noise"), ("bogus=1", "unknown key 'bogus'"), ("population=0", "population")] {
        let out = evonas(&["run", "--link", link, "--generations", "1"]);
        assert!(!out.status.success(), "{link} should fail");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(needle), "{link}: {err}");
        assert!(!err.contains("panicked"), "{link}: {err}");
    }
    let out = evonas(&["run", "--generations", "zero"]);
    assert!(!out.status.success());
}

#[test]
fn compare_prints_curves_as_json_and_csv() {
    let link = "dataset=xor&population=10&batch=5&steps=10";
    let out = evonas(&["compare", "--link", link, "--strategies", "neat,aging", "--seeds", "2", "--budget", "40", "--points", "2", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let curves = json["curves"].as_array().unwrap();
    assert_eq!(curves.len(), 2);
    assert_eq!(curves[1]["strategy"], "aging");
    assert_eq!(curves[0]["trained"], serde_json::json!([20, 40]));
    let out = evonas(&["compare", "--link", link, "--strategies", "pareto", "--seeds", "2", "--budget", "40", "--points", "2", "--csv"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 3, "a header and one row per point: {text}");
    assert!(text.starts_with("strategy,trained,mean_test_accuracy,low,high,mean_connections"));
    let bad = evonas(&["compare", "--strategies", "random"]);
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("not one of"));
}

/// Every command's flags, as the README and DESIGN.md name them.
const FLAGS: [(&str, &[&str]); 5] = [
    ("run", &["--link", "--generations", "--threads", "--backend", "--json", "--champion"]),
    ("bench", &["--json", "--quick", "--backend"]),
    ("compare", &["--link", "--strategies", "--seeds", "--budget", "--points", "--json", "--csv"]),
    ("cells", &["--strategy", "--dataset", "--evaluations", "--seeds", "--population", "--sample", "--noise", "--points", "--json", "--csv"]),
    ("table", &["--out"]),
];

/// Fails with a message on stderr that names `flag`, without running anything.
fn refused(args: &[&str], flag: &str) {
    let out = evonas(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{args:?} was accepted");
    assert!(out.stdout.is_empty(), "{args:?} ran: {}", String::from_utf8_lossy(&out.stdout));
    assert!(err.contains(flag), "{args:?}: the message does not name {flag}: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
}

#[test]
fn unknown_flags_are_refused_by_name() {
    refused(&["run", "--generation", "5"], "--generation");
    let err = String::from_utf8(evonas(&["run", "--generation", "5"]).stderr).unwrap();
    assert!(err.contains("--generations"), "no suggestion of the flag meant: {err}");
    refused(&["bench", "--jsn"], "--jsn");
    refused(&["compare", "--seed", "2"], "--seed");
    refused(&["cells", "--strategies", "aging"], "--strategies");
    refused(&["table", "--output", "x.bin"], "--output");
    refused(&["walk"], "walk");
}

#[test]
fn missing_values_are_refused_by_name() {
    refused(&["run", "--generations"], "--generations");
    refused(&["run", "--link"], "--link");
    refused(&["compare", "--budget"], "--budget");
    refused(&["cells", "--noise"], "--noise");
    refused(&["table"], "--out");
}

#[test]
fn bad_numbers_are_refused_by_name() {
    for (args, flag) in [
        (&["run", "--generations", "abc"][..], "--generations"),
        (&["run", "--generations", "0"], "--generations"),
        (&["run", "--generations", "1000001"], "--generations"),
        (&["run", "--generations", "-3"], "--generations"),
        (&["run", "--generations", "2.5"], "--generations"),
        (&["run", "--threads", "0"], "--threads"),
        (&["run", "--threads", "1025"], "--threads"),
        (&["run", "--backend", "tpu"], "--backend"),
        (&["bench", "--backend", "auto"], "--backend"),
        (&["compare", "--seeds", "1001"], "--seeds"),
        (&["compare", "--budget", "10000001"], "--budget"),
        (&["compare", "--points", "0"], "--points"),
        (&["cells", "--evaluations", "1000001"], "--evaluations"),
        (&["cells", "--population", "15626"], "--population"),
        (&["cells", "--sample", "0"], "--sample"),
        (&["cells", "--seeds", "10001"], "--seeds"),
        (&["cells", "--noise", "loud"], "--noise"),
        (&["cells", "--dataset", "mnist"], "--dataset"),
        (&["cells", "--strategy", "aging,greedy"], "--strategy"),
    ] {
        refused(args, flag);
    }
    // Bounds that hold between flags are the search's own, said in its words.
    let out = evonas(&["cells", "--noise", "-1"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("noise"));
}

#[test]
fn help_lists_every_flag() {
    let out = evonas(&["--help"]);
    assert!(out.status.success());
    let top = String::from_utf8(out.stdout).unwrap();
    for (command, flags) in FLAGS {
        let line = top.lines().position(|l| l.trim_start().starts_with(&format!("evonas {command} ")));
        assert!(line.is_some(), "evonas --help has no line for {command}: {top}");
        for flag in flags {
            assert!(top.contains(&format!("[{flag}")) || top.contains(&format!(" {flag} ")), "evonas --help lacks {command} {flag}: {top}");
        }
        let out = evonas(&[command, "--help"]);
        assert!(out.status.success(), "{command} --help");
        let help = String::from_utf8(out.stdout).unwrap();
        for flag in flags {
            assert!(help.contains(&format!("  {flag}")), "evonas {command} --help lacks {flag}: {help}");
        }
    }
    let run = String::from_utf8(evonas(&["run", "--help"]).stdout).unwrap();
    for said in ["[default: 100]", "1 to 1000000", "cpu", "gpu", "auto", "champion"] {
        assert!(run.contains(said), "evonas run --help does not say {said}: {run}");
    }
    let none = evonas(&[]);
    assert!(!none.status.success() && String::from_utf8_lossy(&none.stderr).contains("Usage"));
}

/// A run saved after 2 generations and resumed for 2 more prints the lines of 4 straight
/// through, in every scene; a bad file is named on stderr.
#[test]
fn run_saves_and_resumes_any_scene() {
    let dir = std::env::temp_dir().join(format!("evonas-cli-save-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("run.evonas");
    let file = file.to_str().unwrap();
    let lines = |out: std::process::Output| -> Vec<serde_json::Value> {
        assert!(out.status.success() && out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        let mut lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        lines.iter_mut().for_each(|l| drop(l.as_object_mut().unwrap().remove("elapsed_ms")));
        lines.retain(|l| l.get("report").is_none());
        lines
    };
    for link in [
        "dataset=xor&population=12&steps=10",
        "scene=cells&seeds=2&budget=60",
        "scene=recurrent&population=6&children=3&steps=10",
        "scene=modules&dataset=xor&modules=4&blueprints=2&networks=1&epochs=1",
    ] {
        let straight = lines(evonas(&["run", "--link", link, "--generations", "4", "--json"]));
        let mut parts = lines(evonas(&["run", "--link", link, "--generations", "2", "--json", "--save", file]));
        parts.extend(lines(evonas(&["run", "--resume", file, "--generations", "2", "--json"])));
        assert_eq!(parts, straight, "{link}");
    }
    std::fs::write(file, b"EVONAS-RUN\n\x01\x00").unwrap();
    let out = evonas(&["run", "--resume", file]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("cut short"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = evonas(&["run", "--resume", file, "--link", "dataset=xor"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("--link"), "a run resumes from its file's link alone");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A closed standard output (`| head -1`) ends a run quietly with status 0; a normal run says
/// nothing on stderr (no GPU probe unless asked for); numbers print as the f32 they are.
#[test]
fn run_is_quiet_and_stops_quietly_when_its_reader_leaves() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_evonas"))
        .args(["run", "--link", "dataset=xor&population=12&steps=10", "--generations", "100000", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    // The reader is gone: the next line the run writes finds the pipe closed.
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "status {:?}: {}", out.status, String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "nothing on stderr");
    let line: serde_json::Value = serde_json::from_str(&first).unwrap();
    let fitness = &line["best"]["fitness"];
    let shortest = (fitness.as_f64().unwrap() as f32).to_string();
    assert_eq!(fitness.to_string(), shortest, "an f32 prints at its shortest");
    for link in ["dataset=xor&population=8&steps=5", "scene=recurrent&population=6&children=2&steps=5"] {
        let out = evonas(&["run", "--link", link, "--generations", "1"]);
        assert!(out.status.success() && out.stderr.is_empty(), "{link}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

/// `compare` runs any scene's contenders over seeds: the recurrent cells' and the modules' as
/// well as NEAT's and the cell search's, with the scene's metric.
#[test]
fn compare_runs_every_scenes_contenders() {
    for (link, budget, strategies, metric) in [
        ("scene=recurrent&population=6&children=3&steps=20", "12", ["aging", "novelty", "random"], "test loss"),
        ("scene=modules&dataset=xor&modules=4&blueprints=2&networks=1&epochs=1", "4", ["coevolution", "one-species", "random"], "test accuracy"),
    ] {
        let out = evonas(&["compare", "--link", link, "--seeds", "2", "--budget", budget, "--points", "2", "--json"]);
        assert!(out.status.success() && out.stderr.is_empty(), "{link}: {}", String::from_utf8_lossy(&out.stderr));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["metric"], metric);
        let curves = json["curves"].as_array().unwrap();
        assert_eq!(curves.iter().map(|c| c["strategy"].as_str().unwrap()).collect::<Vec<_>>(), strategies, "{link}");
        for c in curves {
            let traces = c["traces"].as_array().unwrap();
            assert_eq!(traces.len(), 2, "one trace per seed");
            for t in traces {
                let trained: Vec<u64> = t["trained"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
                assert!(trained.windows(2).all(|w| w[0] < w[1]) && *trained.last().unwrap() >= budget.parse::<u64>().unwrap(), "{trained:?}");
            }
            let (mean, low, high) = (c["mean_test_accuracy"][1].as_f64().unwrap(), c["low"][1].as_f64().unwrap(), c["high"][1].as_f64().unwrap());
            assert!(low <= mean && mean <= high, "{link}: the band holds its mean");
        }
        let bad = evonas(&["compare", "--link", link, "--strategies", "pareto", "--budget", "1"]);
        assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("not one of"), "{link}");
    }
}
