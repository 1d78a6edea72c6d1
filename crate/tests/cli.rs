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
