//! How an input is read: as one text or as JSONL records ([`Format`]), which site its
//! documents belong to ([`GroupBy`]), and reading a whole text input under the size limit.

use std::io;

use crate::input::compress::Compression;
use crate::input::decode::{read_document, too_large, Bounded};
use crate::input::list::Input;
use crate::text::record::RecordFields;
use crate::text::site::group_of;

/// How an input is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Format {
    /// JSONL for `.jsonl`/`.ndjson` files, an HTML page for `.html`/`.htm` files (each also
    /// compressed), text otherwise (standard input is text).
    Auto,
    /// One document per file.
    Text,
    /// One JSON object per line, the document in a string field.
    Jsonl,
    /// One HTML page per file: its text is read from the markup.
    Html,
}

impl Format {
    /// Whether `input` is read as JSONL.
    pub fn is_jsonl(self, input: &Input) -> bool {
        match self {
            Format::Jsonl => true,
            Format::Auto => {
                auto_name(input).is_some_and(|name| name.ends_with(".jsonl") || name.ends_with(".ndjson"))
            }
            Format::Text | Format::Html => false,
        }
    }

    /// Whether `input` is read as an HTML page.
    pub fn is_html(self, input: &Input) -> bool {
        match self {
            Format::Html => true,
            Format::Auto => auto_name(input).is_some_and(|name| is_html_name(&name)),
            Format::Text | Format::Jsonl => false,
        }
    }
}

/// The name `auto` judges a file by: in lower case, without a compression suffix (none for
/// standard input).
fn auto_name(input: &Input) -> Option<String> {
    let Input::File { path, .. } = input else {
        return None;
    };
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    Some(crate::input::compress::strip_compression(&name).to_string())
}

/// Whether a file name (without a compression suffix) names an HTML page.
pub fn is_html_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.ends_with(".html") || name.ends_with(".htm")
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
    /// All documents in one group, named [`ALL`].
    None,
}

impl GroupBy {
    /// The group of a document of `input`; `host` is the host of a JSONL record's `url`.
    pub fn group(self, input: &Input, host: impl FnOnce() -> Option<String>) -> String {
        let group = match self {
            GroupBy::Auto => host().or_else(|| input.group()),
            GroupBy::Dir => input.group(),
            GroupBy::Host => host(),
            GroupBy::None => Some(ALL.to_string()),
        };
        group_of(group)
    }
}

/// The one group of `--group-by none`: every document, taken for one site's on purpose.
pub const ALL: &str = "all";

/// How inputs are read: the settings cleaning and learning share.
#[derive(Debug, Clone)]
pub struct Reading {
    /// Text files or JSONL.
    pub format: Format,
    /// Which fields of a JSONL record hold its text and its page.
    pub fields: RecordFields,
    /// How documents are grouped into sites.
    pub group_by: GroupBy,
    /// Documents (files or records) larger than this are refused.
    pub max_doc_bytes: u64,
}

impl Default for Reading {
    /// Formats told apart by name, the `text` field, the default grouping and size limit.
    fn default() -> Reading {
        Reading {
            format: Format::Auto,
            fields: RecordFields::default(),
            group_by: GroupBy::Auto,
            max_doc_bytes: DEFAULT_MAX_DOC_BYTES,
        }
    }
}

/// The default largest document read: 256 MiB (`--max-doc-bytes`).
pub const DEFAULT_MAX_DOC_BYTES: u64 = 256 << 20;

/// Why an input could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The system could not read or decompress it.
    #[error("{0}")]
    Io(String),
    /// A directory where a file was expected.
    #[error("is a directory")]
    IsDirectory,
    /// Larger than the size limit.
    #[error("{}", too_large(*.limit))]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
}

impl From<io::Error> for ReadError {
    fn from(err: io::Error) -> ReadError {
        ReadError::Io(err.to_string())
    }
}

/// Reads a whole text input (decompressed), refusing one over `limit` bytes.
pub(crate) fn read_input(input: &Input, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    let bounded = match input {
        Input::Stdin => read_document(io::stdin().lock(), limit, &mut bytes),
        Input::File { path, .. } => {
            let file = std::fs::File::open(path)?;
            let meta = file.metadata()?;
            if meta.is_dir() {
                return Err(ReadError::IsDirectory);
            }
            bytes.reserve(meta.len().min(limit).saturating_add(1).min(1 << 30) as usize);
            match Compression::of(path) {
                Compression::None => read_document(file, limit, &mut bytes),
                compression => crate::input::compress::decompress(file, compression)
                    .and_then(|reader| read_document(reader, limit, &mut bytes)),
            }
        }
    };
    match bounded? {
        Bounded::Whole => Ok(bytes),
        Bounded::TooLarge => Err(ReadError::TooLarge { limit }),
    }
}
