//! The genome and drawn-points decoders under the same fuzzing: random and structured bytes,
//! mutated champions and points at the plane's edge (the harness and its budget: mod.rs).

use super::*;

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
        prop::collection::vec((any::<u32>(), any::<u32>(), 0u8..8), 0..8)
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
                    prop_assert!(x.is_finite() && y.is_finite() && x.abs() <= EXTENT && y.abs() <= EXTENT && l <= 5, "({x}, {y}, {l})");
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
