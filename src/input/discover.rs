//! Finding the inputs: paths from the command line, directory trees walked in a stable order,
//! and the file selection (text, JSONL and HTML files by default, `-g` globs, hidden files).

use std::path::{Path, PathBuf};

use ignore::overrides::{Override, OverrideBuilder};
use ignore::WalkBuilder;

use crate::input::list::{Input, InputList};

/// Which files of a directory tree are taken.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Extra globs in gitignore syntax; `!` excludes. Added to the defaults (text and JSONL files,
    /// plain or compressed).
    pub globs: Vec<String>,
    /// Take files and directories whose name starts with a dot.
    pub hidden: bool,
}

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovered {
    /// The inputs, in command-line order, each directory's files sorted by path.
    pub inputs: InputList,
    /// Files seen in directories but not taken by the selection (or not regular files).
    pub not_taken: u64,
    /// The first [`NOT_TAKEN_NAMED`] of them, by path.
    pub not_taken_named: Vec<String>,
    /// Paths that could not be read while walking, with the reason.
    pub errors: Vec<(String, String)>,
}

/// How many of the files not taken are named (the report lists them; the count is exact).
pub const NOT_TAKEN_NAMED: usize = 100;

/// The default pattern of files taken from directories.
pub const DEFAULT_GLOBS: &[&str] = &[
    "*.txt",
    "*.txt.gz",
    "*.txt.zst",
    "*.jsonl",
    "*.jsonl.gz",
    "*.jsonl.zst",
    "*.ndjson",
    "*.ndjson.gz",
    "*.ndjson.zst",
    "*.html",
    "*.html.gz",
    "*.html.zst",
    "*.htm",
    "*.htm.gz",
    "*.htm.zst",
];

/// Expands command-line paths into inputs. `-` (or no path) is stdin. Directories are walked
/// recursively; `exclude_dir` (an output directory) is never entered.
pub fn discover(
    paths: &[PathBuf],
    selection: &Selection,
    exclude_dir: Option<&Path>,
) -> Result<Discovered, ignore::Error> {
    let mut found = Discovered::default();
    let mut seen_files = std::collections::HashSet::new();
    if paths.is_empty() {
        found.inputs.push(Input::Stdin);
    }
    for path in paths {
        if path.as_os_str() == "-" {
            if !found.inputs.has_stdin() {
                found.inputs.push(Input::Stdin);
            }
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let overrides = build_overrides(path, selection)?;
                walk(path, &overrides, selection.hidden, exclude_dir, &mut found);
            }
            Ok(_) => {
                // A file named twice is cleaned once.
                let identity = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
                if seen_files.insert(identity) {
                    let relative = path
                        .file_name()
                        .map(PathBuf::from)
                        .unwrap_or_else(|| path.clone());
                    found.inputs.push(Input::File {
                        path: path.clone(),
                        relative,
                    });
                }
            }
            Err(err) => found.errors.push((path.display().to_string(), err.to_string())),
        }
    }
    found.inputs.shrink_to_fit();
    Ok(found)
}

fn build_overrides(root: &Path, selection: &Selection) -> Result<Override, ignore::Error> {
    let mut builder = OverrideBuilder::new(root);
    for glob in DEFAULT_GLOBS
        .iter()
        .copied()
        .chain(selection.globs.iter().map(String::as_str))
    {
        builder.add(glob)?;
    }
    builder.build()
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| name.as_encoded_bytes().starts_with(b"."))
}

fn walk(root: &Path, overrides: &Override, hidden: bool, exclude_dir: Option<&Path>, found: &mut Discovered) {
    let excluded = exclude_dir
        .and_then(|dir| relative_inside(root, dir))
        .map(|relative| root.join(relative));
    let directory_overrides = overrides.clone();
    let walk_root = root.to_path_buf();
    let walker = WalkBuilder::new(root)
        .standard_filters(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|kind| kind.is_dir());
            if !is_dir || entry.depth() == 0 {
                return true;
            }
            if !hidden && is_hidden(entry.path()) {
                return false;
            }
            // `-g '!drafts'` (or `'!drafts/'`) leaves out the folder and all below it, as in
            // gitignore.
            let relative = entry.path().strip_prefix(&walk_root).unwrap_or(entry.path());
            if directory_overrides.matched(relative, true).is_ignore() {
                return false;
            }
            excluded.as_deref() != Some(entry.path())
        })
        .build();
    found.inputs.enter_root(root);
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = error_path(&err).unwrap_or_else(|| root.display().to_string());
                found.errors.push((path, err.to_string()));
                continue;
            }
        };
        let Some(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            continue;
        }
        let path = entry.into_path();
        let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        let taken = kind.is_file()
            && (hidden || !is_hidden(&path))
            && overrides.matched(&relative, false).is_whitelist();
        if taken {
            found.inputs.push(Input::File { path, relative });
        } else {
            found.not_taken += 1;
            if found.not_taken_named.len() < NOT_TAKEN_NAMED {
                found.not_taken_named.push(path.display().to_string());
            }
        }
    }
}

/// Where `dir` sits inside `root`, if it does (compared after resolving both).
fn relative_inside(root: &Path, dir: &Path) -> Option<PathBuf> {
    let root = std::fs::canonicalize(root).ok()?;
    let dir = std::fs::canonicalize(dir).ok()?;
    dir.strip_prefix(&root).ok().map(Path::to_path_buf)
}

fn error_path(err: &ignore::Error) -> Option<String> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.display().to_string()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.display().to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(found: &Discovered) -> Vec<String> {
        found
            .inputs
            .iter()
            .map(|input| match &input {
                Input::File { relative, .. } => relative.display().to_string(),
                Input::Stdin => "-".to_string(),
            })
            .collect()
    }

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        dir
    }

    #[test]
    fn walks_txt_files_in_sorted_order_and_counts_the_rest() {
        let dir = tree(&["b/2.txt", "a.txt", "b/1.txt", "c.md", ".hidden.txt", ".git/x.txt"]);
        let found = discover(&[dir.path().to_path_buf()], &Selection::default(), None).unwrap();
        assert_eq!(names(&found), ["a.txt", "b/1.txt", "b/2.txt"]);
        assert_eq!(found.not_taken, 2);
    }

    #[test]
    fn globs_add_and_exclude() {
        let dir = tree(&["a.txt", "a.bak.txt", "c.md"]);
        let selection = Selection {
            globs: vec!["*.md".into(), "!*.bak.txt".into()],
            hidden: false,
        };
        let found = discover(&[dir.path().to_path_buf()], &selection, None).unwrap();
        assert_eq!(names(&found), ["a.txt", "c.md"]);
    }

    #[test]
    fn an_excluded_folder_is_left_out_whole() {
        let dir = tree(&[
            "a.txt",
            "drafts/b.txt",
            "drafts/deep/c.txt",
            "news/drafts/d.txt",
            "news/e.txt",
        ]);
        for glob in ["!drafts", "!drafts/"] {
            let selection = Selection {
                globs: vec![glob.into()],
                hidden: false,
            };
            let found = discover(&[dir.path().to_path_buf()], &selection, None).unwrap();
            assert_eq!(names(&found), ["a.txt", "news/e.txt"], "{glob}");
        }
        let selection = Selection {
            globs: vec!["!/drafts".into()],
            hidden: false,
        };
        let found = discover(&[dir.path().to_path_buf()], &selection, None).unwrap();
        assert_eq!(
            names(&found),
            ["a.txt", "news/drafts/d.txt", "news/e.txt"],
            "anchored"
        );
    }

    #[test]
    fn hidden_files_are_taken_on_request() {
        let dir = tree(&[".h/a.txt", ".b.txt"]);
        let selection = Selection {
            globs: vec![],
            hidden: true,
        };
        let found = discover(&[dir.path().to_path_buf()], &selection, None).unwrap();
        assert_eq!(names(&found), [".b.txt", ".h/a.txt"]);
    }

    #[test]
    fn output_directory_inside_the_tree_is_not_entered() {
        let dir = tree(&["a.txt", "out/a.txt"]);
        let out = dir.path().join("out");
        let found = discover(&[dir.path().to_path_buf()], &Selection::default(), Some(&out)).unwrap();
        assert_eq!(names(&found), ["a.txt"]);
    }

    #[test]
    fn a_file_named_twice_is_taken_once_and_missing_paths_are_errors() {
        let dir = tree(&["a.txt"]);
        let file = dir.path().join("a.txt");
        let again = dir.path().join(".").join("a.txt");
        let missing = dir.path().join("missing.txt");
        let found = discover(&[file, again, missing], &Selection::default(), None).unwrap();
        assert_eq!(names(&found), ["a.txt"]);
        assert_eq!(found.errors.len(), 1);
        assert!(found.errors[0].0.ends_with("missing.txt"));
    }

    #[test]
    fn no_path_means_stdin() {
        let found = discover(&[], &Selection::default(), None).unwrap();
        assert_eq!(found.inputs.iter().collect::<Vec<_>>(), [Input::Stdin]);
    }
}
