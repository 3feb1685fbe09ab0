//! Drills (list, plan, run, results), coverage with the rotation, and
//! post-mortems with their action items.

use crate::api::drills::{
    drill_coverage, get_drill, get_post_mortem, get_trends, list_actions, list_drills, ActionsView,
    AddActionItem, AdvanceDrill, DrillList, DrillView, PlanDrill, PostMortemView,
    RecordDrillResult, SavePostMortem, SetActionItem,
};
use crate::api::failover::RecordStep;
use crate::domain::drill::{Coverage, DrillKind, DrillStatus};
use crate::domain::timestamp::format_date;
use crate::ui::components::chart::LineChart;
use crate::ui::components::errors::{field_error, form_error, ErrorBox, Loaded};
use crate::ui::components::form::{name_options, SelectField, TextField};
use crate::ui::components::page::{parse_id, route_param, Page};
use crate::ui::components::steplog::StepLog;
use leptos::prelude::*;

/// Every field error of the last result, for forms with many fields.
fn error_list<T: Clone + Send + Sync + 'static>(
    value: impl Get<Value = Option<Result<T, crate::api::error::AppError>>> + Send + Sync + 'static,
) -> impl Fn() -> Option<AnyView> + Send + Sync + 'static {
    move || {
        value.get().and_then(|r| r.err()).map(|e| {
            let lines = e.field_messages();
            if lines.is_empty() {
                view! { <ErrorBox error=e /> }.into_any()
            } else {
                view! {
                    <div class="alert error" role="alert">
                        <ul>{lines.into_iter().map(|(f, m)| view! { <li>{format!("{f}: {m}")}</li> }).collect_view()}</ul>
                    </div>
                }
                .into_any()
            }
        })
    }
}

#[component]
pub fn DrillsPage() -> impl IntoView {
    let plan = ServerAction::<PlanDrill>::new();
    let list = Resource::new(|| (), |_| list_drills());
    view! {
        <Page title="Drills">
            <Loaded resource=list show=move |l| view! { <DrillListBody l plan /> } />
        </Page>
    }
}

#[component]
fn DrillListBody(l: DrillList, plan: ServerAction<PlanDrill>) -> impl IntoView {
    view! {
        <p class="muted">"Planned, running and past drills by start. See also "<a href="/coverage">"coverage"</a>", "<a href="/actions">"post-mortems and action items"</a>" and "<a href="/trends">"recovery trends"</a>"."</p>
        <div class="table-wrap">
            <table class="table" id="drills">
                <caption class="visually-hidden">"Drills"</caption>
                <thead><tr><th scope="col">"Drill"</th><th scope="col">"Kind"</th><th scope="col">"Window (UTC)"</th><th scope="col">"Status"</th><th scope="col">"Services"</th></tr></thead>
                <tbody>
                    {l.drills.into_iter().map(|row| {
                        let d = row.drill;
                        view! {
                            <tr>
                                <td><a href=format!("/drills/{}", d.id)>{d.title.clone()}</a>
                                    {(!row.warnings.is_empty()).then(|| view! { " "<span class="badge warn">"backup overlap"</span> })}</td>
                                <td>{d.kind.as_str()}</td>
                                <td>{format!("{} – {}", d.starts_at.display_minutes(), d.ends_at.display_minutes())}</td>
                                <td>{d.status.as_str()}</td>
                                <td>{d.services.iter().map(|s| s.service.to_string()).collect::<Vec<_>>().join(", ")}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {l.can_plan.then(|| view! { <PlanForm plan /> })}
    }
}

#[component]
fn PlanForm(plan: ServerAction<PlanDrill>) -> impl IntoView {
    let result = plan.value();
    let err = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    view! {
        <section class="card" aria-labelledby="plan-heading">
            <h2 id="plan-heading">"Plan a drill"</h2>
            <ActionForm action=plan>
                <div class="grid-form">
                    <TextField id="drill-title" label="Title" name="drill[title]" value="" error=err("title") required=true />
                    <SelectField id="drill-kind" label="Kind" name="drill[kind]" options=name_options(DrillKind::ALL, DrillKind::as_str) selected="full_failover" error=err("kind") />
                    <TextField id="drill-start" label="Starts (UTC)" name="drill[starts_at]" value="" error=err("starts_at") hint="2026-12-05T22:00" required=true />
                    <TextField id="drill-end" label="Ends (UTC)" name="drill[ends_at]" value="" error=err("ends_at") hint="inside the maintenance window" required=true />
                    <TextField id="drill-services" label="Services" name="drill[services]" value="" error=err("services") hint="keys separated by ;" required=true />
                    <TextField id="drill-participants" label="Participants" name="drill[participants]" value="" error=err("participants") hint="people and vendors, separated by ;" />
                </div>
                {move || form_error(result.get()).map(|error| view! { <ErrorBox error /> })}
                <button type="submit" class="primary">"Plan drill"</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn DrillPage() -> impl IntoView {
    let id = route_param("id");
    let advance = ServerAction::<AdvanceDrill>::new();
    let record = ServerAction::<RecordDrillResult>::new();
    let step = ServerAction::<RecordStep>::new();
    let drill = Resource::new(
        move || {
            (
                id.get(),
                advance.version().get(),
                record.version().get(),
                step.version().get(),
            )
        },
        |(id, ..)| async move {
            let id = parse_id("Drill", &id)?;
            get_drill(id).await
        },
    );
    view! {
        <Page title="Drill">
            {error_list(advance.value())}
            {error_list(record.value())}
            {error_list(step.value())}
            <Loaded resource=drill show=move |v| view! { <DrillBody v advance record step /> } />
        </Page>
    }
}

#[component]
fn DrillBody(
    v: DrillView,
    advance: ServerAction<AdvanceDrill>,
    record: ServerAction<RecordDrillResult>,
    step: ServerAction<RecordStep>,
) -> impl IntoView {
    let d = v.drill.clone();
    let id = d.id;
    let running = d.status == DrillStatus::InProgress;
    let tabletop = d.kind == DrillKind::Tabletop;
    let action_button = move |action: &'static str, label: &'static str, class: &'static str| {
        view! {
            <ActionForm action=advance>
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="action" value=action />
                <button type="submit" class=class id=format!("drill-{action}")>{label}</button>
            </ActionForm>
        }
    };
    view! {
        <section class="card" aria-labelledby="drill-heading">
            <h2 id="drill-heading">{format!("{} ({})", d.title, d.kind)} " " <span class="badge" id="drill-status">{d.status.as_str()}</span></h2>
            <dl class="facts">
                <dt>"Window"</dt><dd>{format!("{} – {}", d.starts_at.display_minutes(), d.ends_at.display_minutes())}</dd>
                <dt>"Participants"</dt><dd>{if d.participants.is_empty() { "none named".to_string() } else { d.participants.join(", ") }}</dd>
                {(!d.notes.is_empty()).then(|| view! { <dt>"Decisions and gaps"</dt><dd>{d.notes.clone()}</dd> })}
                {v.post_mortem.map(|pm| view! { <dt>"Post-mortem"</dt><dd><a href=format!("/postmortems/{pm}") id="post-mortem-link">"write it up"</a></dd> })}
                <dt>"Report"</dt><dd><a href=format!("/drills/{id}/report.pdf") rel="external" id="drill-report">"drill report (PDF)"</a></dd>
            </dl>
            {(!v.warnings.is_empty()).then(|| view! {
                <div class="alert error" id="drill-warnings" role="note"><ul>{v.warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}</ul></div>
            })}
            {v.can_manage.then(|| view! {
                <div class="toolbar">
                    {(d.status == DrillStatus::Planned).then(|| action_button("start", "Start the drill", "primary"))}
                    {matches!(d.status, DrillStatus::Planned | DrillStatus::InProgress).then(|| action_button("cancel", "Cancel", "danger"))}
                </div>
            })}
        </section>
        {(!d.steps.is_empty()).then(|| {
            let recordable = running && (v.can_manage || v.targets.iter().any(|t| t.can_record));
            view! {
                <section class="card" aria-labelledby="drill-steps-heading">
                    <h2 id="drill-steps-heading">"Step log"</h2>
                    <StepLog log="drill" id="drill-steps" caption="Steps in startup-wave order" runs=d.steps.clone() recordable now=v.now owner=id step />
                </section>
            }.into_any()
        })}
        <div class="table-wrap">
            <table class="table" id="drill-results">
                <caption>"Services, runbooks and results"</caption>
                <thead><tr><th scope="col">"Service"</th><th scope="col">"Runbook"</th><th scope="col">"Targets"</th><th scope="col">"Result"</th></tr></thead>
                <tbody>
                    {d.services.iter().zip(v.targets.iter()).map(|(s, t)| {
                        let rto = t.target_rto_minutes.map_or("–".into(), |m| format!("{m} min"));
                        let rpo = t.target_rpo_minutes.map_or("–".into(), |m| format!("{m} min"));
                        let form = (running && !tabletop && t.can_record).then(|| view! { <ResultForm id service=s.service.to_string() record /> });
                        view! {
                            <tr data-service=s.service.to_string()>
                                <td><a href=format!("/services/{}", s.service)>{s.service.to_string()}</a></td>
                                <td>{s.runbook_version.map_or("no approved runbook".into(), |v| format!("version {v}"))}</td>
                                <td>{format!("RTO {rto}, RPO {rpo}")}</td>
                                <td>
                                    {s.result.clone().map(|r| view! {
                                        <span class=if r.passed { "badge ok" } else { "badge warn" }>{if r.passed { "passed" } else { "failed" }}</span>
                                        {format!(" {} min, {} min of data lost: {}", r.measured_minutes, r.data_loss_minutes, r.reason)}
                                    })}
                                    {form}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {(running && v.can_manage).then(|| view! {
            <section class="card" aria-labelledby="complete-heading">
                <h2 id="complete-heading">"Complete"</h2>
                <ActionForm action=advance>
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="action" value="complete" />
                    <label for="drill-notes">{if tabletop { "Decisions taken and gaps found" } else { "Notes" }}</label>
                    <textarea id="drill-notes" name="notes" rows="3"></textarea>
                    <button type="submit" class="primary" id="drill-complete">"Complete the drill"</button>
                </ActionForm>
            </section>
        })}
    }
}

#[component]
fn ResultForm(id: i64, service: String, record: ServerAction<RecordDrillResult>) -> impl IntoView {
    let of = service.clone();
    let label = move |what: &str| format!("{what} of {of}");
    view! {
        <ActionForm action=record attr:class="result-form">
            <input type="hidden" name="id" value=id.to_string() />
            <input type="hidden" name="service" value=service.clone() />
            <input type="text" inputmode="numeric" name="result[measured_minutes]" size="5" aria-label=label("Recovery minutes") placeholder="recovery min" />
            <input type="text" inputmode="numeric" name="result[data_loss_minutes]" size="5" aria-label=label("Data loss minutes") placeholder="data loss min" />
            <textarea name="result[checks]" rows="2" aria-label=label("Synthetic checks") placeholder="check | passed or failed | detail"></textarea>
            <button type="submit" class="secondary small">{format!("Record {service}")}</button>
        </ActionForm>
    }
}

#[component]
pub fn CoveragePage() -> impl IntoView {
    let rows = Resource::new(|| (), |_| drill_coverage());
    view! {
        <Page title="Drill coverage">
            <p class="muted">"Every tier 0–2 service must pass a drill: tier 0 every 180 days, tiers 1–2 every 365. The rotation spreads the drills over the next twelve months, most urgent first, each before it falls due."</p>
            <Loaded resource=rows show=|rows| view! { <CoverageTable rows /> } />
        </Page>
    }
}

#[component]
fn CoverageTable(rows: Vec<Coverage>) -> impl IntoView {
    let overdue = rows.iter().filter(|r| r.overdue).count();
    view! {
        <p id="coverage-summary">{format!("{} critical services, {overdue} due or overdue now.", rows.len())}</p>
        <div class="table-wrap">
            <table class="table" id="coverage">
                <caption class="visually-hidden">"Drill coverage"</caption>
                <thead><tr><th scope="col">"Service"</th><th scope="col">"Tier"</th><th scope="col">"Last passed"</th><th scope="col">"Next due"</th><th scope="col">"Proposed month"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr data-service=r.service.clone()>
                            <td><a href=format!("/services/{}", r.service)>{r.service.clone()}</a></td>
                            <td>{r.tier}</td>
                            <td>{r.last_passed.map_or("never".into(), format_date)}</td>
                            <td>{format_date(r.next_due)}{r.overdue.then(|| view! { " "<span class="badge warn">"overdue"</span> })}</td>
                            <td>{format!("{} {}", r.proposed.month(), r.proposed.year())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn ActionsPage() -> impl IntoView {
    let set = ServerAction::<SetActionItem>::new();
    let view_ = Resource::new(move || set.version().get(), |_| list_actions());
    view! {
        <Page title="Post-mortems and action items">
            {move || form_error(set.value().get()).map(|error| view! { <ErrorBox error /> })}
            <Loaded resource=view_ show=move |v| view! { <ActionsBody v set /> } />
        </Page>
    }
}

#[component]
fn ActionsBody(v: ActionsView, set: ServerAction<SetActionItem>) -> impl IntoView {
    let mine: Vec<_> = v
        .actions
        .iter()
        .filter(|a| a.mine && a.item.status.as_str() == "open")
        .cloned()
        .collect();
    view! {
        <section class="card" aria-labelledby="mine-heading">
            <h2 id="mine-heading">{format!("My open action items ({})", mine.len())}</h2>
            <ul class="plain" id="my-actions">
                {mine.into_iter().map(|a| view! { <li>{format!("{} — due {}", a.item.title, a.item.due_text())}{a.overdue.then(|| view! { " "<span class="badge warn">"overdue"</span> })}</li> }).collect_view()}
            </ul>
        </section>
        <section class="card" aria-labelledby="pm-heading">
            <h2 id="pm-heading">"Post-mortems"</h2>
            <ul class="plain" id="post-mortems">
                {v.post_mortems.into_iter().map(|(p, overdue)| view! {
                    <li>
                        <a href=format!("/postmortems/{}", p.id)>{p.title.clone()}</a>
                        {format!(" — {}, due {}", p.status, p.due_at.display_minutes())}
                        {overdue.then(|| view! { " "<span class="badge warn">"overdue"</span> })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <div class="table-wrap">
            <table class="table" id="action-items">
                <caption>"Action items"</caption>
                <thead><tr><th scope="col">"Action"</th><th scope="col">"Owner"</th><th scope="col">"Due"</th><th scope="col">"Status"</th><th scope="col">"Change"</th></tr></thead>
                <tbody>
                    {v.actions.into_iter().map(|a| {
                        let next = if a.item.status.as_str() == "open" { "done" } else { "open" };
                        view! {
                            <tr>
                                <td>{a.item.title.clone()}{a.item.retest.then(|| view! { " "<span class="badge">"retest in next drill"</span> })}</td>
                                <td>{a.item.owner.clone()}</td>
                                <td>{a.item.due_text()}{a.overdue.then(|| view! { " "<span class="badge warn">"overdue"</span> })}</td>
                                <td>{a.item.status.as_str()}</td>
                                <td>
                                    <a href=a.item.link.clone()>{a.item.link.clone()}</a>
                                    <ActionForm action=set attr:class="inline">
                                        <input type="hidden" name="id" value=a.item.id.to_string() />
                                        <input type="hidden" name="status" value=next />
                                        <button type="submit" class="secondary small">{if next == "done" { "Mark done" } else { "Reopen" }}</button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn PostMortemPage() -> impl IntoView {
    let id = route_param("id");
    let save = ServerAction::<SavePostMortem>::new();
    let add = ServerAction::<AddActionItem>::new();
    let pm = Resource::new(
        move || (id.get(), save.version().get(), add.version().get()),
        |(id, ..)| async move {
            let id = parse_id("Post-mortem", &id)?;
            get_post_mortem(id).await
        },
    );
    view! {
        <Page title="Post-mortem">
            {error_list(save.value())}
            {error_list(add.value())}
            <Loaded resource=pm show=move |v| view! { <PostMortemBody v save add /> } />
        </Page>
    }
}

#[component]
fn PostMortemBody(
    v: PostMortemView,
    save: ServerAction<SavePostMortem>,
    add: ServerAction<AddActionItem>,
) -> impl IntoView {
    let p = v.post_mortem.clone();
    let id = p.id;
    view! {
        <section class="card" aria-labelledby="pm-title">
            <h2 id="pm-title">{p.title.clone()} " " <span class="badge" id="pm-status">{p.status.as_str()}</span></h2>
            <p id="pm-due" class=if v.overdue { "alert error" } else { "muted" }>
                {format!("Due {}{}", p.due_at.display_minutes(), if v.overdue { ": overdue" } else { "" })}
                " · "<a href=p.source_path()>"the event"</a>
            </p>
            {if v.can_edit {
                view! {
                    <ActionForm action=save>
                        <input type="hidden" name="id" value=id.to_string() />
                        <label for="pm-summary">"Blameless summary"</label>
                        <textarea id="pm-summary" name="post_mortem[summary]" rows="3">{p.summary.clone()}</textarea>
                        <label for="pm-timeline">"Timeline"</label>
                        <textarea id="pm-timeline" name="post_mortem[timeline]" rows="8">{p.timeline.clone()}</textarea>
                        <label for="pm-factors">"Contributing factors"</label>
                        <textarea id="pm-factors" name="post_mortem[contributing_factors]" rows="3">{p.contributing_factors.clone()}</textarea>
                        <div class="toolbar">
                            <button type="submit" class="secondary">"Save"</button>
                            <button type="submit" class="primary" name="post_mortem[publish]" value="true" id="pm-publish">"Publish"</button>
                        </div>
                    </ActionForm>
                }.into_any()
            } else {
                view! {
                    <h3>"Summary"</h3><p>{p.summary.clone()}</p>
                    <h3>"Timeline"</h3><pre>{p.timeline.clone()}</pre>
                    <h3>"Contributing factors"</h3><p>{p.contributing_factors.clone()}</p>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="pm-actions-heading">
            <h2 id="pm-actions-heading">"Action items"</h2>
            <ul class="plain" id="pm-actions">
                {v.actions.iter().map(|a| view! { <li>{format!("{} — {}, due {} ({}){}", a.title, a.owner, a.due_text(), a.status, if a.retest { ", retest in next drill" } else { "" })}</li> }).collect_view()}
            </ul>
            {v.can_edit.then(|| view! { <ActionItemForm id add /> })}
        </section>
    }
}

#[component]
fn ActionItemForm(id: i64, add: ServerAction<AddActionItem>) -> impl IntoView {
    let result = add.value();
    let err = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    view! {
        <ActionForm action=add>
            <input type="hidden" name="post_mortem" value=id.to_string() />
            <div class="grid-form">
                <TextField id="action-title" label="Action" name="action[title]" value="" error=err("title") required=true />
                <TextField id="action-owner" label="Owner" name="action[owner]" value="" error=err("owner") required=true />
                <TextField id="action-due" label="Due" name="action[due_on]" value="" error=err("due_on") hint="YYYY-MM-DD" required=true />
                <TextField id="action-link" label="Changes" name="action[link]" value="" error=err("link") hint="e.g. /runbooks/service/PAY-DB; empty: the event" />
            </div>
            <div class="field">
                <input type="checkbox" id="action-retest" name="action[retest]" value="true" />
                <label for="action-retest" class="inline-label">"Retest in the next drill"</label>
            </div>
            <button type="submit" class="primary" id="add-action">"Add action item"</button>
        </ActionForm>
    }
}

#[component]
pub fn TrendsPage() -> impl IntoView {
    let trends = Resource::new(|| (), |_| get_trends());
    view! {
        <Page title="Recovery trends">
            <Loaded resource=trends show=|t| view! {
                <p class="muted" id="trend-counts">{format!(
                    "{} real failovers and {} measured service recoveries so far. Targets are today's target RTOs.",
                    t.failovers, t.recoveries
                )}</p>
                <LineChart id="mttr-chart" title="Mean time to recover by month" unit="minutes" chart=t.mttr />
                <LineChart id="achieved-chart" title="Recovery achieved against target RTO by month" unit="minutes" chart=t.achieved />
            } />
        </Page>
    }
}
