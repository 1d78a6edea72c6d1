//! A genome as standalone source code: a JavaScript function and a Python (NumPy) function.
//!
//! Both are straight-line transcriptions of `Program::eval_point`: slots 0, 1 and 2 are x, y
//! and the bias 1; each node, in the program's topological order, combines its weighted inputs
//! (summed, or multiplied for `mult`), applies its activation and takes the next slot; the last
//! slot is the probability of the positive (blue) class. The engine computes in f32 with its
//! own exp/sin kernels (`math`); the exports compute in f64 with the language's own functions,
//! which agree with the engine to well within 1e-5 on probabilities (tests/export.rs measures).
//! Weights are written as the shortest text that reads back as the same f32.

use crate::activation::Activation;
use crate::genome::Genome;
use crate::program::{NodeOp, Program, INPUT_SLOTS};
use crate::scene::neat::compile::compile;

/// The engine clamps exp's argument to this range (`math::exp`); the exported sigmoids clamp
/// it too, which keeps them equal to the engine's in the tails and keeps NumPy from overflowing.
const EXP_RANGE: (&str, &str) = ("-87.33", "88.37");

/// What differs between the two languages' texts.
struct Dialect {
    /// Starts a line comment.
    comment: &'static str,
    /// The texts of +infinity and NaN (never needed for a validated genome, whose weights are
    /// finite, but a weight must never turn into text the language cannot read).
    infinity: &'static str,
    nan: &'static str,
}

const JS: Dialect = Dialect { comment: "//", infinity: "Infinity", nan: "NaN" };
const PYTHON: Dialect = Dialect { comment: "#", infinity: "np.inf", nan: "np.nan" };

/// `genome` as `function evonasChampion(x, y)`, returning p(blue); plain ES, no imports, and
/// `module.exports` set when loaded by node. The genome must be valid.
pub fn to_javascript(genome: &Genome) -> String {
    let program = compile(genome);
    let mut out = header(&program, &JS);
    out.push_str(&format!("{} Paste it into a page, or require() it from node. Returns p(blue) at (x, y).\n", JS.comment));
    out.push_str("function evonasChampion(x, y) {\n");
    for line in js_helpers(&used(&program)) {
        out.push_str(&format!("  {line}\n"));
    }
    for node in &program.nodes {
        let act = node.activation();
        let expr = js_apply(act, &combination(&program, node, &JS));
        let note = role_note(&program, node);
        out.push_str(&format!("  const n{} = {expr};  // {note}\n", node.slot));
    }
    out.push_str(&format!("  return {};\n}}\n", slot_name(program.result_slot)));
    out.push_str("if (typeof module !== 'undefined') module.exports = evonasChampion;\n");
    out
}

/// `genome` as `def evonas_champion(x, y)` over NumPy, returning p(blue): a float for scalar
/// inputs, an array (the broadcast shape of x and y) for array inputs. The genome must be valid.
pub fn to_python(genome: &Genome) -> String {
    let program = compile(genome);
    let mut out = header(&program, &PYTHON);
    out.push_str("# x and y may be scalars or NumPy arrays (broadcast together).\n");
    out.push_str("import numpy as np\n\n\n");
    out.push_str("def evonas_champion(x, y):\n");
    out.push_str("    \"\"\"p(blue) at (x, y): a float for scalars, an array for arrays.\"\"\"\n");
    out.push_str("    x = np.asarray(x, dtype=np.float64)\n");
    out.push_str("    y = np.asarray(y, dtype=np.float64)\n");
    for (name, body) in python_helpers(&used(&program)) {
        out.push_str(&format!("\n    def {name}(s):\n        return {body}\n"));
    }
    out.push('\n');
    // Overflow to inf (and inf - inf = nan) is IEEE arithmetic, as in the engine; NumPy would
    // only add a warning, so an extreme input stays silent, as in JavaScript.
    out.push_str("    with np.errstate(all=\"ignore\"):\n");
    for node in &program.nodes {
        let act = node.activation();
        let expr = python_apply(act, &combination(&program, node, &PYTHON));
        let note = role_note(&program, node);
        out.push_str(&format!("        n{} = {expr}  # {note}\n", node.slot));
    }
    // A network that ignores x or y still answers in the inputs' shape.
    let result = slot_name(program.result_slot);
    out.push_str(&format!("    p = np.broadcast_to({result}, np.broadcast(x, y).shape)\n"));
    out.push_str("    return float(p) if p.ndim == 0 else p.copy()\n");
    out
}

/// The opening comment: what the code is and the network's size.
fn header(program: &Program, dialect: &Dialect) -> String {
    let c = dialect.comment;
    let hidden = program.nodes.len().saturating_sub(1);
    format!(
        "{c} evonas champion: a network evolved by Backprop NEAT, exported as standalone code.\n\
         {c} {} nodes ({hidden} hidden, 1 output), {} connections; inputs x, y and a bias of 1.\n",
        program.nodes.len(),
        program.edges.len(),
    )
}

/// The comment on a node's line: its activation, and which node is the output.
fn role_note(program: &Program, node: &NodeOp) -> String {
    let name = node.activation().name();
    if node.slot as usize == program.result_slot {
        format!("output: {name}")
    } else {
        name.to_string()
    }
}

/// The activations the program uses, each once, in table order.
fn used(program: &Program) -> Vec<Activation> {
    let mut acts: Vec<Activation> = program.nodes.iter().map(NodeOp::activation).collect();
    acts.sort_unstable();
    acts.dedup();
    acts
}

/// The variable holding a slot.
fn slot_name(slot: usize) -> String {
    match slot {
        0 => "x".into(),
        1 => "y".into(),
        _ => format!("n{slot}"),
    }
}

/// `w` as text the language reads back as the same f32 (Rust's shortest round-trip form).
fn literal(w: f32, dialect: &Dialect) -> String {
    if w.is_nan() {
        dialect.nan.into()
    } else if w.is_infinite() {
        format!("{}{}", if w < 0.0 { "-" } else { "" }, dialect.infinity)
    } else {
        format!("{w:?}")
    }
}

/// A node's combined input as an expression, in the engine's order: the sum of `w * value`
/// left to right, or for `mult` their product. No edges combine to 0 either way. The bias
/// slot holds 1, so its term is the bare weight (w * 1 == w exactly).
fn combination(program: &Program, node: &NodeOp, dialect: &Dialect) -> String {
    let terms: Vec<(f32, Option<String>)> = program.edges[node.edge_range()]
        .iter()
        .map(|e| {
            let source = e.source as usize;
            let name = (source != INPUT_SLOTS - 1).then(|| slot_name(source));
            (program.weights[e.weight as usize], name)
        })
        .collect();
    if terms.is_empty() {
        return "0.0".into();
    }
    let term = |w: f32, name: &Option<String>| match name {
        Some(name) => format!("{} * {name}", literal(w, dialect)),
        None => literal(w, dialect),
    };
    if node.activation().is_product() {
        return terms.iter().map(|(w, name)| format!("({})", term(*w, name))).collect::<Vec<_>>().join(" * ");
    }
    // a - b is exactly a + (-b) in IEEE arithmetic, so a negative weight reads as a subtraction.
    let mut text = term(terms[0].0, &terms[0].1);
    for (w, name) in &terms[1..] {
        if w.is_sign_negative() && !w.is_nan() {
            text.push_str(&format!(" - {}", term(-w, name)));
        } else {
            text.push_str(&format!(" + {}", term(*w, name)));
        }
    }
    text
}

/// JavaScript helper definitions for the activations that need more than one call.
fn js_helpers(used: &[Activation]) -> Vec<String> {
    let (lo, hi) = EXP_RANGE;
    used.iter()
        .filter_map(|a| match a {
            Activation::Sigmoid => Some(format!("const sigmoid = (s) => 1 / (1 + Math.exp(Math.min(Math.max(-s, {lo}), {hi})));")),
            Activation::Relu => Some("const relu = (s) => (s > 0 ? s : 0);".into()),
            Activation::Gaussian => Some("const gaussian = (s) => Math.exp(-s * s);".into()),
            Activation::Square => Some("const square = (s) => s * s;".into()),
            _ => None,
        })
        .collect()
}

/// A node's value in JavaScript: its activation applied to its combined input `sum`.
fn js_apply(act: Activation, sum: &str) -> String {
    match act {
        Activation::Sigmoid => format!("sigmoid({sum})"),
        Activation::Tanh => format!("Math.tanh({sum})"),
        Activation::Relu => format!("relu({sum})"),
        Activation::Gaussian => format!("gaussian({sum})"),
        Activation::Sine => format!("Math.sin({sum})"),
        Activation::Abs => format!("Math.abs({sum})"),
        Activation::Square => format!("square({sum})"),
        Activation::Identity | Activation::Mult | Activation::Add => sum.to_string(),
    }
}

/// Python helpers `(name, returned expression of s)`, nested in the function so that pasting
/// it defines one name.
fn python_helpers(used: &[Activation]) -> Vec<(&'static str, String)> {
    let (lo, hi) = EXP_RANGE;
    used.iter()
        .filter_map(|a| match a {
            Activation::Sigmoid => Some(("sigmoid", format!("1.0 / (1.0 + np.exp(np.clip(-s, {lo}, {hi})))"))),
            // np.where keeps the engine's rule exactly: anything not above 0 gives 0.
            Activation::Relu => Some(("relu", "np.where(s > 0, s, 0.0)".into())),
            Activation::Gaussian => Some(("gaussian", "np.exp(-s * s)".into())),
            Activation::Square => Some(("square", "s * s".into())),
            _ => None,
        })
        .collect()
}

/// A node's value in NumPy: its activation applied to its combined input `sum`.
fn python_apply(act: Activation, sum: &str) -> String {
    match act {
        Activation::Sigmoid => format!("sigmoid({sum})"),
        Activation::Tanh => format!("np.tanh({sum})"),
        Activation::Relu => format!("relu({sum})"),
        Activation::Gaussian => format!("gaussian({sum})"),
        Activation::Sine => format!("np.sin({sum})"),
        Activation::Abs => format!("np.abs({sum})"),
        Activation::Square => format!("square({sum})"),
        Activation::Identity | Activation::Mult | Activation::Add => sum.to_string(),
    }
}
