//! Where cleaned text goes: the [`Destination`] of a run, the file each input's text goes
//! to, and writing that file (compressed as its name asks) without splitting an in-place
//! input's hard links.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::input::compress::{strip_compression, Compression, Encoder};
use crate::input::list::Input;
use crate::input::reading::is_html_name;
use crate::output::write::{write_output, Links};

/// Where cleaned text goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// Standard output (one input only).
    Stdout,
    /// One named file (one input only).
    File(PathBuf),
    /// Under a directory, at each input's relative path.
    Mirror(PathBuf),
    /// Back over each input that changes.
    InPlace,
    /// Nowhere: only report whether inputs would change.
    Check,
    /// A unified diff of each input that would change, on standard output.
    Diff,
}

/// The file an input's cleaned text goes to, if the destination is a file. Mirrored, the text of
/// an HTML page `a/b.html` (or `a/b.html.gz`...) goes to `a/b.txt`.
pub(crate) fn target_path(destination: &Destination, input: &Input) -> Result<Option<PathBuf>, &'static str> {
    match (destination, input) {
        (Destination::File(path), _) => Ok(Some(path.clone())),
        (Destination::Mirror(dir), Input::File { relative, .. }) => Ok(Some(dir.join(text_name(relative)))),
        (Destination::InPlace, Input::File { path, .. }) => Ok(Some(path.clone())),
        (Destination::Mirror(_), Input::Stdin) => Err("standard input cannot be mirrored into a directory"),
        (Destination::InPlace, Input::Stdin) => Err("standard input cannot be cleaned in place"),
        _ => Ok(None),
    }
}

/// The name of the text of a file: an HTML page's name (compressed or not) with `.txt` in place
/// of its suffixes, any other name as it is.
fn text_name(path: &Path) -> PathBuf {
    let Some(name) = path.file_name().map(|name| name.to_string_lossy()) else {
        return path.to_path_buf();
    };
    let bare = strip_compression(&name);
    if !is_html_name(bare) {
        return path.to_path_buf();
    }
    let stem = &bare[..bare.rfind('.').unwrap_or(bare.len())];
    path.with_file_name(format!("{stem}.txt"))
}

/// Rewriting an input in place must not split its hard links; any other output may.
pub(crate) fn links_for(destination: &Destination) -> Links {
    match destination {
        Destination::InPlace => Links::Keep,
        _ => Links::Split,
    }
}

/// Writes `contents` to `path` (see [`crate::output::write`]), compressed as the path's name asks.
pub(crate) fn write_file(path: &Path, contents: &[u8], destination: &Destination) -> io::Result<()> {
    let links = links_for(destination);
    match Compression::of(path) {
        Compression::None => write_output(path, contents, links),
        compression => {
            let mut encoder = Encoder::new(Vec::with_capacity(contents.len() / 3), compression)?;
            encoder.write_all(contents)?;
            write_output(path, &encoder.finish()?, links)
        }
    }
}
