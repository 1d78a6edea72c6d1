//! Property tests of the link decoder (`Config::from_link`, `codec::decode_genome`,
//! `codec::decode_points`): nothing a link can say makes them panic, whatever they accept
//! round-trips exactly, and what they accept can run.
//!
//! Budget: every property runs a FIXED number of cases from a FIXED seed (`SEED`), so CI sees the
//! same inputs on every run; the counts are sized so the whole file takes about 20 s with the
//! test profile on the 2-core VM (about 19 s measured; each property prints its time and outcome
//! counts under `--nocapture`). Fixed counts rather than a deadline keep the inputs identical
//! however fast the machine is, so a failure always reproduces. To fuzz longer or elsewhere:
//! `PROPTEST_CASES=N cargo test --test link_fuzz` runs N cases per property; change `SEED` for
//! other inputs. Failures are shrunk and printed, not persisted to files.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use evonas::codec::{decode_genome, decode_points, encode_genome, encode_points};
use evonas::dataset::EXTENT;
use evonas::genome::{Genome, BIAS, OUTPUT};
use evonas::link::schema::Bound;
use evonas::scene::neat::compile::compile;
use evonas::{Config, Run};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config as PropConfig, RngSeed, TestRunner};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

mod genomes;

const SEED: u64 = 0x5eed_114c;

fn budget(cases: u32) -> PropConfig {
    let env = PropConfig::default(); // reads PROPTEST_CASES and the other PROPTEST_ variables
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() { env.cases } else { cases };
    PropConfig { cases, rng_seed: RngSeed::Fixed(SEED), failure_persistence: None, max_shrink_iters: 500, ..env }
}

/// Genomes grown by the benchmark's mutations, encoded: the valid starting points of mutation.
fn champions() -> &'static [String] {
    static CHAMPIONS: OnceLock<Vec<String>> = OnceLock::new();
    CHAMPIONS.get_or_init(|| {
        let mut genomes = evonas::bench::population(12, 30);
        genomes.extend(evonas::bench::population(4, 3));
        genomes.iter().map(encode_genome).collect()
    })
}

const KEYS: &[&str] = &[
    "v",
    "dataset",
    "strategy",
    "backend",
    "optimizer",
    "scene",
    "embed",
    "autoplay",
    "activations",
    "show",
    "drawn",
    "genome",
    "noise",
    "points",
    "train",
    "seed",
    "population",
    "steps",
    "lr",
    "penalty",
    "species",
    "bogus",
    "",
    "%76",
    "V",
    "dataset ",
];
const JUNK: &[&str] = &[
    "",
    "1e308",
    "-1e308",
    "1e-400",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "infinity",
    "-0",
    "+0",
    "0x10",
    "1_000",
    "1.",
    ".5",
    "5e",
    "99999999999999999999999",
    "-1",
    "4294967296",
    "%",
    "%zz",
    "%F",
    "%FF",
    "%C3%A9",
    "%00",
    "+",
    " ",
    "é",
    "😀",
    "1,2",
    "=",
    "==",
    "a=b",
    "sine,,",
    ",",
    "custom",
    "AAAA",
    "AQ",
    "!!",
    "0.1.2",
    "1e3",
    "0.05 ",
    "true",
    "2",
];

/// Coordinates at and just past the plane's edge, and the floats that break naive checks.
const EDGES: &[f32] = &[6.0, -6.0, 6.000001, -6.000001, 0.0, -0.0, 1e-45, f32::MAX, f32::NAN, f32::INFINITY, f32::NEG_INFINITY];

/// A value within bounds for one numeric setting, as a person or the page would type it;
/// `small` keeps population, points and steps small enough to run in the test.
fn numeric_value(b: &'static Bound, small: bool) -> BoxedStrategy<String> {
    let (lo, hi) = match (b.key, small) {
        ("population", true) => (2.0, 20.0),
        ("points", true) => (10.0, 200.0),
        ("steps", true) => (1.0, 5.0),
        _ => (b.min, b.max),
    };
    if b.integer {
        return prop_oneof![Just(lo as u64), Just(hi as u64), lo as u64..=hi as u64].prop_map(|v| v.to_string()).boxed();
    }
    // Decimals with 1 to 4 digits, as typed, and any f64 in range, as computed.
    let typed = (1usize..=4).prop_flat_map(move |d| {
        let scale = 10f64.powi(d as i32);
        ((lo * scale).ceil() as u64..=(hi * scale).floor() as u64).prop_map(move |k| format!("{:.*}", d, k as f64 / scale))
    });
    prop_oneof![Just(lo.to_string()), Just(hi.to_string()), typed, (lo..=hi).prop_map(|v| v.to_string())].boxed()
}

/// Drawn points inside the plane, in bits (edges included).
fn plane_points(max: usize) -> impl Strategy<Value = Vec<(f32, f32, u8)>> {
    let coord = prop_oneof![Just(EXTENT), Just(-EXTENT), Just(0.0f32), Just(-0.0f32), -EXTENT..=EXTENT];
    prop::collection::vec((coord.clone(), coord, 0u8..=1), 0..max)
}

/// A link built from random settings within bounds, its pairs in random order.
fn valid_link() -> impl Strategy<Value = String> {
    let names = |all: &'static [&'static str]| prop::sample::subsequence(all, 1..=all.len()).prop_shuffle().prop_map(|v| v.join(","));
    const ACTS: &[&str] = &["sigmoid", "tanh", "relu", "gaussian", "sine", "abs", "square", "identity", "mult", "add"];
    const VIEWS: &[&str] = &["boundary", "network", "charts", "gallery"];
    let enums = (
        prop::sample::select(&["circle", "xor", "gauss", "spiral", "custom"][..]),
        prop::sample::select(&["adam", "rmsprop"][..]),
        prop::sample::select(&["auto", "cpu", "webgpu"][..]),
        names(ACTS),
        prop::option::of(names(VIEWS)),
        (any::<bool>(), any::<bool>(), any::<bool>()),
    );
    let extras = (prop::option::of(plane_points(12)), prop::option::of(any::<Index>()), prop::bool::weighted(0.8));
    (enums, extras)
        .prop_flat_map(|((dataset, optimizer, backend, acts, show, flags), (drawn, genome, small))| {
            let mut pairs = vec![format!("dataset={dataset}"), format!("optimizer={optimizer}"), format!("backend={backend}")];
            pairs.extend([format!("activations={acts}"), format!("embed={}", flags.0 as u8), format!("autoplay={}", flags.1 as u8)]);
            pairs.extend(["v=1", "strategy=neat", "scene=neat"].iter().filter(|_| flags.2).map(|p| p.to_string()));
            pairs.extend(show.map(|s| format!("show={s}")));
            pairs.extend(drawn.map(|p| format!("drawn={}", encode_points(&p))));
            pairs.extend(genome.map(|i| format!("genome={}", i.get(champions()))));
            let numbers: Vec<_> = Config::NUMERIC.iter().map(|b| numeric_value(b, small).prop_map(move |v| format!("{}={v}", b.key))).collect();
            let all: Vec<usize> = (0..Config::NUMERIC.len()).collect();
            (Just(pairs), numbers, prop::sample::subsequence(all, 0..=Config::NUMERIC.len()), Just(small))
        })
        .prop_flat_map(|(mut pairs, numbers, keep, small)| {
            // A small experiment names its size, so it can be run.
            let sized = |k: &usize| small && ["population", "points", "steps"].contains(&Config::NUMERIC[*k].key);
            pairs.extend((0..Config::NUMERIC.len()).filter(|k| keep.contains(k) || sized(k)).map(|k| numbers[k].clone()));
            Just(pairs).prop_shuffle().prop_map(|p| p.join("&"))
        })
}

/// One edit of a link: cut it, splice bytes in, flip a byte, or rework one of its pairs.
#[derive(Clone, Debug)]
enum Mutation {
    Truncate(Index),
    Splice(Index, Vec<u8>),
    FlipByte(Index, u8),
    DuplicatePair(Index),
    DropPair(Index),
    Junk(Index, &'static str),
    RenameKey(Index, &'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let bytes = prop::collection::vec(prop_oneof![any::<u8>(), prop::sample::select(&b"&=%#?+,.-0123456789eE"[..])], 1..8);
    prop_oneof![
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), bytes).prop_map(|(i, b)| Mutation::Splice(i, b)),
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::FlipByte(i, b)),
        any::<Index>().prop_map(Mutation::DuplicatePair),
        any::<Index>().prop_map(Mutation::DropPair),
        (any::<Index>(), prop::sample::select(JUNK)).prop_map(|(i, j)| Mutation::Junk(i, j)),
        (any::<Index>(), prop::sample::select(KEYS)).prop_map(|(i, k)| Mutation::RenameKey(i, k)),
    ]
}

fn mutate(link: &str, m: &Mutation) -> String {
    let mut bytes = link.as_bytes().to_vec();
    let mut pairs: Vec<String> = link.split('&').map(String::from).collect();
    let n = pairs.len();
    match m {
        Mutation::Truncate(i) => bytes.truncate(i.index(bytes.len() + 1)),
        Mutation::Splice(i, b) => drop(bytes.splice(i.index(bytes.len() + 1)..i.index(bytes.len() + 1), b.iter().copied())),
        Mutation::FlipByte(i, b) => bytes.get_mut(i.index(link.len().max(1))).into_iter().for_each(|x| *x ^= b | 1),
        Mutation::DuplicatePair(i) => pairs.push(pairs[i.index(n)].clone()),
        Mutation::DropPair(i) => drop(pairs.remove(i.index(n))),
        Mutation::Junk(i, junk) => pairs[i.index(n)] = format!("{}={junk}", pairs[i.index(n)].split('=').next().unwrap_or("")),
        Mutation::RenameKey(i, key) => pairs[i.index(n)] = format!("{key}={}", pairs[i.index(n)].split_once('=').map_or("", |(_, v)| v)),
    }
    match m {
        Mutation::Truncate(_) | Mutation::Splice(..) | Mutation::FlipByte(..) => String::from_utf8_lossy(&bytes).into_owned(),
        _ => pairs.join("&"),
    }
}

/// What every successful decode must satisfy; with `run`, also starts a small experiment and
/// steps it once (Ok(true) when it did).
fn check_accepted(link: &str, c: &Config, run: bool) -> Result<bool, TestCaseError> {
    let again = c.to_link();
    let back = Config::from_link(&again).map_err(|e| TestCaseError::fail(format!("{link}\n  re-encoded as {again}\n  which fails: {e}")))?;
    if &back != c {
        let mut diff = vec![format!("drawn points {:?} became {:?}", c.custom_points, back.custom_points)];
        diff.retain(|_| back.custom_points != c.custom_points);
        diff.extend((back.genome != c.genome).then(|| "the genome changed".to_string()));
        diff.extend((back.to_link() != again).then(|| format!("settings became {}", back.to_link())));
        return Err(TestCaseError::fail(format!("round trip changes the config of {link}\n  re-encoded as {again}\n  {}", diff.join("; "))));
    }
    if let Some(g) = &c.genome {
        check_genome(g)?;
    }
    if run && c.population <= 20 && c.points <= 200 && c.steps <= 5 {
        match Run::new(c.clone()) {
            Ok(mut r) => {
                let s = r.step();
                prop_assert_eq!(s.generation, 1, "{}", link);
                prop_assert_eq!(r.population().len(), c.population, "{}", link);
                return Ok(true);
            }
            // The configs a link may carry that cannot start: a custom dataset without enough
            // drawn points (the page then waits for the user to draw some), or with its points
            // all marked for one side of the split.
            Err(e) => prop_assert!(
                c.dataset == evonas::scene::neat::config::DatasetKind::Custom
                    && ((c.custom_points.len() < 2 && e.contains("at least 2 points"))
                        || e.contains("have no training point")
                        || e.contains("have no test point")),
                "{link}: Run::new failed: {e}"
            ),
        }
    }
    Ok(false)
}

/// A decoded genome: valid, compiles to a program whose edges read earlier slots only, and
/// evaluates (finite or not) without panicking.
fn check_genome(g: &Genome) -> Result<(), TestCaseError> {
    prop_assert_eq!(g.validate(), Ok(()), "a decoded genome must be valid");
    let p = compile(g);
    for node in &p.nodes {
        for e in &p.edges[node.edge_range()] {
            prop_assert!(e.source < node.slot, "edge reads slot {} into slot {}", e.source, node.slot);
        }
    }
    let _ = p.eval_point(0.5, -0.5);
    let again = decode_genome(&encode_genome(g));
    prop_assert_eq!(again.as_ref(), Ok(g), "re-encoding changes the genome");
    Ok(())
}

/// Runs `test` on `cases` inputs drawn from `strategy` (fixed seed); panics with the shrunk
/// failing input. Returns how often each outcome `test` named occurred, so a test can check it
/// reached what it meant to (a fuzzer whose inputs all bounce off the first check proves little).
fn fuzz<S: Strategy>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<&'static str, TestCaseError>) -> HashMap<&'static str, u32> {
    let seen = RefCell::new(HashMap::new());
    let start = std::time::Instant::now();
    let result = TestRunner::new(budget(cases)).run(&strategy, |value| {
        let outcome = test(value)?;
        *seen.borrow_mut().entry(outcome).or_insert(0) += 1;
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    eprintln!("{cases} cases in {:.1} s: {:?}", start.elapsed().as_secs_f64(), seen.borrow());
    seen.into_inner()
}

/// Checks that at least `share` of the cases ended in `outcome`.
fn at_least(seen: &HashMap<&str, u32>, outcome: &str, share: f64) {
    let (got, all) = (seen.get(outcome).copied().unwrap_or(0), seen.values().sum::<u32>());
    assert!(f64::from(got) >= share * f64::from(all), "only {got} of {all} cases ended '{outcome}' (want {share}); all: {seen:?}");
}

/// Decodes a link: refused with a message, or accepted and then checked (and run when small).
fn decode_link(link: &str, run: bool) -> Result<&'static str, TestCaseError> {
    match Config::from_link(link) {
        Ok(c) => check_accepted(link, &c, run).map(|ran| if ran { "ran" } else { "accepted" }),
        Err(e) => {
            prop_assert!(!e.trim().is_empty(), "empty error for {link}");
            Ok("refused")
        }
    }
}

#[test]
fn arbitrary_text_never_panics() {
    let text = prop_oneof![
        any::<String>(),
        "[a-z0-9=&%#?+,.é😀 -]{0,60}",
        prop::collection::vec((prop::sample::select(KEYS), prop::sample::select(JUNK)), 0..6).prop_map(|p| p
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")),
    ];
    let seen = fuzz(250_000, text, |text| decode_link(&text, false));
    at_least(&seen, "refused", 0.5);
    at_least(&seen, "accepted", 0.02);
}

#[test]
fn valid_links_round_trip_and_run() {
    let seen = fuzz(20_000, valid_link(), |link| match decode_link(&link, true)? {
        "refused" => Err(TestCaseError::fail(format!("refused a valid link: {link}: {}", Config::from_link(&link).unwrap_err()))),
        outcome => Ok(outcome),
    });
    at_least(&seen, "ran", 0.4);
}

#[test]
fn mutated_links_fail_cleanly_or_round_trip() {
    let seen =
        fuzz(50_000, (valid_link(), prop::collection::vec(mutation(), 1..3)), |(link, ms)| decode_link(&ms.iter().fold(link, |l, m| mutate(&l, m)), true));
    at_least(&seen, "refused", 0.3);
    at_least(&seen, "ran", 0.04);
}
