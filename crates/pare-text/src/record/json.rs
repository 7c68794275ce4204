//! One JSONL record: finding the text field of one JSON object per line (and, for records that
//! carry a page, its HTML field), and splicing the cleaned text back in. Only the text field's
//! value changes, or the field is added at the end of the object; every other byte of the line,
//! key order and escapes included, is written back exactly as it was read.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::site::url_host;

/// Why a line is not a usable record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// The line is not valid UTF-8.
    #[error("invalid UTF-8 at byte {0} of the line")]
    InvalidUtf8(usize),
    /// The line is not one JSON object.
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    /// The object has no such field.
    #[error("no field `{0}`")]
    MissingField(String),
    /// The field is there but is not a string.
    #[error("field `{0}` is not a string")]
    NotAString(String),
}

/// A JSON error within one line: the parser's message, placed by column alone (the line is the
/// record's, named by whoever shows the error).
fn json_error(err: &serde_json::Error) -> String {
    let message = err.to_string();
    let message = message
        .rfind(" at line ")
        .map_or(&message[..], |at| &message[..at]);
    match err.column() {
        0 => message.to_string(),
        column => format!("{message} at column {column}"),
    }
}

/// A parsed record: the line, where its text field's JSON value sits, and the decoded text.
#[derive(Debug)]
pub struct Record<'a> {
    line: &'a str,
    value: Range<usize>,
    /// The text field's name when the record has none: it is added, at `value` (the object's
    /// closing brace).
    added_field: Option<String>,
    /// The decoded value of the text field (empty when the record has none).
    pub text: String,
    /// The decoded value of the HTML field, when one was asked for.
    pub html: Option<String>,
    /// The record's `id` field, when it is a string or a number (for the removal ledger).
    pub id: Option<String>,
    /// The record's `url` field, when it is a string (its host groups records by site).
    pub url: Option<String>,
}

impl Record<'_> {
    /// The host of the record's `url`: the group (site) a record belongs to.
    pub fn host(&self) -> Option<String> {
        url_host(self.url.as_deref()?)
    }
}

/// Finds the value of `field` (and of `id`) in a top-level JSON object without building the
/// rest of it.
struct FieldFinder<'f> {
    field: &'f str,
    html_field: Option<&'f str>,
}

/// The raw values of the text, HTML, id and url fields.
#[derive(Default)]
struct Found<'de> {
    text: Option<&'de RawValue>,
    html: Option<&'de RawValue>,
    id: Option<&'de RawValue>,
    url: Option<&'de RawValue>,
}

impl<'de> DeserializeSeed<'de> for FieldFinder<'_> {
    type Value = Found<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FieldFinder<'_> {
    type Value = Found<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = Found::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if key == self.field {
                found.text = Some(map.next_value()?);
            } else if self.html_field == Some(&*key) {
                found.html = Some(map.next_value()?);
            } else if key == "id" {
                found.id = Some(map.next_value()?);
            } else if key == "url" {
                found.url = Some(map.next_value()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// Reads an object key, borrowing it when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a string key")
    }

    fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(key))
    }

    fn visit_str<E>(self, key: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key.to_string()))
    }
}

impl<'a> Record<'a> {
    /// Parses one line (without its `\n`) as a record whose text is in `field`.
    pub fn parse(line: &'a [u8], field: &str) -> Result<Record<'a>, RecordError> {
        Record::parse_with(line, field, None)
    }

    /// Parses one line (without its `\n`) as a record whose page is in `html_field`; its text
    /// goes to `field`, which is added when the record has none.
    pub fn parse_page(line: &'a [u8], field: &str, html_field: &str) -> Result<Record<'a>, RecordError> {
        Record::parse_with(line, field, Some(html_field))
    }

    fn parse_with(line: &'a [u8], field: &str, html_field: Option<&str>) -> Result<Record<'a>, RecordError> {
        let line = std::str::from_utf8(line).map_err(|err| RecordError::InvalidUtf8(err.valid_up_to()))?;
        let mut deserializer = serde_json::Deserializer::from_str(line);
        let found = FieldFinder { field, html_field }
            .deserialize(&mut deserializer)
            .and_then(|found| deserializer.end().map(|()| found))
            .map_err(|err| RecordError::InvalidJson(json_error(&err)))?;
        let string = |raw: &RawValue, name: &str| {
            serde_json::from_str::<String>(raw.get()).map_err(|_| RecordError::NotAString(name.to_string()))
        };
        let html = match (html_field, found.html) {
            (Some(name), Some(raw)) => Some(string(raw, name)?),
            (Some(name), None) => return Err(RecordError::MissingField(name.to_string())),
            (None, _) => None,
        };
        let (value, text, added_field) = match found.text {
            Some(raw) => {
                let start = raw.get().as_ptr() as usize - line.as_ptr() as usize;
                (start..start + raw.get().len(), string(raw, field)?, None)
            }
            None if html.is_some() => {
                // The object is whole, so its last byte that is not white space is its brace.
                let brace = line.trim_end().len() - 1;
                (brace..brace, String::new(), Some(field.to_string()))
            }
            None => return Err(RecordError::MissingField(field.to_string())),
        };
        let id = found
            .id
            .and_then(|raw| match serde_json::from_str::<serde_json::Value>(raw.get()) {
                Ok(serde_json::Value::String(id)) => Some(id),
                Ok(serde_json::Value::Number(id)) => Some(id.to_string()),
                _ => None,
            });
        let url = found
            .url
            .and_then(|raw| serde_json::from_str::<String>(raw.get()).ok());
        Ok(Record {
            line,
            value,
            added_field,
            text,
            html,
            id,
            url,
        })
    }

    /// Whether the text field is added (the record had none).
    pub fn adds_field(&self) -> bool {
        self.added_field.is_some()
    }

    /// Where the text field's JSON value (quotes included) sits in the line, in bytes.
    pub fn value_span(&self) -> Range<usize> {
        self.value.clone()
    }

    /// The line with the text field's value replaced by `cleaned` (or the field added, with
    /// that value), appended to `out`.
    pub fn splice_into(&self, cleaned: &str, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.line.as_bytes()[..self.value.start]);
        if let Some(field) = &self.added_field {
            // After the object's last member (it has one: the HTML field).
            out.push(b',');
            serde_json::to_writer(&mut *out, field).expect("writing to a Vec cannot fail");
            out.push(b':');
        }
        serde_json::to_writer(&mut *out, cleaned).expect("writing to a Vec cannot fail");
        out.extend_from_slice(&self.line.as_bytes()[self.value.end..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_record_gets_its_text_field_replaced_or_added() {
        let splice = |line: &str| {
            let record = Record::parse_page(line.as_bytes(), "text", "html").unwrap();
            assert_eq!(record.html.as_deref(), Some("<p>x</p>"));
            let mut out = Vec::new();
            record.splice_into("clean", &mut out);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(
            splice(r#"{"html":"<p>x</p>","text":"old","id":1}"#),
            r#"{"html":"<p>x</p>","text":"clean","id":1}"#
        );
        assert_eq!(
            splice(r#"{"id":1,"html":"<p>x</p>"} "#),
            r#"{"id":1,"html":"<p>x</p>","text":"clean"} "#
        );
        let parse = |line: &str| Record::parse_page(line.as_bytes(), "text", "html").unwrap_err();
        assert_eq!(parse(r#"{"text":"t"}"#), RecordError::MissingField("html".into()));
        assert_eq!(parse(r#"{"html":3}"#), RecordError::NotAString("html".into()));
    }

    fn splice(line: &str, cleaned: &str) -> String {
        let record = Record::parse(line.as_bytes(), "text").unwrap();
        let mut out = Vec::new();
        record.splice_into(cleaned, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn only_the_text_value_changes() {
        let line = r#"{"url":"https://x.test/a?b=1&c=\u0026", "text": "Share\nBody", "n": 1.50, "id":"k"}"#;
        let record = Record::parse(line.as_bytes(), "text").unwrap();
        assert_eq!(record.text, "Share\nBody");
        assert_eq!(record.id.as_deref(), Some("k"));
        assert_eq!(
            splice(line, "Body\n"),
            r#"{"url":"https://x.test/a?b=1&c=\u0026", "text": "Body\n", "n": 1.50, "id":"k"}"#
        );
    }

    #[test]
    fn escapes_decode_to_the_same_string() {
        let record = Record::parse(br#"{"text":"caf\u00e9 \ud83d\ude00 \"q\""}"#, "text").unwrap();
        assert_eq!(record.text, "café 😀 \"q\"");
    }

    #[test]
    fn nested_fields_of_the_same_name_are_not_taken() {
        let record = Record::parse(br#"{"meta":{"text":"no"},"text":"yes"}"#, "text").unwrap();
        assert_eq!(record.text, "yes");
    }

    #[test]
    fn bad_records_say_what_is_wrong() {
        let parse = |line: &[u8]| Record::parse(line, "text").unwrap_err();
        assert!(matches!(parse(b"{\"text\": \"a\""), RecordError::InvalidJson(_)));
        assert!(matches!(parse(b"[1, 2]"), RecordError::InvalidJson(_)));
        assert!(matches!(
            parse(b"{\"text\": \"a\"} x"),
            RecordError::InvalidJson(_)
        ));
        assert_eq!(
            parse(b"{\"body\": \"a\"}"),
            RecordError::MissingField("text".into())
        );
        assert_eq!(parse(b"{\"text\": 3}"), RecordError::NotAString("text".into()));
        assert_eq!(parse(b"{\"text\": \"\xff\"}"), RecordError::InvalidUtf8(10));
    }
}
