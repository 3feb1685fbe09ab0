//! The step log that failovers and drills share: a runbook plan's steps as
//! they are carried out, in order, each started and finished with its
//! outcome and note.

use super::runbook::{RunbookContent, Step, StepKind};
use super::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

named_enum!(Section, "section" {
    Main => "main",
    Rollback => "rollback",
});

named_enum!(Outcome, "outcome" {
    Succeeded => "succeeded",
    Failed => "failed",
    Skipped => "skipped",
});

/// One step of the plan as it is carried out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRun {
    pub section: Section,
    /// From 1 within its section.
    pub position: u32,
    pub step: Step,
    pub started_at: Option<Timestamp>,
    pub started_by: Option<String>,
    pub finished_at: Option<Timestamp>,
    pub finished_by: Option<String>,
    pub outcome: Option<Outcome>,
    pub note: String,
}

impl StepRun {
    pub fn finished(&self) -> bool {
        self.finished_at.is_some()
    }

    /// Minutes from start to finish, or to `now` while it runs.
    pub fn elapsed_minutes(&self, now: Timestamp) -> Option<f64> {
        let start = self.started_at?;
        let end = self.finished_at.unwrap_or(now);
        Some((end.as_datetime() - start.as_datetime()).as_seconds_f64() / 60.0)
    }
}

/// A plan's steps, none started yet.
pub fn runs(plan: &RunbookContent) -> Vec<StepRun> {
    let section = |section: Section, steps: &[Step]| {
        steps
            .iter()
            .enumerate()
            .map(|(i, step)| StepRun {
                section,
                position: i as u32 + 1,
                step: step.clone(),
                started_at: None,
                started_by: None,
                finished_at: None,
                finished_by: None,
                outcome: None,
                note: String::new(),
            })
            .collect::<Vec<_>>()
    };
    let mut all = section(Section::Main, &plan.steps);
    all.extend(section(Section::Rollback, &plan.rollback));
    all
}

fn find(steps: &[StepRun], section: Section, position: u32) -> Result<usize, String> {
    steps
        .iter()
        .position(|s| s.section == section && s.position == position)
        .ok_or_else(|| format!("there is no {section} step {position}"))
}

fn failed_check(s: &StepRun) -> bool {
    s.step.kind == StepKind::Verify && s.outcome == Some(Outcome::Failed)
}

/// Starts a step: the ones before it in its section must have finished,
/// and a failed verification blocks the rest until it is checked again.
pub fn start(
    steps: &[StepRun],
    section: Section,
    position: u32,
    who: &str,
    now: Timestamp,
) -> Result<Vec<StepRun>, String> {
    let i = find(steps, section, position)?;
    let run = &steps[i];
    if run.started_at.is_some() && !failed_check(run) {
        return Err(format!("step {position} has already started"));
    }
    let blocker = steps[..i]
        .iter()
        .filter(|s| s.section == section)
        .find(|s| !s.finished() || failed_check(s));
    if let Some(b) = blocker {
        return Err(if b.finished() {
            format!(
                "verification step {} '{}' failed: check it again or roll back",
                b.position, b.step.title
            )
        } else {
            format!("step {} '{}' must finish first", b.position, b.step.title)
        });
    }
    let mut next = steps.to_vec();
    let run = &mut next[i];
    run.started_at = Some(now);
    run.started_by = Some(who.to_string());
    run.finished_at = None;
    run.finished_by = None;
    run.outcome = None;
    Ok(next)
}

/// Finishes a started step with its outcome; a failure needs a note, and
/// a verification or reconciliation cannot be skipped.
pub fn finish(
    steps: &[StepRun],
    section: Section,
    position: u32,
    outcome: Outcome,
    note: &str,
    who: &str,
    now: Timestamp,
) -> Result<Vec<StepRun>, String> {
    let i = find(steps, section, position)?;
    let run = &steps[i];
    if run.started_at.is_none() {
        return Err(format!("step {position} has not started"));
    }
    if run.finished() {
        return Err(format!("step {position} has already finished"));
    }
    let note = note.trim();
    if outcome == Outcome::Failed && note.is_empty() {
        return Err("say in the note what failed".into());
    }
    if outcome == Outcome::Skipped && run.step.kind != StepKind::Action {
        return Err(format!("a {} step cannot be skipped", run.step.kind));
    }
    let mut next = steps.to_vec();
    let run = &mut next[i];
    run.finished_at = Some(now);
    run.finished_by = Some(who.to_string());
    run.outcome = Some(outcome);
    run.note = note.to_string();
    Ok(next)
}

/// Verification checks of the main section not yet passed: user access
/// waits for them.
pub fn pending_checks(steps: &[StepRun]) -> usize {
    steps
        .iter()
        .filter(|s| {
            s.section == Section::Main
                && s.step.kind == StepKind::Verify
                && s.outcome != Some(Outcome::Succeeded)
        })
        .count()
}

/// What recording a step does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepAction {
    Start,
    Finish { outcome: Outcome, note: String },
}

impl StepAction {
    /// The audit action's ending: `step_started`, `step_finished`.
    pub fn event(&self) -> &'static str {
        match self {
            StepAction::Start => "step_started",
            StepAction::Finish { .. } => "step_finished",
        }
    }
}

/// Records `action` on a step: [`start`] or [`finish`].
pub fn record(
    steps: &[StepRun],
    section: Section,
    position: u32,
    action: &StepAction,
    who: &str,
    now: Timestamp,
) -> Result<Vec<StepRun>, String> {
    match action {
        StepAction::Start => start(steps, section, position, who, now),
        StepAction::Finish { outcome, note } => {
            finish(steps, section, position, *outcome, note, who, now)
        }
    }
}

pub fn find_run(steps: &[StepRun], section: Section, position: u32) -> Option<&StepRun> {
    steps
        .iter()
        .find(|s| s.section == section && s.position == position)
}

/// A recorded step for its audit event.
pub fn details(steps: &[StepRun], section: Section, position: u32) -> serde_json::Value {
    let run = find_run(steps, section, position);
    serde_json::json!({
        "section": section.as_str(),
        "position": position,
        "title": run.map(|s| s.step.title.clone()),
        "service": run.and_then(|s| s.step.service.clone()),
        "outcome": run.and_then(|s| s.outcome.map(|o| o.as_str())),
        "note": run.map(|s| s.note.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::runbook::Step;
    use time::macros::datetime;

    fn step(title: &str, kind: StepKind) -> Step {
        Step {
            title: title.into(),
            instructions: String::new(),
            role: "ops".into(),
            expected_minutes: 5,
            kind,
            service: None,
        }
    }

    #[test]
    fn steps_run_in_order_and_a_failed_check_blocks_the_rest() {
        let now = Timestamp::new(datetime!(2026-11-26 10:00 UTC));
        let plan = RunbookContent {
            steps: vec![
                step("Promote", StepKind::Action),
                step("Check", StepKind::Verify),
                step("Open", StepKind::Action),
            ],
            rollback: vec![step("Reconcile", StepKind::Reconcile)],
        };
        let log = runs(&plan);
        assert_eq!(log.len(), 4);
        assert_eq!(pending_checks(&log), 1);
        assert!(start(&log, Section::Main, 2, "a", now)
            .unwrap_err()
            .contains("must finish first"));
        assert!(start(&log, Section::Main, 9, "a", now)
            .unwrap_err()
            .contains("no main step 9"));
        let log = start(&log, Section::Main, 1, "a", now).unwrap();
        let log = finish(&log, Section::Main, 1, Outcome::Succeeded, "", "a", now).unwrap();
        let log = start(&log, Section::Main, 2, "a", now).unwrap();
        assert!(finish(&log, Section::Main, 2, Outcome::Skipped, "", "a", now).is_err());
        let log = finish(&log, Section::Main, 2, Outcome::Failed, "timeout", "a", now).unwrap();
        assert!(start(&log, Section::Main, 3, "a", now)
            .unwrap_err()
            .contains("failed"));
        let log = start(&log, Section::Main, 2, "a", now).unwrap();
        let log = finish(&log, Section::Main, 2, Outcome::Succeeded, "", "a", now).unwrap();
        assert_eq!(pending_checks(&log), 0);
        assert_eq!(details(&log, Section::Main, 2)["outcome"], "succeeded");
        assert_eq!(StepAction::Start.event(), "step_started");
    }
}
