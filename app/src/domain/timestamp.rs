//! Instants as the database and the audit hash see them: UTC, truncated to
//! microseconds (PostgreSQL keeps no more), written fixed-width so that the
//! text sorts like the time.

use serde::{Deserialize, Serialize};
use std::fmt;
use time::{format_description::FormatItem, macros::format_description, OffsetDateTime, UtcOffset};

const FORMAT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    pub fn new(at: OffsetDateTime) -> Self {
        let utc = at.to_offset(UtcOffset::UTC);
        let micros = utc.microsecond();
        Timestamp(utc.replace_microsecond(micros).unwrap_or(utc))
    }

    pub fn parse(text: &str) -> Result<Self, time::error::Parse> {
        let parsed = time::PrimitiveDateTime::parse(text, FORMAT)
            .map(|t| t.assume_utc())
            .or_else(|_| {
                OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
            })?;
        Ok(Timestamp::new(parsed))
    }

    pub fn as_datetime(self) -> OffsetDateTime {
        self.0
    }

    pub fn unix_seconds(self) -> i64 {
        self.0.unix_timestamp()
    }

    /// "2026-11-25 19:52 UTC": for people.
    pub fn display_minutes(self) -> String {
        let t = self.0;
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02} UTC",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute()
        )
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The format has no fallible parts for years 0..=9999.
        let text = self.0.format(FORMAT).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

impl From<Timestamp> for String {
    fn from(t: Timestamp) -> String {
        t.to_string()
    }
}

impl TryFrom<String> for Timestamp {
    type Error = time::error::Parse;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Timestamp::parse(&s)
    }
}

impl std::ops::Sub<time::Duration> for Timestamp {
    type Output = Timestamp;
    fn sub(self, d: time::Duration) -> Timestamp {
        Timestamp(self.0 - d)
    }
}

impl std::ops::Add<time::Duration> for Timestamp {
    type Output = Timestamp;
    fn add(self, d: time::Duration) -> Timestamp {
        Timestamp(self.0 + d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn text_is_fixed_width_with_microseconds() {
        let t = Timestamp::new(datetime!(2026-01-02 03:04:05.120 UTC));
        assert_eq!(t.to_string(), "2026-01-02T03:04:05.120000Z");
    }

    #[test]
    fn nanoseconds_are_truncated_and_offsets_normalised() {
        let t = Timestamp::new(datetime!(2026-01-02 05:04:05.123456789 +2));
        assert_eq!(t.to_string(), "2026-01-02T03:04:05.123456Z");
    }

    #[test]
    fn text_round_trips() {
        let t = Timestamp::new(datetime!(2026-11-25 19:52:09.5 UTC));
        assert_eq!(Timestamp::parse(&t.to_string()).ok(), Some(t));
    }

    #[test]
    fn text_order_is_time_order() {
        let a = Timestamp::new(datetime!(2026-01-02 03:04:05.1 UTC));
        let b = Timestamp::new(datetime!(2026-01-02 03:04:05.01 UTC));
        assert!(b < a);
        assert!(b.to_string() < a.to_string());
    }
}

/// A calendar day typed in a form (`2026-11-25`), as the instant it starts
/// (UTC); `field` names the input in the error.
pub fn parse_day(field: &str, text: &str) -> Result<Timestamp, crate::domain::field::FieldError> {
    parse_date(field, text).map(|d| Timestamp::new(d.midnight().assume_utc()))
}

/// A calendar day written `2026-11-25`; `field` names the input in the
/// error.
pub fn parse_date(field: &str, text: &str) -> Result<time::Date, crate::domain::field::FieldError> {
    time::Date::parse(text.trim(), format_description!("[year]-[month]-[day]"))
        .map_err(|_| crate::domain::field::FieldError::new(field, "must be a date like 2026-11-25"))
}

/// A calendar day as [`parse_date`] reads it.
pub fn format_date(date: time::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

#[cfg(test)]
mod day_tests {
    use super::*;

    #[test]
    fn days_start_at_midnight_utc() {
        assert_eq!(
            parse_day("from", "2026-11-25").map(|t| t.to_string()),
            Ok("2026-11-25T00:00:00.000000Z".into())
        );
    }

    #[test]
    fn bad_days_name_the_field() {
        assert_eq!(
            parse_day("to", "25/11/2026").map_err(|e| e.field),
            Err("to".into())
        );
    }
}
