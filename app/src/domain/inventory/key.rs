//! Record keys: short human identifiers such as `PAY-API`.

use crate::domain::field::{list_cells, FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use std::fmt;

/// `[A-Z0-9][A-Z0-9_-]{0,31}`, unique per kind of record.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RecordKey(String);

pub const MAX_KEY_LEN: usize = 32;

impl RecordKey {
    /// Parses `raw` for the field `field`; surrounding blanks are ignored,
    /// case is not changed (a lower-case key is an error, not a guess).
    pub fn parse_field(field: &str, raw: &str) -> Result<Self, FieldError> {
        let key = raw.trim();
        let err = |m: String| Err(FieldError::new(field, m));
        let Some(first) = key.chars().next() else {
            return err("is required".into());
        };
        if key.len() > MAX_KEY_LEN {
            return err(format!("must be at most {MAX_KEY_LEN} characters"));
        }
        if !(first.is_ascii_uppercase() || first.is_ascii_digit()) {
            return err(format!("'{key}' must start with A-Z or 0-9"));
        }
        if let Some(bad) = key
            .chars()
            .find(|&c| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '-'))
        {
            return err(format!(
                "'{key}' may contain only A-Z, 0-9, '_' and '-', not '{bad}'"
            ));
        }
        Ok(RecordKey(key.to_string()))
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::parse_field("key", raw)
    }

    /// The key of the record a form edits; empty for a new record.
    pub fn optional(raw: &str) -> Result<Option<Self>, FieldError> {
        match raw.trim() {
            "" => Ok(None),
            key => Self::parse(key).map(Some),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Keys of a `;`-separated list, sorted, each once; every bad one is
/// reported under `field`.
pub fn parse_keys(e: &mut FieldErrors, field: &str, raw: &str) -> Vec<RecordKey> {
    let mut keys: Vec<RecordKey> = list_cells(raw)
        .filter_map(|cell| e.take(RecordKey::parse_field(field, cell)))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Keys as a `;`-separated list.
pub fn join_keys(keys: &[RecordKey]) -> String {
    keys.iter()
        .map(RecordKey::as_str)
        .collect::<Vec<_>>()
        .join(";")
}

impl AsRef<str> for RecordKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RecordKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for RecordKey {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, FieldError> {
        RecordKey::parse(&s)
    }
}

impl From<RecordKey> for String {
    fn from(k: RecordKey) -> String {
        k.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_keys_parse() {
        for key in [
            "PAY-API",
            "A",
            "0",
            "DB_MAIN-2",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345",
        ] {
            assert_eq!(
                RecordKey::parse(key).map(|k| k.to_string()),
                Ok(key.to_string())
            );
        }
        assert_eq!(
            RecordKey::parse("  IDP ").map(|k| k.to_string()),
            Ok("IDP".into())
        );
    }

    #[test]
    fn bad_keys_say_why_and_name_the_field() {
        let cases = [
            ("", "is required"),
            ("pay-api", "must start with"),
            ("-PAY", "must start with"),
            ("PAY API", "not ' '"),
            ("PAY.API", "not '.'"),
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", "at most 32"),
        ];
        for (raw, why) in cases {
            let err = RecordKey::parse_field("primary_site", raw).expect_err(raw);
            assert_eq!(err.field, "primary_site");
            assert!(err.message.contains(why), "{raw}: {}", err.message);
        }
    }

    #[test]
    fn keys_deserialise_through_the_same_check() {
        assert!(serde_json::from_str::<RecordKey>("\"PAY-API\"").is_ok());
        assert!(serde_json::from_str::<RecordKey>("\"pay\"").is_err());
    }
}
