//! Whitespace and Unicode normalisation: the first transformation every document goes through.
//!
//! [`normalize`] is a pure function from text to text. Every step is idempotent, so
//! `normalize(&normalize(x)) == normalize(x)`:
//!
//! 1. CRLF and lone CR become LF.
//! 2. Tab, NBSP and the other Unicode space separators become an ASCII space; zero-width
//!    spaces, word joiners, BOMs, soft hyphens and control characters other than LF are removed.
//!    ZWJ and ZWNJ are kept: they carry meaning in several scripts and in emoji.
//! 3. Unicode NFC.
//! 4. Runs of spaces become one space and each line is trimmed.
//! 5. Runs of blank lines become one blank line, leading blank lines go, and the text ends with
//!    exactly one newline (or is empty).

use std::borrow::Cow;
use std::sync::LazyLock;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// What one character becomes before NFC.
enum CharAction {
    Keep,
    Space,
    Remove,
}

fn classify(c: char) -> CharAction {
    match c {
        '\n' => CharAction::Keep,
        '\t' | '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
            CharAction::Space
        }
        '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}' => CharAction::Remove,
        c if c.is_control() => CharAction::Remove,
        // Line and paragraph separators end a line in every sense but the byte one.
        '\u{2028}' | '\u{2029}' => CharAction::Space,
        _ => CharAction::Keep,
    }
}

/// True when a byte needs more than copying: it starts a multi-byte character, or it is a
/// control byte other than LF.
fn needs_char_pass(byte: u8) -> bool {
    byte >= 0x80 || (byte < 0x20 && byte != b'\n') || byte == 0x7F
}

/// The first byte at or after `from` for which `wanted` holds. Bytes are tested a block at a
/// time, which the compiler turns into vector instructions: most text has long runs of plain
/// bytes.
fn first_byte_where(bytes: &[u8], from: usize, wanted: impl Fn(u8) -> bool) -> Option<usize> {
    const BLOCK: usize = 32;
    let mut at = from;
    for block in bytes[from..].chunks_exact(BLOCK) {
        if block.iter().fold(false, |any, &byte| any | wanted(byte)) {
            break;
        }
        at += BLOCK;
    }
    (bytes[at..].iter().position(|&byte| wanted(byte))).map(|offset| at + offset)
}

/// Line endings, special spaces and invisible characters (steps 1 and 2).
fn map_chars(text: &str) -> Cow<'_, str> {
    let Some(first) = first_byte_where(text.as_bytes(), 0, needs_char_pass) else {
        return Cow::Borrowed(text);
    };
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut next = Some(first);
    while let Some(special) = next {
        // Bytes that need nothing are copied a run at a time.
        out.push_str(&text[at..special]);
        let c = text[special..].chars().next().expect("a character starts here");
        at = special + c.len_utf8();
        if c == '\r' {
            out.push('\n');
            if bytes.get(at) == Some(&b'\n') {
                at += 1;
            }
        } else {
            match classify(c) {
                CharAction::Keep => out.push(c),
                CharAction::Space => out.push(' '),
                CharAction::Remove => {}
            }
        }
        next = first_byte_where(bytes, at, needs_char_pass);
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

fn compose(text: Cow<'_, str>) -> Cow<'_, str> {
    if is_nfc(&text) {
        text
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// Whether `text` is in NFC by the quick check. Characters below U+0300 (whose UTF-8 starts
/// below 0xCC) are all in NFC and combine with nothing before them, so only the runs of other
/// characters after them need the check, each on its own.
fn is_nfc(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(start) = first_byte_where(bytes, at, |byte| byte >= 0xCC) {
        let end = first_byte_where(bytes, start, |byte| byte < 0x80).unwrap_or(bytes.len());
        if is_nfc_quick(text[start..end].chars()) != IsNormalized::Yes {
            return false;
        }
        at = end;
    }
    true
}

/// Collapses runs of spaces inside a line that is already trimmed, appending it to `out`.
fn push_collapsed(out: &mut String, line: &str) {
    let mut rest = line;
    static DOUBLE_SPACE: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"  "));
    while let Some(pos) = DOUBLE_SPACE.find(rest.as_bytes()) {
        out.push_str(&rest[..=pos]);
        rest = rest[pos..].trim_start_matches(' ');
    }
    out.push_str(rest);
}

/// Spaces, trimming and blank lines (steps 4 and 5).
fn layout(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1);
    let mut pending_blank = false;
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    for end in ends {
        let line = text[start..end].trim_matches(' ');
        start = end + 1;
        if line.is_empty() {
            pending_blank = !out.is_empty();
            continue;
        }
        if pending_blank {
            out.push('\n');
            pending_blank = false;
        }
        push_collapsed(&mut out, line);
        out.push('\n');
    }
    out
}

/// Normalises whitespace and Unicode in a whole document.
///
/// ```
/// assert_eq!(pare_text::normalize("\u{FEFF}Title\r\n\r\n\r\nBody\u{A0} text\t\r\n"), "Title\n\nBody text\n");
/// ```
pub fn normalize(text: &str) -> String {
    layout(&compose(map_chars(text)))
}

/// Normalises a single line the way [`normalize`] would inside a document, without the line
/// break. Used to relate lines of a raw document to lines of its normalised form.
pub fn normalize_line(line: &str) -> String {
    let mut text = normalize(line);
    if text.ends_with('\n') {
        text.pop();
    }
    text.replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_become_lf() {
        assert_eq!(normalize("a\r\nb\rc\n"), "a\nb\nc\n");
        assert_eq!(normalize("a\r\r\nb"), "a\n\nb\n");
    }

    #[test]
    fn special_spaces_become_one_ascii_space() {
        let text = "a\u{A0}\u{2003}b\tc\u{3000}d\u{202F}e\u{205F}f\u{1680}g";
        assert_eq!(normalize(text), "a b c d e f g\n");
    }

    #[test]
    fn invisible_characters_are_removed_but_joiners_stay() {
        assert_eq!(
            normalize("co\u{AD}op\u{200B}er\u{2060}ate\u{FEFF}"),
            "cooperate\n"
        );
        assert_eq!(normalize("a\u{0007}b\u{0085}c\u{7F}d"), "abcd\n");
        assert_eq!(
            normalize("می\u{200C}خواهم 👩\u{200D}💻"),
            "می\u{200C}خواهم 👩\u{200D}💻\n"
        );
    }

    #[test]
    fn text_is_composed_to_nfc() {
        assert_eq!(normalize("Cafe\u{301}"), "Caf\u{E9}\n");
    }

    #[test]
    fn characters_far_into_a_long_line_are_mapped_and_composed() {
        // Past the first blocks of plain bytes, and between runs of them.
        let plain = "x".repeat(100);
        let text = format!("{plain}\u{A0}{plain}“Cafe\u{301}”{plain}\u{200B}{plain}e\u{301}");
        let expected = format!("{plain} {plain}“Caf\u{E9}”{plain}{plain}\u{E9}\n");
        assert_eq!(normalize(&text), expected);
    }

    #[test]
    fn lines_are_trimmed_and_blank_runs_collapse() {
        assert_eq!(normalize("\n\n  a   b  \n \n\t\n\n c \n\n\n"), "a b\n\nc\n");
    }

    #[test]
    fn empty_and_blank_inputs_become_empty() {
        assert_eq!(normalize(""), "");
        assert_eq!(normalize(" \r\n\t\u{A0}\n"), "");
    }

    #[test]
    fn normalising_twice_changes_nothing() {
        let once = normalize("\u{FEFF} x\u{A0}\u{A0}y \r\n\r\n\r\n\u{200B}\n z\u{301}\t");
        assert_eq!(normalize(&once), once);
    }

    #[test]
    fn single_line_normalisation_matches_the_document_one() {
        assert_eq!(normalize_line("  Share\u{A0}this\t \r"), "Share this");
    }
}
