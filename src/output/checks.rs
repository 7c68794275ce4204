//! Checking, before any input is read, that a run's outputs can lose nothing: no two inputs
//! write the same output, no output is an input (unless rewriting in place was asked for), no
//! input is rewritten twice, and an output directory inside an input tree holds only pare's own
//! outputs.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::input::discover::{discover, Selection};
use crate::input::list::{Input, InputList};
use crate::output::destination::{target_path, Destination};

/// The file that marks a directory inside an input tree as holding pare's outputs, so that a
/// second run may write there again.
pub const OUTPUT_MARKER: &str = ".pare-output";

/// How many problems are listed before the rest are counted.
const SHOWN: usize = 10;

/// A file's identity on its file system (device and inode), following symlinks.
fn identity(path: &Path) -> Option<(u64, u64)> {
    std::fs::metadata(path)
        .ok()
        .filter(std::fs::Metadata::is_file)
        .map(|meta| (meta.dev(), meta.ino()))
}

/// The identities of the inputs that are files, each with the input's place in the list.
fn input_identities(inputs: &InputList) -> HashMap<(u64, u64), usize> {
    (inputs.iter().enumerate())
        .filter_map(|(index, input)| match input {
            Input::File { path, .. } => identity(&path).map(|id| (id, index)),
            Input::Stdin => None,
        })
        .collect()
}

/// The name of the input at `index` in messages.
fn name_at(inputs: &InputList, index: usize) -> String {
    inputs
        .get(index)
        .map_or_else(String::new, |input| input.display_name())
}

/// Every problem with where `inputs` would be written under `destination`, one message each
/// naming the inputs and the output concerned; empty when the run may start.
///
/// The outputs are told apart by a hash of their path, so that checking a million outputs
/// does not hold a million paths; two outputs with one hash are compared by their paths.
pub fn check_targets(inputs: &InputList, destination: &Destination) -> Vec<String> {
    check_targets_by(inputs, destination, path_hash)
}

/// [`check_targets`], telling outputs apart by `hash`.
fn check_targets_by(
    inputs: &InputList,
    destination: &Destination,
    hash: impl Fn(&Path) -> u64,
) -> Vec<String> {
    let mut problems = Vec::new();
    let target_at = |index: usize| {
        inputs
            .get(index)
            .and_then(|input| target_path(destination, &input).ok().flatten())
    };
    let mut outputs = Outputs::new(hash);
    let mut by_identity: HashMap<(u64, u64), usize> = HashMap::new();
    // The inputs' identities, gathered only once some output already exists.
    let mut inputs_by_identity: Option<HashMap<(u64, u64), usize>> = None;
    // Nothing can be written over in an output directory that does not exist yet: its outputs
    // need not be looked for one by one.
    let none_exist =
        matches!(destination, Destination::Mirror(dir) if std::fs::symlink_metadata(dir).is_err());
    for (index, input) in inputs.iter().enumerate() {
        let target = match target_path(destination, &input) {
            Ok(Some(target)) => target,
            Ok(None) => continue,
            Err(message) => {
                problems.push(format!("{}: {message}", input.display_name()));
                continue;
            }
        };
        if let Some(other) = outputs.claim(index, &target, target_at) {
            problems.push(format!(
                "{} and {} would both be written to {}",
                name_at(inputs, other),
                input.display_name(),
                target.display()
            ));
            continue;
        }
        if none_exist {
            continue;
        }
        let Some(id) = identity(&target) else { continue };
        if let Some(other) = by_identity.insert(id, index) {
            let what = if *destination == Destination::InPlace {
                "are the same file, which would be rewritten twice".to_string()
            } else {
                format!(
                    "would both be written to one file ({} and {})",
                    target_at(other).unwrap_or_default().display(),
                    target.display()
                )
            };
            problems.push(format!(
                "{} and {} {what}",
                name_at(inputs, other),
                input.display_name()
            ));
            continue;
        }
        if *destination == Destination::InPlace {
            continue;
        }
        let identities = inputs_by_identity.get_or_insert_with(|| input_identities(inputs));
        if let Some(&owner) = identities.get(&id) {
            problems.push(format!(
                "{} is the input {}; pare writes over its inputs only with --in-place",
                target.display(),
                name_at(inputs, owner)
            ));
        }
    }
    at_most_shown(problems)
}

/// The first [`SHOWN`] of `problems`, then how many more there are.
fn at_most_shown(mut problems: Vec<String>) -> Vec<String> {
    if problems.len() > SHOWN {
        let more = problems.len() - SHOWN;
        problems.truncate(SHOWN);
        problems.push(format!("... and {more} more"));
    }
    problems
}

/// The outputs claimed so far, each by the place of its input in the list.
struct Outputs<H> {
    hash: H,
    by_hash: HashMap<u64, usize>,
    /// Outputs whose hash an earlier, different output has.
    by_path: HashMap<PathBuf, usize>,
}

impl<H: Fn(&Path) -> u64> Outputs<H> {
    fn new(hash: H) -> Outputs<H> {
        Outputs {
            hash,
            by_hash: HashMap::new(),
            by_path: HashMap::new(),
        }
    }

    /// Claims `target` for the input at `index`; returns the earlier input that claimed it, if
    /// one did. `target_at` gives an earlier input's output again.
    fn claim(
        &mut self,
        index: usize,
        target: &Path,
        target_at: impl Fn(usize) -> Option<PathBuf>,
    ) -> Option<usize> {
        match self.by_hash.entry((self.hash)(target)) {
            Entry::Vacant(vacant) => {
                vacant.insert(index);
                None
            }
            Entry::Occupied(occupied) if target_at(*occupied.get()).as_deref() == Some(target) => {
                Some(*occupied.get())
            }
            Entry::Occupied(_) => self.by_path.insert(target.to_path_buf(), index),
        }
    }
}

/// A hash of a path, the same for the same path throughout the run.
fn path_hash(path: &Path) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(path)
}

/// Every problem with the run's other output files (`--report`, `--ledger`; `flag` names each):
/// none may be an input, the output of an input, or another of them. Streams and standard output
/// are not files and are not checked.
pub fn check_side_outputs(
    inputs: &InputList,
    destination: &Destination,
    side: &[(&str, &Path)],
) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen: Vec<(&str, PathBuf)> = Vec::new();
    // The inputs' identities, gathered only once some side output already exists.
    let mut identities: Option<HashMap<(u64, u64), usize>> = None;
    for &(flag, path) in side {
        let Ok(crate::output::write::Target::File(file, _)) = crate::output::write::resolve(path) else {
            continue;
        };
        let resolved = resolve_partly(&file);
        if let Some((other, _)) = seen.iter().find(|(_, earlier)| *earlier == resolved) {
            problems.push(format!("{flag} {} is also given to {other}", path.display()));
        }
        seen.push((flag, resolved.clone()));
        if let Some(id) = identity(&file) {
            let identities = identities.get_or_insert_with(|| input_identities(inputs));
            if let Some(&index) = identities.get(&id) {
                problems.push(format!(
                    "{flag} {} is the input {}",
                    path.display(),
                    name_at(inputs, index)
                ));
                continue;
            }
        }
        let owner = match destination {
            Destination::File(out) => (resolve_partly(out) == resolved)
                .then(|| inputs.first())
                .flatten(),
            Destination::Mirror(dir) => {
                resolved
                    .strip_prefix(resolve_partly(dir))
                    .ok()
                    .and_then(|relative| {
                        inputs
                            .iter()
                            .find(|input| matches!(input, Input::File { relative: r, .. } if r == relative))
                    })
            }
            _ => None,
        };
        if let Some(input) = owner {
            problems.push(format!(
                "{flag} {} is also where the cleaned {} goes",
                path.display(),
                input.display_name()
            ));
        }
    }
    problems
}

/// Why an output directory cannot be used, or could not be made.
#[derive(Debug, thiserror::Error)]
pub enum OutputDirError {
    /// The output directory is an input directory.
    #[error("output directory {} is the input directory; use --in-place to rewrite inputs", .dir.display())]
    IsTheInput {
        /// The output directory.
        dir: PathBuf,
    },
    /// The output directory is inside an input tree and holds files pare did not write.
    #[error(
        "output directory {} is inside the input directory {} and holds files pare did not write \
         (such as {}): they would be left out and could be overwritten; choose a new or empty \
         output directory",
        .dir.display(), .root.display(), .example.display()
    )]
    HoldsOtherFiles {
        /// The output directory.
        dir: PathBuf,
        /// The input directory it is inside.
        root: PathBuf,
        /// One of the files in it that pare did not write.
        example: PathBuf,
    },
    /// Its files could not be listed with the run's file selection.
    #[error("cannot look into output directory {}: {message}", .dir.display())]
    Unreadable {
        /// The output directory.
        dir: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// It, or its marker file, could not be made.
    // The I/O error is in the message, not chained as a source, so it is said once.
    #[error("cannot {} {}: {error}", if *.marker { "write" } else { "create" }, .path.display())]
    Create {
        /// The directory, or its marker file.
        path: PathBuf,
        /// Whether it was the marker file.
        marker: bool,
        /// Why.
        error: std::io::Error,
    },
}

/// An output directory of a mirrored run, checked against the run's input paths but not yet
/// made.
#[derive(Debug)]
pub struct OutputDir {
    dir: PathBuf,
    /// Inside an input tree: gets the [`OUTPUT_MARKER`].
    nested: bool,
}

impl OutputDir {
    /// Checks `dir` against the input `paths`. An output directory inside an input directory is
    /// never walked for inputs, so it must hold nothing but pare's outputs: it may be new, hold
    /// no file the selection takes, or carry the [`OUTPUT_MARKER`] of an earlier run.
    pub fn check(dir: &Path, paths: &[PathBuf], selection: &Selection) -> Result<OutputDir, OutputDirError> {
        let resolved = resolve_partly(dir);
        let root = (paths.iter())
            .filter(|path| path.is_dir())
            .find(|path| std::fs::canonicalize(path).is_ok_and(|root| resolved.starts_with(root)));
        let output = OutputDir {
            dir: dir.to_path_buf(),
            nested: root.is_some(),
        };
        let Some(root) = root else {
            // Not inside an input tree: nothing in it can be mistaken for input.
            return Ok(output);
        };
        if std::fs::canonicalize(root).is_ok_and(|root| root == resolved) {
            return Err(OutputDirError::IsTheInput {
                dir: dir.to_path_buf(),
            });
        }
        if dir.exists() && !dir.join(OUTPUT_MARKER).exists() {
            let found = discover(&[dir.to_path_buf()], selection, None).map_err(|err| {
                OutputDirError::Unreadable {
                    dir: dir.to_path_buf(),
                    message: err.to_string(),
                }
            })?;
            if let Some(Input::File { path, .. }) = found.inputs.first() {
                return Err(OutputDirError::HoldsOtherFiles {
                    dir: dir.to_path_buf(),
                    root: root.clone(),
                    example: path.clone(),
                });
            }
        }
        Ok(output)
    }

    /// Makes the directory (and marks it, inside an input tree).
    pub fn create(&self) -> Result<(), OutputDirError> {
        let dir = &self.dir;
        std::fs::create_dir_all(dir).map_err(|error| OutputDirError::Create {
            path: dir.clone(),
            marker: false,
            error,
        })?;
        let marker = dir.join(OUTPUT_MARKER);
        if self.nested && !marker.exists() {
            std::fs::write(
                &marker,
                "This directory holds outputs of pare; pare does not read files under it as inputs.\n",
            )
            .map_err(|error| OutputDirError::Create {
                path: marker.clone(),
                marker: true,
                error,
            })?;
        }
        Ok(())
    }
}

/// `path` made absolute with every link resolved, as far as it exists; the rest appended.
fn resolve_partly(path: &Path) -> PathBuf {
    let mut missing = Vec::new();
    let mut existing = path;
    loop {
        if let Ok(resolved) = std::fs::canonicalize(existing) {
            return missing.iter().rev().fold(resolved, |acc, part| acc.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_os_string());
                existing = if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                };
            }
            _ => return path.to_path_buf(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(dir: &Path, relative: &str) -> Input {
        let path = dir.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        if !path.exists() {
            std::fs::write(&path, "x\n").unwrap();
        }
        Input::File {
            path,
            relative: Path::new(relative).file_name().unwrap().into(),
        }
    }

    #[test]
    fn two_inputs_with_one_output_are_refused_naming_both() {
        let dir = tempfile::tempdir().unwrap();
        let inputs = [file(dir.path(), "ca/story.txt"), file(dir.path(), "cb/story.txt")];
        let inputs = InputList::from(inputs.to_vec());
        let problems = check_targets(&inputs, &Destination::Mirror(dir.path().join("out")));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("ca/story.txt and "), "{}", problems[0]);
        assert!(problems[0].contains("cb/story.txt would both be written to"));
    }

    #[test]
    fn outputs_with_one_hash_are_told_apart_by_their_paths() {
        let dir = tempfile::tempdir().unwrap();
        let names = ["a/x.txt", "b/y.txt", "c/x.txt", "d/z.txt", "e/y.txt"];
        let inputs: InputList = names.iter().map(|name| file(dir.path(), name)).collect();
        let out = Destination::Mirror(dir.path().join("out"));
        let problems = check_targets_by(&inputs, &out, |_| 7);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("a/x.txt and ") && problems[0].contains("c/x.txt would both"));
        assert!(problems[1].contains("b/y.txt and ") && problems[1].contains("e/y.txt would both"));
    }

    #[test]
    fn an_output_that_is_an_input_is_refused_but_in_place_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let inputs = InputList::from(vec![file(dir.path(), "g.txt")]);
        let problems = check_targets(&inputs, &Destination::File(dir.path().join("g.txt")));
        assert!(problems[0].contains("is the input"), "{problems:?}");
        // A link to the input is the input too.
        std::os::unix::fs::symlink("g.txt", dir.path().join("link.txt")).unwrap();
        let problems = check_targets(&inputs, &Destination::File(dir.path().join("link.txt")));
        assert!(problems[0].contains("is the input"), "{problems:?}");
        assert!(check_targets(&inputs, &Destination::InPlace).is_empty());
        assert!(check_targets(&inputs, &Destination::File(dir.path().join("new.txt"))).is_empty());
    }

    #[test]
    fn a_report_or_ledger_may_be_no_input_no_output_and_not_each_other() {
        let dir = tempfile::tempdir().unwrap();
        let inputs = InputList::from(vec![file(dir.path(), "a.txt")]);
        let out = Destination::Mirror(dir.path().join("out"));
        let check = |side: &[(&str, &Path)]| check_side_outputs(&inputs, &out, side);
        let problems = check(&[("--report", &dir.path().join("a.txt"))]);
        assert!(
            problems[0].contains("--report") && problems[0].contains("is the input"),
            "{problems:?}"
        );
        let problems = check(&[("--ledger", &dir.path().join("out/a.txt"))]);
        assert!(problems[0].contains("is also where the cleaned"), "{problems:?}");
        let same = dir.path().join("r.json");
        let problems = check(&[("--report", &same), ("--ledger", &same)]);
        assert!(problems[0].contains("is also given to --report"), "{problems:?}");
        assert!(check(&[
            ("--report", &dir.path().join("r.json")),
            ("--ledger", Path::new("-"))
        ])
        .is_empty());
        let single = Destination::File(dir.path().join("clean.txt"));
        let problems = check_side_outputs(&inputs, &single, &[("--report", &dir.path().join("clean.txt"))]);
        assert!(problems[0].contains("is also where the cleaned"), "{problems:?}");
    }

    #[test]
    fn one_file_reached_twice_in_place_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let a = file(dir.path(), "a.txt");
        std::os::unix::fs::symlink("a.txt", dir.path().join("b.txt")).unwrap();
        let b = Input::File {
            path: dir.path().join("b.txt"),
            relative: "b.txt".into(),
        };
        let problems = check_targets(&InputList::from(vec![a, b]), &Destination::InPlace);
        assert!(problems[0].contains("are the same file"), "{problems:?}");
    }

    #[test]
    fn a_nested_output_directory_must_be_new_empty_or_pare_s_own() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("t3");
        file(&root, "a.txt");
        let paths = [root.clone()];
        let selection = Selection::default();
        let claim = |dir: &Path| OutputDir::check(dir, &paths, &selection).and_then(|out| out.create());
        // New: created and marked, and may be used again.
        claim(&root.join("new/out")).unwrap();
        assert!(root.join("new/out").join(OUTPUT_MARKER).exists());
        file(&root, "new/out/a.txt");
        claim(&root.join("new/out")).unwrap();
        // Empty: taken and marked.
        std::fs::create_dir(root.join("empty")).unwrap();
        claim(&root.join("empty")).unwrap();
        assert!(root.join("empty").join(OUTPUT_MARKER).exists());
        // Holding the user's files: refused, and left unmarked.
        file(&root, "sub/b.txt");
        let err = claim(&root.join("sub")).unwrap_err();
        let OutputDirError::HoldsOtherFiles { example, .. } = &err else {
            panic!("{err}");
        };
        assert_eq!(example, &root.join("sub/b.txt"));
        assert!(
            err.to_string().contains("holds files pare did not write"),
            "{err}"
        );
        assert!(!root.join("sub").join(OUTPUT_MARKER).exists());
        // The input directory itself.
        let err = claim(&root).unwrap_err();
        assert!(matches!(err, OutputDirError::IsTheInput { .. }), "{err}");
        assert!(err.to_string().contains("is the input directory"), "{err}");
        // Outside every input: no marker needed.
        claim(&dir.path().join("elsewhere")).unwrap();
        assert!(!dir.path().join("elsewhere").join(OUTPUT_MARKER).exists());
    }
}
