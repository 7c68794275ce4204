//! JSONL records: finding the text field of one JSON object per line, and splicing the cleaned
//! text back in. Only the field's value changes; every other byte of the line, key order and
//! escapes included, is written back exactly as it was read.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

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
    /// The decoded value of the text field.
    pub text: String,
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

/// The host of an address, lower-cased, without a leading `www.`.
pub fn url_host(address: &str) -> Option<String> {
    let host = url::Url::parse(address).ok()?.host_str()?.to_ascii_lowercase();
    Some(host.strip_prefix("www.").map(str::to_string).unwrap_or(host))
}

/// Finds the value of `field` (and of `id`) in a top-level JSON object without building the
/// rest of it.
struct FieldFinder<'f> {
    field: &'f str,
}

/// The raw values of the text, id and url fields.
type Found<'de> = (
    Option<&'de RawValue>,
    Option<&'de RawValue>,
    Option<&'de RawValue>,
);

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
        let (mut text, mut id, mut url) = (None, None, None);
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if key == self.field {
                text = Some(map.next_value()?);
            } else if key == "id" {
                id = Some(map.next_value()?);
            } else if key == "url" {
                url = Some(map.next_value()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok((text, id, url))
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
        let line = std::str::from_utf8(line).map_err(|err| RecordError::InvalidUtf8(err.valid_up_to()))?;
        let mut deserializer = serde_json::Deserializer::from_str(line);
        let (text, id, url) = FieldFinder { field }
            .deserialize(&mut deserializer)
            .and_then(|found| deserializer.end().map(|()| found))
            .map_err(|err| RecordError::InvalidJson(json_error(&err)))?;
        let raw = text.ok_or_else(|| RecordError::MissingField(field.to_string()))?;
        let value = raw.get();
        let text: String =
            serde_json::from_str(value).map_err(|_| RecordError::NotAString(field.to_string()))?;
        let start = value.as_ptr() as usize - line.as_ptr() as usize;
        let id = id.and_then(|raw| match serde_json::from_str::<serde_json::Value>(raw.get()) {
            Ok(serde_json::Value::String(id)) => Some(id),
            Ok(serde_json::Value::Number(id)) => Some(id.to_string()),
            _ => None,
        });
        let url = url.and_then(|raw| serde_json::from_str::<String>(raw.get()).ok());
        Ok(Record {
            line,
            value: start..start + value.len(),
            text,
            id,
            url,
        })
    }

    /// Where the text field's JSON value (quotes included) sits in the line, in bytes.
    pub fn value_span(&self) -> Range<usize> {
        self.value.clone()
    }

    /// The line with the text field's value replaced by `cleaned`, appended to `out`.
    pub fn splice_into(&self, cleaned: &str, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.line.as_bytes()[..self.value.start]);
        serde_json::to_writer(&mut *out, cleaned).expect("writing to a Vec cannot fail");
        out.extend_from_slice(&self.line.as_bytes()[self.value.end..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn the_url_host_names_the_site() {
        let record = Record::parse(
            br#"{"url":"https://WWW.Example.test:8080/a/b","text":"x"}"#,
            "text",
        )
        .unwrap();
        assert_eq!(record.host().as_deref(), Some("example.test"));
        assert_eq!(url_host("not a url"), None);
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
