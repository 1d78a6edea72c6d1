//! Every class of bad link, one test each: `Config::from_link` refuses it with a message that
//! names the key and the reason, and the CLI exits non-zero with that message.
//!
//! Genome bytes are built by hand from the format in `codec`'s module doc: byte 1, the output's
//! activation code, a varint count of hidden nodes (each a varint id and an activation code), a
//! varint count of connections (each varint innovation, from, to, f32 LE weight, enabled byte).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use evonas::codec::{encode_genome, encode_points};
use evonas::Config;
use std::process::Command;

/// The error for `link`; fails the test if the link is accepted.
fn refused(link: &str) -> String {
    match Config::from_link(link) {
        Ok(c) => panic!("{link} was accepted as {}", c.to_link()),
        Err(e) => e,
    }
}

/// Asserts the error for `link` contains every one of `needles`.
fn names(link: &str, needles: &[&str]) {
    let error = refused(link);
    for needle in needles {
        assert!(error.contains(needle), "error for {link} is '{error}', which does not mention '{needle}'");
    }
}

/// A genome's link value from hand-built bytes.
fn genome(bytes: &[u8]) -> String {
    format!("genome={}", URL_SAFE_NO_PAD.encode(bytes))
}

/// One connection record (innovation, from and to below 128, so each varint is one byte).
fn conn(innovation: u8, from: u8, to: u8) -> Vec<u8> {
    [[innovation, from, to].as_slice(), &0.5f32.to_le_bytes(), &[1]].concat()
}

/// A sound genome to start from: hidden node 4 (tanh) between input x and the sigmoid output.
fn sound_genome() -> Vec<u8> {
    [vec![1, 0, 1, 4, 1, 3], conn(0, 0, 4), conn(1, 4, 3), conn(2, 2, 3)].concat()
}

#[test]
fn the_hand_built_genome_is_sound() {
    // The broken genomes below differ from this one in one place each, so each error is theirs.
    let c = Config::from_link(&genome(&sound_genome())).expect("the hand-built genome decodes");
    let g = c.genome.expect("a genome");
    assert_eq!((g.nodes.len(), g.conns.len()), (5, 3));
    assert_eq!(genome(&sound_genome()), format!("genome={}", encode_genome(&g)));
}

#[test]
fn garbage() {
    names("%%%", &["'%%%' is not key=value"]);
    names("&&&==", &["unknown key ''"]);
    names("the quick brown fox jumps over the lazy dog", &["'the quick brown fox jumps over the lazy dog' is not key=value"]);
    names("seed=1&the quick brown fox", &["is not key=value"]);
    names("noise=%zz", &["broken escape"]);
    names("noise=%", &["broken escape"]);
    names("noise=%FF", &["not valid UTF-8"]);
}

#[test]
fn truncated_base64_genome() {
    let full = URL_SAFE_NO_PAD.decode(encode_genome(&evonas::bench::population(1, 20).remove(0))).unwrap();
    for cut in [1, 2, 5, full.len() / 2, full.len() - 1] {
        names(&genome(&full[..cut]), &["genome: truncated at"]);
    }
    // Cutting the text instead can also leave a length no base64 text has.
    let text = encode_genome(&evonas::bench::population(1, 20).remove(0));
    let cut = (1..text.len()).rev().find(|n| n % 4 == 1).unwrap();
    names(&format!("genome={}", &text[..cut]), &["genome: not base64url"]);
    names("genome=", &["genome: truncated at the format"]);
}

#[test]
fn invalid_base64() {
    for bad in ["!!", "AQ==", "AQ+/", "A", "a b", "%C3%A9%C3%A9"] {
        names(&format!("genome={bad}"), &["genome: not base64url"]);
        names(&format!("drawn={bad}"), &["drawn: not base64url"]);
    }
}

#[test]
fn huge_numbers() {
    names("points=1e300", &["points: 1e300 is out of range", "allowed 10 to 4000"]);
    names("population=99999999999", &["population: 99999999999 is out of range", "allowed 2 to 2000"]);
    names("noise=1e308", &["noise:", "out of range"]);
    names("seed=4294967296", &["seed:", "out of range", "4294967295"]);
    names("steps=1e400", &["steps: '1e400' is not a finite number"]);
    names("lr=-1e308", &["lr:", "out of range"]);
    names("population=99999999999999999999999999", &["population:", "out of range"]);
}

#[test]
fn nan_and_infinity() {
    for (key, value) in [("noise", "NaN"), ("lr", "nan"), ("points", "inf"), ("penalty", "-inf"), ("clip", "infinity")] {
        names(&format!("{key}={value}"), &[&format!("{key}: '{value}' is not a finite number")]);
    }
    names("noise=NaN", &["allowed 0 to 1"]);
}

#[test]
fn unknown_keys() {
    names("bogus=1", &["unknown key 'bogus'", "known: v, scene, dataset"]);
    names("Seed=1", &["unknown key 'Seed'"]);
    names("seed =1", &["unknown key 'seed '"]);
    names("dataset=xor&champion=1", &["unknown key 'champion'"]);
}

#[test]
fn duplicate_keys() {
    names("seed=1&seed=2", &["seed: given more than once"]);
    names("seed=1&seed=1", &["seed: given more than once"]);
    names("dataset=xor&noise=0.1&dataset=xor", &["dataset: given more than once"]);
    // An escaped key is the same key.
    names("seed=1&s%65ed=2", &["seed: given more than once"]);
    let g = genome(&sound_genome());
    names(&format!("{g}&{g}"), &["genome: given more than once"]);
}

#[test]
fn cyclic_genome() {
    // Hidden nodes 4 and 5 feed each other (4 -> 5 -> 4), and 4 feeds the output.
    let bytes = [vec![1, 0, 2, 4, 1, 5, 1, 4], conn(0, 0, 4), conn(1, 4, 5), conn(2, 5, 4), conn(3, 4, 3)].concat();
    names(&genome(&bytes), &["genome: the connections form a cycle"]);
    // A cycle through disabled connections is refused too: enabling one later must stay safe.
    let mut disabled = bytes.clone();
    let last_enabled_of_third = 8 + 3 * 8 - 1;
    disabled[last_enabled_of_third] = 0;
    names(&genome(&disabled), &["genome: the connections form a cycle"]);
    // A node feeding itself.
    let self_loop = [vec![1, 0, 1, 4, 1, 3], conn(0, 0, 4), conn(1, 4, 4), conn(2, 4, 3)].concat();
    names(&genome(&self_loop), &["genome: the connections form a cycle"]);
}

#[test]
fn dangling_connection() {
    // Connection 1 leaves node 9, which the genome does not have.
    let bytes = [vec![1, 0, 1, 4, 1, 3], conn(0, 0, 4), conn(1, 9, 3), conn(2, 4, 3)].concat();
    names(&genome(&bytes), &["genome: connection 1 joins a missing node"]);
    let into_nothing = [vec![1, 0, 1, 4, 1, 2], conn(0, 0, 4), conn(1, 4, 77)].concat();
    names(&genome(&into_nothing), &["genome: connection 1 joins a missing node"]);
}

#[test]
fn unknown_activation_code() {
    let mut hidden = sound_genome();
    hidden[4] = 42;
    names(&genome(&hidden), &["genome: a hidden node has unknown activation code 42"]);
    let mut output = sound_genome();
    output[1] = 10;
    names(&genome(&output), &["genome: the output node has unknown activation code 10"]);
}

#[test]
fn other_broken_genomes() {
    let mut format = sound_genome();
    format[0] = 3;
    names(&genome(&format), &["genome: format 3 is not supported (this page reads 1 and 2)"]);
    // Format 2 is format 1 and the genome's own learning rate and steps, each checked.
    format[0] = 2;
    names(&genome(&format), &["genome: truncated at the learning rate"]);
    let own = |lr: f32, steps: u8| [format.as_slice(), &lr.to_le_bytes(), &[steps]].concat();
    assert!(Config::from_link(&genome(&own(0.01, 40))).is_ok());
    names(&genome(&own(0.01, 0)), &["genome: 0 steps is outside 1 to 2000"]);
    names(&genome(&own(f32::INFINITY, 40)), &["genome: learning rate inf is outside 0.0001 to 1"]);
    names(&genome(&[sound_genome(), vec![0]].concat()), &["genome: 1 bytes follow the genome"]);
    let mut flag = sound_genome();
    *flag.last_mut().unwrap() = 7;
    names(&genome(&flag), &["genome: connection 2 has enabled flag 7"]);
    let backwards = [vec![1, 0, 0, 1], conn(0, 3, 0)].concat();
    names(&genome(&backwards), &["genome: connection 0 runs 3 -> 0 against the flow"]);
    names(&genome(&[1, 0, 0xe9, 0x07]), &["genome: 1001 hidden nodes is too many"]);
    let twice = [vec![1, 0, 0, 2], conn(0, 0, 3), conn(1, 0, 3)].concat();
    names(&genome(&twice), &["genome: connection 0 -> 3 appears twice"]);
}

#[test]
fn drawn_points_outside_the_plane() {
    for (x, y) in [(6.5, 0.0), (0.0, -6.01), (1e30, 1e30), (f32::NAN, 0.0), (0.0, f32::INFINITY)] {
        let link = format!("dataset=custom&drawn={}", encode_points(&[(0.0, 0.0, 1), (x, y, 0)]));
        names(&link, &["drawn: point 2 lies outside the plane", "6"]);
    }
    // Bytes 2-5 mark a point's split (train, test); 6 and above mean nothing.
    let label = format!("dataset=custom&drawn={}", encode_points(&[(1.0, 1.0, 6)]));
    names(&label, &["drawn: point 1 has label 6 (0 or 1, plus 2 for a training point or 4 for a test point)"]);
    names("dataset=custom&drawn=AAAAAAAA", &["drawn: 6 bytes is not a whole number of points"]);
    // The edges themselves are inside.
    assert!(Config::from_link(&format!("dataset=custom&drawn={}", encode_points(&[(6.0, -6.0, 1)]))).is_ok());
}

#[test]
fn wrong_link_version() {
    names("v=3", &["v: link version '3' is not supported", "v=1 or v=2"]);
    names("v=0&dataset=xor", &["v: link version '0'"]);
    names("v=1.0", &["v: link version '1.0'"]);
    names("v=", &["v: link version ''"]);
    names("dataset=xor&v=999999999999", &["v: link version '999999999999'"]);
}

#[test]
fn bad_enum_values_and_flags() {
    names("dataset=moons", &["dataset: 'moons' is not one of circle, xor, gauss, spiral, custom"]);
    names("activations=sine,zap", &["activations:", "'zap'"]);
    names("activations=", &["activations:", "empty"]);
    names("embed=yes", &["embed: 'yes' is not 0 or 1"]);
    names("steps=2.5", &["steps: 2.5 is not a whole number"]);
    names("population=-5", &["population: -5 is out of range"]);
}

fn cli(link: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_evonas")).args(["run", "--link", link, "--generations", "1"]).output().expect("the CLI runs")
}

#[test]
fn the_cli_exits_non_zero_naming_the_problem() {
    let cyclic = genome(&[vec![1, 0, 2, 4, 1, 5, 1, 4], conn(0, 0, 4), conn(1, 4, 5), conn(2, 5, 4), conn(3, 4, 3)].concat());
    let cases = [
        ("points=1e300".to_string(), "points: 1e300 is out of range"),
        ("seed=1&seed=2".to_string(), "seed: given more than once"),
        (format!("dataset=xor&{cyclic}"), "genome: the connections form a cycle"),
        ("v=3".to_string(), "v: link version '3' is not supported"),
    ];
    for (link, needle) in &cases {
        let out = cli(link);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{link}: status {:?}, stderr {err}", out.status);
        assert!(err.contains(needle), "{link}: stderr '{err}' should mention '{needle}'");
        assert!(!err.contains("panicked"), "{link}: {err}");
        assert!(out.stdout.is_empty(), "{link}: no generation may run, stdout was {}", String::from_utf8_lossy(&out.stdout));
    }
}
