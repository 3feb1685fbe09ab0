//! The approval lifecycle that BIAs and runbooks share (SPEC §3, §6.1):
//! versions start as drafts; editing a draft changes it in place, editing
//! an approved version starts the next draft; an approved version is due
//! for review a year after its approval.

use super::timestamp::{format_date, Timestamp};
use serde::{Deserialize, Serialize};

named_enum!(ApprovalStatus, "status" {
    Draft => "draft",
    Approved => "approved",
});

/// How long after approval a record is due for review.
pub const REVIEW_AFTER_DAYS: i64 = 365;

/// Who approved a version and when its review is due.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub by: Option<String>,
    pub at: Option<Timestamp>,
    pub next_review_due: Option<time::Date>,
}

impl Approval {
    /// Approved by `by` at `at`, due for review a year later.
    pub fn given(by: &str, at: Timestamp) -> Approval {
        Approval {
            by: Some(by.to_string()),
            at: Some(at),
            next_review_due: Some(review_due(at)),
        }
    }

    /// "jane@example.com, 2026-11-25 19:52 UTC", or a dash.
    pub fn text(&self) -> String {
        match (&self.by, self.at) {
            (Some(by), Some(at)) => format!("{by}, {}", at.display_minutes()),
            _ => "–".into(),
        }
    }

    /// How its review date reads.
    pub fn review_text(&self) -> String {
        self.next_review_due
            .map(format_date)
            .unwrap_or_else(|| "on approval".into())
    }
}

/// The version number that saving over `latest` (its number and status)
/// writes: the draft itself, or the next version after an approved one.
pub fn next_version(latest: Option<(u32, ApprovalStatus)>) -> u32 {
    match latest {
        Some((version, ApprovalStatus::Draft)) => version,
        Some((version, ApprovalStatus::Approved)) => version + 1,
        None => 1,
    }
}

/// The review date of a version approved at `at`.
pub fn review_due(at: Timestamp) -> time::Date {
    (at + time::Duration::days(REVIEW_AFTER_DAYS))
        .as_datetime()
        .date()
}

/// Whether an approved version's review is overdue on `today`.
pub fn review_overdue(status: ApprovalStatus, due: Option<time::Date>, today: time::Date) -> bool {
    status == ApprovalStatus::Approved && due.is_some_and(|due| due < today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_draft_is_changed_in_place_and_an_approved_version_is_followed() {
        assert_eq!(next_version(None), 1);
        assert_eq!(next_version(Some((3, ApprovalStatus::Draft))), 3);
        assert_eq!(next_version(Some((3, ApprovalStatus::Approved))), 4);
    }

    #[test]
    fn reviews_fall_due_a_year_after_approval() {
        let at = Timestamp::new(datetime!(2026-01-10 09:00 UTC));
        let approval = Approval::given("cm@example.com", at);
        let due = approval.next_review_due.unwrap();
        assert_eq!(due, time::macros::date!(2027 - 01 - 10));
        let approved = ApprovalStatus::Approved;
        assert!(!review_overdue(approved, Some(due), due));
        assert!(review_overdue(approved, Some(due), due.next_day().unwrap()));
        assert!(!review_overdue(
            ApprovalStatus::Draft,
            Some(due),
            due.next_day().unwrap()
        ));
    }
}
