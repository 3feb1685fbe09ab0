//! Runbooks (SPEC §3): per service, or per scenario (the loss of a site),
//! versioned, with ordered steps and a rollback/failback section that
//! holds the data-reconciliation steps. A site's scenario runbook can be
//! generated from its services' runbooks in startup-wave order (§5.5).

use super::approval::{self, next_version, Approval, ApprovalStatus};
use super::field::{optional_text, parse_text, FieldError, FieldErrors};
use super::inventory::service::parse_count;
use super::inventory::RecordKey;
use super::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

named_enum!(
    /// What a runbook is for: one service, or the loss of one site.
    RunbookScope, "runbook scope" {
    Service => "service",
    Site => "site",
});

named_enum!(
    /// An action; a verification check that must pass before user access;
    /// or a data-reconciliation step of the rollback section.
    StepKind, "step kind" {
    Action => "action",
    Verify => "verify",
    Reconcile => "reconcile",
});

/// The most steps a section may hold.
pub const MAX_STEPS: usize = 200;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub title: String,
    pub instructions: String,
    /// Who does it: a role or team, e.g. "DBA on call".
    pub role: String,
    pub expected_minutes: u32,
    pub kind: StepKind,
    /// The service the step brings up; in a service's runbook, that
    /// service.
    pub service: Option<RecordKey>,
}

/// The steps of a runbook version: forward, then back.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunbookContent {
    pub steps: Vec<Step>,
    /// Rollback or failback, with the data-reconciliation steps.
    pub rollback: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Runbook {
    pub scope: RunbookScope,
    /// The service's or the site's key.
    pub subject: RecordKey,
    pub version: u32,
    pub content: RunbookContent,
    pub status: ApprovalStatus,
    pub approval: Approval,
}

/// One step as typed in the form; a row with every cell empty is skipped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StepInput {
    pub title: String,
    pub instructions: String,
    pub role: String,
    pub expected_minutes: String,
    pub kind: String,
    pub service: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunbookInput {
    pub steps: Vec<StepInput>,
    pub rollback: Vec<StepInput>,
}

impl StepInput {
    fn is_blank(&self) -> bool {
        [
            &self.title,
            &self.instructions,
            &self.role,
            &self.expected_minutes,
            &self.service,
        ]
        .iter()
        .all(|v| v.trim().is_empty())
    }

    /// Checks one row; fields are named `steps[2].title`.
    fn parse(&self, section: &str, n: usize) -> Result<Step, Vec<FieldError>> {
        let name = |field: &str| format!("{section}[{n}].{field}");
        let mut e = FieldErrors::default();
        let title = e.take(parse_text(&name("title"), &self.title, 200));
        let instructions = e.take(optional_text(
            &name("instructions"),
            &self.instructions,
            4000,
        ));
        let role = e.take(parse_text(&name("role"), &self.role, 100));
        let minutes = e.take(match self.expected_minutes.trim() {
            "" => Err(FieldError::new(&name("expected_minutes"), "is required")),
            raw => parse_count(&name("expected_minutes"), raw),
        });
        let kind = e.take(match self.kind.trim() {
            "" => Ok(StepKind::Action),
            raw => StepKind::parse_field(&name("kind"), raw).and_then(|kind| {
                if kind == StepKind::Reconcile && section != "rollback" {
                    Err(FieldError::new(
                        &name("kind"),
                        "reconciliation steps belong in the rollback section",
                    ))
                } else {
                    Ok(kind)
                }
            }),
        });
        let service = e.take(match self.service.trim() {
            "" => Ok(None),
            raw => RecordKey::parse_field(&name("service"), raw).map(Some),
        });
        e.finish(|| {
            Some(Step {
                title: title?,
                instructions: instructions?,
                role: role?,
                expected_minutes: minutes?,
                kind: kind?,
                service: service?,
            })
        })
    }

    fn of(step: &Step) -> StepInput {
        StepInput {
            title: step.title.clone(),
            instructions: step.instructions.clone(),
            role: step.role.clone(),
            expected_minutes: step.expected_minutes.to_string(),
            kind: step.kind.to_string(),
            service: step
                .service
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        }
    }
}

fn parse_section(e: &mut FieldErrors, section: &str, rows: &[StepInput]) -> Option<Vec<Step>> {
    let rows: Vec<&StepInput> = rows.iter().filter(|r| !r.is_blank()).collect();
    if rows.len() > MAX_STEPS {
        e.push(FieldError::new(
            section,
            format!("has {} steps; at most {MAX_STEPS} are allowed", rows.len()),
        ));
        return None;
    }
    let steps: Vec<Option<Step>> = rows
        .iter()
        .enumerate()
        .map(|(n, row)| e.take_all(row.parse(section, n + 1)))
        .collect();
    steps.into_iter().collect()
}

impl RunbookContent {
    /// Checks every row; blank rows are dropped and at least one step is
    /// needed. Steps of a reconciliation kind belong in the rollback.
    pub fn parse(input: &RunbookInput) -> Result<RunbookContent, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let steps = parse_section(&mut e, "steps", &input.steps);
        let rollback = parse_section(&mut e, "rollback", &input.rollback);
        if steps.as_ref().is_some_and(Vec::is_empty) {
            e.push(FieldError::new(
                "steps",
                "a runbook needs at least one step",
            ));
        }
        e.finish(|| {
            Some(RunbookContent {
                steps: steps?,
                rollback: rollback?,
            })
        })
    }

    /// The form's rows: every step, then `blank` empty rows to add more.
    pub fn to_input(&self, blank: usize) -> RunbookInput {
        let rows = |steps: &[Step]| {
            steps
                .iter()
                .map(StepInput::of)
                .chain(std::iter::repeat_n(StepInput::default(), blank))
                .collect()
        };
        RunbookInput {
            steps: rows(&self.steps),
            rollback: rows(&self.rollback),
        }
    }

    /// Minutes the forward steps are expected to take, one after another.
    pub fn expected_minutes(&self) -> u64 {
        self.steps
            .iter()
            .map(|s| u64::from(s.expected_minutes))
            .sum()
    }
}

impl Runbook {
    /// Whether it is approved and not past its review date on `today`:
    /// what the readiness check and the `stale_runbook` finding read.
    pub fn current(&self, today: time::Date) -> bool {
        self.status == ApprovalStatus::Approved && !self.review_overdue(today)
    }

    pub fn review_overdue(&self, today: time::Date) -> bool {
        approval::review_overdue(self.status, self.approval.next_review_due, today)
    }

    /// `service/PAY-API` or `site/DC-FRA`: where its page is.
    pub fn path(&self) -> String {
        runbook_path(self.scope, &self.subject)
    }
}

pub fn runbook_path(scope: RunbookScope, subject: &RecordKey) -> String {
    format!("/runbooks/{scope}/{subject}")
}

/// The version that saving `content` over `latest` stores.
pub fn saved(
    scope: RunbookScope,
    subject: &RecordKey,
    latest: Option<&Runbook>,
    content: RunbookContent,
) -> Runbook {
    Runbook {
        scope,
        subject: subject.clone(),
        version: next_version(latest.map(|r| (r.version, r.status))),
        content,
        status: ApprovalStatus::Draft,
        approval: Approval::default(),
    }
}

/// Approves `draft`; a runbook without a rollback section cannot be
/// approved, since nobody could undo a failover that goes wrong.
pub fn approved(draft: &Runbook, by: &str, at: Timestamp) -> Result<Runbook, String> {
    if draft.status != ApprovalStatus::Draft {
        return Err(format!("version {} is already approved", draft.version));
    }
    if draft.content.rollback.is_empty() {
        return Err("add the rollback (failback) section before approving: a failover that goes wrong must be undoable".into());
    }
    Ok(Runbook {
        status: ApprovalStatus::Approved,
        approval: Approval::given(by, at),
        ..draft.clone()
    })
}

/// A service brought up by a scenario, in startup order.
pub struct ScenarioService<'a> {
    pub key: &'a RecordKey,
    pub name: &'a str,
    pub identity: bool,
    pub recovery_minutes: u32,
    /// Its approved runbook, if it has one.
    pub runbook: Option<&'a Runbook>,
}

fn tagged<'a>(steps: &'a [Step], service: &RecordKey) -> impl Iterator<Item = Step> + 'a {
    let service = service.clone();
    steps.iter().map(move |s| Step {
        service: Some(s.service.clone().unwrap_or_else(|| service.clone())),
        ..s.clone()
    })
}

/// The plan for bringing `waves` of services up elsewhere (SPEC §5.5):
/// each wave's identity services first, each service's runbook steps (or
/// one step to recover it, when it has no approved runbook), then a check
/// of every identity service before user access is enabled. The rollback
/// section undoes the waves in reverse.
pub fn scenario(waves: &[Vec<ScenarioService<'_>>]) -> RunbookContent {
    let mut steps = Vec::new();
    let mut rollback = Vec::new();
    let mut identity = Vec::new();
    for wave in waves {
        let mut ordered: Vec<&ScenarioService> = wave.iter().filter(|s| s.identity).collect();
        ordered.extend(wave.iter().filter(|s| !s.identity));
        for s in ordered {
            if s.identity {
                identity.push(s.key.clone());
            }
            match s.runbook {
                Some(r) => steps.extend(tagged(&r.content.steps, s.key)),
                None => steps.push(Step {
                    title: format!("Recover {} ({}) at its secondary site", s.key, s.name),
                    instructions: format!(
                        "{} has no approved runbook: follow its owner's procedure.",
                        s.key
                    ),
                    role: "service owner".into(),
                    expected_minutes: s.recovery_minutes,
                    kind: StepKind::Action,
                    service: Some(s.key.clone()),
                }),
            }
        }
    }
    for wave in waves.iter().rev() {
        for s in wave.iter().rev() {
            if let Some(r) = s.runbook {
                rollback.extend(tagged(&r.content.rollback, s.key));
            }
        }
    }
    for key in &identity {
        steps.push(Step {
            title: format!("Verify sign-in through {key}"),
            instructions: "User access stays disabled until every identity service is verified."
                .into(),
            role: "incident commander".into(),
            expected_minutes: 5,
            kind: StepKind::Verify,
            service: Some(key.clone()),
        });
    }
    steps.push(Step {
        title: "Enable user access".into(),
        instructions: "Open traffic to users and announce the recovery.".into(),
        role: "incident commander".into(),
        expected_minutes: 5,
        kind: StepKind::Action,
        service: None,
    });
    RunbookContent { steps, rollback }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn row(title: &str, minutes: &str, kind: &str) -> StepInput {
        StepInput {
            title: title.into(),
            role: "DBA".into(),
            expected_minutes: minutes.into(),
            kind: kind.into(),
            ..StepInput::default()
        }
    }

    fn key(k: &str) -> RecordKey {
        RecordKey::parse(k).unwrap()
    }

    fn step(title: &str, kind: StepKind) -> Step {
        Step {
            title: title.into(),
            instructions: String::new(),
            role: "ops".into(),
            expected_minutes: 10,
            kind,
            service: None,
        }
    }

    #[test]
    fn blank_rows_are_dropped_and_every_bad_cell_is_named() {
        let input = RunbookInput {
            steps: vec![
                row("Promote replica", "15", "action"),
                StepInput::default(),
                row("Check", "5", "verify"),
            ],
            rollback: vec![row("Re-sync", "30", "reconcile")],
        };
        let content = RunbookContent::parse(&input).unwrap();
        assert_eq!(content.steps.len(), 2);
        assert_eq!(content.expected_minutes(), 20);
        let bad = RunbookInput {
            steps: vec![row("", "x", "maybe"), row("Re-sync", "5", "reconcile")],
            rollback: vec![],
        };
        let fields: Vec<String> = RunbookContent::parse(&bad)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "steps[1].title",
                "steps[1].expected_minutes",
                "steps[1].kind",
                "steps[2].kind"
            ]
        );
        let empty = RunbookContent::parse(&RunbookInput::default()).unwrap_err();
        assert_eq!(empty[0].field, "steps");
    }

    #[test]
    fn the_form_round_trips_with_blank_rows_to_add_more() {
        let content = RunbookContent {
            steps: vec![step("Promote", StepKind::Action)],
            rollback: vec![step("Reconcile", StepKind::Reconcile)],
        };
        let input = content.to_input(2);
        assert_eq!(input.steps.len(), 3);
        assert_eq!(RunbookContent::parse(&input).unwrap(), content);
    }

    #[test]
    fn approval_needs_a_rollback_section_and_makes_the_runbook_current() {
        let subject = key("PAY-DB");
        let mut draft = saved(
            RunbookScope::Service,
            &subject,
            None,
            RunbookContent {
                steps: vec![step("Promote", StepKind::Action)],
                rollback: vec![],
            },
        );
        let at = Timestamp::new(datetime!(2026-11-25 10:00 UTC));
        assert!(approved(&draft, "cm", at).unwrap_err().contains("rollback"));
        draft
            .content
            .rollback
            .push(step("Reconcile", StepKind::Reconcile));
        let ok = approved(&draft, "cm", at).unwrap();
        assert!(ok.current(date!(2027 - 11 - 25)));
        assert!(!ok.current(date!(2027 - 11 - 26)));
        assert!(!draft.current(date!(2026 - 11 - 25)));
        assert!(approved(&ok, "cm", at).is_err());
        let next = saved(
            RunbookScope::Service,
            &subject,
            Some(&ok),
            draft.content.clone(),
        );
        assert_eq!((next.version, next.status), (2, ApprovalStatus::Draft));
    }

    #[test]
    fn a_scenario_runs_identity_first_in_wave_order_and_verifies_before_access() {
        let (idp, db, app) = (key("IDP"), key("PAY-DB"), key("PAY-API"));
        let db_book = saved(
            RunbookScope::Service,
            &db,
            None,
            RunbookContent {
                steps: vec![step("Promote replica", StepKind::Action)],
                rollback: vec![step("Reconcile writes", StepKind::Reconcile)],
            },
        );
        let svc = |key: &'static RecordKey, identity, runbook| ScenarioService {
            key,
            name: "x",
            identity,
            recovery_minutes: 20,
            runbook,
        };
        let (idp, db, app) = (
            Box::leak(Box::new(idp)),
            Box::leak(Box::new(db)),
            Box::leak(Box::new(app)),
        );
        let waves = vec![
            vec![svc(db, false, Some(&db_book)), svc(idp, true, None)],
            vec![svc(app, false, None)],
        ];
        let plan = scenario(&waves);
        let order: Vec<(Option<String>, StepKind)> = plan
            .steps
            .iter()
            .map(|s| (s.service.as_ref().map(ToString::to_string), s.kind))
            .collect();
        assert_eq!(
            order,
            vec![
                (Some("IDP".into()), StepKind::Action),
                (Some("PAY-DB".into()), StepKind::Action),
                (Some("PAY-API".into()), StepKind::Action),
                (Some("IDP".into()), StepKind::Verify),
                (None, StepKind::Action),
            ]
        );
        assert_eq!(plan.steps[0].expected_minutes, 20);
        assert_eq!(plan.rollback.len(), 1);
        assert_eq!(plan.rollback[0].service.as_ref(), Some(&*db));
    }
}
