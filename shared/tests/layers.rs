//! The shared crate's layers, read off its source: dependencies point one way,
//! `domain` <- `service` <- adapters, and no two modules import each other in a circle.
//!
//! A module's imports are every `crate::<module>` path in its files (a `use`, or a path
//! written inline), so an import cannot hide in an expression.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What the inner layers may never name: the adapters.
const ADAPTERS: [&str; 5] = ["http", "dynamo", "lambda", "aws", "auth"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// The top-level module a file belongs to: `src/service/send.rs` is `service`.
fn module_of(file: &Path) -> String {
    let relative = file.strip_prefix(src()).unwrap();
    let first = relative.components().next().unwrap().as_os_str().to_string_lossy();
    first.trim_end_matches(".rs").to_owned()
}

/// Every `crate::<name>` a text names.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        // `invites_shared::crate::` cannot occur; `super::` paths stay inside a module.
        let preceded_by_ident = text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        if preceded_by_ident {
            continue;
        }
        let name: String = text[at + "crate::".len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            names.insert(name);
        }
    }
    names
}

/// Each top-level module and the top-level modules it imports (itself excluded).
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(&src()) {
        let module = module_of(&file);
        if module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let entry = graph.entry(module.clone()).or_default();
        entry.extend(crate_paths(&text).into_iter().filter(|m| *m != module));
    }
    graph
}

#[test]
fn the_domain_and_the_use_cases_never_import_an_adapter() {
    let graph = imports();
    for inner in ["domain", "service"] {
        let imported = &graph[inner];
        let forbidden: Vec<_> = ADAPTERS.iter().filter(|a| imported.contains(**a)).collect();
        assert!(forbidden.is_empty(), "{inner} imports {forbidden:?}");
    }
    let domain = &graph["domain"];
    for outer in ["service", "store", "requests", "email", "config", "telemetry"] {
        assert!(!domain.contains(outer), "domain imports {outer}: {domain:?}");
    }
}

#[test]
fn no_modules_import_each_other_in_a_circle() {
    let graph = imports();
    // Depth-first search; a module met again while still on the path closes a circle.
    fn visit(
        module: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Result<(), Vec<String>> {
        if let Some(start) = path.iter().position(|m| m == module) {
            let mut circle = path[start..].to_vec();
            circle.push(module.to_owned());
            return Err(circle);
        }
        if done.contains(module) {
            return Ok(());
        }
        path.push(module.to_owned());
        for next in graph.get(module).into_iter().flatten() {
            visit(next, graph, path, done)?;
        }
        path.pop();
        done.insert(module.to_owned());
        Ok(())
    }
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        if let Err(circle) = visit(module, &graph, &mut Vec::new(), &mut done) {
            panic!("modules import each other in a circle: {}", circle.join(" -> "));
        }
    }
}

#[test]
fn the_reader_sees_imports_wherever_they_are_written() {
    let text = "use crate::http::Api;\nfn f() { crate::dynamo::client(); }\nuse invites_shared::crate_x;";
    assert_eq!(
        crate_paths(text),
        BTreeSet::from(["dynamo".to_owned(), "http".to_owned()])
    );
}
