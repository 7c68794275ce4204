//! What cleaning must satisfy for every input, shared by the property tests
//! (`tests/properties.rs`) and the fuzz targets (`fuzz/`), which include this file.

use std::sync::OnceLock;

use pare::input::decode::{decode, Decoded};
use pare::text::detect::markup::LineMarkup;
use pare::text::detect::DetectMode;
use pare::text::record::Record;
use pare::{Cleaner, RuleSet};

/// Default rules plus every built-in profile and the body detector, built once.
pub fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut rules = RuleSet::default_rules();
        for (name, _) in pare::text::rules::builtin_profiles() {
            rules
                .extend(RuleSet::builtin(name).expect("built-in profiles compile"))
                .expect("built-in profiles compile together");
        }
        Cleaner::new(rules).with_detect(DetectMode::Standard)
    })
}

/// True when every output line is a normalised input line, in order; the last output line may
/// instead be a prefix of one (an end mark was stripped from it).
pub fn is_selection_of(output: &str, normalized: &str) -> bool {
    let mut input = normalized.lines().filter(|line| !line.is_empty());
    let kept: Vec<&str> = output.lines().filter(|line| !line.is_empty()).collect();
    kept.iter().enumerate().all(|(index, kept_line)| {
        let last = index + 1 == kept.len();
        input.any(|line| line == *kept_line || (last && line.starts_with(kept_line)))
    })
}

/// Fails with `message` unless `condition` holds.
fn ensure(condition: bool, message: impl FnOnce() -> String) -> Result<(), String> {
    if condition {
        Ok(())
    } else {
        Err(message())
    }
}

/// Any bytes, decoded lossily and cleaned: lossy and strict decoding agree on valid UTF-8,
/// normalising is idempotent, the output invents nothing, every removal points at removed text
/// of one line, and cleaning the output again changes nothing.
pub fn check_cleaning(bytes: &[u8]) -> Result<(), String> {
    let strict = decode(bytes, false);
    let Ok(Decoded::Text(text)) = decode(bytes, true) else {
        return Ok(());
    };
    if let Ok(Decoded::Text(strict)) = strict {
        ensure(strict == text, || "lossy and strict decoding differ".into())?;
    }
    let normalized = pare::normalize(&text);
    ensure(pare::normalize(&normalized) == normalized, || {
        format!("normalising twice changes {normalized:?}")
    })?;
    let once = cleaner().clean(&text);
    ensure(is_selection_of(once.text(), once.normalized()), || {
        format!("{:?} is not a selection of {:?}", once.text(), once.normalized())
    })?;
    check_removals(&once)?;
    let twice = cleaner().clean(once.text());
    ensure(twice.text() == once.text() && twice.removals().is_empty(), || {
        format!("cleaning {:?} again gives {:?}", once.text(), twice.text())
    })
}

/// Any bytes read as an HTML page: reading never panics; the page's text is normalised, with
/// one region and one markup per line; cleaning it gives a selection of its lines whose
/// removals point at what is gone; and cleaning that output again, with the markup of the
/// lines it kept, changes nothing.
pub fn check_html(bytes: &[u8]) -> Result<(), String> {
    let Ok(page) = pare::text::html::read_html(bytes) else {
        return Ok(());
    };
    ensure(pare::normalize(&page.text) == page.text, || {
        format!("the page's text {:?} is not normalised", page.text)
    })?;
    let lines = page.text.lines().count();
    ensure(page.regions.len() == lines && page.markup.len() == lines, || {
        format!(
            "{} regions and {} markups for {lines} lines",
            page.regions.len(),
            page.markup.len()
        )
    })?;
    let once = cleaner().clean_page(&page, None);
    ensure(once.normalized() == page.text, || {
        "the page's text was changed before cleaning".into()
    })?;
    ensure(is_selection_of(once.text(), once.normalized()), || {
        format!("{:?} is not a selection of {:?}", once.text(), once.normalized())
    })?;
    check_removals(&once)?;
    let twice = cleaner().clean_marked(once.text(), None, Some(&kept_markup(&page, &once)));
    ensure(twice.text() == once.text(), || {
        format!("cleaning {:?} again gives {:?}", once.text(), twice.text())
    })
}

/// The markup of the lines of `cleaned`'s output, the lines of `page` it keeps: its blank lines
/// (one for each run the removals left) have none.
fn kept_markup(page: &pare::text::html::HtmlText, cleaned: &pare::Cleaned) -> Vec<LineMarkup> {
    let removed: std::collections::HashSet<usize> = (cleaned.removals().iter())
        .filter(|removal| removal.kind == pare::RemovalKind::Line)
        .map(|removal| removal.line)
        .collect();
    let mut kept = (page.text.lines().zip(&page.markup).enumerate())
        .filter(|(index, (line, _))| !line.is_empty() && !removed.contains(&(index + 1)))
        .map(|(_, (_, markup))| *markup);
    (cleaned.text().lines())
        .map(|line| match line.is_empty() {
            true => LineMarkup::default(),
            false => kept.next().unwrap_or_default(),
        })
        .collect()
}

/// Every removal points at exactly the text that is gone: a line removal spans its whole line
/// of the normalised text (no more, no less), an end-mark removal the end of its line; and the
/// output is exactly the lines no removal took, in order, the last one short of its end mark.
pub fn check_removals(cleaned: &pare::Cleaned) -> Result<(), String> {
    use pare::RemovalKind;
    let normalized = cleaned.normalized();
    let mut starts = vec![0];
    starts.extend(normalized.match_indices('\n').map(|(at, _)| at + 1));
    let line = |number: usize| -> Option<(usize, &str)> {
        let start = *starts.get(number.checked_sub(1)?)?;
        let end = normalized[start..]
            .find('\n')
            .map_or(normalized.len(), |at| start + at);
        Some((start, &normalized[start..end]))
    };
    let mut gone = std::collections::HashSet::new();
    // The line end marks were cut from, and where the cut text starts.
    let mut cut: Option<(usize, usize)> = None;
    let mut suffixes: Vec<&pare::Removal> = cleaned
        .removals()
        .iter()
        .filter(|removal| removal.kind == RemovalKind::Suffix)
        .collect();
    // End marks are cut one after another from the end: each ends where the previous began.
    suffixes.sort_by_key(|removal| std::cmp::Reverse(removal.span.end));
    for removal in cleaned.removals() {
        let Some((start, text)) = line(removal.line) else {
            return Err(format!("removal {removal:?} names no line"));
        };
        let end = start + text.len();
        let exact = match removal.kind {
            RemovalKind::Line => removal.span == (start..end),
            RemovalKind::Suffix => removal.span.start > start && removal.span.end <= end,
        };
        ensure(exact && !text.is_empty(), || {
            format!("removal {removal:?} does not span the text it took from line {text:?}")
        })?;
        if removal.kind == RemovalKind::Line {
            gone.insert(removal.line);
        }
    }
    for removal in suffixes {
        let (line_number, line_end) = match cut {
            Some((line_number, from)) => (line_number, from),
            None => (
                removal.line,
                line(removal.line).map_or(0, |(start, text)| start + text.len()),
            ),
        };
        ensure(
            removal.line == line_number && removal.span.end == line_end,
            || format!("end mark {removal:?} is not cut from the end of what was left of its line"),
        )?;
        ensure(!gone.contains(&removal.line), || {
            format!("end mark {removal:?} is on a removed line")
        })?;
        cut = Some((line_number, removal.span.start));
    }
    let kept: Vec<(usize, &str)> = (1..=starts.len())
        .filter_map(|number| line(number).map(|(_, text)| (number, text)))
        .filter(|(number, text)| !text.is_empty() && !gone.contains(number))
        .collect();
    let output: Vec<&str> = cleaned.text().lines().filter(|text| !text.is_empty()).collect();
    ensure(kept.len() == output.len(), || {
        format!("{} lines kept but {} in the output", kept.len(), output.len())
    })?;
    for (index, ((number, expected), got)) in kept.iter().zip(&output).enumerate() {
        let expected = match cut {
            Some((line_number, from)) if line_number == *number => {
                ensure(index + 1 == kept.len(), || {
                    "an end mark was cut from a line that is not last".into()
                })?;
                let start = line(line_number).map_or(0, |(start, _)| start);
                &normalized[start..from]
            }
            _ => expected,
        };
        ensure(expected == *got, || {
            format!("output line {got:?} is not kept line {expected:?}")
        })?;
    }
    Ok(())
}

/// The record as JSON with the cleaned field taken out (at the top level only).
fn without_text(line: &[u8]) -> Option<serde_json::Value> {
    let mut value: serde_json::Value = serde_json::from_slice(line).ok()?;
    value.as_object_mut()?.remove("text");
    Some(value)
}

/// Any bytes as one JSONL record: parsing never panics, and a record whose text is cleaned and
/// spliced back parses again, holds the cleaned text, and keeps every other field as it was.
pub fn check_record(line: &[u8]) -> Result<(), String> {
    let Ok(record) = Record::parse(line, "text") else {
        return Ok(());
    };
    let cleaned = cleaner().clean(&record.text);
    let mut spliced = Vec::new();
    record.splice_into(cleaned.text(), &mut spliced);
    let again = Record::parse(&spliced, "text").map_err(|err| format!("spliced record: {err}"))?;
    ensure(again.text == cleaned.text(), || {
        "the text is not the cleaned text".into()
    })?;
    ensure(again.id == record.id && again.url == record.url, || {
        "the id or url changed".into()
    })?;
    ensure(without_text(&spliced) == without_text(line), || {
        format!("other fields changed: {}", String::from_utf8_lossy(&spliced))
    })?;
    // Byte for byte: everything around the text's value is the input's, and the value is the
    // cleaned text as one JSON string.
    let span = record.value_span();
    let original: Result<String, _> = serde_json::from_slice(&line[span.clone()]);
    ensure(original.is_ok_and(|text| text == record.text), || {
        "the value span does not hold the text".into()
    })?;
    let (before, after) = (&line[..span.start], &line[span.end..]);
    ensure(
        spliced.len() >= before.len() + after.len()
            && spliced.starts_with(before)
            && spliced.ends_with(after),
        || {
            format!(
                "bytes around the text changed: {}",
                String::from_utf8_lossy(&spliced)
            )
        },
    )?;
    let value: Result<String, _> =
        serde_json::from_slice(&spliced[before.len()..spliced.len() - after.len()]);
    ensure(value.is_ok_and(|text| text == cleaned.text()), || {
        "the spliced value is not the cleaned text".into()
    })
}
