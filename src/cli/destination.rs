//! Where `pare clean` writes: standard output, one file, a mirrored directory, the inputs
//! themselves, or nowhere (`--check`, `--diff`), chosen from the flags and the shape of the
//! inputs, refusing an output path whose kind does not fit them.

use std::path::Path;

use anyhow::{bail, Context};

use pare::input::compress::strip_compression;
use pare::output::destination::Destination;
use pare::output::write::{resolve, Target};

use super::args::CleanArgs;

/// Whether `path` is named as the text or JSONL files pare writes are (compressed or not).
fn looks_like_an_output_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy())
        .unwrap_or_default();
    let plain = strip_compression(&name);
    plain.len() < name.len()
        || [".txt", ".jsonl", ".ndjson"]
            .iter()
            .any(|ext| plain.ends_with(ext))
}

/// Chooses where output goes from the flags and the shape of the inputs, refusing an output
/// path whose kind does not fit them.
pub(super) fn destination(args: &CleanArgs) -> anyhow::Result<Destination> {
    if args.in_place {
        return Ok(Destination::InPlace);
    }
    if args.check {
        return Ok(Destination::Check);
    }
    if args.diff {
        return Ok(Destination::Diff);
    }
    let several = args.paths.len() > 1 || args.paths.iter().any(|path| path.is_dir());
    let Some(out) = &args.output else {
        if several {
            bail!("directories and several inputs need -o DIR, --in-place, --check or --diff");
        }
        return Ok(Destination::Stdout);
    };
    // One look at the path decides: another worker of the same job may make the directory at
    // any moment, and a directory found there, whoever made it, is the output directory.
    let existing = std::fs::metadata(out);
    if existing.as_ref().is_ok_and(|meta| meta.is_dir()) {
        return Ok(Destination::Mirror(out.clone()));
    }
    let says_dir = out.as_os_str().as_encoded_bytes().ends_with(b"/");
    let missing = existing
        .as_ref()
        .is_err_and(|err| err.kind() == std::io::ErrorKind::NotFound);
    // `-o new/` makes a directory even for one input, as `--help` says.
    let new_directory = says_dir && missing;
    if !several && !new_directory {
        return Ok(
            match resolve(out).with_context(|| format!("cannot write to {}", out.display()))? {
                Target::Stdout => Destination::Stdout,
                Target::File(..) | Target::Stream(_) => Destination::File(out.clone()),
            },
        );
    }
    let what = if args.paths.iter().any(|path| path.is_dir()) {
        "a directory input needs"
    } else {
        "several inputs need"
    };
    // Something that is not a directory (or a link to nothing) stands at the path. Looked at
    // again, since a directory made in between by a sibling worker is still welcome.
    let not_a_directory = existing.is_ok() || std::fs::symlink_metadata(out).is_ok();
    if out.as_os_str() == "-" || (not_a_directory && !out.is_dir()) {
        bail!(
            "-o {} is not a directory, but {what} an output directory",
            out.display()
        );
    }
    // A directory that does not exist yet is made, unless its name is that of a file pare
    // writes (a mistyped single output, say): `-o two.txt` is refused, `-o two.txt/` is not.
    if !says_dir && looks_like_an_output_file(out) {
        bail!(
            "-o {} does not exist and is named like a file, but {what} an output directory; \
             write -o {}/ to make a directory of that name",
            out.display(),
            out.display()
        );
    }
    Ok(Destination::Mirror(out.clone()))
}
