//! Post-mortems (SPEC §3, §6.4): written after every completed drill and
//! real failover, blameless, due 48 hours after the event ended; the
//! timeline starts from what was recorded.

use super::action_item::{ActionItem, ActionSource, ActionStatus};
use super::drill::Drill;
use super::failover::Request;
use super::field::{optional_text, parse_text, FieldError, FieldErrors};
use super::timestamp::{parse_date, Timestamp};
use serde::{Deserialize, Serialize};

/// Hours after the event's end a post-mortem is due.
pub const DUE_HOURS: i64 = 48;

named_enum!(PostMortemStatus, "post-mortem status" {
    Open => "open",
    Published => "published",
});

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostMortem {
    pub id: i64,
    pub source: ActionSource,
    pub source_id: i64,
    pub title: String,
    pub due_at: Timestamp,
    /// Blameless: what happened and what the system allowed, not who.
    pub summary: String,
    pub timeline: String,
    pub contributing_factors: String,
    pub status: PostMortemStatus,
}

impl PostMortem {
    pub fn overdue(&self, now: Timestamp) -> bool {
        self.status == PostMortemStatus::Open && now > self.due_at
    }

    /// Where the event it reviews is.
    pub fn source_path(&self) -> String {
        match self.source {
            ActionSource::Failover => format!("/failover/{}", self.source_id),
            ActionSource::Drill => format!("/drills/{}", self.source_id),
        }
    }
}

fn due(ended: Timestamp) -> Timestamp {
    Timestamp::new(ended.as_datetime() + time::Duration::hours(DUE_HOURS))
}

fn hhmm(t: Timestamp) -> String {
    let t = t.as_datetime();
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// The post-mortem of a completed failover, its timeline from the
/// request, the decisions and the step log.
pub fn for_failover(r: &Request, ended: Timestamp) -> PostMortem {
    let mut lines = vec![format!(
        "{} requested by {}: {}",
        hhmm(r.requested_at),
        r.requested_by,
        r.reason
    )];
    for d in &r.decisions {
        let verb = if d.approve { "approved" } else { "rejected" };
        lines.push(format!("{} {verb} by {}", hhmm(d.at), d.user));
    }
    if let Some(j) = &r.break_glass {
        lines.push(format!("break-glass start: {j}"));
    }
    for run in &r.steps {
        if let (Some(start), Some(end)) = (run.started_at, run.finished_at) {
            let outcome = run.outcome.map(|o| o.as_str()).unwrap_or("");
            let note = if run.note.is_empty() {
                String::new()
            } else {
                format!(" ({})", run.note)
            };
            lines.push(format!(
                "{}–{} {} {}: {outcome}{note}",
                hhmm(start),
                hhmm(end),
                run.section,
                run.step.title
            ));
        }
    }
    lines.push(format!(
        "{} {}",
        hhmm(ended),
        r.status.as_str().replace('_', " ")
    ));
    PostMortem {
        id: 0,
        source: ActionSource::Failover,
        source_id: r.id,
        title: format!("Failover request {} ({})", r.id, r.direction),
        due_at: due(ended),
        summary: String::new(),
        timeline: lines.join("\n"),
        contributing_factors: String::new(),
        status: PostMortemStatus::Open,
    }
}

/// The post-mortem of a completed drill, its timeline from the results.
pub fn for_drill(d: &Drill, ended: Timestamp) -> PostMortem {
    let mut lines = vec![format!(
        "{} {} started ({})",
        d.starts_at.display_minutes(),
        d.title,
        d.kind
    )];
    for s in &d.services {
        if let Some(r) = &s.result {
            let verdict = if r.passed { "passed" } else { "failed" };
            lines.push(format!(
                "{}: recovered in {} min, {} min of data lost: {verdict} ({})",
                s.service, r.measured_minutes, r.data_loss_minutes, r.reason
            ));
        }
    }
    if !d.notes.is_empty() {
        lines.push(format!("notes: {}", d.notes));
    }
    lines.push(format!("{} completed", ended.display_minutes()));
    PostMortem {
        id: 0,
        source: ActionSource::Drill,
        source_id: d.id,
        title: format!("Drill {}: {}", d.id, d.title),
        due_at: due(ended),
        summary: String::new(),
        timeline: lines.join("\n"),
        contributing_factors: String::new(),
        status: PostMortemStatus::Open,
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PostMortemInput {
    pub summary: String,
    pub timeline: String,
    pub contributing_factors: String,
    /// `true` to publish; publishing needs a summary.
    pub publish: bool,
}

impl PostMortem {
    /// The post-mortem with the form's text; publishing needs a summary.
    pub fn edited(&self, input: &PostMortemInput) -> Result<PostMortem, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let summary = e.take(optional_text("summary", &input.summary, 10_000));
        let timeline = e.take(optional_text("timeline", &input.timeline, 20_000));
        let factors = e.take(optional_text(
            "contributing_factors",
            &input.contributing_factors,
            10_000,
        ));
        if input.publish && input.summary.trim().is_empty() {
            e.push(FieldError::new(
                "summary",
                "write the summary before publishing",
            ));
        }
        e.finish(|| {
            Some(PostMortem {
                summary: summary?,
                timeline: timeline?,
                contributing_factors: factors?,
                status: if input.publish {
                    PostMortemStatus::Published
                } else {
                    self.status
                },
                ..self.clone()
            })
        })
    }
}

/// The action item form of a post-mortem.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionInput {
    pub title: String,
    pub owner: String,
    pub due_on: String,
    /// What it changes: a portal path such as `/runbooks/service/PAY-DB`.
    pub link: String,
    pub retest: bool,
}

/// A new action item from a post-mortem; it must not be due in the past.
pub fn new_action(
    pm: &PostMortem,
    input: &ActionInput,
    today: time::Date,
) -> Result<ActionItem, Vec<FieldError>> {
    let mut e = FieldErrors::default();
    let title = e.take(parse_text("title", &input.title, 300));
    let owner = e.take(parse_text("owner", &input.owner, 200));
    let due_on = e.take(parse_date("due_on", input.due_on.trim()).and_then(|d| {
        if d < today {
            Err(FieldError::new("due_on", "must not be in the past"))
        } else {
            Ok(d)
        }
    }));
    let link = e.take(match input.link.trim() {
        "" => Ok(pm.source_path()),
        l if l.starts_with('/') && !l.starts_with("//") => optional_text("link", l, 300),
        l => Err(FieldError::new(
            "link",
            format!("'{l}' is not a portal path such as /runbooks/service/PAY-DB"),
        )),
    });
    e.finish(|| {
        Some(ActionItem {
            id: 0,
            title: title?,
            owner: owner?,
            due_on: due_on?,
            status: ActionStatus::Open,
            link: link?,
            source: pm.source,
            source_id: pm.source_id,
            retest: input.retest,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::drill::{DrillKind, DrillService, DrillStatus};
    use time::macros::{date, datetime};

    fn drill() -> Drill {
        Drill {
            id: 4,
            title: "Payments".into(),
            kind: DrillKind::FullFailover,
            starts_at: Timestamp::new(datetime!(2026-12-05 22:00 UTC)),
            ends_at: Timestamp::new(datetime!(2026-12-06 02:00 UTC)),
            status: DrillStatus::Completed,
            services: vec![DrillService {
                service: crate::domain::inventory::RecordKey::parse("PAY-DB").unwrap(),
                runbook_version: Some(2),
                result: None,
            }],
            participants: vec![],
            notes: "went well".into(),
            completed_at: None,
            steps: Vec::new(),
        }
    }

    #[test]
    fn a_drill_post_mortem_is_due_48_hours_after_and_then_overdue() {
        let ended = Timestamp::new(datetime!(2026-12-06 01:00 UTC));
        let pm = for_drill(&drill(), ended);
        assert_eq!(pm.due_at, Timestamp::new(datetime!(2026-12-08 01:00 UTC)));
        assert!(pm.timeline.contains("notes: went well"));
        assert!(!pm.overdue(Timestamp::new(datetime!(2026-12-08 01:00 UTC))));
        assert!(pm.overdue(Timestamp::new(datetime!(2026-12-08 01:01 UTC))));
        assert_eq!(pm.source_path(), "/drills/4");
    }

    #[test]
    fn publishing_needs_a_summary() {
        let pm = for_drill(&drill(), Timestamp::new(datetime!(2026-12-06 01:00 UTC)));
        let err = pm
            .edited(&PostMortemInput {
                publish: true,
                ..PostMortemInput::default()
            })
            .unwrap_err();
        assert_eq!(err[0].field, "summary");
        let done = pm
            .edited(&PostMortemInput {
                summary: "Replica lag delayed promotion.".into(),
                publish: true,
                ..PostMortemInput::default()
            })
            .unwrap();
        assert_eq!(done.status, PostMortemStatus::Published);
        assert!(!done.overdue(Timestamp::new(datetime!(2027-01-01 00:00 UTC))));
    }

    #[test]
    fn an_action_item_names_its_owner_due_date_and_link() {
        let pm = for_drill(&drill(), Timestamp::new(datetime!(2026-12-06 01:00 UTC)));
        let today = date!(2026 - 12 - 06);
        let input = ActionInput {
            title: "Tune replica lag alert".into(),
            owner: "Sam Owner".into(),
            due_on: "2026-12-20".into(),
            link: String::new(),
            retest: true,
        };
        let item = new_action(&pm, &input, today).unwrap();
        assert_eq!((item.link.as_str(), item.retest), ("/drills/4", true));
        let bad = ActionInput {
            title: "".into(),
            owner: "".into(),
            due_on: "2026-12-01".into(),
            link: "http://evil".into(),
            retest: false,
        };
        let fields: Vec<String> = new_action(&pm, &bad, today)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["title", "owner", "due_on", "link"]);
    }
}
