//! A war room's step log: the steps in order with who started each, the
//! elapsed time and the outcome, and the forms that record them. Failover
//! requests and drills share it.

use crate::api::failover::RecordStep;
use crate::domain::runbook::StepKind;
use crate::domain::steplog::{Outcome, StepRun};
use crate::domain::timestamp::Timestamp;
use leptos::prelude::*;

/// Minutes to one decimal.
pub fn minutes(m: f64) -> String {
    format!("{m:.1} min")
}

/// A step log's table; when `recordable`, each step offers its start or
/// finish form. `log` and `owner` name the failover request or drill.
#[component]
pub fn StepLog(
    log: &'static str,
    id: &'static str,
    caption: &'static str,
    runs: Vec<StepRun>,
    recordable: bool,
    now: Timestamp,
    owner: i64,
    step: ServerAction<RecordStep>,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table compact" id=id>
                <caption>{caption}</caption>
                <thead><tr>
                    <th scope="col">"#"</th><th scope="col">"Step"</th><th scope="col">"Who"</th><th scope="col">"Expected"</th>
                    <th scope="col">"Started"</th><th scope="col">"Elapsed"</th><th scope="col">"Outcome"</th><th scope="col">"Record"</th>
                </tr></thead>
                <tbody>
                    {runs.into_iter().map(|run| view! { <StepRow log run recordable now owner step /> }.into_any()).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn StepRow(
    log: &'static str,
    run: StepRun,
    recordable: bool,
    now: Timestamp,
    owner: i64,
    step: ServerAction<RecordStep>,
) -> impl IntoView {
    let retry = run.step.kind == StepKind::Verify && run.outcome == Some(Outcome::Failed);
    let can_start = recordable && (run.started_at.is_none() || retry);
    let can_finish = recordable && run.started_at.is_some() && !run.finished();
    let outcomes: Vec<Outcome> = Outcome::ALL
        .iter()
        .copied()
        .filter(|o| *o != Outcome::Skipped || run.step.kind == StepKind::Action)
        .collect();
    let (section, position) = (run.section.as_str(), run.position);
    let label = format!("{} {}", run.section, run.position);
    let hidden = move || {
        view! {
            <input type="hidden" name="log" value=log />
        <input type="hidden" name="id" value=owner.to_string() />
            <input type="hidden" name="section" value=section />
            <input type="hidden" name="position" value=position.to_string() />
        }
    };
    let start_label = format!("Start {label}");
    view! {
        <tr data-step=format!("{}-{}", run.section, run.position) data-state=match (run.started_at, run.outcome) {
            (None, _) => "waiting", (Some(_), None) => "running", (_, Some(o)) => o.as_str(),
        }>
            <td>{run.position}</td>
            <td>
                <strong>{run.step.title.clone()}</strong>
                {(run.step.kind != StepKind::Action).then(|| view! { " "<span class="badge">{run.step.kind.as_str()}</span> })}
                {run.step.service.clone().map(|s| view! { " "<span class="muted">{s.to_string()}</span> })}
                {(!run.step.instructions.is_empty()).then(|| view! { <br /><span class="muted">{run.step.instructions.clone()}</span> })}
            </td>
            <td>{run.step.role.clone()}</td>
            <td>{format!("{} min", run.step.expected_minutes)}</td>
            <td>{run.started_by.clone().zip(run.started_at).map(|(by, at)| format!("{by}, {}", at.display_minutes())).unwrap_or_default()}</td>
            <td>{run.elapsed_minutes(now).map(minutes).unwrap_or_default()}</td>
            <td>{run.outcome.map(|o| o.as_str().to_string()).unwrap_or_default()}
                {(!run.note.is_empty()).then(|| view! { <br /><span class="muted">{run.note.clone()}</span> })}</td>
            <td>
                {can_start.then(move || view! {
                    <ActionForm action=step>
                        {hidden()}
                        <input type="hidden" name="action" value="start" />
                        <button type="submit" class="secondary small" aria-label=start_label>{if retry { "Check again" } else { "Start" }}</button>
                    </ActionForm>
                })}
                {can_finish.then(move || view! {
                    <ActionForm action=step>
                        {hidden()}
                        <input type="hidden" name="action" value="finish" />
                        <select name="outcome" aria-label=format!("Outcome of {label}")>
                            {outcomes.iter().map(|o| view! { <option value=o.as_str()>{o.as_str()}</option> }).collect_view()}
                        </select>
                        <input type="text" name="note" aria-label=format!("Note on {label}") size="14" />
                        <button type="submit" class="primary small" aria-label=format!("Finish {label}")>"Finish"</button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}
