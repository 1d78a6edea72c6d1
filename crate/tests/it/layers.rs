//! Layers: the crate's non-test modules import only downwards, and without a cycle (DESIGN.md).
//!
//! Every `.rs` file under `src/` (but the faces, `bin/` and `wasm/`, which sit on top) is parsed
//! with syn; its `crate::` and `super::` paths, outside `#[cfg(test)]` items, are edges between
//! units. A unit is a top-level module with everything below it (`train` holds `train::gpu`),
//! except under `scene/`, where each scene is a unit of its own: a unit's parts may lean on
//! each other, but no two units may.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use syn::visit::Visit;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// DESIGN.md's layers, bottom first. A unit imports units of its own layer (without a cycle) or
/// of the layers below, except that scenes import no other scene. The genome, its Hyper and its
/// codec sit in the ground layer beside the link codec, because links carry genomes. Each
/// scene's settings section is its own (`scene::neat`, `scene::cells`); `scene`, the link that
/// opens one of them, sits above them all.
const LAYERS: &[&[&str]] = &[
    &["rng", "math", "activation", "stats", "link", "codec", "dataset", "genome", "hyper", "points_csv", "mnist1d", "parallel", "saved"],
    &["program", "train", "tensor"],
    &["search", "compare", "contract"],
    &["scene::neat", "scene::cells", "scene::recurrent", "scene::modules"],
    &["scene", "bench", "tour"],
];

/// The engines, and the genome modules they must not know (so any scene can compile to them).
const ENGINES: &[&str] = &["program", "train"];
const GENOMES: &[&str] = &["genome", "codec"];

fn layer_of(unit: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&unit))
}

/// The unit a module path (`train::gpu::pack`) belongs to.
fn unit_of(path: &[String]) -> String {
    match path {
        [scene, name, ..] if scene == "scene" => format!("scene::{name}"),
        [first, ..] => first.clone(),
        [] => String::new(),
    }
}

/// Collects the crate paths one file names.
struct Paths<'a> {
    module: &'a [String],
    reexports: &'a BTreeMap<String, String>,
    found: BTreeSet<Vec<String>>,
}

impl Paths<'_> {
    /// Resolves a path's leading `crate`/`super`/`self` segments to a module path from the root.
    fn add(&mut self, segments: &[String]) {
        let mut at: Vec<String> = self.module.to_vec();
        let mut rest = segments;
        match rest.first().map(String::as_str) {
            Some("crate") => at.clear(),
            Some("super") => {
                while rest.first().map(String::as_str) == Some("super") {
                    at.pop();
                    rest = &rest[1..];
                }
                at.extend(rest.iter().cloned());
                return self.keep(at);
            }
            _ => return,
        }
        rest = &rest[1..];
        // `crate::Config` is a re-export in lib.rs: it names the module it comes from.
        if let Some(module) = rest.first().and_then(|name| self.reexports.get(name)) {
            return self.keep(vec![module.clone()]);
        }
        at.extend(rest.iter().cloned());
        self.keep(at)
    }

    fn keep(&mut self, path: Vec<String>) {
        if !path.is_empty() {
            self.found.insert(path);
        }
    }
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("cfg") && a.meta.require_list().is_ok_and(|l| l.tokens.to_string() == "test"))
}

/// Every use tree flattened to its paths (`a::{b, c::d}` gives `a::b` and `a::c::d`).
fn use_paths(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_paths(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => out.push([prefix.as_slice(), &[n.ident.to_string()]].concat()),
        syn::UseTree::Rename(r) => out.push([prefix.as_slice(), &[r.ident.to_string()]].concat()),
        syn::UseTree::Glob(_) => out.push(prefix.clone()),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_paths(t, prefix, out)),
    }
}

impl<'ast> Visit<'ast> for Paths<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Mod(i) => &i.attrs,
            syn::Item::Fn(i) => &i.attrs,
            syn::Item::Use(i) => &i.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Const(i) => &i.attrs,
            syn::Item::Struct(i) => &i.attrs,
            _ => return syn::visit::visit_item(self, item),
        };
        if !is_test_only(attrs) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let mut out = Vec::new();
        use_paths(&item.tree, &mut Vec::new(), &mut out);
        out.iter().for_each(|p| self.add(p));
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.add(&segments);
        syn::visit::visit_path(self, path);
    }

    /// Macro bodies are tokens to syn: `crate :: name` in them is an edge too.
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let mut tokens = Vec::new();
        flatten(mac.tokens.clone(), &mut tokens);
        for (i, t) in tokens.iter().enumerate() {
            if t == "crate" && tokens.get(i + 1).is_some_and(|c| c == ":") && tokens.get(i + 3).is_some() {
                self.add(&["crate".to_string(), tokens[i + 3].clone()]);
            }
        }
        syn::visit::visit_macro(self, mac);
    }
}

fn flatten(stream: proc_macro2::TokenStream, out: &mut Vec<String>) {
    for token in stream {
        match token {
            proc_macro2::TokenTree::Group(g) => flatten(g.stream(), out),
            t => out.push(t.to_string()),
        }
    }
}

fn parse(file: &Path) -> syn::File {
    let text = std::fs::read_to_string(file).unwrap();
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// lib.rs's `pub use module::Name` lines: Name -> module.
fn reexports(src: &Path) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for item in parse(&src.join("lib.rs")).items {
        if let syn::Item::Use(u) = item {
            let mut out = Vec::new();
            use_paths(&u.tree, &mut Vec::new(), &mut out);
            for path in out.into_iter().filter(|p| p.len() >= 2) {
                map.insert(path.last().unwrap().clone(), path[0].clone());
            }
        }
    }
    map
}

fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut path: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if path.last().is_some_and(|l| l == "mod") {
        path.pop();
    }
    path
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The import graph between units of the crate at `src`.
fn graph(src: &Path) -> Graph {
    let reexports = reexports(src);
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut graph = Graph::new();
    for file in files {
        let module = module_path(src, &file);
        // The faces sit on top; scene/mod.rs only declares the scenes.
        if matches!(module.first().map(String::as_str), None | Some("bin" | "wasm" | "lib")) || module == ["scene"] {
            continue;
        }
        let mut paths = Paths { module: &module, reexports: &reexports, found: BTreeSet::new() };
        paths.visit_file(&parse(&file));
        let from = unit_of(&module);
        let edges = graph.entry(from.clone()).or_default();
        edges.extend(paths.found.iter().map(|p| unit_of(p)).filter(|to| *to != from));
    }
    graph
}

/// One cycle of the graph, if it has any, as the units along it.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn walk<'a>(graph: &'a Graph, at: &'a str, stack: &mut Vec<&'a str>, done: &mut BTreeSet<&'a str>) -> Option<Vec<String>> {
        if let Some(start) = stack.iter().position(|s| *s == at) {
            return Some(stack[start..].iter().chain([&at]).map(|s| s.to_string()).collect());
        }
        if !done.insert(at) {
            return None;
        }
        stack.push(at);
        for next in graph.get(at).into_iter().flatten() {
            if let Some(cycle) = walk(graph, next, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|start| walk(graph, start, &mut Vec::new(), &mut done))
}

#[test]
fn the_crate_has_no_import_cycle() {
    let graph = graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(graph.len() > 10 && graph.values().any(|e| !e.is_empty()), "the scan found no modules: {graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import cycle: {}\n(every unit's imports: {graph:#?})", cycle.join(" -> "));
    }
}

#[test]
fn every_unit_imports_only_its_own_layer_or_lower_ones() {
    let graph = graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let mut wrong = Vec::new();
    for (from, edges) in &graph {
        let Some(at) = layer_of(from) else {
            wrong.push(format!("{from} is in no layer: place it in LAYERS"));
            continue;
        };
        for to in edges {
            match layer_of(to) {
                None => wrong.push(format!("{from} -> {to}: {to} is in no layer")),
                Some(below) if below > at => wrong.push(format!("{from} -> {to}: an upward import")),
                _ if from.starts_with("scene::") && to.starts_with("scene::") => wrong.push(format!("{from} -> {to}: a scene imports another")),
                // Engines take Programs: compiling a genome is the scene's step.
                _ if ENGINES.contains(&from.as_str()) && GENOMES.contains(&to.as_str()) => wrong.push(format!("{from} -> {to}: an engine knows a genome")),
                _ => {}
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_scan_sees_uses_paths_and_macros_but_not_tests() {
    // Its own fixture, written out: a cycle a -> b -> a through each kind of reference.
    let dir = std::env::temp_dir().join(format!("evonas-layers-{}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("b")).unwrap();
    std::fs::write(src.join("lib.rs"), "pub mod a; pub mod b; pub mod c; pub use b::Thing;").unwrap();
    std::fs::write(src.join("a.rs"), "fn f() { let _ = crate::Thing; }\n#[cfg(test)]\nmod tests { use crate::c::X; }").unwrap();
    std::fs::write(src.join("b/mod.rs"), "mod inner;").unwrap();
    std::fs::write(src.join("b/inner.rs"), "use super::super::{c::Y};\nfn g() { format!(\"{}\", crate::a::N); }").unwrap();
    std::fs::write(src.join("c.rs"), "// crate::a in a comment is no edge\nconst S: &str = \"crate::a\";").unwrap();
    let graph = graph(&src);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(graph["a"], BTreeSet::from(["b".to_string()]), "a reaches b through lib.rs's re-export; its test module is skipped");
    assert_eq!(graph["b"], BTreeSet::from(["a".to_string(), "c".to_string()]), "super::super and a macro body");
    assert!(graph["c"].is_empty(), "comments and strings are no edges");
    assert_eq!(find_cycle(&graph), Some(vec!["a".into(), "b".into(), "a".into()]));
}
