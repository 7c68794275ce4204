//! Reading what `pare eval` scores: cleaned or gold texts from a folder of `<id>.txt` files or
//! a JSONL file, and snippet annotations. The metric itself is [`crate::text::score`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::input::compress::strip_compression;
use crate::input::decode::{too_large, Bounded};
use crate::input::discover::{discover, Selection};
use crate::input::lines::{record_content, Lines};
use crate::input::list::Input;
use crate::input::reading::{read_input, DEFAULT_MAX_DOC_BYTES};
use crate::text::score::Snippets;

/// Why a set of texts or annotations could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file or directory could not be read.
    #[error("cannot read {path}: {message}")]
    Read {
        /// The file or directory.
        path: String,
        /// Why.
        message: String,
    },
    /// A JSONL line is not a record with the id and text fields.
    #[error("{path}:{line}: {message}")]
    Record {
        /// The JSONL file.
        path: String,
        /// The 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// The annotations file is not snippet annotations.
    #[error("{path}: not snippet annotations: {source}")]
    Annotations {
        /// The annotations file.
        path: String,
        /// What the JSON parser said.
        source: serde_json::Error,
    },
}

impl LoadError {
    fn read(path: &Path, err: impl std::fmt::Display) -> LoadError {
        LoadError::Read {
            path: path.display().to_string(),
            message: err.to_string(),
        }
    }
}

/// Reads a set of texts keyed by document id: a directory of `<id>.txt` files (also
/// compressed; searched recursively; the id is the relative path without `.txt`), or a JSONL
/// file whose records have `id_field` and `text_field` string fields.
pub fn load_texts(
    path: &Path,
    id_field: &str,
    text_field: &str,
) -> Result<BTreeMap<String, String>, LoadError> {
    if !path.is_dir() {
        return load_records(path, id_field, text_field);
    }
    let selection = Selection {
        globs: Vec::new(),
        hidden: true,
    };
    let found =
        discover(&[path.to_path_buf()], &selection, None).map_err(|err| LoadError::read(path, err))?;
    if let Some((file, message)) = found.errors.into_iter().next() {
        return Err(LoadError::Read { path: file, message });
    }
    let mut texts = BTreeMap::new();
    for input in found.inputs.iter() {
        let Input::File { path: file, relative } = &input else {
            continue;
        };
        let relative = relative.to_string_lossy();
        let Some(id) = strip_compression(&relative).strip_suffix(".txt") else {
            continue;
        };
        let bytes = read_input(&input, DEFAULT_MAX_DOC_BYTES).map_err(|err| LoadError::read(file, err))?;
        let text = String::from_utf8(bytes).map_err(|err| LoadError::read(file, err))?;
        texts.insert(id.to_string(), text);
    }
    Ok(texts)
}

/// The texts of a JSONL file, keyed by their `id_field`.
fn load_records(
    path: &Path,
    id_field: &str,
    text_field: &str,
) -> Result<BTreeMap<String, String>, LoadError> {
    let input = Input::File {
        path: path.to_path_buf(),
        relative: PathBuf::new(),
    };
    let read_error = |err| LoadError::read(path, err);
    let mut lines = Lines::open(&input, None).map_err(read_error)?;
    let mut texts = BTreeMap::new();
    let mut line = Vec::new();
    while let Some((position, bounded)) = lines
        .next_line(&mut line, DEFAULT_MAX_DOC_BYTES)
        .map_err(read_error)?
    {
        let bad = |message: String| LoadError::Record {
            path: path.display().to_string(),
            line: position.value() as usize,
            message,
        };
        if bounded == Bounded::TooLarge {
            return Err(bad(too_large(DEFAULT_MAX_DOC_BYTES)));
        }
        let Some(content) = record_content(&line) else {
            continue;
        };
        let record: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(content).map_err(|err| bad(err.to_string()))?;
        let field = |name: &str| {
            (record
                .get(name)
                .and_then(|value| value.as_str())
                .map(str::to_string))
            .ok_or_else(|| bad(format!("no string field `{name}`")))
        };
        texts.insert(field(id_field)?, field(text_field)?);
    }
    Ok(texts)
}

/// Reads snippet annotations: a JSON object from page id to `{"with": [...], "without": [...]}`
/// (other fields are ignored).
pub fn load_snippets(path: &Path) -> Result<BTreeMap<String, Snippets>, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|err| LoadError::read(path, err))?;
    serde_json::from_str(&text).map_err(|source| LoadError::Annotations {
        path: path.display().to_string(),
        source,
    })
}
