//! One JSONL record cleaned: parsed, its page read when records carry pages (`--html-field`),
//! its text cleaned, and the line spliced back. The command line's JSONL runs and the Python
//! module's `clean_records` both clean records here, so they cannot drift apart.

use crate::input::jsonl::Record;
use crate::input::reading::Reading;
use crate::text::clean::{Cleaned, Cleaner};
use crate::text::html::{read_html_str, HtmlText};

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

/// Cleans the record on one line (`content`, without its newline) as `reading` says where its
/// text (or page) is, with the rules of the group `group` names for it. `Err` says why the line
/// is not a usable record.
pub fn clean_record<'a>(
    content: &'a [u8],
    reading: &Reading,
    cleaner: &Cleaner,
    group: impl FnOnce(&Record<'a>) -> Option<String>,
) -> Result<CleanedRecord<'a>, String> {
    let record = match &reading.html_field {
        Some(html_field) => Record::parse_page(content, &reading.field, html_field),
        None => Record::parse(content, &reading.field),
    }
    .map_err(|err| err.to_string())?;
    let page = (record.html.as_deref())
        .map(read_html_str)
        .transpose()
        .map_err(|err| err.to_string())?;
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
