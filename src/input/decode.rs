//! Turning the bytes of an input into text: reading a document or a JSONL line under the size
//! limit, UTF-8 validation, BOM removal, and sniffing binary data and HTML.

use std::borrow::Cow;
use std::io::{self, BufRead, Read};

/// Whether a bounded read got the whole document or line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bounded {
    /// All of it is in the buffer.
    Whole,
    /// It is longer than the limit: the buffer holds the first `limit + 1` bytes and the rest
    /// is still unread.
    TooLarge,
}

/// Reads what is left of `reader` into `buf`, holding at most `limit + 1` bytes.
pub fn read_document(reader: impl Read, limit: u64, buf: &mut Vec<u8>) -> io::Result<Bounded> {
    reader.take(limit.saturating_add(1)).read_to_end(buf)?;
    Ok(fits(buf.len(), limit))
}

/// Reads one line (with its newline, if any) onto the end of `buf`, taking at most
/// `limit + 1` bytes of it; returns how many bytes that was (none at the end of the input) and
/// whether they are the whole line.
pub fn read_line(reader: &mut impl BufRead, limit: u64, buf: &mut Vec<u8>) -> io::Result<(usize, Bounded)> {
    let read = reader.take(limit.saturating_add(1)).read_until(b'\n', buf)?;
    Ok((read, fits(read, limit)))
}

fn fits(len: usize, limit: u64) -> Bounded {
    if len as u64 > limit {
        Bounded::TooLarge
    } else {
        Bounded::Whole
    }
}

/// The error for a document over the size limit.
pub fn too_large(limit: u64) -> String {
    format!("document larger than --max-doc-bytes ({limit} bytes); raise the limit to clean it")
}

/// How many leading bytes are searched for a NUL byte to call a file binary.
pub const BINARY_SNIFF_LEN: usize = 8 * 1024;

/// What a sequence of input bytes turned out to be.
#[derive(Debug)]
pub enum Decoded<'a> {
    /// Text, without a leading byte-order mark.
    Text(Cow<'a, str>),
    /// A NUL byte near the start: the input is not text and is skipped.
    Binary,
}

/// The input is not valid UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid UTF-8 at byte offset {offset} (--lossy replaces bad bytes with U+FFFD)")]
pub struct InvalidUtf8 {
    /// Offset of the first invalid byte, counted from the start of the input (BOM included).
    pub offset: usize,
}

/// Decodes input bytes as UTF-8. With `lossy`, invalid sequences become U+FFFD instead of an
/// error.
pub fn decode(bytes: &[u8], lossy: bool) -> Result<Decoded<'_>, InvalidUtf8> {
    let sniff = &bytes[..bytes.len().min(BINARY_SNIFF_LEN)];
    if memchr::memchr(0, sniff).is_some() {
        return Ok(Decoded::Binary);
    }
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let (skipped, body) = match bytes.strip_prefix(BOM) {
        Some(rest) => (BOM.len(), rest),
        None => (0, bytes),
    };
    match std::str::from_utf8(body) {
        Ok(text) => Ok(Decoded::Text(Cow::Borrowed(text))),
        Err(_) if lossy => Ok(Decoded::Text(String::from_utf8_lossy(body))),
        Err(err) => Err(InvalidUtf8 {
            offset: skipped + err.valid_up_to(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_reads_stop_past_the_limit_even_at_the_largest_limit() {
        let mut buf = Vec::new();
        assert_eq!(
            read_document(&b"12345"[..], 4, &mut buf).unwrap(),
            Bounded::TooLarge
        );
        assert_eq!(buf, b"12345");
        buf.clear();
        assert_eq!(read_document(&b"1234"[..], 4, &mut buf).unwrap(), Bounded::Whole);
        buf.clear();
        // `limit + 1` would overflow here: the read must still take everything.
        assert_eq!(
            read_document(&b"abc"[..], u64::MAX, &mut buf).unwrap(),
            Bounded::Whole
        );
        assert_eq!(buf, b"abc");
        let mut lines = &b"one\ntoo long\nx"[..];
        buf.clear();
        assert_eq!(read_line(&mut lines, 4, &mut buf).unwrap(), (4, Bounded::Whole));
        assert_eq!(buf, b"one\n");
        assert_eq!(
            read_line(&mut lines, 4, &mut buf).unwrap(),
            (5, Bounded::TooLarge)
        );
        assert_eq!(buf, b"one\ntoo l", "a line is added after what the buffer held");
        buf.clear();
        assert_eq!(
            read_line(&mut lines, u64::MAX, &mut buf).unwrap(),
            (4, Bounded::Whole)
        );
        assert_eq!(buf, b"ong\n");
        assert_eq!(
            read_line(&mut lines, u64::MAX, &mut buf).unwrap(),
            (1, Bounded::Whole)
        );
        assert_eq!(
            read_line(&mut lines, u64::MAX, &mut buf).unwrap(),
            (0, Bounded::Whole)
        );
    }

    fn text(bytes: &[u8], lossy: bool) -> String {
        match decode(bytes, lossy).unwrap() {
            Decoded::Text(text) => text.into_owned(),
            Decoded::Binary => panic!("decoded as binary"),
        }
    }

    #[test]
    fn leading_bom_is_dropped() {
        assert_eq!(text(b"\xEF\xBB\xBFhello", false), "hello");
    }

    #[test]
    fn invalid_utf8_reports_its_offset_counting_the_bom() {
        assert_eq!(decode(b"ab\xFFcd", false).unwrap_err().offset, 2);
        assert_eq!(decode(b"\xEF\xBB\xBFab\xC3", false).unwrap_err().offset, 5);
    }

    #[test]
    fn lossy_decoding_replaces_invalid_bytes() {
        assert_eq!(text(b"ab\xFFcd", true), "ab\u{FFFD}cd");
    }

    #[test]
    fn nul_near_the_start_means_binary() {
        assert!(matches!(
            decode(b"PK\x03\x04\x00\x00", false),
            Ok(Decoded::Binary)
        ));
        let mut late = vec![b'a'; BINARY_SNIFF_LEN];
        late.push(0);
        assert!(matches!(decode(&late, false), Ok(Decoded::Text(_))));
    }
}

/// Whether `text` is an HTML page rather than a page's text: it opens with a doctype or an
/// `<html>`, `<head>` or `<body>` tag. pare cleans text; a page's markup would be kept as it is.
pub fn looks_like_html(text: &str) -> bool {
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    ["<!doctype html", "<html", "<head", "<body"]
        .iter()
        .any(|opening| {
            (start.as_bytes().get(..opening.len()))
                .is_some_and(|head| head.eq_ignore_ascii_case(opening.as_bytes()))
        })
}

#[cfg(test)]
mod html_tests {
    use super::looks_like_html;

    #[test]
    fn a_page_of_markup_is_told_from_text_about_markup() {
        assert!(looks_like_html("<!DOCTYPE html>\n<html><body>x</body></html>"));
        assert!(looks_like_html("\u{feff}  \n<HTML lang=\"en\">"));
        assert!(looks_like_html("<head><title>x</title></head>"));
        assert!(!looks_like_html("The <html> element is the root of a page.\n"));
        assert!(!looks_like_html("<b>bold</b> is not a page"));
        assert!(!looks_like_html(""));
        assert!(!looks_like_html("<htm"));
        assert!(!looks_like_html("<é"), "a short multibyte start does not panic");
    }
}
