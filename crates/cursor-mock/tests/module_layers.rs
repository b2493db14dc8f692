//! Tidy test: the simulator's top-level modules form layers (no import cycle between them),
//! and no source file grows past a line budget.
//!
//! Each file under `src/` belongs to the top-level module named by its first path part
//! (`routes/admin/members.rs` is `routes`, `data/usage.rs` is `data`); `lib.rs` and
//! `main.rs` are the crate root and are left out, since they mount everything. A module
//! depends on another when its text names `crate::<other>` (in a `use` line, a path or a
//! `crate::{a, b}` group). The graph of those edges must have no cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The most lines any file under `src/` may have. Past this a file does several jobs and
/// should be split by what it does (the split of `data.rs` and `routes/admin.rs` left every
/// file well under it).
const LINE_BUDGET: usize = 650;

fn source_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("src/ is readable").flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            source_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level module a file under `src/` belongs to; `None` for the crate roots.
fn top_module(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).ok()?;
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib" && name != "main").then(|| name.to_owned())
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every module named right after `crate::` in `text`, including each head of a
/// `crate::{a::X, b}` group.
fn referenced_modules(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        // `cursor_mock::` or `$crate::` are not this crate's paths.
        if text[..at].chars().next_back().is_some_and(|c| is_ident_char(c) || c == '$') {
            continue;
        }
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let body = &group[..group.find('}').unwrap_or(group.len())];
            for item in body.split(',') {
                let head: String = item.trim().chars().take_while(|&c| is_ident_char(c)).collect();
                if !head.is_empty() {
                    found.insert(head);
                }
            }
        } else {
            let head: String = rest.chars().take_while(|&c| is_ident_char(c)).collect();
            // Only lower-case names are modules; `crate::MockServer` is a re-export at the root.
            if head.starts_with(|c: char| c.is_ascii_lowercase()) {
                found.insert(head);
            }
        }
    }
    found
}

/// The top-level modules and, for each, the modules it names with the files that do.
fn module_graph() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let src = src_dir();
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| top_module(&src, f)).collect();
    let mut graph: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in &files {
        let Some(from) = top_module(&src, file) else { continue };
        let text = std::fs::read_to_string(file).expect("source is UTF-8");
        let edges = graph.entry(from.clone()).or_default();
        for to in referenced_modules(&text) {
            if to != from && modules.contains(&to) {
                let shown = file.strip_prefix(&src).unwrap_or(file).display().to_string();
                edges.entry(to).or_default().insert(shown);
            }
        }
    }
    graph
}

/// A cycle in the graph, as the modules along it (the first repeated at the end), if any.
fn find_cycle(graph: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        marks.insert(node.to_owned(), Mark::Open);
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flat_map(|edges| edges.keys()) {
            match marks.get(next.as_str()) {
                Some(Mark::Open) => {
                    let start = path.iter().position(|n| n == next).unwrap_or(0);
                    let mut cycle = path[start..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(Mark::Done) => {}
                None => {
                    if let Some(cycle) = visit(next, graph, marks, path) {
                        return Some(cycle);
                    }
                }
            }
        }
        path.pop();
        marks.insert(node.to_owned(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in graph.keys() {
        if !marks.contains_key(node.as_str())
            && let Some(cycle) = visit(node, graph, &mut marks, &mut Vec::new())
        {
            return Some(cycle);
        }
    }
    None
}

#[test]
fn the_reference_scanner_sees_paths_and_groups() {
    let text = "use crate::state::AppState;\nuse crate::{data::TeamData, dates};\n\
                let x = crate::routes::admin::f(); crate::MockServer; cursor_mock::faults::X; $crate::y";
    let found: Vec<String> = referenced_modules(text).into_iter().collect();
    assert_eq!(found, ["data", "dates", "routes", "state"]);
}

#[test]
fn the_cycle_finder_finds_a_planted_cycle() {
    let mut graph: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (from, to) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")] {
        graph.entry(from.into()).or_default().entry(to.into()).or_default();
    }
    assert_eq!(find_cycle(&graph), Some(vec!["a".to_owned(), "b".into(), "c".into(), "a".into()]));
    graph.get_mut("c").map(|edges| edges.remove("a"));
    assert_eq!(find_cycle(&graph), None);
}

#[test]
fn top_level_modules_import_each_other_in_no_cycle() {
    let graph = module_graph();
    assert!(graph.len() > 10, "the scan found too few modules: {:?}", graph.keys());
    if let Some(cycle) = find_cycle(&graph) {
        let steps: Vec<String> = cycle
            .windows(2)
            .map(|pair| {
                let files = &graph[&pair[0]][&pair[1]];
                format!("  {} -> {}   (in {})", pair[0], pair[1], files.iter().cloned().collect::<Vec<_>>().join(", "))
            })
            .collect();
        panic!("the modules import each other in a cycle:\n{}", steps.join("\n"));
    }
}

#[test]
fn no_source_file_is_over_the_line_budget() {
    let src = src_dir();
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let over: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let lines = std::fs::read_to_string(file).expect("source is UTF-8").lines().count();
            (lines > LINE_BUDGET)
                .then(|| format!("{} ({lines} lines)", file.strip_prefix(&src).unwrap_or(file).display()))
        })
        .collect();
    assert!(over.is_empty(), "files over {LINE_BUDGET} lines: {over:?}");
}
