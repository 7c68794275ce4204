//! Reading inputs for learning: documents read as cleaning reads them, grouped by site, prepared
//! in parallel and counted in input order.

use std::borrow::Cow;

use crate::input::decode::{too_large, Bounded};
use crate::input::lines::{record_content, Lines};
use crate::input::list::{Input, InputList};
use crate::input::reading::{read_input, GroupBy, Reading};
use crate::run::batches::Batches;
use crate::text::html::read_html;
use crate::text::record::read_record;
use crate::text::site::UNGROUPED;

use crate::text::learn::{Counts, PreparedDocument};

/// What counting says as it goes, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// This many more bytes of an input were read (decompressed, for a compressed input).
    Read(u64),
    /// An input was finished.
    InputDone,
}

/// Reads `inputs` and counts their documents by group (`reading.group_by`; by default text
/// files by the first folder under the directory they were found in, JSONL records by the host
/// of their `url`). Documents are prepared in parallel, in batches, and counted in input order,
/// so memory is bounded by the counts and one batch, and the counts do not depend on the thread
/// count. With `mergeable`, the counts keep every line's text so they can be merged with counts
/// made elsewhere; otherwise they are compact (see [`Counts::compact`]). Returns the counts and
/// the inputs (or records) that could not be read, with the reason. `watch` hears of each
/// document read and each input finished.
pub fn count_inputs(
    inputs: &InputList,
    reading: &Reading,
    mergeable: bool,
    watch: &mut dyn FnMut(Counting),
) -> (Counts, Vec<(String, String)>) {
    let mut counts = Counts {
        compact: !mergeable,
        ..Counts::default()
    };
    let prepare = |(group, id, text): &Document| PreparedDocument::new(group, id, text);
    let errors = map_documents(
        inputs,
        reading,
        prepare,
        &mut |document| counts.add_prepared(document),
        watch,
    );
    (counts, errors)
}

/// A document read for learning: its group, id and text.
pub(super) type Document = (String, String, String);

/// Reads the documents of `inputs` as learning groups them, maps them with `map` in parallel,
/// in batches, and hands the results to `consume` in input order. Returns the inputs (or
/// records) that could not be read, with the reason; `watch` hears of bytes read and inputs
/// finished.
pub(super) fn map_documents<T: Send>(
    inputs: &InputList,
    reading: &Reading,
    map: impl Fn(&Document) -> T + Sync + Send + Copy,
    consume: &mut dyn FnMut(T),
    watch: &mut dyn FnMut(Counting),
) -> Vec<(String, String)> {
    const BATCH: usize = 512;
    let mut errors = Vec::new();
    let mut batches = Batches::new(BATCH, usize::MAX);
    for input in inputs {
        let visit = &mut |group: &str, id: &str, text: &str| {
            if batches.push((group.to_string(), id.to_string(), text.to_string()), 0) {
                batches.map(map).into_iter().for_each(&mut *consume);
            }
        };
        let result = for_each_document(&input, reading, visit, &mut |bytes| watch(Counting::Read(bytes)));
        match result {
            Ok(record_errors) => errors.extend(record_errors),
            Err(err) => errors.push((input.display_name(), err)),
        }
        watch(Counting::InputDone);
    }
    batches.map(map).into_iter().for_each(consume);
    errors
}

/// Calls `visit(group, id, text)` for each document of `input`, read as cleaning reads it
/// (the same limits), and `read(bytes)` as its bytes are read; returns the records that could
/// not be read.
fn for_each_document(
    input: &Input,
    reading: &Reading,
    visit: &mut dyn FnMut(&str, &str, &str),
    read: &mut dyn FnMut(u64),
) -> Result<Vec<(String, String)>, String> {
    let Input::File { path, relative } = input else {
        return Err("standard input cannot be learned from; name files or directories".to_string());
    };
    let mut errors = Vec::new();
    if reading.format.is_jsonl(input) {
        let mut lines = Lines::open(input, None).map_err(|err| err.to_string())?;
        let mut line = Vec::new();
        while let Some((position, bounded)) = lines
            .next_line(&mut line, reading.max_doc_bytes)
            .map_err(|err| err.to_string())?
        {
            read(line.len() as u64);
            if bounded == Bounded::TooLarge {
                // Skipped as cleaning skips it: a bad record, never held whole.
                let rest = lines
                    .rest_of_line(&mut std::io::sink())
                    .map_err(|err| err.to_string())?;
                read(rest);
                let message = too_large(reading.max_doc_bytes);
                errors.push((format!("{}:{position}", input.display_name()), message));
                continue;
            }
            let Some(content) = record_content(&line) else {
                continue;
            };
            // A record carrying a page is learned from the text cleaning reads from it.
            let page = read_record(content, &reading.fields).map(|(record, page)| {
                let text = page.map_or_else(|| record.text.clone(), |page| page.text);
                (record, text)
            });
            match page {
                Ok((record, text)) => {
                    let group = reading.group_by.group(input, || record.host());
                    let id = record
                        .id
                        .clone()
                        .unwrap_or_else(|| format!("{}:{}", path.display(), position.value()));
                    visit(&group, &id, &text);
                }
                Err(err) => errors.push((format!("{}:{position}", input.display_name()), err.to_string())),
            }
        }
        return Ok(errors);
    }
    let bytes = read_input(input, reading.max_doc_bytes).map_err(|err| err.to_string())?;
    read(bytes.len() as u64);
    let group = text_file_group(input, reading.group_by);
    let text = if reading.format.is_html(input) {
        // Learned from the text cleaning reads from the page.
        Cow::Owned(read_html(&bytes).map_err(|err| err.to_string())?.text)
    } else {
        String::from_utf8_lossy(&bytes)
    };
    visit(&group, &relative.display().to_string(), &text);
    Ok(errors)
}

/// The site a text file is learned for: its first folder under the folder given, or, for a
/// file directly in that folder (or named directly), the name of the folder it is in. So
/// learning each site's folder on its own (`pare learn scraped/gazette`) names the group after
/// the site, and merging such counts keeps the sites apart; applying the profile finds the
/// group by that folder name (`run::document::file_group`).
fn text_file_group(input: &Input, group_by: GroupBy) -> String {
    let group = group_by.group(input, || None);
    if group != UNGROUPED || !matches!(group_by, GroupBy::Auto | GroupBy::Dir) {
        return group;
    }
    let Input::File { path, .. } = input else {
        return group;
    };
    let full = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
    (full.parent().and_then(|folder| folder.file_name()))
        .map_or(group, |name| name.to_string_lossy().into_owned())
}
