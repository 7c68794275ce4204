//! One JSONL record read (parsed, its page read when records carry pages) and cleaned (its
//! text cleaned, the line spliced back: [`json`]). The command line's JSONL runs, learning and
//! the Python module's `clean_records` all read records here, so they cannot drift apart.

pub mod json;

pub use json::{Record, RecordError};

use crate::clean::{Cleaned, Cleaner};
use crate::html::{read_html_str, HtmlError, HtmlText};

/// Which fields of a record hold its text and, when records carry pages, its page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFields {
    /// The field holding the text (`--field`): read, or written from the page.
    pub text: String,
    /// The field holding a page's HTML (`--html-field`), when records carry pages: their text
    /// is read from it and written to the text field.
    pub html: Option<String>,
}

impl Default for RecordFields {
    /// Text in `text`, no page.
    fn default() -> RecordFields {
        RecordFields {
            text: "text".to_string(),
            html: None,
        }
    }
}

/// Why a line is not a record that can be cleaned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordFailure {
    /// The line is not a record with the fields asked for.
    #[error(transparent)]
    Record(#[from] RecordError),
    /// The record's page cannot be read.
    #[error(transparent)]
    Page(#[from] HtmlError),
}

/// A record and what cleaning made of it.
#[derive(Debug)]
pub struct CleanedRecord<'a> {
    /// The record as read.
    pub record: Record<'a>,
    /// Its page, when records carry pages.
    pub page: Option<HtmlText>,
    /// Its cleaned text.
    pub cleaned: Cleaned,
}

/// The record on one line (`content`, without its newline) as `fields` says where its text
/// (or page) is, and its page read when records carry pages. Cleaning and learning read
/// records here alike.
pub fn read_record<'a>(
    content: &'a [u8],
    fields: &RecordFields,
) -> Result<(Record<'a>, Option<HtmlText>), RecordFailure> {
    let record = match &fields.html {
        Some(html_field) => Record::parse_page(content, &fields.text, html_field),
        None => Record::parse(content, &fields.text),
    }?;
    let page = record.html.as_deref().map(read_html_str).transpose()?;
    Ok((record, page))
}

impl CleanedRecord<'_> {
    /// The text the cleaned text is compared with: the page's text, or the record's.
    pub fn original(&self) -> &str {
        self.page.as_ref().map_or(&self.record.text, |page| &page.text)
    }

    /// Whether the record's line changes: its text field gets another value, or is added.
    pub fn changed(&self) -> bool {
        self.cleaned.text() != self.record.text || self.record.adds_field()
    }

    /// The line with the cleaned text in its text field, appended to `out` (without a newline).
    pub fn splice_into(&self, out: &mut Vec<u8>) {
        self.record.splice_into(self.cleaned.text(), out);
    }
}

/// Cleans the record on one line (`content`, without its newline) as `fields` says where its
/// text (or page) is, with the rules of the group `group` names for it.
pub fn clean_record<'a>(
    content: &'a [u8],
    fields: &RecordFields,
    cleaner: &Cleaner,
    group: impl FnOnce(&Record<'a>) -> Option<String>,
) -> Result<CleanedRecord<'a>, RecordFailure> {
    let (record, page) = read_record(content, fields)?;
    let group = group(&record);
    let cleaned = match &page {
        Some(page) => cleaner.clean_page(page, group.as_deref()),
        None => cleaner.clean_in(&record.text, group.as_deref()),
    };
    Ok(CleanedRecord {
        record,
        page,
        cleaned,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    fn fields(html_field: Option<&str>) -> RecordFields {
        RecordFields {
            html: html_field.map(str::to_string),
            ..RecordFields::default()
        }
    }

    #[test]
    fn a_record_s_page_or_text_is_cleaned_and_a_bad_one_says_why() {
        let cleaner = Cleaner::new(RuleSet::default_rules());
        let clean = |line: &str, html_field| {
            clean_record(line.as_bytes(), &fields(html_field), &cleaner, |_| None).map(|done| {
                let mut out = Vec::new();
                done.splice_into(&mut out);
                (String::from_utf8(out).unwrap(), done.changed())
            })
        };
        assert_eq!(
            clean(r#"{"text":"Share\nBody."}"#, None),
            Ok((r#"{"text":"Body.\n"}"#.to_string(), true))
        );
        assert_eq!(
            clean(r#"{"html":"<p>Body.</p>"}"#, Some("html")),
            Ok((r#"{"html":"<p>Body.</p>","text":"Body.\n"}"#.to_string(), true)),
            "the text field is added: the line changes"
        );
        assert_eq!(
            clean(r#"{"text":"x"}"#, Some("html")),
            Err(RecordFailure::Record(RecordError::MissingField("html".into())))
        );
        let deep = format!(r#"{{"html":"{}"}}"#, "<div>".repeat(6_000));
        assert!(matches!(
            clean(&deep, Some("html")),
            Err(RecordFailure::Page(HtmlError::TooDeep(_)))
        ));
    }
}
