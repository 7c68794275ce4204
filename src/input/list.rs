//! What a run reads: one input (a file, or standard input), and the list of a run's inputs,
//! kept compactly. A tree of a million files is listed before anything is cleaned (the outputs
//! are checked first, and the order must not depend on the threads), so each file found under a
//! directory costs its path under that directory and a few bytes of bookkeeping, not two paths
//! of its own.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// One document to clean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input.
    Stdin,
    /// A file. `relative` is where it sits under the directory it was found in (its file name
    /// when it was named directly); outputs mirror it.
    File {
        /// The path to read.
        path: PathBuf,
        /// The path relative to its root, used to place the output.
        relative: PathBuf,
    },
}

impl Input {
    /// The group (site) of a file found in a directory: the first folder under the directory
    /// it was found in. Files named directly, and standard input, have none.
    pub fn group(&self) -> Option<String> {
        match self {
            Input::File { relative, .. } => {
                let mut parts = relative.components();
                let first = parts.next()?;
                parts.next()?;
                Some(first.as_os_str().to_string_lossy().into_owned())
            }
            Input::Stdin => None,
        }
    }

    /// The name used in messages and reports.
    pub fn display_name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File { path, .. } => path.display().to_string(),
        }
    }
}

/// The inputs of a run, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputList {
    /// The directories files were found in.
    roots: Vec<PathBuf>,
    /// The entries' paths, one after another.
    bytes: Vec<u8>,
    entries: Vec<Entry>,
}

/// One input: its bytes end at `end` (they start where the entry before ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    end: usize,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Stdin,
    /// A file under `roots[root]`: the bytes are its path relative to that directory.
    UnderRoot {
        root: u32,
    },
    /// Any other file: the bytes are its path and then its relative path, which starts `split`
    /// bytes in.
    Whole {
        split: u32,
    },
}

impl InputList {
    /// An empty list.
    pub fn new() -> InputList {
        InputList::default()
    }

    /// Files pushed after this, found under `root` (their path is `root` joined with their
    /// relative path), are stored by their relative path alone.
    pub fn enter_root(&mut self, root: &Path) {
        self.roots.push(root.to_path_buf());
    }

    /// Adds an input at the end.
    pub fn push(&mut self, input: Input) {
        let kind = match input {
            Input::Stdin => Kind::Stdin,
            Input::File { path, relative } => {
                let under_root = (self.roots.last())
                    .is_some_and(|root| root.join(&relative).as_os_str() == path.as_os_str());
                if under_root {
                    self.bytes.extend_from_slice(relative.as_os_str().as_bytes());
                    Kind::UnderRoot {
                        root: (self.roots.len() - 1) as u32,
                    }
                } else {
                    let path = path.as_os_str().as_bytes();
                    self.bytes.extend_from_slice(path);
                    self.bytes.extend_from_slice(relative.as_os_str().as_bytes());
                    Kind::Whole {
                        split: path.len() as u32,
                    }
                }
            }
        };
        self.entries.push(Entry {
            end: self.bytes.len(),
            kind,
        });
    }

    /// How many inputs there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The input at `index`, if there is one.
    pub fn get(&self, index: usize) -> Option<Input> {
        (index < self.len()).then(|| self.at(index))
    }

    /// The first input, if there is one.
    pub fn first(&self) -> Option<Input> {
        self.get(0)
    }

    /// The inputs in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            list: self,
            indices: 0..self.len(),
        }
    }

    /// The input at `index`, which is below [`InputList::len`].
    fn at(&self, index: usize) -> Input {
        let entry = self.entries[index];
        let start = index.checked_sub(1).map_or(0, |before| self.entries[before].end);
        let bytes = &self.bytes[start..entry.end];
        let path = |bytes: &[u8]| PathBuf::from(OsStr::from_bytes(bytes));
        match entry.kind {
            Kind::Stdin => Input::Stdin,
            Kind::UnderRoot { root } => {
                let relative = path(bytes);
                Input::File {
                    path: self.roots[root as usize].join(&relative),
                    relative,
                }
            }
            Kind::Whole { split } => {
                let (whole, relative) = bytes.split_at(split as usize);
                Input::File {
                    path: path(whole),
                    relative: path(relative),
                }
            }
        }
    }

    /// Whether standard input is one of the inputs.
    pub fn has_stdin(&self) -> bool {
        (self.entries.iter()).any(|entry| entry.kind == Kind::Stdin)
    }

    /// Frees the room kept for more inputs.
    pub fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
        self.entries.shrink_to_fit();
    }
}

/// The inputs of an [`InputList`] in order, each made whole as it comes.
#[derive(Debug, Clone)]
pub struct Iter<'a> {
    list: &'a InputList,
    indices: std::ops::Range<usize>,
}

impl Iterator for Iter<'_> {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        self.indices.next().map(|index| self.list.at(index))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.indices.size_hint()
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a InputList {
    type Item = Input;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl FromIterator<Input> for InputList {
    fn from_iter<I: IntoIterator<Item = Input>>(inputs: I) -> InputList {
        let mut list = InputList::new();
        inputs.into_iter().for_each(|input| list.push(input));
        list
    }
}

impl From<Vec<Input>> for InputList {
    fn from(inputs: Vec<Input>) -> InputList {
        inputs.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, relative: &str) -> Input {
        Input::File {
            path: path.into(),
            relative: relative.into(),
        }
    }

    #[test]
    fn inputs_come_back_as_they_went_in_and_files_under_a_root_keep_only_their_relative_path() {
        let inputs = vec![
            file("notes/a.txt", "a.txt"),
            Input::Stdin,
            file("tree/site/b.txt", "site/b.txt"),
            file("tree/c.jsonl", "c.jsonl"),
            file("./d/../e.txt", "e.txt"),
        ];
        let mut list = InputList::new();
        list.push(inputs[0].clone());
        list.push(inputs[1].clone());
        list.enter_root(Path::new("tree"));
        for input in &inputs[2..] {
            list.push(input.clone());
        }
        assert_eq!(list.iter().collect::<Vec<_>>(), inputs);
        assert_eq!(list.len(), 5);
        assert!(list.has_stdin());
        assert_eq!(list.get(5), None);
        let stored = "notes/a.txta.txtsite/b.txtc.jsonl./d/../e.txte.txt";
        assert_eq!(
            list.bytes,
            stored.as_bytes(),
            "only the relative path under the root"
        );
        assert!(!InputList::from(vec![file("a.txt", "a.txt")]).has_stdin());
    }
}
