//! Drills and tabletop exercises (SPEC §3, §6.3): planned in a window,
//! run, completed with each service's measured recovery and data loss
//! against its targets; and drill coverage with a rotation that tests
//! every critical service within the year.

use super::analysis::readiness::drill_window_days;
use super::field::{list_cells, optional_text, parse_text, FieldError, FieldErrors};
use super::inventory::replication::{DailyWindow, ReplicationLink};
use super::inventory::service::parse_count;
use super::inventory::RecordKey;
use super::runbook::RunbookContent;
use super::steplog::{self, Section, StepAction, StepRun};
use super::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

named_enum!(DrillKind, "drill kind" {
    FullFailover => "full_failover",
    PartialFailover => "partial_failover",
    Component => "component",
    Tabletop => "tabletop",
});

named_enum!(DrillStatus, "drill status" {
    Planned => "planned",
    InProgress => "in_progress",
    Completed => "completed",
    Cancelled => "cancelled",
});

/// The longest window a drill may be planned for.
pub const MAX_WINDOW_HOURS: i64 = 72;

/// A synthetic check run during a drill.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    pub name: String,
    pub passed: bool,
    pub detail: String,
}

/// What a drill measured for one service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceResult {
    pub measured_minutes: u32,
    pub data_loss_minutes: u32,
    pub checks: Vec<CheckResult>,
    /// Against the targets when recorded; the reason says which failed.
    pub passed: bool,
    pub reason: String,
}

/// A service in a drill's scope, with the runbook version it is run by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrillService {
    pub service: RecordKey,
    pub runbook_version: Option<u32>,
    pub result: Option<ServiceResult>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drill {
    pub id: i64,
    pub title: String,
    pub kind: DrillKind,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub status: DrillStatus,
    pub services: Vec<DrillService>,
    /// People and vendors taking part.
    pub participants: Vec<String>,
    /// A tabletop's decisions and the gaps it found; notes otherwise.
    pub notes: String,
    pub completed_at: Option<Timestamp>,
    /// The runbooks' steps as they were carried out (the war room's log).
    pub steps: Vec<StepRun>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DrillInput {
    pub title: String,
    pub kind: String,
    /// `YYYY-MM-DDTHH:MM`, UTC (what a `datetime-local` input sends).
    pub starts_at: String,
    pub ends_at: String,
    /// `;`-separated service keys.
    pub services: String,
    /// `;`-separated names of people and vendors.
    pub participants: String,
}

/// A checked plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrillPlan {
    pub title: String,
    pub kind: DrillKind,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub services: Vec<RecordKey>,
    pub participants: Vec<String>,
}

fn parse_instant(field: &str, raw: &str) -> Result<Timestamp, FieldError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(FieldError::new(field, "is required"));
    }
    let full = if text.len() == 16 {
        format!("{text}:00Z")
    } else {
        text.to_string()
    };
    Timestamp::parse(&full).map_err(|_| {
        FieldError::new(
            field,
            format!("'{text}' is not a time like 2026-12-05T22:00 (UTC)"),
        )
    })
}

impl DrillPlan {
    pub fn parse(input: &DrillInput) -> Result<DrillPlan, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let title = e.take(parse_text("title", &input.title, 200));
        let kind = e.take(DrillKind::parse_field("kind", &input.kind));
        let starts_at = e.take(parse_instant("starts_at", &input.starts_at));
        let ends_at = e.take(parse_instant("ends_at", &input.ends_at));
        if let (Some(start), Some(end)) = (starts_at, ends_at) {
            let hours = (end.as_datetime() - start.as_datetime()).whole_minutes() as f64 / 60.0;
            if hours <= 0.0 {
                e.push(FieldError::new("ends_at", "must be after the start"));
            } else if hours > MAX_WINDOW_HOURS as f64 {
                e.push(FieldError::new(
                    "ends_at",
                    format!("a drill window may last at most {MAX_WINDOW_HOURS} hours"),
                ));
            }
        }
        let mut services: Vec<RecordKey> = list_cells(&input.services)
            .filter_map(|k| e.take(RecordKey::parse_field("services", k)))
            .collect();
        services.sort();
        services.dedup();
        if services.is_empty() && input.services.trim().is_empty() {
            e.push(FieldError::new(
                "services",
                "name at least one service in scope",
            ));
        }
        let participants: Vec<String> = list_cells(&input.participants)
            .filter_map(|p| e.take(optional_text("participants", p, 200)))
            .collect();
        e.finish(|| {
            Some(DrillPlan {
                title: title?,
                kind: kind?,
                starts_at: starts_at?,
                ends_at: ends_at?,
                services,
                participants,
            })
        })
    }
}

/// The minutes of the day a drill window covers; `None` when it spans a
/// whole day or more.
fn daily(starts_at: Timestamp, ends_at: Timestamp) -> Option<DailyWindow> {
    if (ends_at.as_datetime() - starts_at.as_datetime()).whole_minutes() >= 24 * 60 {
        return None;
    }
    let minute = |t: Timestamp| {
        let t = t.as_datetime();
        u16::from(t.hour()) * 60 + u16::from(t.minute())
    };
    Some(DailyWindow {
        start: minute(starts_at),
        end: minute(ends_at),
    })
}

/// Warnings for services in scope whose backup runs during the window
/// (seed module 3): a failover then may restore from a half-written backup.
pub fn backup_overlaps(
    starts_at: Timestamp,
    ends_at: Timestamp,
    backups: &[(RecordKey, DailyWindow)],
) -> Vec<String> {
    let window = daily(starts_at, ends_at);
    backups
        .iter()
        .filter(|(_, backup)| window.is_none_or(|w| w.start == w.end || w.overlaps(*backup)))
        .map(|(service, backup)| {
            format!("the backup of {service} runs {backup} UTC, inside the drill window")
        })
        .collect()
}

/// What a service's result form carries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResultInput {
    pub measured_minutes: String,
    pub data_loss_minutes: String,
    /// One check per line: `name | passed or failed | detail`.
    pub checks: String,
}

/// Checks a result form against the service's targets: it passes when
/// the recovery is within the target RTO, the data loss within the target
/// RPO, and every check passed.
pub fn parse_result(
    input: &ResultInput,
    target_rto: Option<i64>,
    target_rpo: Option<i64>,
) -> Result<ServiceResult, Vec<FieldError>> {
    let mut e = FieldErrors::default();
    let required = |field: &str, raw: &str| match raw.trim() {
        "" => Err(FieldError::new(field, "is required")),
        text => parse_count(field, text),
    };
    let measured = e.take(required("measured_minutes", &input.measured_minutes));
    let loss = e.take(required("data_loss_minutes", &input.data_loss_minutes));
    let mut checks = Vec::new();
    for (n, line) in input
        .checks
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let cells: Vec<&str> = line.splitn(3, '|').map(str::trim).collect();
        let passed = match cells.get(1).copied() {
            Some("passed") => Some(true),
            Some("failed") => Some(false),
            _ => None,
        };
        match (cells.first(), passed) {
            (Some(name), Some(passed)) if !name.is_empty() => checks.push(CheckResult {
                name: name.to_string(),
                passed,
                detail: cells.get(2).copied().unwrap_or_default().to_string(),
            }),
            _ => e.push(FieldError::new(
                "checks",
                format!("line {}: write 'name | passed or failed | detail'", n + 1),
            )),
        }
    }
    e.finish(|| {
        let (measured, loss) = (measured?, loss?);
        let mut misses = Vec::new();
        if let Some(rto) = target_rto.filter(|t| i64::from(measured) > *t) {
            misses.push(format!(
                "recovered in {measured} min against a target RTO of {rto} min"
            ));
        }
        if let Some(rpo) = target_rpo.filter(|t| i64::from(loss) > *t) {
            misses.push(format!(
                "lost {loss} min of data against a target RPO of {rpo} min"
            ));
        }
        for c in checks.iter().filter(|c| !c.passed) {
            misses.push(format!("check '{}' failed", c.name));
        }
        let reason = if misses.is_empty() {
            "within its targets".to_string()
        } else {
            misses.join("; ")
        };
        Some(ServiceResult {
            measured_minutes: measured,
            data_loss_minutes: loss,
            passed: misses.is_empty(),
            reason,
            checks,
        })
    })
}

/// Why a drill transition is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NotNow(pub String);

impl Drill {
    /// Starts the drill with the plan its step log follows.
    pub fn start(&self, plan: &RunbookContent) -> Result<Drill, NotNow> {
        match self.status {
            DrillStatus::Planned => Ok(Drill {
                status: DrillStatus::InProgress,
                steps: steplog::runs(plan),
                ..self.clone()
            }),
            s => Err(NotNow(format!("a drill that is {s} cannot start"))),
        }
    }

    fn running(&self) -> Result<(), NotNow> {
        match self.status {
            DrillStatus::InProgress => Ok(()),
            s => Err(NotNow(format!(
                "steps are recorded while a drill runs; this one is {s}"
            ))),
        }
    }

    /// Records a step of its log ([`steplog::record`]).
    pub fn record_step(
        &self,
        section: Section,
        position: u32,
        action: &StepAction,
        who: &str,
        now: Timestamp,
    ) -> Result<Drill, NotNow> {
        self.running()?;
        let steps =
            steplog::record(&self.steps, section, position, action, who, now).map_err(NotNow)?;
        Ok(Drill {
            steps,
            ..self.clone()
        })
    }

    /// Records one service's result while the drill runs.
    pub fn record(&self, service: &RecordKey, result: ServiceResult) -> Result<Drill, NotNow> {
        if self.status != DrillStatus::InProgress {
            return Err(NotNow(format!(
                "results are recorded while a drill runs; this one is {}",
                self.status
            )));
        }
        if self.kind == DrillKind::Tabletop {
            return Err(NotNow(
                "a tabletop exercise records decisions and gaps, not measurements".into(),
            ));
        }
        let mut next = self.clone();
        match next.services.iter_mut().find(|s| &s.service == service) {
            Some(s) => s.result = Some(result),
            None => return Err(NotNow(format!("{service} is not in the drill's scope"))),
        }
        Ok(next)
    }

    /// Completes the drill: every service needs its result, except in a
    /// tabletop, which needs its decisions and gaps written down.
    pub fn complete(&self, notes: &str, now: Timestamp) -> Result<Drill, NotNow> {
        if self.status != DrillStatus::InProgress {
            return Err(NotNow(format!(
                "a drill that is {} cannot complete",
                self.status
            )));
        }
        let notes = notes.trim();
        if self.kind == DrillKind::Tabletop && notes.is_empty() {
            return Err(NotNow(
                "write down the exercise's decisions and gaps".into(),
            ));
        }
        if let Some(open) = self
            .services
            .iter()
            .find(|s| s.result.is_none() && self.kind != DrillKind::Tabletop)
        {
            return Err(NotNow(format!("{} has no result yet", open.service)));
        }
        Ok(Drill {
            status: DrillStatus::Completed,
            notes: notes.to_string(),
            completed_at: Some(now),
            ..self.clone()
        })
    }

    pub fn cancel(&self) -> Result<Drill, NotNow> {
        match self.status {
            DrillStatus::Planned | DrillStatus::InProgress => Ok(Drill {
                status: DrillStatus::Cancelled,
                ..self.clone()
            }),
            s => Err(NotNow(format!("a drill that is {s} cannot be cancelled"))),
        }
    }

    /// Warnings for the services in scope whose backup runs inside the
    /// window, from the replication `links`.
    pub fn backup_warnings(&self, links: &[ReplicationLink]) -> Vec<String> {
        let backups: Vec<(RecordKey, DailyWindow)> = links
            .iter()
            .filter(|l| self.services.iter().any(|s| s.service == l.service))
            .filter_map(|l| Some((l.service.clone(), l.backup_window?)))
            .collect();
        backup_overlaps(self.starts_at, self.ends_at, &backups)
    }

    /// Whether `service` passed this drill (completed, not a tabletop).
    pub fn passed(&self, service: &RecordKey) -> bool {
        self.status == DrillStatus::Completed
            && self.kind != DrillKind::Tabletop
            && self
                .services
                .iter()
                .any(|s| &s.service == service && s.result.as_ref().is_some_and(|r| r.passed))
    }
}

/// One critical service's drill coverage (SPEC §6.3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub service: String,
    pub tier: u8,
    pub last_passed: Option<time::Date>,
    pub next_due: time::Date,
    pub overdue: bool,
    /// The month (first day) the rotation proposes to drill it in.
    pub proposed: time::Date,
}

fn first_of_month(day: time::Date) -> time::Date {
    day.replace_day(1).unwrap_or(day)
}

fn add_months(day: time::Date, months: u32) -> time::Date {
    let index = day.year() * 12 + i32::from(u8::from(day.month())) - 1 + months as i32;
    let month =
        time::Month::try_from((index.rem_euclid(12) + 1) as u8).unwrap_or(time::Month::January);
    time::Date::from_calendar_date(index.div_euclid(12), month, 1).unwrap_or(day)
}

/// Coverage of the tier 0–2 services and a rotation that drills each
/// before it falls due, spreading them evenly over the next twelve
/// months: most urgent first, at most `ceil(n / 12)` a month; overdue
/// services are proposed for this month.
pub fn coverage(services: &[(String, u8, Option<time::Date>)], today: time::Date) -> Vec<Coverage> {
    let mut rows: Vec<Coverage> = services
        .iter()
        .filter(|(_, tier, _)| *tier <= 2)
        .map(|(key, tier, last)| {
            let window = drill_window_days(*tier);
            let next_due = last.map_or(today, |d| d + time::Duration::days(window));
            Coverage {
                service: key.clone(),
                tier: *tier,
                last_passed: *last,
                next_due,
                overdue: next_due <= today,
                proposed: today,
            }
        })
        .collect();
    rows.sort_by(|a, b| (a.next_due, a.tier, &a.service).cmp(&(b.next_due, b.tier, &b.service)));
    let per_month = rows.len().div_ceil(12).max(1);
    let start = first_of_month(today);
    for (i, row) in rows.iter_mut().enumerate() {
        let slot = add_months(start, (i / per_month) as u32);
        // Never later than the month it falls due in.
        row.proposed = slot.min(first_of_month(row.next_due)).max(start);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn at(t: time::OffsetDateTime) -> Timestamp {
        Timestamp::new(t)
    }

    fn input() -> DrillInput {
        DrillInput {
            title: "Payments failover".into(),
            kind: "full_failover".into(),
            starts_at: "2026-12-05T22:00".into(),
            ends_at: "2026-12-06T02:00".into(),
            services: "PAY-DB; PAY-API;PAY-DB".into(),
            participants: "Sam Owner; Acme Cloud".into(),
        }
    }

    fn key(k: &str) -> RecordKey {
        RecordKey::parse(k).unwrap()
    }

    fn drill(kind: DrillKind) -> Drill {
        let plan = DrillPlan::parse(&input()).unwrap();
        Drill {
            id: 1,
            title: plan.title,
            kind,
            starts_at: plan.starts_at,
            ends_at: plan.ends_at,
            status: DrillStatus::Planned,
            services: plan
                .services
                .into_iter()
                .map(|service| DrillService {
                    service,
                    runbook_version: None,
                    result: None,
                })
                .collect(),
            participants: plan.participants,
            notes: String::new(),
            completed_at: None,
            steps: Vec::new(),
        }
    }

    #[test]
    fn a_plan_is_checked_field_by_field() {
        let plan = DrillPlan::parse(&input()).unwrap();
        assert_eq!(plan.services, [key("PAY-API"), key("PAY-DB")]);
        assert_eq!(plan.participants, ["Sam Owner", "Acme Cloud"]);
        let bad = DrillPlan::parse(&DrillInput {
            kind: "fire".into(),
            starts_at: "2026-12-05T22:00".into(),
            ends_at: "2026-12-05T21:00".into(),
            services: "pay db".into(),
            ..DrillInput::default()
        })
        .unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "kind", "ends_at", "services"]);
        let long = DrillPlan::parse(&DrillInput {
            ends_at: "2026-12-09T22:00".into(),
            ..input()
        })
        .unwrap_err();
        assert!(long[0].message.contains("72 hours"));
    }

    #[test]
    fn a_backup_inside_the_window_is_a_warning() {
        let (start, end) = (
            at(datetime!(2026-12-05 22:00 UTC)),
            at(datetime!(2026-12-06 02:00 UTC)),
        );
        let night = DailyWindow::parse_field("w", "01:00-03:00").unwrap();
        let noon = DailyWindow::parse_field("w", "12:00-13:00").unwrap();
        let warnings = backup_overlaps(start, end, &[(key("PAY-DB"), night), (key("WIKI"), noon)]);
        assert_eq!(
            warnings,
            ["the backup of PAY-DB runs 01:00-03:00 UTC, inside the drill window"]
        );
        let all_day = backup_overlaps(
            start,
            at(datetime!(2026-12-07 02:00 UTC)),
            &[(key("WIKI"), noon)],
        );
        assert_eq!(all_day.len(), 1);
    }

    #[test]
    fn a_result_passes_only_within_both_targets_and_every_check() {
        let ok = ResultInput {
            measured_minutes: "25".into(),
            data_loss_minutes: "0".into(),
            checks: "login | passed | 200 OK".into(),
        };
        let r = parse_result(&ok, Some(30), Some(5)).unwrap();
        assert!(r.passed, "{}", r.reason);
        assert_eq!(r.checks[0].detail, "200 OK");
        let slow = parse_result(
            &ResultInput {
                measured_minutes: "45".into(),
                ..ok.clone()
            },
            Some(30),
            Some(5),
        )
        .unwrap();
        assert!(!slow.passed);
        assert_eq!(
            slow.reason,
            "recovered in 45 min against a target RTO of 30 min"
        );
        let failing = ResultInput {
            checks: "pay | failed | timeout".into(),
            ..ok.clone()
        };
        assert!(parse_result(&failing, None, None)
            .unwrap()
            .reason
            .contains("check 'pay' failed"));
        let bad = ResultInput {
            measured_minutes: "".into(),
            data_loss_minutes: "x".into(),
            checks: "nonsense".into(),
        };
        let fields: Vec<String> = parse_result(&bad, None, None)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["measured_minutes", "data_loss_minutes", "checks"]);
    }

    #[test]
    fn a_drill_runs_records_every_service_and_completes() {
        let d = drill(DrillKind::FullFailover);
        assert!(d
            .record(
                &key("PAY-DB"),
                parse_result(
                    &ResultInput {
                        measured_minutes: "5".into(),
                        data_loss_minutes: "0".into(),
                        checks: String::new()
                    },
                    None,
                    None
                )
                .unwrap()
            )
            .is_err());
        let running = d.start(&RunbookContent::default()).unwrap();
        assert!(running.start(&RunbookContent::default()).is_err());
        let result = |m: &str| {
            parse_result(
                &ResultInput {
                    measured_minutes: m.into(),
                    data_loss_minutes: "0".into(),
                    checks: String::new(),
                },
                Some(30),
                Some(5),
            )
            .unwrap()
        };
        let one = running.record(&key("PAY-DB"), result("20")).unwrap();
        assert!(one
            .record(&key("WIKI"), result("20"))
            .unwrap_err()
            .0
            .contains("not in the drill's scope"));
        let now = at(datetime!(2026-12-06 01:00 UTC));
        assert!(one
            .complete("", now)
            .unwrap_err()
            .0
            .contains("PAY-API has no result"));
        let done = one
            .record(&key("PAY-API"), result("40"))
            .unwrap()
            .complete("", now)
            .unwrap();
        assert_eq!(done.status, DrillStatus::Completed);
        assert!(done.passed(&key("PAY-DB")));
        assert!(!done.passed(&key("PAY-API")));
        assert!(done.cancel().is_err());
        assert!(drill(DrillKind::FullFailover).cancel().is_ok());
    }

    #[test]
    fn a_tabletop_records_decisions_instead_of_measurements() {
        let t = drill(DrillKind::Tabletop)
            .start(&RunbookContent::default())
            .unwrap();
        let result = parse_result(
            &ResultInput {
                measured_minutes: "5".into(),
                data_loss_minutes: "0".into(),
                checks: String::new(),
            },
            None,
            None,
        )
        .unwrap();
        assert!(t.record(&key("PAY-DB"), result).is_err());
        let now = at(datetime!(2026-12-06 01:00 UTC));
        assert!(t.complete(" ", now).is_err());
        let done = t
            .complete("Decided to page the DBA first; gap: no vendor contact", now)
            .unwrap();
        assert!(!done.passed(&key("PAY-DB")), "a tabletop passes no service");
    }

    #[test]
    fn coverage_is_due_by_tier_and_the_rotation_fits_the_year() {
        let today = date!(2026 - 11 - 26);
        let services: Vec<(String, u8, Option<time::Date>)> = (0..30)
            .map(|i| {
                (
                    format!("S{i:02}"),
                    (i % 4) as u8,
                    (i % 3 == 0).then_some(date!(2026 - 03 - 01)),
                )
            })
            .collect();
        let rows = coverage(&services, today);
        assert!(rows.iter().all(|r| r.tier <= 2));
        let s00 = rows.iter().find(|r| r.service == "S00").unwrap();
        assert_eq!(s00.next_due, date!(2026 - 08 - 28), "tier 0: 180 days");
        assert!(s00.overdue);
        let s09 = rows.iter().find(|r| r.service == "S09").unwrap();
        assert_eq!(
            (s09.tier, s09.next_due, s09.overdue),
            (1, date!(2027 - 03 - 01), false),
            "365 days"
        );
        let last = add_months(date!(2026 - 11 - 01), 11);
        assert!(rows
            .iter()
            .all(|r| r.proposed <= last && r.proposed >= date!(2026 - 11 - 01)));
        assert!(rows
            .iter()
            .all(|r| r.proposed <= first_of_month(r.next_due).max(date!(2026 - 11 - 01))));
        let fresh: Vec<(String, u8, Option<time::Date>)> = (0..24)
            .map(|i| (format!("F{i:02}"), 1, Some(date!(2026 - 11 - 20))))
            .collect();
        let spread = coverage(&fresh, today);
        for m in 0..12 {
            let month = add_months(date!(2026 - 11 - 01), m);
            assert_eq!(
                spread.iter().filter(|r| r.proposed == month).count(),
                2,
                "{month}"
            );
        }
    }
}
