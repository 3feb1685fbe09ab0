//! Failover requests (SPEC §3, §5.6, §6.2): who may approve, when a
//! request expires, break-glass, and the execution of its steps. Every
//! transition is a pure function that either gives the next state or
//! says why it is refused.

use super::access::Role;
use super::field::{optional_text, parse_text, FieldError, FieldErrors};
use super::inventory::RecordKey;
use super::runbook::RunbookContent;
pub use super::steplog::{self, Outcome, Section, StepAction, StepRun};
use super::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

named_enum!(Direction, "direction" {
    Failover => "failover",
    Failback => "failback",
});

named_enum!(Severity, "severity" {
    Sev1 => "sev1",
    Sev2 => "sev2",
    Sev3 => "sev3",
    Sev4 => "sev4",
});

named_enum!(FailoverStatus, "failover status" {
    Requested => "requested",
    Approved => "approved",
    Rejected => "rejected",
    Expired => "expired",
    Executing => "executing",
    Completed => "completed",
    RolledBack => "rolled_back",
});

/// The approval policy of SPEC §5.6; the numbers are configurable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// Approvals when a service of tier 0 or 1 is in scope.
    pub critical_approvals: u32,
    pub other_approvals: u32,
    /// Minutes a request waits for its approvals before it expires.
    pub expiry_minutes: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            critical_approvals: 2,
            other_approvals: 1,
            expiry_minutes: 60,
        }
    }
}

impl Policy {
    /// The maximum over the tiers in scope.
    pub fn required_approvals(&self, tiers: impl IntoIterator<Item = u8>) -> u32 {
        tiers
            .into_iter()
            .map(|t| {
                if t <= 1 {
                    self.critical_approvals
                } else {
                    self.other_approvals
                }
            })
            .max()
            .unwrap_or(self.other_approvals)
    }
}

/// What a request covers: every service of a lost site, or a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    Site(RecordKey),
    Services,
}

/// A user's approval or rejection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub user_id: i64,
    pub user: String,
    pub approve: bool,
    pub comment: String,
    pub at: Timestamp,
}

/// Who acts on a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
    pub role: Role,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub id: i64,
    pub scope: Scope,
    /// The services in scope, by key.
    pub services: Vec<RecordKey>,
    pub direction: Direction,
    pub reason: String,
    pub severity: Severity,
    pub requested_by_id: Option<i64>,
    pub requested_by: String,
    pub requested_at: Timestamp,
    pub expires_at: Timestamp,
    pub required_approvals: u32,
    pub decisions: Vec<Decision>,
    pub status: FailoverStatus,
    /// The admin's justification when execution started without approvals.
    pub break_glass: Option<String>,
    pub started_at: Option<Timestamp>,
    pub rollback_started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
    pub steps: Vec<StepRun>,
}

/// What the request form carries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestInput {
    /// A site key, or empty for the services listed.
    pub site: String,
    /// `;`- or space-separated service keys.
    pub services: String,
    pub direction: String,
    pub reason: String,
    pub severity: String,
}

/// A checked request form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRequest {
    pub scope: Scope,
    pub services: Vec<RecordKey>,
    pub direction: Direction,
    pub reason: String,
    pub severity: Severity,
}

impl NewRequest {
    pub fn parse(input: &RequestInput) -> Result<NewRequest, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let site = e.take(match input.site.trim() {
            "" => Ok(None),
            raw => RecordKey::parse_field("site", raw).map(Some),
        });
        let services: Vec<RecordKey> = input
            .services
            .split([';', ',', ' ', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .filter_map(|s| e.take(RecordKey::parse_field("services", s)))
            .collect();
        if matches!(site, Some(None)) && services.is_empty() && input.services.trim().is_empty() {
            e.push(FieldError::new(
                "site",
                "choose a site, or list the services in scope",
            ));
        }
        if matches!(site, Some(Some(_))) && !services.is_empty() {
            e.push(FieldError::new(
                "services",
                "give a site or services, not both",
            ));
        }
        let direction = e.take(Direction::parse_field("direction", &input.direction));
        let reason = e.take(parse_text("reason", &input.reason, 2000));
        let severity = e.take(Severity::parse_field("severity", &input.severity));
        e.finish(|| {
            Some(NewRequest {
                scope: site?.map_or(Scope::Services, Scope::Site),
                services,
                direction: direction?,
                reason: reason?,
                severity: severity?,
            })
        })
    }
}

/// Why a transition is refused: not this person, or not now.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
}

fn refuse<T>(message: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal::Conflict(message.into()))
}

fn forbid<T>(message: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal::Forbidden(message.into()))
}

fn may_decide(role: Role) -> bool {
    matches!(role, Role::IncidentCommander | Role::Admin)
}

impl Request {
    /// A new request under `policy`, made by `by` at `now`, whose services
    /// in scope have `tiers`.
    pub fn new(
        new: NewRequest,
        policy: &Policy,
        tiers: &[u8],
        by: &Actor,
        now: Timestamp,
    ) -> Request {
        Request {
            id: 0,
            scope: new.scope,
            services: new.services,
            direction: new.direction,
            reason: new.reason,
            severity: new.severity,
            requested_by_id: by.user_id,
            requested_by: by.name.clone(),
            requested_at: now,
            expires_at: Timestamp::new(
                now.as_datetime() + time::Duration::minutes(policy.expiry_minutes),
            ),
            required_approvals: policy.required_approvals(tiers.iter().copied()),
            decisions: Vec::new(),
            status: FailoverStatus::Requested,
            break_glass: None,
            started_at: None,
            rollback_started_at: None,
            finished_at: None,
            steps: Vec::new(),
        }
    }

    pub fn approvals(&self) -> usize {
        self.decisions.iter().filter(|d| d.approve).count()
    }

    /// Whether `user` may still approve: what the page offers and the
    /// notification counts; [`decide`](Self::decide) enforces it.
    pub fn awaits(&self, user_id: i64, role: Role) -> bool {
        self.status == FailoverStatus::Requested
            && may_decide(role)
            && self.requested_by_id != Some(user_id)
            && !self.decisions.iter().any(|d| d.user_id == user_id)
    }

    /// The request expired at `now`, if it is still waiting past its time.
    pub fn expire(&self, now: Timestamp) -> Option<Request> {
        (self.status == FailoverStatus::Requested && now >= self.expires_at).then(|| Request {
            status: FailoverStatus::Expired,
            finished_at: Some(now),
            ..self.clone()
        })
    }

    /// Records `who` approving or rejecting. Approvers are distinct
    /// incident commanders or admins, never the requester; a rejection
    /// needs a reason.
    pub fn decide(
        &self,
        who: &Actor,
        approve: bool,
        comment: &str,
        now: Timestamp,
    ) -> Result<Request, Refusal> {
        let Some(user_id) = who.user_id else {
            return forbid("only a signed-in incident commander or admin may decide on a failover");
        };
        if !may_decide(who.role) {
            return forbid(format!(
                "a {} may not approve or reject failover",
                who.role.label()
            ));
        }
        if self.status == FailoverStatus::Requested && now >= self.expires_at {
            return refuse(format!(
                "the request expired at {}; make a new one",
                self.expires_at.display_minutes()
            ));
        }
        if self.status != FailoverStatus::Requested {
            return refuse(format!(
                "the request is {}, no longer waiting for decisions",
                self.status
            ));
        }
        if self.requested_by_id == Some(user_id) {
            return forbid("you made this request: another incident commander must decide on it");
        }
        if self.decisions.iter().any(|d| d.user_id == user_id) {
            return forbid("you have already decided on this request: a second approval must come from someone else");
        }
        let comment = comment.trim();
        if !approve && comment.is_empty() {
            return refuse("give the reason for the rejection");
        }
        let mut next = self.clone();
        next.decisions.push(Decision {
            user_id,
            user: who.name.clone(),
            approve,
            comment: comment.to_string(),
            at: now,
        });
        next.status = match (approve, next.approvals() as u32 >= self.required_approvals) {
            (false, _) => FailoverStatus::Rejected,
            (true, true) => FailoverStatus::Approved,
            (true, false) => FailoverStatus::Requested,
        };
        if next.status == FailoverStatus::Rejected {
            next.finished_at = Some(now);
        }
        Ok(next)
    }

    /// Starts execution of an approved request with its `plan`.
    pub fn start(&self, plan: &RunbookContent, now: Timestamp) -> Result<Request, Refusal> {
        match self.status {
            FailoverStatus::Approved => Ok(self.executing(plan, now)),
            FailoverStatus::Requested => refuse(format!(
                "execution needs {} approvals and the request has {}",
                self.required_approvals,
                self.approvals()
            )),
            status => refuse(format!("a request that is {status} cannot start")),
        }
    }

    /// Starts execution without approvals: only an admin, only with a
    /// justification, and marked for review afterwards.
    pub fn break_glass(
        &self,
        who: &Actor,
        justification: &str,
        plan: &RunbookContent,
        now: Timestamp,
    ) -> Result<Request, Refusal> {
        if who.role != Role::Admin {
            return forbid("only an admin may break glass");
        }
        let justification = justification.trim();
        if justification.chars().count() < 10 {
            return refuse("break-glass needs a justification of at least 10 characters");
        }
        if !matches!(
            self.status,
            FailoverStatus::Requested | FailoverStatus::Approved | FailoverStatus::Expired
        ) {
            return refuse(format!("a request that is {} cannot start", self.status));
        }
        let mut next = self.executing(plan, now);
        next.break_glass = Some(justification.to_string());
        next.finished_at = None;
        Ok(next)
    }

    fn executing(&self, plan: &RunbookContent, now: Timestamp) -> Request {
        Request {
            status: FailoverStatus::Executing,
            started_at: Some(now),
            steps: steplog::runs(plan),
            ..self.clone()
        }
    }

    /// The section being carried out.
    pub fn active_section(&self) -> Section {
        if self.rollback_started_at.is_some() {
            Section::Rollback
        } else {
            Section::Main
        }
    }

    pub fn section(&self, section: Section) -> impl Iterator<Item = &StepRun> {
        self.steps.iter().filter(move |s| s.section == section)
    }

    fn ensure_executing(&self, section: Section) -> Result<(), Refusal> {
        if self.status != FailoverStatus::Executing {
            return refuse(format!("the request is {}, not executing", self.status));
        }
        if section != self.active_section() {
            return refuse(match section {
                Section::Main => "the rollback has begun: only rollback steps may be recorded",
                Section::Rollback => "the rollback has not begun",
            });
        }
        Ok(())
    }

    /// Records a step ([`steplog::record`]) of the section being run.
    pub fn record_step(
        &self,
        section: Section,
        position: u32,
        action: &StepAction,
        who: &str,
        now: Timestamp,
    ) -> Result<Request, Refusal> {
        self.ensure_executing(section)?;
        let steps = steplog::record(&self.steps, section, position, action, who, now)
            .map_err(Refusal::Conflict)?;
        Ok(Request {
            steps,
            ..self.clone()
        })
    }

    pub fn start_step(
        &self,
        section: Section,
        position: u32,
        who: &str,
        now: Timestamp,
    ) -> Result<Request, Refusal> {
        self.record_step(section, position, &StepAction::Start, who, now)
    }

    pub fn finish_step(
        &self,
        section: Section,
        position: u32,
        outcome: Outcome,
        note: &str,
        who: &str,
        now: Timestamp,
    ) -> Result<Request, Refusal> {
        let finish = StepAction::Finish {
            outcome,
            note: note.to_string(),
        };
        self.record_step(section, position, &finish, who, now)
    }

    /// Verification checks of the main section not yet passed: user
    /// access waits for them.
    pub fn pending_checks(&self) -> usize {
        steplog::pending_checks(&self.steps)
    }

    /// Completes execution once every step is done and every
    /// verification passed.
    pub fn complete(&self, now: Timestamp) -> Result<Request, Refusal> {
        self.ensure_executing(Section::Main)?;
        if let Some(open) = self.section(Section::Main).find(|s| !s.finished()) {
            return refuse(format!(
                "step {} '{}' has not finished",
                open.position, open.step.title
            ));
        }
        if self.pending_checks() > 0 {
            return refuse("every verification check must pass before completion");
        }
        Ok(Request {
            status: FailoverStatus::Completed,
            finished_at: Some(now),
            ..self.clone()
        })
    }

    /// Abandons the forward steps and starts the rollback section.
    pub fn begin_rollback(&self, now: Timestamp) -> Result<Request, Refusal> {
        self.ensure_executing(Section::Main)?;
        if self.section(Section::Rollback).next().is_none() {
            return refuse("the plan has no rollback steps");
        }
        if self
            .section(Section::Main)
            .any(|s| s.started_at.is_some() && !s.finished())
        {
            return refuse("finish the running step first, with its outcome");
        }
        Ok(Request {
            rollback_started_at: Some(now),
            ..self.clone()
        })
    }

    /// Closes the rollback once its steps (reconciliation included) are done.
    pub fn finish_rollback(&self, now: Timestamp) -> Result<Request, Refusal> {
        self.ensure_executing(Section::Rollback)?;
        if let Some(open) = self.section(Section::Rollback).find(|s| !s.finished()) {
            return refuse(format!(
                "rollback step {} '{}' has not finished",
                open.position, open.step.title
            ));
        }
        Ok(Request {
            status: FailoverStatus::RolledBack,
            finished_at: Some(now),
            ..self.clone()
        })
    }

    /// Minutes since the request was made, to `finished_at` or `now`.
    pub fn elapsed_minutes(&self, now: Timestamp) -> f64 {
        let end = self.finished_at.unwrap_or(now);
        (end.as_datetime() - self.requested_at.as_datetime()).as_seconds_f64() / 60.0
    }

    /// Each service's measured recovery (SPEC §6.2): from the start of its
    /// first step to the end of its last, in whole minutes rounded up.
    pub fn measured_recoveries(&self) -> Vec<(RecordKey, u32)> {
        let mut spans: Vec<(RecordKey, Timestamp, Timestamp)> = Vec::new();
        for run in self.section(Section::Main) {
            let (Some(service), Some(start), Some(end)) =
                (&run.step.service, run.started_at, run.finished_at)
            else {
                continue;
            };
            match spans.iter_mut().find(|(k, ..)| k == service) {
                Some((_, s, e)) => {
                    *s = (*s).min(start);
                    *e = (*e).max(end);
                }
                None => spans.push((service.clone(), start, end)),
            }
        }
        spans
            .into_iter()
            .map(|(key, start, end)| {
                let seconds = (end.as_datetime() - start.as_datetime())
                    .whole_seconds()
                    .max(0);
                (
                    key,
                    u32::try_from((seconds + 59) / 60)
                        .unwrap_or(u32::MAX)
                        .max(1),
                )
            })
            .collect()
    }
}

/// Text of a decision form: the comment, checked.
pub fn parse_comment(raw: &str) -> Result<String, FieldError> {
    optional_text("comment", raw, 2000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::runbook::{Step, StepKind};
    use time::macros::datetime;

    fn at(minute: i64) -> Timestamp {
        Timestamp::new(datetime!(2026-11-25 10:00 UTC) + time::Duration::minutes(minute))
    }

    fn actor(id: i64, role: Role) -> Actor {
        Actor {
            user_id: Some(id),
            name: format!("user{id}"),
            role,
        }
    }

    fn ic(id: i64) -> Actor {
        actor(id, Role::IncidentCommander)
    }

    fn step(title: &str, kind: StepKind, service: &str) -> Step {
        Step {
            title: title.into(),
            instructions: String::new(),
            role: "ops".into(),
            expected_minutes: 10,
            kind,
            service: RecordKey::parse(service).ok(),
        }
    }

    fn plan() -> RunbookContent {
        RunbookContent {
            steps: vec![
                step("Promote DB", StepKind::Action, "PAY-DB"),
                step("Start API", StepKind::Action, "PAY-API"),
                step("Check payments", StepKind::Verify, "PAY-API"),
            ],
            rollback: vec![step("Reconcile", StepKind::Reconcile, "PAY-DB")],
        }
    }

    fn request(tiers: &[u8]) -> Request {
        let new = NewRequest::parse(&RequestInput {
            site: "DC-FRA".into(),
            direction: "failover".into(),
            reason: "fire alarm".into(),
            severity: "sev1".into(),
            ..RequestInput::default()
        })
        .unwrap();
        Request::new(new, &Policy::default(), tiers, &ic(1), at(0))
    }

    fn approved() -> Request {
        request(&[0])
            .decide(&ic(2), true, "", at(1))
            .unwrap()
            .decide(&ic(3), true, "go", at(2))
            .unwrap()
    }

    #[test]
    fn the_policy_asks_two_approvals_when_a_critical_tier_is_in_scope() {
        let p = Policy::default();
        assert_eq!(p.required_approvals([3, 1, 4]), 2);
        assert_eq!(p.required_approvals([2, 3]), 1);
        assert_eq!(p.required_approvals([]), 1);
        assert_eq!(request(&[0]).expires_at, at(60));
    }

    #[test]
    fn the_requester_may_not_approve_nor_anyone_twice() {
        let r = request(&[0]);
        assert!(r
            .decide(&ic(1), true, "", at(1))
            .unwrap_err()
            .to_string()
            .contains("you made this request"));
        let once = r.decide(&ic(2), true, "", at(1)).unwrap();
        assert_eq!(once.status, FailoverStatus::Requested);
        assert!(once
            .decide(&ic(2), true, "", at(2))
            .unwrap_err()
            .to_string()
            .contains("already decided"));
        assert!(!once.awaits(2, Role::IncidentCommander));
        assert!(!once.awaits(1, Role::IncidentCommander));
        assert!(once.awaits(3, Role::IncidentCommander));
        assert!(!once.awaits(4, Role::ContinuityManager));
        let twice = once
            .decide(&actor(3, Role::Admin), true, "", at(2))
            .unwrap();
        assert_eq!(twice.status, FailoverStatus::Approved);
        assert_eq!(twice.approvals(), 2);
    }

    #[test]
    fn only_incident_commanders_and_admins_decide() {
        let r = request(&[3]);
        for role in [
            Role::ContinuityManager,
            Role::ServiceOwner,
            Role::Executive,
            Role::Auditor,
            Role::Viewer,
        ] {
            assert!(
                r.decide(&actor(9, role), true, "", at(1)).is_err(),
                "{role}"
            );
        }
        let cli = Actor {
            user_id: None,
            name: "cli".into(),
            role: Role::Admin,
        };
        assert!(r.decide(&cli, true, "", at(1)).is_err());
        assert_eq!(
            r.decide(&ic(2), true, "", at(1)).unwrap().status,
            FailoverStatus::Approved
        );
    }

    #[test]
    fn a_rejection_needs_a_reason_and_ends_the_request() {
        let r = request(&[0]);
        assert!(r
            .decide(&ic(2), false, " ", at(1))
            .unwrap_err()
            .to_string()
            .contains("reason"));
        let rejected = r.decide(&ic(2), false, "not a real outage", at(1)).unwrap();
        assert_eq!(rejected.status, FailoverStatus::Rejected);
        assert!(rejected.decide(&ic(3), true, "", at(2)).is_err());
        assert!(rejected.start(&plan(), at(2)).is_err());
    }

    #[test]
    fn a_request_expires_unapproved_after_the_policy_time() {
        let r = request(&[0]);
        assert!(r.expire(at(59)).is_none());
        let expired = r.expire(at(60)).unwrap();
        assert_eq!(expired.status, FailoverStatus::Expired);
        assert!(r
            .decide(&ic(2), true, "", at(61))
            .unwrap_err()
            .to_string()
            .contains("expired"));
        assert!(approved().expire(at(120)).is_none());
        assert!(expired.start(&plan(), at(61)).is_err());
    }

    #[test]
    fn execution_waits_for_every_approval() {
        let once = request(&[0]).decide(&ic(2), true, "", at(1)).unwrap();
        assert!(once
            .start(&plan(), at(2))
            .unwrap_err()
            .to_string()
            .contains("needs 2 approvals and the request has 1"));
        let running = approved().start(&plan(), at(3)).unwrap();
        assert_eq!(running.status, FailoverStatus::Executing);
        assert_eq!(running.steps.len(), 4);
        assert!(running.start(&plan(), at(4)).is_err());
        assert!(running.decide(&ic(4), true, "", at(4)).is_err());
    }

    #[test]
    fn break_glass_is_for_admins_with_a_justification() {
        let r = request(&[0]);
        assert!(r
            .break_glass(&ic(2), "datacenter on fire", &plan(), at(1))
            .is_err());
        let admin = actor(5, Role::Admin);
        assert!(r
            .break_glass(&admin, "now", &plan(), at(1))
            .unwrap_err()
            .to_string()
            .contains("justification"));
        let glass = r
            .break_glass(&admin, "datacenter on fire", &plan(), at(1))
            .unwrap();
        assert_eq!(glass.status, FailoverStatus::Executing);
        assert_eq!(glass.break_glass.as_deref(), Some("datacenter on fire"));
        let expired = r.expire(at(70)).unwrap();
        assert!(expired
            .break_glass(&admin, "datacenter on fire", &plan(), at(71))
            .is_ok());
        let rejected = r.decide(&ic(2), false, "no", at(1)).unwrap();
        assert!(rejected
            .break_glass(&admin, "datacenter on fire", &plan(), at(2))
            .is_err());
    }

    #[test]
    fn steps_run_in_order_and_completion_needs_passed_checks() {
        let mut r = approved().start(&plan(), at(3)).unwrap();
        assert!(r
            .start_step(Section::Main, 2, "a", at(4))
            .unwrap_err()
            .to_string()
            .contains("must finish first"));
        assert!(r
            .finish_step(Section::Main, 1, Outcome::Succeeded, "", "a", at(4))
            .unwrap_err()
            .to_string()
            .contains("not started"));
        r = r.start_step(Section::Main, 1, "a", at(4)).unwrap();
        assert!(r.start_step(Section::Main, 1, "a", at(4)).is_err());
        assert!(r.complete(at(5)).is_err());
        assert!(r
            .finish_step(Section::Main, 1, Outcome::Failed, "", "a", at(5))
            .unwrap_err()
            .to_string()
            .contains("note"));
        r = r
            .finish_step(Section::Main, 1, Outcome::Succeeded, "", "a", at(14))
            .unwrap();
        r = r.start_step(Section::Main, 2, "a", at(14)).unwrap();
        r = r
            .finish_step(Section::Main, 2, Outcome::Succeeded, "", "a", at(20))
            .unwrap();
        r = r.start_step(Section::Main, 3, "a", at(20)).unwrap();
        assert!(r
            .finish_step(Section::Main, 3, Outcome::Skipped, "", "a", at(21))
            .unwrap_err()
            .to_string()
            .contains("cannot be skipped"));
        r = r
            .finish_step(
                Section::Main,
                3,
                Outcome::Failed,
                "payments time out",
                "a",
                at(21),
            )
            .unwrap();
        assert_eq!(r.pending_checks(), 1);
        assert!(r
            .complete(at(22))
            .unwrap_err()
            .to_string()
            .contains("verification"));
        r = r.start_step(Section::Main, 3, "a", at(25)).unwrap();
        r = r
            .finish_step(Section::Main, 3, Outcome::Succeeded, "", "a", at(26))
            .unwrap();
        let done = r.complete(at(27)).unwrap();
        assert_eq!(done.status, FailoverStatus::Completed);
        assert!(done.start_step(Section::Main, 1, "a", at(28)).is_err());
        let measured = done.measured_recoveries();
        assert_eq!(
            measured,
            vec![
                (RecordKey::parse("PAY-DB").unwrap(), 10),
                (RecordKey::parse("PAY-API").unwrap(), 12)
            ]
        );
        assert!((done.elapsed_minutes(at(99)) - 27.0).abs() < 1e-9);
    }

    #[test]
    fn rollback_runs_its_own_section_to_the_end() {
        let r = approved().start(&plan(), at(3)).unwrap();
        assert!(r
            .start_step(Section::Rollback, 1, "a", at(4))
            .unwrap_err()
            .to_string()
            .contains("not begun"));
        assert!(r.finish_rollback(at(4)).is_err());
        let running = r.start_step(Section::Main, 1, "a", at(4)).unwrap();
        assert!(running
            .begin_rollback(at(5))
            .unwrap_err()
            .to_string()
            .contains("running step"));
        let back = r.begin_rollback(at(5)).unwrap();
        assert!(back
            .start_step(Section::Main, 1, "a", at(6))
            .unwrap_err()
            .to_string()
            .contains("rollback has begun"));
        assert!(back.complete(at(6)).is_err());
        assert!(back
            .finish_rollback(at(6))
            .unwrap_err()
            .to_string()
            .contains("has not finished"));
        let back = back.start_step(Section::Rollback, 1, "a", at(6)).unwrap();
        let back = back
            .finish_step(
                Section::Rollback,
                1,
                Outcome::Succeeded,
                "12 orders re-applied",
                "a",
                at(9),
            )
            .unwrap();
        let done = back.finish_rollback(at(10)).unwrap();
        assert_eq!(done.status, FailoverStatus::RolledBack);
        assert!(done.measured_recoveries().is_empty());
        let no_rollback = approved()
            .start(
                &RunbookContent {
                    steps: plan().steps,
                    rollback: vec![],
                },
                at(3),
            )
            .unwrap();
        assert!(no_rollback.begin_rollback(at(4)).is_err());
    }

    #[test]
    fn the_form_names_each_bad_field() {
        let errors = NewRequest::parse(&RequestInput {
            site: "dc fra".into(),
            direction: "sideways".into(),
            severity: "sev9".into(),
            ..RequestInput::default()
        })
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["site", "direction", "reason", "severity"]);
        let neither = NewRequest::parse(&RequestInput {
            direction: "failover".into(),
            reason: "r".into(),
            severity: "sev2".into(),
            ..RequestInput::default()
        })
        .unwrap_err();
        assert_eq!(neither[0].field, "site");
        let services = NewRequest::parse(&RequestInput {
            services: "PAY-API; PAY-DB".into(),
            direction: "failback".into(),
            reason: "r".into(),
            severity: "sev2".into(),
            ..RequestInput::default()
        })
        .unwrap();
        assert_eq!(services.scope, Scope::Services);
        assert_eq!(services.services.len(), 2);
    }
}
