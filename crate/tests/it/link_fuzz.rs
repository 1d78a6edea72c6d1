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
use evonas::link::schema::{Bound, NUMERIC};
use evonas::scene::neat::compile::compile;
use evonas::{Config, Run};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config as PropConfig, RngSeed, TestRunner};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

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
            let numbers: Vec<_> = NUMERIC.iter().map(|b| numeric_value(b, small).prop_map(move |v| format!("{}={v}", b.key))).collect();
            let all: Vec<usize> = (0..NUMERIC.len()).collect();
            (Just(pairs), numbers, prop::sample::subsequence(all, 0..=NUMERIC.len()), Just(small))
        })
        .prop_flat_map(|(mut pairs, numbers, keep, small)| {
            // A small experiment names its size, so it can be run.
            let sized = |k: &usize| small && ["population", "points", "steps"].contains(&NUMERIC[*k].key);
            pairs.extend((0..NUMERIC.len()).filter(|k| keep.contains(k) || sized(k)).map(|k| numbers[k].clone()));
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
            // The one config a link may carry that cannot start: a custom dataset without
            // enough drawn points (the page then waits for the user to draw some).
            Err(e) => prop_assert!(
                c.dataset == evonas::config::DatasetKind::Custom && c.custom_points.len() < 2 && e.contains("at least 2 points"),
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

/// The text as a link value that `from_link` decodes back to exactly this text.
fn escape(text: &str) -> String {
    text.bytes().map(|b| if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// What decoding any genome text must do: fail with a message, or give a checked genome.
fn decode_genome_text(text: &str) -> Result<&'static str, TestCaseError> {
    let direct = decode_genome(text);
    let via_link = Config::from_link(&format!("genome={}", escape(text)));
    match (&direct, &via_link) {
        (Ok(g), Ok(c)) => {
            prop_assert_eq!(c.genome.as_ref(), Some(g));
            check_genome(g)?;
            Ok("accepted")
        }
        (Err(e), Err(le)) => {
            prop_assert!(le.starts_with("genome: ") && le.ends_with(e.as_str()), "{le} vs {e}");
            Ok(["cycle", "missing node", "truncated"].into_iter().find(|w| e.contains(w)).unwrap_or("refused"))
        }
        _ => Err(TestCaseError::fail(format!("decode_genome {direct:?} and from_link {via_link:?} disagree on {text}"))),
    }
}

/// Genome bytes built by the format (ids and connections over a few nodes), so many decode and
/// many are cyclic, dangling or duplicated: whatever is accepted must pass an independent check.
fn structured_genome() -> impl Strategy<Value = Vec<u8>> {
    // Hidden ids mostly 4.., sometimes reserved; connections mostly from a source or hidden node to
    // the output or a hidden node (so hidden ones can form cycles), sometimes between any ids.
    let hidden = prop::collection::vec((prop_oneof![9 => 4u8..10, 1 => 0u8..4], 0u8..11), 0..5);
    let end = prop_oneof![19 => any::<Index>().prop_map(Ok), 1 => (0u8..12).prop_map(Err)];
    let conns = prop::collection::vec((0u8..20, end.clone(), end, 0u8..3), 0..9);
    (0u8..12, hidden, conns, prop::bool::weighted(0.9)).prop_map(|(out, mut hidden, mut conns, tidy)| {
        // Mostly in the order the format requires, so the checks past ordering are reached.
        if tidy {
            hidden.sort_unstable();
            hidden.dedup_by_key(|h| h.0);
            conns.sort_unstable_by_key(|c| c.0);
            conns.dedup_by_key(|c| c.0);
        }
        let from_ids: Vec<u8> = [0, 1, 2].into_iter().chain(hidden.iter().map(|h| h.0)).collect();
        let to_ids: Vec<u8> = [3].into_iter().chain(hidden.iter().map(|h| h.0)).collect();
        let pick = |e: Result<Index, u8>, ids: &[u8]| e.map_or_else(|raw| raw, |i| *i.get(ids));
        let mut b = vec![1, out, hidden.len() as u8];
        for (id, act) in hidden.iter().copied() {
            b.extend([id, act]);
        }
        b.push(conns.len() as u8);
        for (inn, from, to, enabled) in conns {
            b.extend([inn, pick(from, &from_ids), pick(to, &to_ids)]);
            b.extend(0.75f32.to_le_bytes());
            b.push(enabled.min(1));
        }
        b
    })
}

/// Independent of `validate`: the connections (all of them) must form no cycle, join existing
/// nodes, and never repeat a pair; true when the genome breaks none of these.
fn plainly_sound(g: &Genome) -> bool {
    let has = |id| g.nodes.iter().any(|n| n.id == id);
    if g.conns.iter().any(|c| !has(c.from) || !has(c.to) || c.to <= BIAS || c.from == OUTPUT) {
        return false;
    }
    let mut pairs: Vec<_> = g.conns.iter().map(|c| (c.from, c.to)).collect();
    pairs.sort_unstable();
    pairs.dedup();
    if pairs.len() != g.conns.len() {
        return false;
    }
    // A path longer than the node count means a cycle.
    let mut frontier: Vec<u32> = g.nodes.iter().map(|n| n.id).collect();
    for _ in 0..=g.nodes.len() {
        frontier = g.conns.iter().filter(|c| frontier.contains(&c.from)).map(|c| c.to).collect();
        frontier.sort_unstable();
        frontier.dedup();
    }
    frontier.is_empty()
}

#[test]
fn random_genome_bytes_never_panic() {
    fuzz(300_000, prop::collection::vec(any::<u8>(), 0..200), |bytes| decode_genome_text(&URL_SAFE_NO_PAD.encode(bytes)));
}

#[test]
fn structured_genomes_are_accepted_only_when_sound() {
    let seen = fuzz(400_000, structured_genome(), |bytes| {
        let text = URL_SAFE_NO_PAD.encode(&bytes);
        let outcome = decode_genome_text(&text)?;
        if let Ok(g) = decode_genome(&text) {
            prop_assert!(plainly_sound(&g), "accepted an unsound genome: {g:?}");
        }
        Ok(outcome)
    });
    at_least(&seen, "accepted", 0.1);
    at_least(&seen, "cycle", 0.03);
    at_least(&seen, "missing node", 0.04);
}

#[test]
fn mutated_genome_encodings_never_panic() {
    let edits = (
        any::<Index>(),
        prop::collection::vec((any::<Index>(), 0u8..8), 0..4),
        prop::option::weighted(0.3, any::<Index>()),
        prop_oneof![2 => Just(Vec::new()), 1 => prop::collection::vec(any::<u8>(), 1..6)],
        prop::option::weighted(0.2, (any::<Index>(), prop::sample::select(&['A', '_', '-', '=', '+', '/', '%', '.', 'é'][..]))),
    );
    let seen = fuzz(200_000, edits, |(pick, flips, cut, tail, text_edit)| {
        let mut bytes = URL_SAFE_NO_PAD.decode(pick.get(champions())).unwrap();
        for (at, bit) in &flips {
            let i = at.index(bytes.len());
            bytes[i] ^= 1 << bit;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        bytes.extend(&tail);
        let mut text = URL_SAFE_NO_PAD.encode(&bytes);
        if let Some((at, ch)) = text_edit {
            text.insert(at.index(text.len() + 1), ch);
        }
        decode_genome_text(&text)
    });
    at_least(&seen, "accepted", 0.08);
    at_least(&seen, "truncated", 0.08);
}

#[test]
fn drawn_points_never_panic_and_stay_in_the_plane() {
    let bytes = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..100),
        prop::collection::vec((any::<u32>(), any::<u32>(), 0u8..3), 0..8)
            .prop_map(|ps| ps.iter().flat_map(|&(x, y, l)| [x.to_le_bytes().as_slice(), &y.to_le_bytes(), &[l]].concat()).collect()),
        prop::collection::vec((prop::sample::select(EDGES), prop::sample::select(EDGES), 0u8..2), 0..8)
            .prop_map(|ps| URL_SAFE_NO_PAD.decode(encode_points(&ps)).unwrap()),
        plane_points(8).prop_map(|ps| URL_SAFE_NO_PAD.decode(encode_points(&ps)).unwrap()),
    ];
    let text_edit = prop::option::of((any::<Index>(), prop::sample::select(&['A', '=', '+', '%', 'é'][..])));
    let seen = fuzz(60_000, (bytes, text_edit), |(bytes, text_edit)| {
        let mut text = URL_SAFE_NO_PAD.encode(bytes);
        if let Some((at, ch)) = text_edit {
            text.insert(at.index(text.len() + 1), ch);
        }
        let link = format!("dataset=custom&population=4&steps=2&points=10&drawn={}", escape(&text));
        match (decode_points(&text), Config::from_link(&link)) {
            (Ok(points), Ok(c)) => {
                prop_assert_eq!(&c.custom_points, &points);
                prop_assert_eq!(points.len() * 9, URL_SAFE_NO_PAD.decode(&text).unwrap().len());
                for &(x, y, l) in &points {
                    prop_assert!(x.is_finite() && y.is_finite() && x.abs() <= EXTENT && y.abs() <= EXTENT && l <= 1, "({x}, {y}, {l})");
                }
                prop_assert_eq!(encode_points(&points), text);
                check_accepted(&link, &c, true)?;
                Ok(if points.len() >= 2 { "ran" } else { "accepted" })
            }
            (Err(e), Err(le)) => {
                prop_assert_eq!(le, format!("drawn: {e}"));
                Ok(if e.contains("outside the plane") { "outside" } else { "refused" })
            }
            (d, l) => Err(TestCaseError::fail(format!("decode_points {d:?} and from_link {l:?} disagree"))),
        }
    });
    at_least(&seen, "ran", 0.04);
    at_least(&seen, "outside", 0.1);
}
