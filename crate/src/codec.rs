//! Compact binary encodings for links: a genome (`genome=`) and drawn points (`drawn=`), as
//! base64url without padding.
//!
//! Genome format 1: byte 1, the output's activation code, then a varint count of hidden nodes,
//! each a varint id and an activation code, then a varint count of connections, each varint
//! innovation, from and to, the weight as f32 little-endian bits (exact) and an enabled byte.
//! Inputs, bias and output are implied by the genome invariants. Format 2 (a genome with its
//! own hyperparameters) adds its learning rate as f32 and its steps as a varint; format 1 stays
//! what genomes without them write, so older links read the same. Points: 9 bytes each, x and y
//! as f32 little-endian and the label byte: bit 0 the class, bits 1-2 the split (0: by the
//! `train` fraction, 1: train, 2: test; `dataset::Split`). Links from before splits hold 0 or 1
//! there, which read as they always did.
//!
//! Decoding trusts nothing: sizes are bounded before anything is allocated, every field is
//! checked, and the genome must pass `Genome::validate` (no cycles, no dangling connections).

use crate::activation::Activation;
use crate::dataset::{Split, EXTENT};
use crate::genome::{ConnGene, Genome, NodeGene, Role, BIAS, FIRST_HIDDEN, INPUT_X, INPUT_Y, OUTPUT};
use crate::hyper::Hyper;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

const GENOME_FORMAT: u8 = 1;
/// Format 1 followed by the genome's Hyper.
const GENOME_FORMAT_HYPER: u8 = 2;
/// Caps on what a link may carry, so no link can make a tab allocate or train without bound.
pub const MAX_HIDDEN: usize = 1000;
pub const MAX_CONNECTIONS: usize = 10_000;
pub const MAX_DRAWN: usize = 2000;
/// Longest encoded text accepted (a 10,000-connection genome fits).
const MAX_TEXT: usize = 300_000;

fn push_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads bytes front to back; every read names what ran out.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl Reader<'_> {
    fn byte(&mut self, what: &str) -> Result<u8, String> {
        let (&b, rest) = self.bytes.split_first().ok_or_else(|| format!("truncated at {what}"))?;
        self.bytes = rest;
        Ok(b)
    }

    fn varint(&mut self, what: &str) -> Result<u32, String> {
        let mut value: u64 = 0;
        for shift in (0..35).step_by(7) {
            let b = self.byte(what)?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return u32::try_from(value).map_err(|_| format!("{what} is too large"));
            }
        }
        Err(format!("{what} is not a valid number"))
    }

    fn f32(&mut self, what: &str) -> Result<f32, String> {
        let (head, rest) = self.bytes.split_at_checked(4).ok_or_else(|| format!("truncated at {what}"))?;
        self.bytes = rest;
        Ok(f32::from_le_bytes(head.try_into().expect("four bytes")))
    }

    fn activation(&mut self, what: &str) -> Result<Activation, String> {
        let code = self.byte(what)?;
        Activation::from_code(code.into()).ok_or_else(|| format!("{what} has unknown activation code {code}"))
    }
}

fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    if text.len() > MAX_TEXT {
        return Err(format!("{} characters is too long (at most {MAX_TEXT})", text.len()));
    }
    URL_SAFE_NO_PAD.decode(text).map_err(|e| format!("not base64url ({e})"))
}

/// The genome as link text.
pub fn encode_genome(genome: &Genome) -> String {
    let mut out = vec![if genome.hyper.is_some() { GENOME_FORMAT_HYPER } else { GENOME_FORMAT }];
    let output = genome.node(OUTPUT).map_or(Activation::Sigmoid, |n| n.activation);
    out.push(output.code() as u8);
    let hidden: Vec<&NodeGene> = genome.nodes.iter().filter(|n| n.role == Role::Hidden).collect();
    push_varint(&mut out, hidden.len() as u32);
    for n in hidden {
        push_varint(&mut out, n.id);
        out.push(n.activation.code() as u8);
    }
    push_varint(&mut out, genome.conns.len() as u32);
    for c in &genome.conns {
        for v in [c.innovation, c.from, c.to] {
            push_varint(&mut out, v);
        }
        out.extend(c.weight.to_le_bytes());
        out.push(c.enabled as u8);
    }
    if let Some(hyper) = genome.hyper {
        out.extend(hyper.lr.to_le_bytes());
        push_varint(&mut out, hyper.steps);
    }
    URL_SAFE_NO_PAD.encode(out)
}

/// A genome from link text; any problem is an error naming it, and the genome is valid.
pub fn decode_genome(text: &str) -> Result<Genome, String> {
    let bytes = decode_base64(text)?;
    let mut r = Reader { bytes: &bytes };
    let format = r.byte("the format")?;
    if format != GENOME_FORMAT && format != GENOME_FORMAT_HYPER {
        return Err(format!("format {format} is not supported (this page reads {GENOME_FORMAT} and {GENOME_FORMAT_HYPER})"));
    }
    let output = r.activation("the output node")?;
    let fixed = [(INPUT_X, Role::Input), (INPUT_Y, Role::Input), (BIAS, Role::Bias), (OUTPUT, Role::Output)];
    let mut nodes: Vec<NodeGene> =
        fixed.iter().map(|&(id, role)| NodeGene { id, role, activation: if id == OUTPUT { output } else { Activation::Identity } }).collect();
    let hidden = r.varint("the node count")? as usize;
    if hidden > MAX_HIDDEN {
        return Err(format!("{hidden} hidden nodes is too many (at most {MAX_HIDDEN})"));
    }
    for _ in 0..hidden {
        let id = r.varint("a node id")?;
        if id < FIRST_HIDDEN {
            return Err(format!("hidden node id {id} is reserved"));
        }
        nodes.push(NodeGene { id, role: Role::Hidden, activation: r.activation("a hidden node")? });
    }
    let count = r.varint("the connection count")? as usize;
    if count > MAX_CONNECTIONS {
        return Err(format!("{count} connections is too many (at most {MAX_CONNECTIONS})"));
    }
    let mut conns = Vec::with_capacity(count);
    for _ in 0..count {
        let (innovation, from, to) = (r.varint("a connection")?, r.varint("a connection")?, r.varint("a connection")?);
        let weight = r.f32("a weight")?;
        let enabled = match r.byte("a connection")? {
            0 => false,
            1 => true,
            b => return Err(format!("connection {innovation} has enabled flag {b} (0 or 1)")),
        };
        conns.push(ConnGene { innovation, from, to, weight, enabled });
    }
    let hyper = match format {
        GENOME_FORMAT_HYPER => Some(Hyper { lr: r.f32("the learning rate")?, steps: r.varint("the steps")? }),
        _ => None,
    };
    if !r.bytes.is_empty() {
        return Err(format!("{} bytes follow the genome", r.bytes.len()));
    }
    let genome = Genome { nodes, conns, hyper };
    genome.validate()?;
    Ok(genome)
}

/// Drawn points, `(x, y, label byte)`, as link text.
pub fn encode_points(points: &[(f32, f32, u8)]) -> String {
    let mut out = Vec::with_capacity(points.len() * 9);
    for &(x, y, label) in points {
        out.extend(x.to_le_bytes());
        out.extend(y.to_le_bytes());
        out.push(label);
    }
    URL_SAFE_NO_PAD.encode(out)
}

/// Drawn points from link text: whole records, finite and in the plane, label bytes of a class
/// and a split.
pub fn decode_points(text: &str) -> Result<Vec<(f32, f32, u8)>, String> {
    let bytes = decode_base64(text)?;
    if bytes.len() % 9 != 0 {
        return Err(format!("{} bytes is not a whole number of points (9 bytes each)", bytes.len()));
    }
    if bytes.len() / 9 > MAX_DRAWN {
        return Err(format!("{} points is too many (at most {MAX_DRAWN})", bytes.len() / 9));
    }
    bytes
        .chunks_exact(9)
        .enumerate()
        .map(|(i, p)| {
            let x = f32::from_le_bytes(p[0..4].try_into().expect("four bytes"));
            let y = f32::from_le_bytes(p[4..8].try_into().expect("four bytes"));
            if !(x.abs() <= EXTENT && y.abs() <= EXTENT) {
                return Err(format!("point {} lies outside the plane (|x|, |y| <= {EXTENT})", i + 1));
            }
            match Split::of_byte(p[8]) {
                Some(_) => Ok((x, y, p[8])),
                None => Err(format!("point {} has label {} (0 or 1, plus 2 for a training point or 4 for a test point)", i + 1, p[8])),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::population;

    #[test]
    fn genomes_round_trip_exactly() {
        for g in population(30, 40) {
            let text = encode_genome(&g);
            assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            assert_eq!(decode_genome(&text).unwrap(), g);
        }
    }

    #[test]
    fn points_round_trip_exactly() {
        let points = vec![(0.125, -5.5, 1), (EXTENT, -EXTENT, 0), (1.0e-7, 3.3, 1)];
        assert_eq!(decode_points(&encode_points(&points)).unwrap(), points);
        assert_eq!(decode_points("").unwrap(), vec![]);
        // Every class with every split, and back to the class and split it was made of.
        let splits = [Split::Fraction, Split::Train, Split::Test];
        let marked: Vec<_> = (0..6).map(|i| (i as f32, -(i as f32), splits[i / 2].byte(i as u8 % 2))).collect();
        assert_eq!(marked.iter().map(|p| p.2).collect::<Vec<_>>(), [0, 1, 2, 3, 4, 5]);
        assert_eq!(decode_points(&encode_points(&marked)).unwrap(), marked);
        for (i, p) in marked.iter().enumerate() {
            assert_eq!(Split::of_byte(p.2), Some((i as u8 % 2, splits[i / 2])));
        }
    }

    /// A link made before splits existed (these bytes, written out by hand: (1.5, -2, class 1)
    /// and (0.25, 3, class 0)) decodes to the same points, with no split.
    #[test]
    fn an_old_links_points_decode_unchanged() {
        let old = [[0x00, 0x00, 0xc0, 0x3f, 0x00, 0x00, 0x00, 0xc0, 0x01], [0x00, 0x00, 0x80, 0x3e, 0x00, 0x00, 0x40, 0x40, 0x00]];
        let text = URL_SAFE_NO_PAD.encode(old.concat());
        assert_eq!(decode_points(&text).unwrap(), vec![(1.5, -2.0, 1), (0.25, 3.0, 0)]);
        assert_eq!(encode_points(&[(1.5, -2.0, 1), (0.25, 3.0, 0)]), text);
        assert_eq!(Split::of_byte(1), Some((1, Split::Fraction)));
    }

    /// Hand-built bytes: every way a genome link can be broken has its own message.
    #[test]
    fn broken_genomes_are_named() {
        let g = population(1, 10).remove(0);
        let bytes = URL_SAFE_NO_PAD.decode(encode_genome(&g)).unwrap();
        let text = |b: &[u8]| URL_SAFE_NO_PAD.encode(b);
        let cases: Vec<(String, &str)> = vec![
            ("%%%".into(), "not base64url"),
            (text(&bytes[..bytes.len() - 3]), "truncated"),
            (text(&[3]), "format 3"),
            (text(&[[2, 0, 0, 0].as_slice(), &0.5f32.to_le_bytes()].concat()), "truncated at the steps"),
            (text(&[1, 42]), "unknown activation code 42"),
            (text(&[1, 0, 0xe9, 0x07]), "1001 hidden nodes is too many"),
            (text(&[1, 0, 0xff, 0xff, 0xff, 0xff, 0x7f]), "too large"),
            (text(&[[1, 0, 0, 1, 0, 3, 9].as_slice(), &1f32.to_le_bytes(), &[1, 0]].concat()), "bytes follow"),
            (text(&[[1, 0, 0, 1, 0, 3, 0].as_slice(), &1f32.to_le_bytes(), &[1]].concat()), "against the flow"),
            (text(&[[1, 0, 0, 1, 0, 0, 9].as_slice(), &1f32.to_le_bytes(), &[1]].concat()), "missing node"),
            (text(&[[1, 0, 0, 1, 0, 0, 3].as_slice(), &f32::NAN.to_le_bytes(), &[1]].concat()), "non-finite"),
        ];
        for (input, want) in cases {
            let error = decode_genome(&input).unwrap_err();
            assert!(error.contains(want), "{input}: '{error}' should mention '{want}'");
        }
        // Two hidden nodes feeding each other: a cycle.
        let mut cyclic = vec![1, 0, 2, 4, 0, 5, 0, 3];
        for (innovation, from, to) in [(0u8, 4u8, 5u8), (1, 5, 4), (2, 4, 3)] {
            cyclic.extend([innovation, from, to]);
            cyclic.extend(1f32.to_le_bytes());
            cyclic.push(1);
        }
        assert!(decode_genome(&text(&cyclic)).unwrap_err().contains("cycle"));
    }

    #[test]
    fn broken_points_are_named() {
        let text = |b: &[u8]| URL_SAFE_NO_PAD.encode(b);
        assert!(decode_points(&text(&[0; 10])).unwrap_err().contains("whole number of points"));
        let far = [100f32.to_le_bytes(), 0f32.to_le_bytes()].concat();
        assert!(decode_points(&text(&[far.as_slice(), &[1]].concat())).unwrap_err().contains("outside the plane"));
        let nan = [f32::NAN.to_le_bytes(), 0f32.to_le_bytes()].concat();
        assert!(decode_points(&text(&[nan.as_slice(), &[1]].concat())).unwrap_err().contains("outside the plane"));
        let label = [0f32.to_le_bytes(), 0f32.to_le_bytes()].concat();
        for byte in [6, 7, 255] {
            let error = decode_points(&text(&[label.as_slice(), &[byte]].concat())).unwrap_err();
            assert!(error.starts_with(&format!("point 1 has label {byte} (0 or 1")), "{error}");
        }
    }
}
