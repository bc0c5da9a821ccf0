//! The README and docs/ carry the whole contract themselves: every relative link in them
//! (and in the TypeScript client's README) names a file of this repository, and none
//! leads out of it.

use std::path::{Component, Path};

use crate::root;

/// The targets of the markdown links `](target)` in `text` that are not URLs or anchors.
fn relative_links(text: &str) -> Vec<String> {
    text.match_indices("](")
        .filter_map(|(at, _)| {
            let rest = &text[at + 2..];
            let target = &rest[..rest.find(')')?];
            let target = target.split('#').next().unwrap_or_default();
            let is_url = target.contains("://") || target.starts_with("mailto:");
            (!target.is_empty() && !is_url).then(|| target.to_owned())
        })
        .collect()
}

#[test]
fn the_docs_link_only_to_files_of_this_repository() {
    let root = root();
    let mut documents = vec![root.join("README.md"), root.join("clients/typescript/README.md")];
    for entry in std::fs::read_dir(root.join("docs")).unwrap() {
        documents.push(entry.unwrap().path());
    }
    let mut checked = 0;
    for document in documents.iter().filter(|d| d.extension().is_some_and(|e| e == "md")) {
        let text = std::fs::read_to_string(document).unwrap();
        for link in relative_links(&text) {
            let target = document.parent().unwrap().join(&link);
            let inside = normalize(&target).starts_with(normalize(&root));
            assert!(inside, "{}: {link} leads out of the repository", document.display());
            assert!(target.exists(), "{}: {link} does not exist", document.display());
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} links found");
}

/// `path` with `.` and `..` resolved lexically (the target may not exist).
fn normalize(path: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
