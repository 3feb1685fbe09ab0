//! Action items (SPEC §3): what must change after a drill, a failover or
//! a break-glass, with an owner and a due date, tracked to closure.

use super::timestamp::format_date;
use serde::{Deserialize, Serialize};

named_enum!(ActionStatus, "action item status" {
    Open => "open",
    Done => "done",
});

named_enum!(
    /// What an action item came from.
    ActionSource, "action item source" {
    Failover => "failover",
    Drill => "drill",
});

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionItem {
    pub id: i64,
    pub title: String,
    pub owner: String,
    pub due_on: time::Date,
    pub status: ActionStatus,
    /// What it changes, as a portal path: `/failover/12`, `/runbooks/service/PAY-DB`.
    pub link: String,
    pub source: ActionSource,
    pub source_id: i64,
    /// Whether the change must be proven in the next drill.
    pub retest: bool,
}

impl ActionItem {
    pub fn due_text(&self) -> String {
        format_date(self.due_on)
    }

    pub fn overdue(&self, today: time::Date) -> bool {
        self.status == ActionStatus::Open && self.due_on < today
    }
}

/// Days an admin has to have a break-glass failover reviewed.
pub const BREAK_GLASS_REVIEW_DAYS: i64 = 2;

/// The review a break-glass start calls for (SPEC §5.6).
pub fn break_glass_review(request_id: i64, admin: &str, today: time::Date) -> ActionItem {
    ActionItem {
        id: 0,
        title: format!("Review the break-glass start of failover request {request_id}"),
        owner: admin.to_string(),
        due_on: today + time::Duration::days(BREAK_GLASS_REVIEW_DAYS),
        status: ActionStatus::Open,
        link: format!("/failover/{request_id}"),
        source: ActionSource::Failover,
        source_id: request_id,
        retest: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_break_glass_review_is_due_in_two_days_and_then_overdue() {
        let item = break_glass_review(7, "admin@example.com", date!(2026 - 11 - 25));
        assert_eq!(item.due_text(), "2026-11-27");
        assert_eq!(item.link, "/failover/7");
        assert!(!item.overdue(date!(2026 - 11 - 27)));
        assert!(item.overdue(date!(2026 - 11 - 28)));
    }
}
