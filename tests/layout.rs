//! What the compiler cannot see about the workspace's shape as ARCHITECTURE.md draws it. The
//! crate graph keeps `pare-text` from the rest (it cannot name them); inside the `pare` crate,
//! library layers import one way; in every crate, no import cycle between modules (sibling
//! imports included), no file over 500 lines of code before its unit tests and no function
//! over 80 lines (the generated model excepted).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use regex::Regex;

/// Each crate's source folder, relative to the top of the workspace.
const CRATES: &[&str] = &["src", "crates/pare-text/src", "python/src"];

/// The `pare` crate's source folder, whose library is in layers.
const LAYERED: &str = "src";

/// Each library layer of the `pare` crate and the layers it may import from (the text crate,
/// `crate::text`, is below them all).
const LAYERS: &[(&str, &[&str])] = &[
    ("input", &[]),
    ("output", &["input"]),
    ("run", &["input", "output"]),
    ("learn", &["input", "run"]),
    ("eval", &["input"]),
];

const MAX_CODE_LINES: usize = 500;
const MAX_FUNCTION_LINES: usize = 80;
const GENERATED: &str = "crates/pare-text/src/detect/model.rs";

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// Every source file of the crate whose sources are in `dir`, by path relative to `dir`, with
/// its text before its unit tests.
fn sources(dir: &str) -> BTreeMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(!files.is_empty(), "{dir} not found");
    (files.into_iter())
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap().to_string();
            (
                path.strip_prefix(&root).unwrap().to_string_lossy().into_owned(),
                code,
            )
        })
        .collect()
}

/// The module path of a library file (`run/mod.rs` is `run`), or `None` for the binary.
fn module_of(file: &str) -> Option<String> {
    let path = file.strip_suffix(".rs")?;
    if path == "main" || path.starts_with("cli/") {
        return None;
    }
    Some(path.trim_end_matches("/mod").replace('/', "::"))
}

/// The library modules each library module imports (`crate::` paths, `super::` siblings and
/// the parent, and its own children by name).
fn imports(sources: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<String> = sources.keys().filter_map(|file| module_of(file)).collect();
    let path = Regex::new(r"crate::((?:[a-z_]+::)*[a-z_]+)|super::(?:\{([^;]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
        .unwrap();
    let grouped = Regex::new(r"use crate::\{([^;]*)\};").unwrap();
    let child = Regex::new(r"(?:^|[^:a-z_])(?:self::)?([a-z_]+)::").unwrap();
    let mut graph = BTreeMap::new();
    for (file, code) in sources {
        let Some(module) = module_of(file) else { continue };
        let code: String = code
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let parent = module.rsplit_once("::").map_or("", |(parent, _)| parent);
        let mut paths: Vec<String> = Vec::new();
        for found in path.captures_iter(&code) {
            match (found.get(1), found.get(2), found.get(3)) {
                (Some(path), _, _) => paths.push(path.as_str().to_string()),
                // `super::{a, B}`: each a sibling, or an item of the parent.
                (None, Some(group), _) => paths.extend(
                    (group.as_str().split(','))
                        .map(|item| item.trim().split("::").next().unwrap_or_default())
                        .filter(|item| !item.is_empty())
                        .map(|item| format!("{parent}::{item}")),
                ),
                (None, None, Some(sibling)) => paths.push(format!("{parent}::{}", sibling.as_str())),
                _ => {}
            }
        }
        // A module's own children, named from it (`use closing::...`, `self::closing::...`).
        for found in child.captures_iter(&code) {
            let name = format!("{module}::{}", &found[1]);
            if modules.contains(&name) {
                paths.push(name);
            }
        }
        for group in grouped.captures_iter(&code) {
            paths.extend(group[1].split(',').map(|item| item.trim().to_string()));
        }
        // The longest prefix of each path that names a module.
        let imported = paths.iter().filter_map(|path| {
            let parts: Vec<&str> = path.split("::").collect();
            (1..=parts.len())
                .rev()
                .map(|n| parts[..n].join("::"))
                .find(|prefix| modules.contains(prefix))
        });
        let imported = imported.filter(|imported| *imported != module).collect();
        graph.insert(module, imported);
    }
    graph
}

fn layer(module: &str) -> &str {
    module.split("::").next().unwrap()
}

#[test]
fn layers_import_only_the_layers_below_them() {
    let mut wrong = Vec::new();
    for (module, imported) in imports(&sources(LAYERED)) {
        let Some((_, allowed)) = LAYERS.iter().find(|(name, _)| *name == layer(&module)) else {
            assert!(
                module == "lib",
                "{module} is in no layer: add it to LAYERS and ARCHITECTURE.md"
            );
            continue;
        };
        for target in imported {
            if layer(&target) != layer(&module) && !allowed.contains(&layer(&target)) {
                wrong.push(format!("{module} imports {target}"));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layers: {wrong:#?}");
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    for dir in CRATES {
        let cycles = cycles(&imports(&sources(dir)));
        assert!(cycles.is_empty(), "import cycles in {dir}: {cycles:#?}");
    }
}

/// Each import of `graph` that is part of a cycle.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(module) = stack.pop() {
            for next in graph.get(&module).into_iter().flatten() {
                if next == to {
                    return true;
                }
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        false
    };
    (graph.iter())
        .flat_map(|(module, imported)| imported.iter().map(move |target| (module, target)))
        .filter(|(module, target)| reaches(target, module))
        .map(|(module, target)| format!("{module} -> {target} -> ... -> {module}"))
        .collect()
}

#[test]
fn files_and_functions_stay_short() {
    let function = Regex::new(r"^(\s*)(?:pub(?:\([a-z]+\))? )?(?:const )?fn (\w+)").unwrap();
    let mut long = Vec::new();
    let files = CRATES.iter().flat_map(|dir| {
        sources(dir)
            .into_iter()
            .map(move |(file, code)| (format!("{dir}/{file}"), code))
    });
    for (file, code) in files {
        let lines: Vec<&str> = code.lines().collect();
        let code_lines = (lines.iter())
            .filter(|line| !line.trim().is_empty() && !line.trim_start().starts_with("//"))
            .count();
        if code_lines > MAX_CODE_LINES {
            long.push(format!("{file}: {code_lines} lines of code"));
        }
        if file == GENERATED {
            continue;
        }
        for (start, line) in lines.iter().enumerate() {
            let Some(found) = function.captures(line) else {
                continue;
            };
            if line.trim_end().ends_with(';') || line.trim_end().ends_with('}') {
                continue;
            }
            let close = format!("{}}}", &found[1]);
            let end = (start..lines.len()).find(|&i| lines[i] == close).unwrap_or(start);
            if end + 1 - start > MAX_FUNCTION_LINES {
                long.push(format!("{file}: fn {} has {} lines", &found[2], end + 1 - start));
            }
        }
    }
    assert!(long.is_empty(), "too long: {long:#?}");
}
