//! Failover: the list of requests with the request form, and one
//! request's page: its approvals and the war room where its steps are
//! run. The request page refreshes itself while it is watched; without
//! JavaScript, reloading shows the same.

use crate::api::failover::{
    failover_mark, get_failover, list_failovers, CloseFailover, DecideFailover, FailoverList,
    FailoverView, RecordStep, RequestFailover, StartFailover,
};
use crate::domain::failover::{
    Direction, FailoverStatus, Request, Scope, Section, Severity, StepRun,
};
use crate::ui::components::errors::{field_error, form_error, ErrorBox, Loaded};
use crate::ui::components::form::{name_options, SelectField, TextField};
use crate::ui::components::page::{parse_id, route_param, Page};
use crate::ui::components::steplog::{minutes, StepLog};
use leptos::prelude::*;

/// How often a watched request page asks for news.
const REFRESH_SECONDS: u64 = 3;

fn status_badge(status: FailoverStatus) -> impl IntoView {
    let class = match status {
        FailoverStatus::Completed => "badge ok",
        FailoverStatus::Requested | FailoverStatus::Approved | FailoverStatus::Executing => {
            "badge warn"
        }
        _ => "badge muted",
    };
    view! { <span class=class data-status=status.as_str()>{status.as_str().replace('_', " ")}</span> }
}

fn scope_text(r: &Request) -> String {
    match &r.scope {
        Scope::Site(site) => format!("site {site} ({} services)", r.services.len()),
        Scope::Services => r
            .services
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

#[component]
pub fn FailoversPage() -> impl IntoView {
    let request = ServerAction::<RequestFailover>::new();
    let list = Resource::new(|| (), |_| list_failovers());
    view! {
        <Page title="Failover">
            <Loaded resource=list show=move |l| view! { <FailoverListBody l request /> } />
        </Page>
    }
}

#[component]
fn FailoverListBody(l: FailoverList, request: ServerAction<RequestFailover>) -> impl IntoView {
    let waiting = l.awaiting_me.clone();
    view! {
        {(!waiting.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="awaiting-heading" id="awaiting-me">
                <h2 id="awaiting-heading">{format!("Waiting for your approval ({})", waiting.len())}</h2>
                <ul class="plain">
                    {waiting.iter().map(|id| view! { <li><a href=format!("/failover/{id}")>{format!("Failover request {id}")}</a></li> }).collect_view()}
                </ul>
            </section>
        })}
        {l.can_request.then(|| view! { <RequestForm sites=l.sites.clone() request /> })}
        <div class="table-wrap">
            <table class="table" id="failover-requests">
                <caption class="visually-hidden">"Failover requests"</caption>
                <thead><tr>
                    <th scope="col">"Request"</th><th scope="col">"Status"</th><th scope="col">"Scope"</th>
                    <th scope="col">"Severity"</th><th scope="col">"Approvals"</th><th scope="col">"Requested"</th>
                </tr></thead>
                <tbody>
                    {l.requests.into_iter().map(|r| view! {
                        <tr>
                            <td><a href=format!("/failover/{}", r.id)>{format!("#{} {}", r.id, r.direction)}</a>
                                {r.break_glass.is_some().then(|| view! { " "<span class="badge warn">"break-glass"</span> })}</td>
                            <td>{status_badge(r.status)}</td>
                            <td>{scope_text(&r)}</td>
                            <td>{r.severity.as_str()}</td>
                            <td>{format!("{} of {}", r.approvals(), r.required_approvals)}</td>
                            <td>{format!("{}, {}", r.requested_by, r.requested_at.display_minutes())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn RequestForm(
    sites: Vec<(String, String)>,
    request: ServerAction<RequestFailover>,
) -> impl IntoView {
    let result = request.value();
    let err = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    let site_options: Vec<(String, String)> = sites
        .into_iter()
        .map(|(k, n)| (k.clone(), format!("{k} — {n}")))
        .collect();
    view! {
        <section class="card" aria-labelledby="request-heading">
            <h2 id="request-heading">"Request a failover"</h2>
            <p class="muted">"Give a site (every service running there) or list the services. Tier 0–1 services in scope need two approvals from other incident commanders; the request expires if not approved in time."</p>
            <ActionForm action=request>
                <div class="grid-form">
                    <SelectField id="request-site" label="Site" name="request[site]" options=site_options selected="" any="— services listed —" error=err("site") />
                    <TextField id="request-services" label="Services" name="request[services]" value="" error=err("services") hint="keys separated by ; (when no site)" />
                    <SelectField id="request-direction" label="Direction" name="request[direction]" options=name_options(Direction::ALL, Direction::as_str) selected="failover" error=err("direction") />
                    <SelectField id="request-severity" label="Severity" name="request[severity]" options=name_options(Severity::ALL, Severity::as_str) selected="sev1" error=err("severity") />
                </div>
                <TextField id="request-reason" label="Reason" name="request[reason]" value="" error=err("reason") required=true />
                {move || form_error(result.get()).map(|error| view! { <ErrorBox error /> })}
                <button type="submit" class="primary">"Request failover"</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn FailoverPage() -> impl IntoView {
    let id = route_param("id");
    let decide = ServerAction::<DecideFailover>::new();
    let start = ServerAction::<StartFailover>::new();
    let step = ServerAction::<RecordStep>::new();
    let close = ServerAction::<CloseFailover>::new();
    let tick = RwSignal::new(0u64);
    let view_ = Resource::new(
        move || {
            (
                id.get(),
                tick.get(),
                decide.version().get(),
                start.version().get(),
                step.version().get(),
                close.version().get(),
            )
        },
        |(id, ..)| async move {
            let id = parse_id("Failover request", &id)?;
            get_failover(id).await
        },
    );
    // After hydration, ask every few seconds whether anything happened to
    // the request since the shown version (its newest audit event), and
    // reload it only then: a half-typed note survives until someone
    // records something.
    Effect::new(move |_| {
        let poll = move || {
            let Ok(request) = id.get_untracked().parse::<i64>() else {
                return;
            };
            let Some(Ok(shown)) = view_.get_untracked() else {
                return;
            };
            let shown = shown.trail.last().map_or(0, |e| e.seq);
            leptos::task::spawn_local(async move {
                if failover_mark(request).await.is_ok_and(|mark| mark != shown) {
                    tick.update(|t| *t += 1);
                }
            });
        };
        if let Ok(handle) =
            set_interval_with_handle(poll, std::time::Duration::from_secs(REFRESH_SECONDS))
        {
            on_cleanup(move || handle.clear());
        }
    });
    let errors = move || {
        [
            form_error(decide.value().get()),
            form_error(start.value().get()),
            form_error(step.value().get()),
            form_error(close.value().get()),
        ]
        .into_iter()
        .flatten()
        .next()
    };
    let field_errors = move || {
        [
            start.value().get().and_then(|r| r.err()),
            close.value().get().and_then(|r| r.err()),
            step.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .filter(|e| e.field().is_some())
        .map(|e| e.to_string())
        .next()
    };
    view! {
        <Page title="Failover request">
            {move || errors().map(|error| view! { <ErrorBox error /> })}
            {move || field_errors().map(|m| view! { <p class="alert error" role="alert">{m}</p> })}
            <Loaded live=true resource=view_ show=move |v| view! { <FailoverBody v decide start step close /> } />
        </Page>
    }
}

#[component]
fn FailoverBody(
    v: FailoverView,
    decide: ServerAction<DecideFailover>,
    start: ServerAction<StartFailover>,
    step: ServerAction<RecordStep>,
    close: ServerAction<CloseFailover>,
) -> impl IntoView {
    // Each part is type-erased: one nested view type would be too deep for
    // the compiler.
    let id = v.request.id;
    let can_start = v.can_command && v.request.status == FailoverStatus::Approved;
    let can_break_glass = v.is_admin
        && matches!(
            v.request.status,
            FailoverStatus::Requested | FailoverStatus::Approved | FailoverStatus::Expired
        );
    view! {
        {view! { <RequestSummary r=v.request.clone() /> }.into_any()}
        {v.can_decide.then(|| view! { <DecisionCard id decide /> }.into_any())}
        {(can_start || can_break_glass).then(|| view! { <StartCard r=v.request.clone() can_start can_break_glass start /> }.into_any())}
        {(!v.request.steps.is_empty()).then(|| view! { <WarRoom v=v.clone() step close /> }.into_any())}
        {(!v.actions.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="actions-heading">
                <h2 id="actions-heading">"Action items"</h2>
                <ul class="plain" id="action-items">
                    {v.actions.iter().map(|a| view! { <li>{format!("{} — {}, due {} ({})", a.title, a.owner, a.due_text(), a.status)}</li> }).collect_view()}
                </ul>
            </section>
        }.into_any())}
        {view! { <Trail events=v.trail.clone() /> }.into_any()}
    }
}

#[component]
fn RequestSummary(r: Request) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="request-summary">
            <h2 id="request-summary">{format!("#{} {} of {}", r.id, r.direction, scope_text(&r))} " " {status_badge(r.status)}</h2>
            {r.break_glass.clone().map(|j| view! { <p class="alert error" id="break-glass">{format!("Break-glass: started without approvals. Justification: {j}")}</p> })}
            <dl class="facts">
                <dt>"Reason"</dt><dd>{r.reason.clone()}</dd>
                <dt>"Severity"</dt><dd>{r.severity.as_str()}</dd>
                <dt>"Services"</dt><dd>{r.services.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")}</dd>
                <dt>"Requested"</dt><dd>{format!("{}, {}", r.requested_by, r.requested_at.display_minutes())}</dd>
                <dt>"Approvals"</dt><dd id="approvals">{format!("{} of {} required", r.approvals(), r.required_approvals)}</dd>
                {(r.status == FailoverStatus::Requested).then(|| view! { <dt>"Expires"</dt><dd>{r.expires_at.display_minutes()}</dd> })}
            </dl>
            {(r.status == FailoverStatus::Requested).then(|| view! {
                <p class="muted" id="needs-approvals">{format!("Execution can start once {} approvals are given ({} so far).", r.required_approvals, r.approvals())}</p>
            })}
            {(!r.decisions.is_empty()).then(|| view! {
                <ul class="plain" id="decisions">
                    {r.decisions.iter().map(|d| view! {
                        <li>{format!("{} {} at {}{}", d.user, if d.approve { "approved" } else { "rejected" }, d.at.display_minutes(),
                            if d.comment.is_empty() { String::new() } else { format!(": {}", d.comment) })}</li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

#[component]
fn StartCard(
    r: Request,
    can_start: bool,
    can_break_glass: bool,
    start: ServerAction<StartFailover>,
) -> impl IntoView {
    let id = r.id;
    view! {
        <section class="card" aria-labelledby="start-heading">
            <h2 id="start-heading">"Execution"</h2>
            {can_start.then(|| view! {
                <ActionForm action=start>
                    <input type="hidden" name="id" value=id.to_string() />
                    <button type="submit" class="primary" id="start-execution">"Start execution"</button>
                </ActionForm>
            })}
            {can_break_glass.then(|| view! {
                <ActionForm action=start attr:class="break-glass">
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="break_glass" value="true" />
                    <label for="justification">"Break-glass justification (admin only; reviewed afterwards)"</label>
                    <textarea id="justification" name="justification" rows="2"></textarea>
                    <button type="submit" class="danger">"Break glass and start now"</button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn Trail(events: Vec<crate::domain::audit::AuditEvent>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="trail-heading">
            <h2 id="trail-heading">"Audit trail"</h2>
            <div class="table-wrap">
                <table class="table compact" id="trail">
                    <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"Event"</th><th scope="col">"Details"</th></tr></thead>
                    <tbody>
                        {events.into_iter().map(|e| view! {
                            <tr><td>{e.at.display_minutes()}</td><td>{e.actor}</td><td>{e.action}</td><td><code>{e.details}</code></td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn DecisionCard(id: i64, decide: ServerAction<DecideFailover>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="decide-heading">
            <h2 id="decide-heading">"Your decision"</h2>
            <div class="grid-form">
                <ActionForm action=decide>
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="decision" value="approve" />
                    <label for="approve-comment">"Comment (optional)"</label>
                    <input type="text" id="approve-comment" name="comment" />
                    <button type="submit" class="primary" id="approve">"Approve"</button>
                </ActionForm>
                <ActionForm action=decide>
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="decision" value="reject" />
                    <label for="reject-comment">"Reason for rejecting"</label>
                    <input type="text" id="reject-comment" name="comment" />
                    <button type="submit" class="danger" id="reject">"Reject"</button>
                </ActionForm>
            </div>
        </section>
    }
}

#[component]
fn WarRoom(
    v: FailoverView,
    step: ServerAction<RecordStep>,
    close: ServerAction<CloseFailover>,
) -> impl IntoView {
    let r = v.request.clone();
    let executing = r.status == FailoverStatus::Executing;
    let active = r.active_section();
    let elapsed = r.elapsed_minutes(v.now);
    let target = v.target_rto_minutes;
    let over = target.is_some_and(|t| elapsed > t as f64);
    let pending = r.pending_checks();
    let rollback: Vec<StepRun> = r.section(Section::Rollback).cloned().collect();
    let main: Vec<StepRun> = r.section(Section::Main).cloned().collect();
    let record = v.can_record && executing;
    let command = v.can_command && executing;
    let id = r.id;
    let clock_class = if over { "alert error" } else { "alert ok" };
    view! {
        <section class="card" aria-labelledby="war-room-heading" id="war-room">
            <h2 id="war-room-heading">"War room"</h2>
            <p class=clock_class id="elapsed">{match target {
                Some(t) => format!("Elapsed {} against a target RTO of {t} min", minutes(elapsed)),
                None => format!("Elapsed {} (no target RTO in scope)", minutes(elapsed)),
            }}</p>
            <p id="user-access" class="muted">{if pending == 0 {
                "User access: every verification check has passed.".to_string()
            } else {
                format!("User access stays disabled: {pending} verification checks have not passed.")
            }}</p>
            {view! { <StepLog log="failover" id="main-steps" caption="Steps" runs=main recordable=record && active == Section::Main now=v.now owner=id step /> }.into_any()}
            {command.then(|| match active {
                Section::Main => view! {
                    <div class="toolbar">
                        <ActionForm action=close>
                            <input type="hidden" name="id" value=id.to_string() />
                            <input type="hidden" name="action" value="complete" />
                            <button type="submit" class="primary" id="complete">"Complete failover"</button>
                        </ActionForm>
                        {(!rollback.is_empty()).then(|| view! {
                            <ActionForm action=close>
                                <input type="hidden" name="id" value=id.to_string() />
                                <input type="hidden" name="action" value="rollback" />
                                <label for="rollback-reason">"Rollback reason"</label>
                                <input type="text" id="rollback-reason" name="reason" />
                                <button type="submit" class="danger" id="begin-rollback">"Roll back"</button>
                            </ActionForm>
                        })}
                    </div>
                }.into_any(),
                Section::Rollback => view! {
                    <ActionForm action=close>
                        <input type="hidden" name="id" value=id.to_string() />
                        <input type="hidden" name="action" value="rolled_back" />
                        <button type="submit" class="primary" id="finish-rollback">"Close the rollback"</button>
                    </ActionForm>
                }.into_any(),
            })}
            {(!rollback.is_empty()).then(|| view! {
                <StepLog log="failover" id="rollback-steps" caption="Rollback and reconciliation" runs=rollback.clone() recordable=record && active == Section::Rollback now=v.now owner=id step />
            }.into_any())}
        </section>
    }
}
