//! How an input is read: as one text or as JSONL records ([`Format`]), which site its
//! documents belong to ([`GroupBy`]), and reading a whole text input under the size limit.

use std::io;

use crate::input::compress::Compression;
use crate::input::decode::{read_document, too_large, Bounded};
use crate::input::discover::Input;

/// How an input is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Format {
    /// JSONL for `.jsonl`/`.ndjson` files (also compressed), text otherwise (standard input is
    /// text).
    Auto,
    /// One document per file.
    Text,
    /// One JSON object per line, the document in a string field.
    Jsonl,
}

impl Format {
    /// Whether `input` is read as JSONL.
    pub fn is_jsonl(self, input: &Input) -> bool {
        match (self, input) {
            (Format::Jsonl, _) => true,
            (Format::Text, _) | (Format::Auto, Input::Stdin) => false,
            (Format::Auto, Input::File { path, .. }) => {
                let name = path
                    .file_name()
                    .map(|name| name.to_string_lossy())
                    .unwrap_or_default();
                let name = crate::input::compress::strip_compression(&name);
                name.ends_with(".jsonl") || name.ends_with(".ndjson")
            }
        }
    }
}

/// How documents are grouped into sites, for learned profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum GroupBy {
    /// JSONL records by their `url` host, files by their folder.
    #[default]
    Auto,
    /// By the first folder under the directory an input was found in.
    Dir,
    /// By the host of a JSONL record's `url` (text files have none).
    Host,
    /// All documents in one group.
    None,
}

impl GroupBy {
    /// The group of a document of `input`; `host` is the host of a JSONL record's `url`.
    pub fn group(self, input: &Input, host: impl FnOnce() -> Option<String>) -> String {
        let group = match self {
            GroupBy::Auto => host().or_else(|| input.group()),
            GroupBy::Dir => input.group(),
            GroupBy::Host => host(),
            GroupBy::None => None,
        };
        group.unwrap_or_else(|| UNGROUPED.to_string())
    }
}

/// The group of documents that belong to no site.
pub const UNGROUPED: &str = "_";

/// The default largest document read: 256 MiB (`--max-doc-bytes`).
pub const DEFAULT_MAX_DOC_BYTES: u64 = 256 << 20;

/// Reads a whole text input (decompressed), refusing one over `limit` bytes.
pub(crate) fn read_input(input: &Input, limit: u64) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let bounded = match input {
        Input::Stdin => read_document(io::stdin().lock(), limit, &mut bytes),
        Input::File { path, .. } => {
            let file = std::fs::File::open(path).map_err(|err| err.to_string())?;
            let meta = file.metadata().map_err(|err| err.to_string())?;
            if meta.is_dir() {
                return Err("is a directory".to_string());
            }
            bytes.reserve(meta.len().min(limit).saturating_add(1).min(1 << 30) as usize);
            match Compression::of(path) {
                Compression::None => read_document(file, limit, &mut bytes),
                compression => crate::input::compress::decompress(file, compression)
                    .and_then(|reader| read_document(reader, limit, &mut bytes)),
            }
        }
    };
    match bounded.map_err(|err| err.to_string())? {
        Bounded::Whole => Ok(bytes),
        Bounded::TooLarge => Err(too_large(limit)),
    }
}
