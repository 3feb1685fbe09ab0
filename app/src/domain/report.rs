//! Report exports (SPEC §7): the board report and the audit evidence pack,
//! generated in the background with their progress, and the period an
//! evidence pack covers.

use super::field::{FieldError, FieldErrors};
use super::timestamp::{format_date, parse_date, Timestamp};
use serde::{Deserialize, Serialize};

named_enum!(ReportKind, "report" {
    Board => "board",
    Evidence => "evidence",
});

named_enum!(JobStatus, "job status" {
    Running => "running",
    Done => "done",
    Failed => "failed",
});

impl ReportKind {
    pub fn label(self) -> &'static str {
        match self {
            ReportKind::Board => "Board readiness report",
            ReportKind::Evidence => "Audit evidence pack",
        }
    }
}

/// The days an evidence pack covers, both inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: time::Date,
    pub to: time::Date,
}

/// The longest period one pack covers: enough for a multi-year audit,
/// bounded so one request cannot ask for everything ever.
pub const MAX_PERIOD_DAYS: i64 = 3 * 366;

impl Period {
    /// Reads the form's two dates; every problem names its field.
    pub fn parse(from: &str, to: &str, today: time::Date) -> Result<Period, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let f = e.take(parse_date("from", from));
        let t = e.take(parse_date("to", to));
        if let (Some(f), Some(t)) = (f, t) {
            if t < f {
                e.push(FieldError::new("to", "must not be before from"));
            } else if (t - f).whole_days() >= MAX_PERIOD_DAYS {
                e.push(FieldError::new(
                    "to",
                    format!("the period must be shorter than {MAX_PERIOD_DAYS} days"),
                ));
            }
            if f > today {
                e.push(FieldError::new("from", "must not be in the future"));
            }
        }
        e.finish(|| Some(Period { from: f?, to: t? }))
    }

    /// The calendar quarter before the one `today` is in.
    pub fn last_quarter(today: time::Date) -> Period {
        let q = (u8::from(today.month()) - 1) / 3;
        let (year, q) = if q == 0 {
            (today.year() - 1, 3)
        } else {
            (today.year(), q - 1)
        };
        let month = |m: u8| time::Month::try_from(m).unwrap_or(time::Month::January);
        let from = time::Date::from_calendar_date(year, month(q * 3 + 1), 1).unwrap_or(today);
        let next = if q == 3 {
            time::Date::from_calendar_date(year + 1, time::Month::January, 1)
        } else {
            time::Date::from_calendar_date(year, month(q * 3 + 4), 1)
        }
        .unwrap_or(today);
        Period {
            from,
            to: next.previous_day().unwrap_or(next),
        }
    }

    /// Whether `at` falls on one of its days.
    pub fn contains(&self, at: Timestamp) -> bool {
        let day = at.as_datetime().date();
        self.from <= day && day <= self.to
    }

    /// The instants that bound it: from midnight of `from` to midnight
    /// after `to` (exclusive), UTC.
    pub fn bounds(&self) -> (Timestamp, Timestamp) {
        let start = Timestamp::new(self.from.midnight().assume_utc());
        let end = Timestamp::new(self.to.midnight().assume_utc()) + time::Duration::days(1);
        (start, end)
    }
}

/// One export and how far it got.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportJob {
    pub id: i64,
    pub kind: ReportKind,
    pub user_id: i64,
    pub period: Option<Period>,
    pub status: JobStatus,
    /// Percent done.
    pub progress: u8,
    /// What it is doing now, or did last.
    pub stage: String,
    pub error: Option<String>,
    pub file_name: Option<String>,
    pub sha256: Option<String>,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

/// The name a finished export downloads as.
pub fn file_name(kind: ReportKind, period: Option<Period>, at: Timestamp) -> String {
    match (kind, period) {
        (ReportKind::Evidence, Some(p)) => format!(
            "evidence-{}-to-{}.zip",
            format_date(p.from),
            format_date(p.to)
        ),
        _ => format!("board-report-{}.pdf", format_date(at.as_datetime().date())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn last_quarter_is_the_whole_previous_quarter() {
        let q = Period::last_quarter(date!(2026 - 11 - 26));
        assert_eq!(
            (q.from, q.to),
            (date!(2026 - 07 - 01), date!(2026 - 09 - 30))
        );
        let q = Period::last_quarter(date!(2026 - 02 - 10));
        assert_eq!(
            (q.from, q.to),
            (date!(2025 - 10 - 01), date!(2025 - 12 - 31))
        );
    }

    #[test]
    fn a_period_names_its_bad_fields() {
        let today = date!(2026 - 11 - 26);
        let e = Period::parse("2026-13-01", "", today).unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["from", "to"]);
        let e = Period::parse("2026-10-01", "2026-09-01", today).unwrap_err();
        assert_eq!(e[0].message, "must not be before from");
        let e = Period::parse("2027-01-01", "2027-02-01", today).unwrap_err();
        assert_eq!(e[0].field, "from");
        let p = Period::parse("2026-07-01", "2026-09-30", today).unwrap();
        let (start, end) = p.bounds();
        assert_eq!(start.to_string(), "2026-07-01T00:00:00.000000Z");
        assert!(p.contains(end - time::Duration::seconds(1)));
        assert!(!p.contains(end));
    }

    #[test]
    fn exports_are_named_by_kind_and_period() {
        let at = Timestamp::parse("2026-11-26T10:00:00Z").unwrap();
        assert_eq!(
            file_name(ReportKind::Board, None, at),
            "board-report-2026-11-26.pdf"
        );
        let p = Period::last_quarter(date!(2026 - 11 - 26));
        assert_eq!(
            file_name(ReportKind::Evidence, Some(p), at),
            "evidence-2026-07-01-to-2026-09-30.zip"
        );
    }
}
