//! Reports (SPEC §7): the board report and the audit evidence pack are
//! exported in the background; the page shows each export's progress and
//! then its download, and the key that signs evidence packs.

use crate::api::reports::{get_reports, ReportsView, StartReport};
use crate::domain::report::{JobStatus, ReportJob};
use crate::domain::timestamp::format_date;
use crate::ui::components::errors::{field_error, form_error, ErrorBox, Loaded};
use crate::ui::components::form::TextField;
use crate::ui::components::page::Page;
use crate::ui::components::table::DataTable;
use leptos::prelude::*;

#[component]
pub fn ReportsPage() -> impl IntoView {
    let start = ServerAction::<StartReport>::new();
    let tick = RwSignal::new(0u32);
    let data = Resource::new(
        move || (start.version().get(), tick.get()),
        |_| get_reports(),
    );
    // After hydration, while an export runs, look again every second;
    // without JavaScript, reloading the page shows the same.
    Effect::new(move |_| {
        let poll = move || {
            let running = matches!(data.get_untracked(), Some(Ok(v))
                if v.jobs.iter().any(|j| j.status == JobStatus::Running));
            if running {
                tick.update(|t| *t += 1);
            }
        };
        if let Ok(handle) = set_interval_with_handle(poll, std::time::Duration::from_secs(1)) {
            on_cleanup(move || handle.clear());
        }
    });
    view! {
        <Page title="Reports">
            <Loaded resource=data live=true show=move |v| view! { <ReportsBody v start /> } />
        </Page>
    }
}

#[component]
fn ReportsBody(v: ReportsView, start: ServerAction<StartReport>) -> impl IntoView {
    let result = start.value();
    view! {
        {move || form_error(result.get()).map(|error| view! { <ErrorBox error /> })}
        {(!v.jobs.is_empty()).then(|| view! { <Exports jobs=v.jobs.clone() /> })}
        <section class="cards" aria-label="New exports">
            <article class="card">
                <h2>"Board readiness report"</h2>
                <p>"The portfolio score and its trend, scores by tier, the top gaps with their owners, drill coverage, open action items, the recovery trend and the loss of each site, as a PDF for the board pack."</p>
                <ActionForm action=start>
                    <input type="hidden" name="kind" value="board" />
                    <button type="submit" class="primary" id="generate-board">"Generate board report"</button>
                </ActionForm>
            </article>
            {v.may_evidence.then(|| view! { <EvidenceForm v=v.clone() start /> })}
            <SigningKey key=v.public_key.clone() />
        </section>
    }
    .into_any()
}

#[component]
fn EvidenceForm(v: ReportsView, start: ServerAction<StartReport>) -> impl IntoView {
    let result = start.value();
    let err = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    view! {
        <article class="card">
            <h2>"Audit evidence pack"</h2>
            <p>"For a period: BIA and runbook approvals, drills with results against targets, failovers with approvals and step logs, post-mortems, action items, users and roles, and the audit chain's verification; each file's SHA-256 in a manifest signed by this installation."</p>
            <ActionForm action=start>
                <input type="hidden" name="kind" value="evidence" />
                <div class="grid-form">
                    <TextField id="evidence-from" label="From" name="from" value=format_date(v.last_quarter.from) error=err("from") hint="first day, e.g. 2026-07-01" required=true />
                    <TextField id="evidence-to" label="To" name="to" value=format_date(v.last_quarter.to) error=err("to") hint="last day, inclusive" required=true />
                </div>
                <button type="submit" class="primary" id="export-evidence">"Export evidence pack"</button>
            </ActionForm>
        </article>
    }
}

#[component]
fn SigningKey(key: Option<String>) -> impl IntoView {
    view! {
        <article class="card" id="signing-key">
            <h2>"Signing key"</h2>
            {match key {
                Some(key) => view! {
                    <p>"Evidence packs are signed with this installation's Ed25519 key:"</p>
                    <p><code class="key">{key.clone()}</code></p>
                    <p class="muted">"Check a pack anywhere with:"</p>
                    <p><code class="key">{format!("continuity evidence verify PACK.zip --public-key {key}")}</code></p>
                }.into_any(),
                None => view! { <p class="muted">"The key is made with the first evidence pack."</p> }.into_any(),
            }}
        </article>
    }
}

#[component]
fn Exports(jobs: Vec<ReportJob>) -> impl IntoView {
    view! {
        <DataTable id="exports" caption="My exports" headers=&["Report", "Period", "Requested", "Progress"]>
            {jobs.into_iter().map(|j| view! { <ExportRow j /> }).collect_view()}
        </DataTable>
    }
}

#[component]
fn ExportRow(j: ReportJob) -> impl IntoView {
    let period = j.period.map_or("–".to_string(), |p| {
        format!("{} to {}", format_date(p.from), format_date(p.to))
    });
    let state = match j.status {
        JobStatus::Running => view! {
            <progress max="100" value=j.progress.to_string() aria-label=format!("Export {} progress", j.id)></progress>
            " "<span class="muted">{format!("{}% {}", j.progress, j.stage)}</span>
        }
        .into_any(),
        JobStatus::Done => view! {
            <a href=format!("/reports/{}/download", j.id) rel="external" download class="download">{j.file_name.clone().unwrap_or_default()}</a>
            <br /><span class="muted hash">{format!("SHA-256 {}", j.sha256.clone().unwrap_or_default())}</span>
        }
        .into_any(),
        JobStatus::Failed => view! { <span class="overdue">{format!("Failed: {}", j.error.clone().unwrap_or_default())}</span> }.into_any(),
    };
    view! {
        <tr class=format!("export {}", j.status.as_str())>
            <td>{j.kind.label()}</td>
            <td>{period}</td>
            <td>{j.created_at.display_minutes()}</td>
            <td>{state}</td>
        </tr>
    }
}
