//! The dashboard: the readiness scorecard (SPEC §5.7, §7), what is in the
//! portal, the audit chain's state, and what the signed-in role may do.

use crate::api::dashboard::{get_dashboard, Dashboard};
use crate::api::reports::TakeSnapshot;
use crate::domain::access::{grant, may, Grant, Permission, Role};
use crate::domain::scorecard::{
    ActionSummary, CoverageSummary, Gap, Scorecard, SiteSummary, TierScore,
};
use crate::domain::trends::chart;
use crate::ui::components::chart::LineChart;
use crate::ui::components::errors::{form_error, ErrorBox, Loaded};
use crate::ui::components::page::Page;
use crate::ui::components::table::DataTable;
use crate::ui::pages::audit::ChainBanner;
use leptos::prelude::*;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let snapshot = ServerAction::<TakeSnapshot>::new();
    let data = Resource::new(move || snapshot.version().get(), |_| get_dashboard());
    view! {
        <Page title="Dashboard">
            <Loaded resource=data show=move |d: Dashboard| {
                let role = d.role;
                let card = d.scorecard.clone();
                view! {
                    <ScoreHeader card=card.clone() role snapshot />
                    <ScoreDetails card />
                    <Figures d />
                    <RolePermissions role />
                }
            } />
        </Page>
    }
}

/// The portfolio score, its trend and the scores by tier.
#[component]
fn ScoreHeader(card: Scorecard, role: Role, snapshot: ServerAction<TakeSnapshot>) -> impl IntoView {
    let score = card
        .portfolio_score
        .map_or("–".to_string(), |s| format!("{s:.0} / 100"));
    let last = card
        .last_snapshot
        .map_or("no snapshot yet".to_string(), |t| {
            format!("last snapshot {}", t.display_minutes())
        });
    let trend = chart(std::slice::from_ref(&card.trend), 640.0, 220.0);
    view! {
        <section class="scorecard" aria-labelledby="score-heading">
            <div class="card score">
                <h2 id="score-heading">"Portfolio readiness"</h2>
                <p class="figure" id="readiness-score">{score}</p>
                <p class="muted">{format!("{} services, weighted by tier; {last}.", card.services)}</p>
                <p class="actions-row">
                    <a href="/gaps">{format!("{} findings", card.findings)}</a>
                    {may(role, Permission::BoardReport).then(|| view! { " · "<a href="/reports">"Board report"</a> })}
                </p>
                {may(role, Permission::EditReferenceData).then(|| view! {
                    <ActionForm action=snapshot>
                        <button type="submit" class="secondary">"Take a snapshot now"</button>
                    </ActionForm>
                    {move || form_error(snapshot.value().get()).map(|error| view! { <ErrorBox error /> })}
                })}
            </div>
            <LineChart id="score-trend" title="Portfolio score by day" unit="points out of 100" chart=trend />
            <TierScores tiers=card.tiers />
        </section>
    }
}

#[component]
fn TierScores(tiers: Vec<TierScore>) -> impl IntoView {
    view! {
        <DataTable id="tier-scores" caption="Scores by tier" headers=&["Tier", "Services", "Mean score", "Weight"]>
            {tiers.into_iter().map(|t| view! {
                <tr>
                    <th scope="row">{format!("Tier {}", t.tier)}</th>
                    <td>{t.services}</td>
                    <td><meter min="0" max="100" low="50" high="80" optimum="100" value=t.mean.to_string()
                        aria-label=format!("Tier {} mean score", t.tier)></meter>" "{format!("{:.0}", t.mean)}</td>
                    <td>{format!("×{}", t.weight)}</td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
}

/// The top gaps, coverage, action items and the loss of each site.
#[component]
fn ScoreDetails(card: Scorecard) -> impl IntoView {
    view! {
        <TopGaps gaps=card.top_gaps />
        <section class="cards" aria-label="Drills and actions">
            <CoverageCard c=card.coverage />
            <ActionsCard a=card.actions />
        </section>
        <SiteSummaries sites=card.sites />
    }
    .into_any()
}

#[component]
fn TopGaps(gaps: Vec<Gap>) -> impl IntoView {
    view! {
        <DataTable id="top-gaps" caption="Top gaps" headers=&["Service", "Tier", "Owner", "Finding"]>
            {gaps.is_empty().then(|| view! { <tr><td colspan="4">"No findings."</td></tr> })}
            {gaps.into_iter().map(|g| view! {
                <tr>
                    <td><a href=format!("/services/{}", g.service)>{g.service.clone()}</a></td>
                    <td>{g.tier}</td>
                    <td>{g.owner_team.clone()}</td>
                    <td><span class="badge warn">{g.finding.kind.as_str()}</span>" "{g.finding.message.clone()}</td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
}

#[component]
fn CoverageCard(c: CoverageSummary) -> impl IntoView {
    view! {
        <article class="card" id="coverage-summary">
            <h2>"Drill coverage"</h2>
            <p class="figure">{format!("{} / {}", c.covered, c.critical)}</p>
            <p class="muted">"Tier 0–2 services that passed a drill within their window."</p>
            {(c.overdue_count > 0).then(|| view! {
                <p>{format!("{} overdue: {}", c.overdue_count, c.overdue.join(", "))}</p>
            })}
            <p><a href="/coverage">"Coverage and rotation"</a></p>
        </article>
    }
}

#[component]
fn ActionsCard(a: ActionSummary) -> impl IntoView {
    view! {
        <article class="card" id="actions-summary">
            <h2>"Action items"</h2>
            <p class="figure">{format!("{} open", a.open)}</p>
            <p class=if a.overdue.is_empty() { "muted" } else { "overdue" }>{format!("{} overdue", a.overdue.len())}</p>
            <ul class="plain">
                {a.overdue.into_iter().take(5).map(|i| view! {
                    <li>{format!("{} — {}, due {}", i.title, i.owner, i.due_text())}</li>
                }).collect_view()}
            </ul>
            <p><a href="/actions">"All action items"</a></p>
        </article>
    }
}

#[component]
fn SiteSummaries(sites: Vec<SiteSummary>) -> impl IntoView {
    view! {
        <DataTable id="site-loss-summary" caption="If a site is lost" headers=&["Site", "Failing over", "Down", "RTO breaches", "MTPD breaches", "Longest recovery", "Processes hit", "Capacity at risk"]>
            {sites.into_iter().map(|s| view! {
                <tr>
                    <th scope="row"><a href=format!("/simulation?site={}", s.site)>{s.site.clone()}</a></th>
                    <td>{s.failing_over}</td>
                    <td>{s.down}</td>
                    <td>{s.rto_breaches}</td>
                    <td>{s.mtpd_breaches}</td>
                    <td>{s.longest_minutes.map_or("–".to_string(), |m| format!("{m} min"))}</td>
                    <td>{s.processes_affected}</td>
                    <td>{s.capacity_at_risk}</td>
                </tr>
            }).collect_view()}
        </DataTable>
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
                <ul class="plain" id="recovery-figures">
                    <li>{format!("{} services", d.scorecard.services)}</li>
                    <li><a href="/gaps">{format!("{} findings", d.scorecard.findings)}</a>{format!(", {} RTO gaps", d.rto_gaps)}</li>
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
