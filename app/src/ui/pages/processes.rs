//! Business processes: the list, one process with the services it uses,
//! its RACI and history, and the form.

use crate::api::processes::{
    get_process, list_processes, process_form, DeleteProcess, ProcessDetail, ProcessList,
    SaveProcess,
};
use crate::api::services::AssignRaci;
use crate::domain::inventory::process::{Criticality, ProcessInput};
use crate::domain::inventory::raci::RaciSubject;
use crate::ui::components::errors::{field_error, form_error, ErrorBox, Loaded};
use crate::ui::components::form::{name_options, SelectField, TextField};
use crate::ui::components::history::History;
use crate::ui::components::page::{route_key, Page};
use crate::ui::components::raci::RaciCard;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ProcessesPage() -> impl IntoView {
    let query = use_query_map();
    let search = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let processes = Resource::new(move || search.get(), list_processes);
    view! {
        <Page title="Business processes">
            <Loaded resource=processes show=move |list: ProcessList| view! {
                <div class="toolbar">
                    <Form method="GET" action="/processes">
                        <div class="field">
                            <label for="q">"Search"</label>
                            <input id="q" name="q" type="search" value=search.get_untracked() placeholder="key, name, owner" />
                        </div>
                        <div class="field"><button type="submit" class="secondary">"Search"</button></div>
                    </Form>
                    <a href="/api/v1/export/processes" download="processes.csv">"Export processes.csv"</a>
                    {list.can_edit.then(|| view! { <a class="button" href="/processes/new">"Add a process"</a> })}
                </div>
                <ProcessTable list />
            } />
        </Page>
    }
}

#[component]
fn ProcessTable(list: ProcessList) -> impl IntoView {
    let empty = list.processes.is_empty();
    view! {
        {(list.overdue > 0).then(|| view! {
            <p class="alert error" id="overdue-reviews">{format!("{} BIA review(s) overdue.", list.overdue)}</p>
        })}
        <div class="table-wrap">
            <table class="table" id="processes">
                <caption class="visually-hidden">"Business processes"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Key"</th>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Owner"</th>
                        <th scope="col">"Criticality"</th>
                        <th scope="col">"Services used"</th>
                        <th scope="col">"BIA"</th>
                        <th scope="col">"Review due"</th>
                    </tr>
                </thead>
                <tbody>
                    {list.processes.into_iter().map(|row| {
                        let p = row.process;
                        let class = if row.review_overdue { "incomplete" } else { "" };
                        view! {
                            <tr class=class>
                                <td><a href=format!("/processes/{}", p.key)>{p.key.to_string()}</a></td>
                                <td>{p.name}</td>
                                <td>{p.owner}</td>
                                <td>{p.criticality.as_str()}</td>
                                <td>{p.services.len()}</td>
                                <td><a href=format!("/processes/{}/bia", p.key)>{row.bia_status.unwrap_or_else(|| "none".into())}</a></td>
                                <td>
                                    {row.review_due.unwrap_or_else(|| "–".into())}
                                    {row.review_overdue.then(|| view! { " "<span class="badge warn">"overdue"</span> })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {empty.then(|| view! { <p class="muted">"No processes match."</p> })}
    }
}

#[component]
pub fn ProcessPage() -> impl IntoView {
    let key = route_key();
    let delete = ServerAction::<DeleteProcess>::new();
    let assign = ServerAction::<AssignRaci>::new();
    let detail = Resource::new(
        move || (key.get(), assign.version().get()),
        |(key, _)| get_process(key),
    );
    view! {
        <Page title="Business process">
            {move || form_error(delete.value().get()).map(|error| view! { <ErrorBox error /> })}
            <Loaded resource=detail show=move |d| view! { <ProcessView d delete assign /> } />
        </Page>
    }
}

#[component]
fn ProcessView(
    d: ProcessDetail,
    delete: ServerAction<DeleteProcess>,
    assign: ServerAction<AssignRaci>,
) -> impl IntoView {
    let p = d.process;
    let key = p.key.to_string();
    let edit_key = key.clone();
    view! {
        <section class="card" aria-labelledby="process-name">
            <h2 id="process-name">{format!("{} — {}", p.key, p.name)}</h2>
            {(!p.description.is_empty()).then(|| view! { <p>{p.description.clone()}</p> })}
            <dl class="facts">
                <dt>"Owner"</dt><dd>{if p.owner.is_empty() { "not set".to_string() } else { p.owner.clone() }}</dd>
                <dt>"Criticality"</dt><dd>{p.criticality.as_str()}</dd>
                <dt>"BIA"</dt><dd><a href=format!("/processes/{}/bia", p.key) id="bia-link">"Business impact analysis, targets and versions"</a></dd>
            </dl>
        </section>
        {d.can_edit.then(move || view! {
            <div class="toolbar">
                <a class="button" href=format!("/processes/{edit_key}/edit")>"Edit"</a>
                <ActionForm action=delete>
                    <input type="hidden" name="key" value=edit_key.clone() />
                    <button type="submit" class="danger">"Delete process"</button>
                </ActionForm>
            </div>
        })}
        <section class="card" aria-labelledby="used-heading">
            <h2 id="used-heading">"Services used"</h2>
            {if d.services.is_empty() {
                view! { <p class="muted">"None yet: edit the process to list the services it uses."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table compact" id="process-services" aria-labelledby="used-heading">
                            <thead><tr><th scope="col">"Service"</th><th scope="col">"Name"</th><th scope="col">"Tier"</th><th scope="col">"Primary site"</th></tr></thead>
                            <tbody>
                                {d.services.into_iter().map(|s| view! {
                                    <tr>
                                        <td><a href=format!("/services/{}", s.key)>{s.key.clone()}</a></td>
                                        <td>{s.name}</td>
                                        <td>{s.tier.map(|t| t.to_string()).unwrap_or_else(|| "–".into())}</td>
                                        <td>{s.primary_site}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        <RaciCard subject=RaciSubject::Process key=key.clone() assignments=d.raci gap=d.raci_gap can_assign=d.can_edit action=assign />
        <History entries=d.history />
    }
}

#[component]
pub fn NewProcessPage() -> impl IntoView {
    view! {
        <Page title="Add a business process">
            <ProcessFormLoader key=Memo::new(|_| String::new()) />
        </Page>
    }
}

#[component]
pub fn EditProcessPage() -> impl IntoView {
    view! {
        <Page title="Edit business process">
            <ProcessFormLoader key=route_key() />
        </Page>
    }
}

/// Loads what the form starts with; refused (403) for those who may not
/// edit processes.
#[component]
fn ProcessFormLoader(key: Memo<String>) -> impl IntoView {
    let initial = Resource::new(move || key.get(), process_form);
    view! {
        <Loaded resource=initial show=move |initial| view! { <ProcessForm original=key.get_untracked() initial /> } />
    }
}

#[component]
fn ProcessForm(original: String, initial: ProcessInput) -> impl IntoView {
    let save = ServerAction::<SaveProcess>::new();
    let result = save.value();
    let err = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    view! {
        <ActionForm action=save>
            <input type="hidden" name="original_key" value=original />
            <div class="grid-form">
                <TextField id="process-key" label="Key" name="process[key]" value=initial.key error=err("key") hint="A-Z, 0-9, _ and -, e.g. ORDER-TO-CASH" required=true />
                <TextField id="process-name" label="Name" name="process[name]" value=initial.name error=err("name") required=true />
                <TextField id="process-owner" label="Owner" name="process[owner]" value=initial.owner error=err("owner") hint="a person or team" />
                <SelectField id="process-criticality" label="Criticality" name="process[criticality]"
                    options=name_options(Criticality::ALL, Criticality::as_str) selected=initial.criticality error=err("criticality") />
                <TextField id="process-services" label="Services used" name="process[services]" value=initial.services error=err("services") hint="service keys separated by ;" />
                <TextField id="process-description" label="Description" name="process[description]" value=initial.description error=err("description") />
            </div>
            {move || form_error(result.get()).map(|error| view! { <ErrorBox error /> })}
            <button type="submit" class="primary">"Save process"</button>
        </ActionForm>
    }
}
