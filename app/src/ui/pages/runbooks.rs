//! Runbooks: the list (with the critical services still missing one), and
//! one runbook's versions, steps, approval and form.

use crate::api::runbooks::{
    get_runbook, list_runbooks, ApproveRunbook, GenerateRunbook, RunbookList, RunbookView,
    SaveRunbook,
};
use crate::domain::approval::ApprovalStatus;
use crate::domain::runbook::{Runbook, RunbookScope, Step, StepInput, StepKind};
use crate::ui::components::errors::{form_error, ErrorBox, Loaded};
use crate::ui::components::page::{route_param, Page};
use leptos::prelude::*;

#[component]
pub fn RunbooksPage() -> impl IntoView {
    let generate = ServerAction::<GenerateRunbook>::new();
    let list = Resource::new(|| (), |_| list_runbooks());
    view! {
        <Page title="Runbooks">
            {move || form_error(generate.value().get()).map(|error| view! { <ErrorBox error /> })}
            <Loaded resource=list show=move |l| view! { <RunbookListBody l generate /> } />
        </Page>
    }
}

#[component]
fn RunbookListBody(l: RunbookList, generate: ServerAction<GenerateRunbook>) -> impl IntoView {
    view! {
        <p class="muted">"Each service's runbook, and each site's scenario runbook (its services' steps in startup-wave order). Open a service from its page to write its runbook."</p>
        {(!l.missing.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="missing-heading">
                <h2 id="missing-heading">{format!("Tier 0–2 services without an approved runbook ({})", l.missing.len())}</h2>
                <ul class="plain" id="missing-runbooks">
                    {l.missing.iter().map(|m| {
                        let key = m.split(' ').next().unwrap_or_default().to_string();
                        view! { <li><a href=format!("/runbooks/service/{key}")>{m.clone()}</a></li> }
                    }).collect_view()}
                </ul>
            </section>
        })}
        <div class="table-wrap">
            <table class="table" id="runbooks">
                <caption class="visually-hidden">"Runbooks"</caption>
                <thead><tr>
                    <th scope="col">"Runbook"</th><th scope="col">"Version"</th><th scope="col">"Status"</th>
                    <th scope="col">"Steps"</th><th scope="col">"Expected"</th><th scope="col">"Review due"</th>
                </tr></thead>
                <tbody>
                    {l.runbooks.into_iter().map(|r| view! {
                        <tr>
                            <td><a href=r.path.clone()>{format!("{} {} — {}", r.scope, r.subject, r.name)}</a></td>
                            <td>{r.version}</td>
                            <td>{r.status}</td>
                            <td>{r.steps}</td>
                            <td>{format!("{} min", r.expected_minutes)}</td>
                            <td>{r.review_due}{r.overdue.then(|| view! { " "<span class="badge warn">"overdue"</span> })}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <section class="card" aria-labelledby="scenario-heading">
            <h2 id="scenario-heading">"Site-loss scenarios"</h2>
            <ul class="plain">
                {l.sites.into_iter().map(|(key, name)| view! {
                    <li>
                        <a href=format!("/runbooks/site/{key}")>{format!("Loss of {key} — {name}")}</a>
                        <ActionForm action=generate attr:class="inline">
                            <input type="hidden" name="site" value=key.clone() />
                            <button type="submit" class="secondary small">{format!("Generate from the {key} simulation")}</button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn RunbookPage() -> impl IntoView {
    let scope = route_param("scope");
    let key = route_param("key");
    let approve = ServerAction::<ApproveRunbook>::new();
    let save = ServerAction::<SaveRunbook>::new();
    let runbook = Resource::new(
        move || {
            (
                scope.get(),
                key.get(),
                approve.version().get(),
                save.version().get(),
            )
        },
        |(scope, key, ..)| get_runbook(scope, key),
    );
    view! {
        <Page title="Runbook">
            {move || form_error(approve.value().get()).map(|error| view! { <ErrorBox error /> })}
            {move || approve.value().get().and_then(|r| r.err()).and_then(|e| e.message_for("rollback")).map(|m| view! { <p class="alert error" role="alert">{m}</p> })}
            <Loaded resource=runbook show=move |v| view! { <RunbookBody v approve save /> } />
        </Page>
    }
}

#[component]
fn RunbookBody(
    v: RunbookView,
    approve: ServerAction<ApproveRunbook>,
    save: ServerAction<SaveRunbook>,
) -> impl IntoView {
    let subject_path = match v.scope {
        RunbookScope::Service => format!("/services/{}", v.subject),
        RunbookScope::Site => format!("/sites/{}", v.subject),
    };
    let latest_draft = v
        .versions
        .first()
        .filter(|r| r.status == ApprovalStatus::Draft)
        .map(|r| r.version);
    let shown = v.versions.first().cloned();
    let (scope, subject) = (v.scope, v.subject.clone());
    view! {
        <p><a href=subject_path>{format!("{} {} — {}", v.scope, v.subject, v.name)}</a></p>
        {v.overdue.then(|| view! { <p class="alert error" id="runbook-overdue">"The approved runbook is past its review date: review it and approve a new version."</p> })}
        {match shown {
            Some(r) => view! { <RunbookSteps r /> }.into_any(),
            None => view! { <p class="muted" id="no-runbook">"No runbook yet."</p> }.into_any(),
        }}
        <section class="card" aria-labelledby="versions-heading">
            <h2 id="versions-heading">"Versions"</h2>
            <div class="table-wrap">
                <table class="table compact" id="runbook-versions" aria-labelledby="versions-heading">
                    <thead><tr><th scope="col">"Version"</th><th scope="col">"Status"</th><th scope="col">"Steps"</th><th scope="col">"Approved"</th><th scope="col">"Review due"</th></tr></thead>
                    <tbody>
                        {v.versions.iter().map(|r| view! {
                            <tr>
                                <td>{r.version}</td>
                                <td>{r.status.as_str()}</td>
                                <td>{format!("{} + {} rollback", r.content.steps.len(), r.content.rollback.len())}</td>
                                <td>{r.approval.text()}</td>
                                <td>{r.approval.review_text()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {(v.can_approve && latest_draft.is_some()).then(|| view! {
                <ActionForm action=approve>
                    <input type="hidden" name="scope" value=scope.as_str() />
                    <input type="hidden" name="subject" value=subject.clone() />
                    <input type="hidden" name="version" value=latest_draft.unwrap_or_default().to_string() />
                    <button type="submit" class="primary">{format!("Approve version {}", latest_draft.unwrap_or_default())}</button>
                </ActionForm>
            })}
        </section>
        {v.can_edit.then(|| view! { <RunbookForm v=v.clone() save /> })}
    }
}

/// The newest version's steps, forward then back.
#[component]
fn RunbookSteps(r: Runbook) -> impl IntoView {
    let heading = format!(
        "Version {} ({}): {} min expected",
        r.version,
        r.status,
        r.content.expected_minutes()
    );
    view! {
        <section class="card" aria-labelledby="steps-heading">
            <h2 id="steps-heading">{heading}</h2>
            <StepTable id="steps" steps=r.content.steps />
            <h3>"Rollback and failback"</h3>
            {if r.content.rollback.is_empty() {
                view! { <p class="muted">"No rollback section yet: it is needed before approval."</p> }.into_any()
            } else {
                view! { <StepTable id="rollback-steps" steps=r.content.rollback /> }.into_any()
            }}
        </section>
    }
}

#[component]
fn StepTable(id: &'static str, steps: Vec<Step>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table compact" id=id>
                <thead><tr><th scope="col">"#"</th><th scope="col">"Step"</th><th scope="col">"Who"</th><th scope="col">"Minutes"</th><th scope="col">"Kind"</th><th scope="col">"Service"</th></tr></thead>
                <tbody>
                    {steps.into_iter().enumerate().map(|(i, s)| view! {
                        <tr>
                            <td>{i + 1}</td>
                            <td><strong>{s.title}</strong>{(!s.instructions.is_empty()).then(|| view! { <br /><span class="muted">{s.instructions}</span> })}</td>
                            <td>{s.role}</td>
                            <td>{s.expected_minutes}</td>
                            <td>{s.kind.as_str()}</td>
                            <td>{s.service.map(|k| k.to_string()).unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn RunbookForm(v: RunbookView, save: ServerAction<SaveRunbook>) -> impl IntoView {
    let result = save.value();
    let errors = move || {
        result.get().and_then(|r| r.err()).map(|e| {
            let lines: Vec<String> = e
                .field_messages()
                .into_iter()
                .map(|(f, m)| format!("{f}: {m}"))
                .collect();
            (e, lines)
        })
    };
    view! {
        <section class="card" aria-labelledby="runbook-form-heading">
            <h2 id="runbook-form-heading">"Edit"</h2>
            <p class="muted">"Saving changes the draft; after an approved version it starts a new draft. Empty rows are ignored; fill one in to add a step. Kinds: action, verify (a check that must pass before user access), reconcile (data reconciliation, rollback section only)."</p>
            <ActionForm action=save>
                <input type="hidden" name="scope" value=v.scope.as_str() />
                <input type="hidden" name="subject" value=v.subject.clone() />
                <StepRows section="steps" legend="Steps" rows=v.input.steps.clone() />
                <StepRows section="rollback" legend="Rollback and failback (with data reconciliation)" rows=v.input.rollback.clone() />
                {move || errors().map(|(error, lines)| if lines.is_empty() {
                    view! { <ErrorBox error /> }.into_any()
                } else {
                    view! { <div class="alert error" role="alert" id="runbook-errors"><ul>{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul></div> }.into_any()
                })}
                <button type="submit" class="primary">"Save runbook"</button>
            </ActionForm>
        </section>
    }
}

/// One section's rows as inputs named `runbook[steps][0][title]`.
#[component]
fn StepRows(section: &'static str, legend: &'static str, rows: Vec<StepInput>) -> impl IntoView {
    view! {
        <fieldset class="steps">
            <legend>{legend}</legend>
            <div class="table-wrap">
                <table class="table compact" id=format!("{section}-form")>
                    <thead><tr><th scope="col">"#"</th><th scope="col">"Title"</th><th scope="col">"Instructions"</th><th scope="col">"Who"</th><th scope="col">"Minutes"</th><th scope="col">"Kind"</th><th scope="col">"Service"</th></tr></thead>
                    <tbody>
                        {rows.into_iter().enumerate().map(|(i, row)| {
                            let n = i + 1;
                            let name = move |field: &str| format!("runbook[{section}][{i}][{field}]");
                            let label = move |field: &str| format!("{section} {n} {field}");
                            let kind = if row.kind.is_empty() { "action".to_string() } else { row.kind.clone() };
                            view! {
                                <tr>
                                    <td>{n}</td>
                                    <td><input type="text" name=name("title") value=row.title.clone() aria-label=label("title") /></td>
                                    <td><input type="text" name=name("instructions") value=row.instructions.clone() aria-label=label("instructions") /></td>
                                    <td><input type="text" name=name("role") value=row.role.clone() aria-label=label("role") size="12" /></td>
                                    <td><input type="text" inputmode="numeric" name=name("expected_minutes") value=row.expected_minutes.clone() aria-label=label("expected minutes") size="4" /></td>
                                    <td>
                                        <select name=name("kind") aria-label=label("kind")>
                                            {StepKind::ALL.iter().map(|k| view! { <option value=k.as_str() selected=kind == k.as_str()>{k.as_str()}</option> }).collect_view()}
                                        </select>
                                    </td>
                                    <td><input type="text" name=name("service") value=row.service.clone() aria-label=label("service") size="10" /></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </fieldset>
    }
}
