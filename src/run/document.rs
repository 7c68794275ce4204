//! Cleaning one text input: read, decode, clean, and hand the text to its destination.

use std::borrow::Cow;

use crate::input::decode::{decode, looks_like_html, Decoded};
use crate::input::list::Input;
use crate::input::reading::{read_input, Format, GroupBy};
use crate::output::destination::{target_path, write_file, Destination};
use crate::output::manifest::{content_hash, manifest_key};
use crate::run::failure::Failure;
use crate::run::options::Options;
use crate::run::outcome::{collect_removed_lines, ledger_lines, Outcome, Status};
use crate::text::clean::{Cleaned, Cleaner};
use crate::text::diff::unified_diff;
use crate::text::html::read_html;

/// What a warning about an HTML page read as text says happens to it.
pub(crate) const HTML_KEPT: &str =
    "it is cleaned as text, so its markup is kept; name it .html or give --format html to read the page";

/// Cleans one text input into its destination, filling in `outcome`.
pub(crate) fn process_text(
    input: &Input,
    cleaner: &Cleaner,
    options: &Options,
    outcome: &mut Outcome,
) -> Result<(), Failure> {
    let bytes = read_input(input, options.reading.max_doc_bytes)?;
    options.read(bytes.len() as u64);
    if let Some(done) = &options.up_to_date {
        let hash = content_hash(&bytes);
        if done.has_output(input, &hash, &options.destination) {
            outcome.bytes_in = bytes.len() as u64;
            outcome.status = Status::UpToDate;
            return Ok(());
        }
        outcome.manifest_entry = manifest_key(input).map(|key| (key, hash));
    }
    outcome.bytes_in = bytes.len() as u64;
    if *input == Input::Stdin && options.reading.format == Format::Auto && looks_like_json_lines(&bytes) {
        outcome.warnings.push(
            "looks like JSON lines but is cleaned as one text (characters inside the JSON strings \
             change); give --format jsonl to clean each record's text"
                .to_string(),
        );
    }
    let Some((cleaned, original)) = clean_input(input, &bytes, cleaner, options, outcome)? else {
        outcome.status = Status::Skipped("binary file (NUL byte near the start)".to_string());
        return Ok(());
    };
    let clean = cleaned.text().as_bytes();
    let changed = clean != original.as_bytes();
    outcome.status = if changed {
        Status::Changed
    } else {
        Status::Unchanged
    };
    outcome.bytes_out = clean.len() as u64;
    outcome.left_empty = clean.is_empty() && !bytes.is_empty();
    collect_removed_lines(&mut outcome.removed_lines, &cleaned, options.removed_texts);
    if options.ledger {
        ledger_lines(&outcome.name, None, &cleaned, &mut outcome.ledger);
    }
    if options.review {
        outcome.review.offer(|| outcome.name.clone(), &cleaned);
    }
    let target = target_path(&options.destination, input).map_err(Failure::NoTarget)?;
    match (&options.destination, target) {
        (Destination::InPlace, _) if !changed => {}
        (destination, Some(path)) => {
            write_file(&path, clean, destination).map_err(|err| Failure::write(Some(&path), &err))?
        }
        (Destination::Stdout, None) => outcome.stdout = Some(clean.to_vec()),
        (Destination::Diff, None) => {
            outcome.stdout = unified_diff(&outcome.name, &original, &cleaned, options.annotate_diff)
                .map(String::into_bytes);
        }
        (_, None) => {}
    }
    Ok(())
}

/// Cleans the bytes of one input: the text of an HTML page, or the input as text. Also returns
/// the text the output is compared with (the page's text, or the input itself); `None` for a
/// binary file.
fn clean_input<'b>(
    input: &Input,
    bytes: &'b [u8],
    cleaner: &Cleaner,
    options: &Options,
    outcome: &mut Outcome,
) -> Result<Option<(Cleaned, Cow<'b, str>)>, Failure> {
    let group = file_group(cleaner, input, options.reading.group_by);
    if options.reading.format.is_html(input) {
        if options.destination == Destination::InPlace {
            return Err(Failure::NoTarget(
                "an HTML page is not cleaned in place (its text would replace it); give -o DIR",
            ));
        }
        let page = read_html(bytes)?;
        return Ok(Some((
            cleaner.clean_page(&page, Some(&group)),
            Cow::Owned(page.text),
        )));
    }
    let Decoded::Text(text) = decode(bytes, options.lossy)? else {
        return Ok(None);
    };
    if looks_like_html(&text) {
        outcome
            .warnings
            .push(format!("looks like an HTML page; {HTML_KEPT}"));
    }
    Ok(Some((
        cleaner.clean_in(&text, Some(&group)),
        String::from_utf8_lossy(bytes),
    )))
}

/// Whether the first line holding anything is a JSON object.
fn looks_like_json_lines(bytes: &[u8]) -> bool {
    let Some(first) = bytes
        .split(|&b| b == b'\n')
        .find(|line| !line.trim_ascii().is_empty())
    else {
        return false;
    };
    let first = first.trim_ascii();
    first.starts_with(b"{")
        && first.ends_with(b"}")
        && serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(first).is_ok()
}

/// The group (site) of a text file, for a profile's group rules: its first folder under the
/// directory it was found in, or, when that names no group of the profile, the innermost folder
/// of its full path that does. So a profile learned from `scraped/` applies to
/// `scraped/gazette/2024/a.txt` however the path was typed (`scraped`, `scraped/gazette`, `.`).
pub fn file_group(cleaner: &Cleaner, input: &Input, group_by: GroupBy) -> String {
    let group = group_by.group(input, || None);
    // Without a profile's groups there is nothing to look for up the path (and no file system
    // call to make for each file).
    if !cleaner.has_groups() || cleaner.has_group(&group) || !matches!(group_by, GroupBy::Auto | GroupBy::Dir)
    {
        return group;
    }
    let Input::File { path, .. } = input else {
        return group;
    };
    let full = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
    (full.ancestors().skip(1))
        .filter_map(|folder| folder.file_name()?.to_str())
        .find(|name| cleaner.has_group(name))
        .map_or(group, str::to_string)
}
