//! The dashboard: what is in the portal, the audit chain's state, and what
//! the signed-in role may do.

use crate::api::dashboard::{get_dashboard, Dashboard};
use crate::domain::access::{grant, Grant, Permission, Role};
use crate::ui::components::errors::Loaded;
use crate::ui::components::page::Page;
use crate::ui::pages::audit::ChainBanner;
use leptos::prelude::*;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_dashboard());
    view! {
        <Page title="Dashboard">
            <Loaded resource=data show=|d: Dashboard| {
                let role = d.role;
                view! { <Figures d /> <RolePermissions role /> }
            } />
        </Page>
    }
}

#[component]
fn Figures(d: Dashboard) -> impl IntoView {
    let by_role = d.users_by_role.clone();
    view! {
        <ChainBanner chain=d.chain.clone() />
        <section class="cards" aria-label="Figures">
            <article class="card">
                <h2>"Active users"</h2>
                <p class="figure" id="active-users">{d.active_users}</p>
                <ul class="plain">
                    {by_role
                        .into_iter()
                        .filter(|(_, n)| *n > 0)
                        .map(|(role, n)| view! { <li>{format!("{}: {n}", role.label())}</li> })
                        .collect_view()}
                </ul>
            </article>
            <article class="card">
                <h2>"Sites"</h2>
                <p class="figure" id="sites-count">{d.sites}</p>
                <p class="muted"><a href="/sites">"Data centres, cloud regions and colocation halls"</a></p>
            </article>
            <article class="card">
                <h2>"Recovery"</h2>
                <p class="figure" id="readiness-score">{d.portfolio_score.map(|s| format!("{s:.0} / 100")).unwrap_or_else(|| "–".into())}</p>
                <ul class="plain" id="recovery-figures">
                    <li>{format!("{} services", d.services)}</li>
                    <li><a href="/gaps">{format!("{} findings", d.findings)}</a>{format!(", {} RTO gaps", d.rto_gaps)}</li>
                    <li><a href="/processes">{format!("{} BIA reviews overdue", d.overdue_reviews)}</a></li>
                </ul>
            </article>
            <article class="card">
                <h2>"Audit events"</h2>
                <p class="figure" id="audit-events">{d.audit_events}</p>
                <p class="muted">"Every sign-in, denial and change, hash-chained."</p>
            </article>
            <article class="card">
                <h2>"Database"</h2>
                <p class="figure">{if d.backend == "postgres" { "PostgreSQL" } else { "SQLite" }}</p>
                <p class="muted">"Sessions and records live here; the server keeps no other state."</p>
            </article>
        </section>
    }
}

/// What this role may do (SPEC §4), computed by the same rules the server
/// enforces.
#[component]
fn RolePermissions(role: Role) -> impl IntoView {
    const ALL: [Permission; 11] = [
        Permission::Read,
        Permission::EditReferenceData,
        Permission::EditServices,
        Permission::ApproveRecords,
        Permission::ImportCsv,
        Permission::RequestFailover,
        Permission::ApproveFailover,
        Permission::RecordExecution,
        Permission::ReadAudit,
        Permission::BoardReport,
        Permission::ManageUsers,
    ];
    view! {
        <section class="card" aria-labelledby="perm-heading">
            <h2 id="perm-heading">{format!("What a {} may do", role.label().to_lowercase())}</h2>
            <table class="table compact">
                <thead><tr><th scope="col">"Action"</th><th scope="col">"Allowed"</th></tr></thead>
                <tbody>
                    {ALL
                        .into_iter()
                        .map(|p| {
                            let (text, class) = match grant(role, p) {
                                Grant::Allowed => ("Yes", "badge ok"),
                                Grant::OwnServices => ("Own services", "badge warn"),
                                Grant::Denied => ("No", "badge muted"),
                            };
                            let mut action = p.describe().to_string();
                            if let Some(first) = action.get(0..1) {
                                action = first.to_uppercase() + &action[1..];
                            }
                            view! { <tr><td>{action}</td><td><span class=class>{text}</span></td></tr> }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
    }
}
