//! The analysis pages: gaps, startup order and site-loss simulation, and
//! the recovery card of a service's page. Every number comes with its
//! reason.

use crate::api::analysis::{
    get_gaps, get_service_analysis, get_site_loss, get_startup_order, GapQuery, Gaps, SiteLossView,
    StartupOrder,
};
use crate::domain::analysis::findings::FindingKind;
use crate::domain::analysis::simulation::{ServiceState, SiteLoss};
use crate::domain::analysis::ServiceAnalysis;
use crate::ui::components::errors::Loaded;
use crate::ui::components::form::{name_options, SelectField};
use crate::ui::components::page::Page;
use crate::ui::components::pager::Pager;
use crate::ui::components::query::href;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

fn badge_class(ok: bool) -> &'static str {
    if ok {
        "badge ok"
    } else {
        "badge warn"
    }
}

fn alert_class(ok: bool) -> &'static str {
    if ok {
        "alert ok"
    } else {
        "alert error"
    }
}

/// Rows that breach a limit are highlighted.
fn row_class(breach: bool) -> &'static str {
    if breach {
        "incomplete"
    } else {
        ""
    }
}

fn minutes(m: Option<impl std::fmt::Display>) -> String {
    m.map(|m| format!("{m} min"))
        .unwrap_or_else(|| "not defined".into())
}

/// Target against achievable RTO and RPO for one service, with reasons.
#[component]
pub fn RecoveryCard(key: Memo<String>, version: Signal<usize>) -> impl IntoView {
    let analysis = Resource::new(
        move || (key.get(), version.get()),
        |(key, _)| get_service_analysis(key),
    );
    view! {
        <section class="card" aria-labelledby="recovery-heading">
            <h2 id="recovery-heading">"Recovery"</h2>
            <Loaded resource=analysis show=|a| view! { <RecoveryFacts a /> } />
        </section>
    }
}

#[component]
fn RecoveryFacts(a: ServiceAnalysis) -> impl IntoView {
    let achievable = a.achievable_rto_reason();
    let rpo = match a.achievable_rpo_minutes {
        Some(m) => format!("{m:.1} min"),
        None => "unbounded or not applicable".into(),
    };
    view! {
        <dl class="facts" id="recovery-facts">
            <dt>"Tier"</dt><dd>{a.tier}</dd>
            <dt>"Target RTO"</dt>
            <dd>{minutes(a.target_rto_minutes)}{a.target_rto_reason.map(|r| view! { <span class="muted">{format!(" — {r}")}</span> })}</dd>
            <dt>"Achievable RTO"</dt>
            <dd id="achievable-rto">{minutes(a.achievable_rto_minutes)}<span class="muted">{format!(" — {achievable}")}</span></dd>
            <dt>"Recovery time used"</dt>
            <dd>{format!("{} min ({})", a.recovery_minutes, a.recovery_source)}</dd>
            <dt>"Target RPO"</dt>
            <dd>{minutes(a.target_rpo_minutes)}{a.target_rpo_reason.map(|r| view! { <span class="muted">{format!(" — {r}")}</span> })}</dd>
            <dt>"Achievable RPO"</dt>
            <dd>{rpo}<span class="muted">{format!(" — {}", a.achievable_rpo_reason)}</span></dd>
            <dt>"Startup wave"</dt>
            <dd>{a.wave.map(|w| w.to_string()).unwrap_or_else(|| "none (hard-dependency cycle)".into())}</dd>
            <dt>"Readiness"</dt>
            <dd>{format!("{} / 100", a.readiness.score)}</dd>
        </dl>
        <h3>"Findings"</h3>
        {if a.findings.is_empty() {
            view! { <p class="alert ok" id="findings">"No findings."</p> }.into_any()
        } else {
            view! {
                <ul id="findings" class="plain">
                    {a.findings.into_iter().map(|f| view! { <li><span class="badge warn">{f.kind.as_str()}</span>" "{f.message}</li> }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h3>"Readiness terms"</h3>
        <ul class="plain" id="readiness">
            {a.readiness.checks.into_iter().map(|c| view! {
                <li>
                    <span class=badge_class(c.passed)>{if c.passed { format!("+{}", c.points) } else { "0".to_string() }}</span>
                    " "{c.name}": "{c.reason}
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn GapsPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| {
        let q = query.read();
        GapQuery {
            kind: q.get("kind").unwrap_or_default(),
            tier: q.get("tier").unwrap_or_default(),
            owner: q.get("owner").unwrap_or_default(),
            page: q.get("page").unwrap_or_default(),
        }
    });
    let found = Resource::new(move || q.get(), get_gaps);
    view! {
        <Page title="Gaps">
            <Loaded resource=found show=move |g| view! { <GapList g q=q.get_untracked() /> } />
        </Page>
    }
}

#[component]
fn GapList(g: Gaps, q: GapQuery) -> impl IntoView {
    let paged = q.clone();
    let total: usize = g.counts.iter().map(|(_, n)| n).sum();
    let tiers: Vec<(String, String)> = (0..=4)
        .map(|t| (t.to_string(), format!("Tier {t}")))
        .collect();
    let owners: Vec<(String, String)> = g.owners.iter().map(|o| (o.clone(), o.clone())).collect();
    let empty = g.gaps.is_empty();
    view! {
        <p id="gap-summary">
            {format!("{total} finding(s) over all services.")}
            {g.portfolio_score.map(|s| format!(" Portfolio readiness {s:.0} / 100."))}
        </p>
        <ul class="plain counts">
            {g.counts.into_iter().filter(|(_, n)| *n > 0).map(|(k, n)| view! {
                <li><a href=format!("/gaps?kind={k}")>{format!("{k}: {n}")}</a></li>
            }).collect_view()}
        </ul>
        {(!g.cycles.is_empty()).then(|| view! {
            <div class="alert error" id="cycles">
                <p>"Hard-dependency cycles: none of their members can start first, so they have no achievable RTO."</p>
                <ul>{g.cycles.into_iter().map(|c| view! { <li>{c.join(" → ")}</li> }).collect_view()}</ul>
            </div>
        })}
        <Form method="GET" action="/gaps">
            <div class="filters">
                <SelectField id="gap-kind" label="Kind" name="kind" options=name_options(FindingKind::ALL, FindingKind::as_str) selected=q.kind.clone() any="Any kind" />
                <SelectField id="gap-tier" label="Tier" name="tier" options=tiers selected=q.tier.clone() any="Any tier" />
                <SelectField id="gap-owner" label="Owner team" name="owner" options=owners selected=q.owner.clone() any="Any owner" />
                <div class="field"><button type="submit" class="secondary">"Filter"</button></div>
            </div>
        </Form>
        <div class="table-wrap">
            <table class="table" id="gaps">
                <caption class="visually-hidden">"Findings"</caption>
                <thead><tr><th scope="col">"Service"</th><th scope="col">"Tier"</th><th scope="col">"Owner"</th><th scope="col">"Kind"</th><th scope="col">"Finding"</th></tr></thead>
                <tbody>
                    {g.gaps.into_iter().map(|gap| view! {
                        <tr>
                            <td><a href=format!("/services/{}", gap.service)>{gap.service.clone()}</a></td>
                            <td>{gap.tier}</td>
                            <td>{gap.owner_team}</td>
                            <td>{gap.finding.kind.as_str()}</td>
                            <td>{gap.finding.message}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {empty.then(|| view! { <p class="muted">"No findings match."</p> })}
        <p class="muted" id="gap-count">{format!("{} finding(s) match.", g.total)}</p>
        <Pager page=g.page pages=g.pages href=move |to| gaps_href(&paged, to) />
    }
}

/// The gaps list's page `to`, with its filters.
fn gaps_href(q: &GapQuery, to: u32) -> String {
    let page = to.to_string();
    href(
        "/gaps",
        &[
            ("kind", &q.kind),
            ("tier", &q.tier),
            ("owner", &q.owner),
            ("page", &page),
        ],
    )
}

#[component]
pub fn StartupPage() -> impl IntoView {
    let order = Resource::new(|| (), |_| get_startup_order());
    view! {
        <Page title="Startup order">
            <Loaded resource=order show=|o| view! { <Waves o /> } />
        </Page>
    }
}

#[component]
fn Waves(o: StartupOrder) -> impl IntoView {
    view! {
        <p class="muted">"After losing everything, start services wave by wave: a service's hard dependencies are all in earlier waves. Inside a wave, by tier then key. User access waits until every identity service is verified."</p>
        <ol class="waves" id="waves">
            {o.waves.into_iter().enumerate().map(|(i, wave)| view! {
                <li>
                    <h2>{format!("Wave {i}")}</h2>
                    <ul class="plain">
                        {wave.into_iter().map(|m| view! {
                            <li>
                                <a href=format!("/services/{}", m.key)>{m.key.clone()}</a>
                                {format!(" {} · tier {} · {} min", m.name, m.tier, m.recovery_minutes)}
                                {m.identity.then(|| view! { " "<span class="badge warn">"identity: verify before user access"</span> })}
                            </li>
                        }).collect_view()}
                    </ul>
                </li>
            }).collect_view()}
        </ol>
        {(!o.blocked.is_empty()).then(|| view! {
            <p class="alert error" id="blocked">{format!("No wave (in or depending on a hard-dependency cycle): {}", o.blocked.join(", "))}</p>
        })}
    }
}

#[component]
pub fn SiteLossPage() -> impl IntoView {
    let query = use_query_map();
    let site = Memo::new(move |_| query.read().get("site").unwrap_or_default());
    let view_ = Resource::new(move || site.get(), get_site_loss);
    view! {
        <Page title="Site-loss simulation">
            <Loaded resource=view_ show=move |v| view! { <SiteLossResult v site=site.get_untracked() /> } />
        </Page>
    }
}

#[component]
fn SiteLossResult(v: SiteLossView, site: String) -> impl IntoView {
    let options: Vec<(String, String)> = v
        .sites
        .iter()
        .map(|s| (s.key.clone(), format!("{} — {}", s.key, s.name)))
        .collect();
    view! {
        <Form method="GET" action="/simulation">
            <div class="filters">
                <SelectField id="loss-site" label="Site lost" name="site" options selected=site any="Choose a site" />
                <div class="field"><button type="submit" class="primary">"Simulate"</button></div>
            </div>
        </Form>
        {v.loss.map(|loss| view! { <Loss loss /> })}
    }
}

#[component]
fn Loss(loss: SiteLoss) -> impl IntoView {
    let affected: Vec<_> = loss
        .services
        .iter()
        .filter(|s| s.state != ServiceState::Running)
        .cloned()
        .collect();
    let breaches = affected.iter().filter(|s| s.breaches_rto).count();
    let mtpd = affected.iter().filter(|s| s.breaches_mtpd).count();
    view! {
        <p id="loss-summary" class=alert_class(breaches == 0)>
            {format!("Losing {}: {} service(s) affected, {breaches} breach their RTO, {mtpd} their MTPD.", loss.site, affected.len())}
        </p>
        <div class="table-wrap">
            <table class="table" id="loss-services">
                <caption class="visually-hidden">"Affected services"</caption>
                <thead><tr><th scope="col">"Service"</th><th scope="col">"State"</th><th scope="col">"Downtime"</th><th scope="col">"Target RTO"</th><th scope="col">"MTPD"</th><th scope="col">"Why"</th></tr></thead>
                <tbody>
                    {affected.into_iter().map(|s| view! {
                        <tr class=row_class(s.breaches_rto || s.breaches_mtpd)>
                            <td><a href=format!("/services/{}", s.key)>{s.key.clone()}</a></td>
                            <td>{s.state.as_str()}</td>
                            <td>{s.downtime_minutes.map(|m| format!("{m} min")).unwrap_or_else(|| "down".into())}</td>
                            <td>{minutes(s.target_rto_minutes)}{s.breaches_rto.then_some(" — breached")}</td>
                            <td>{minutes(s.mtpd_minutes)}{s.breaches_mtpd.then_some(" — breached")}</td>
                            <td>{s.reason}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h2>"Startup waves of the failing-over services"</h2>
        <ol id="loss-waves">
            {loss.waves.into_iter().map(|w| view! { <li>{w.join(", ")}</li> }).collect_view()}
        </ol>
        {(!loss.identity_services.is_empty()).then(|| view! {
            <p class="muted">{format!("Enable user access only after verifying: {}.", loss.identity_services.join(", "))}</p>
        })}
        <h2>"Capacity of the surviving sites"</h2>
        <div class="table-wrap">
            <table class="table compact" id="loss-capacity">
                <caption class="visually-hidden">"Capacity"</caption>
                <thead><tr><th scope="col">"Site"</th><th scope="col">"Resource"</th><th scope="col">"Capacity"</th><th scope="col">"Load"</th><th scope="col">"Headroom"</th></tr></thead>
                <tbody>
                    {loss.capacity.iter().flat_map(|c| {
                        let site = c.site.clone();
                        c.resources.clone().into_iter().map(move |r| view! {
                            <tr class=row_class(r.headroom < 0.0)>
                                <td>{site.clone()}</td><td>{r.resource}</td><td>{r.capacity}</td><td>{r.load}</td><td>{r.headroom}</td>
                            </tr>
                        })
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {loss.capacity.into_iter().filter(|c| !c.at_risk.is_empty()).map(|c| view! {
            <p class="alert error">{format!("{} is over capacity; at risk: {}", c.site, c.at_risk.join(", "))}</p>
        }).collect_view()}
        <h2>"Business processes affected"</h2>
        <p id="loss-processes">{if loss.processes_affected.is_empty() { "None.".to_string() } else { loss.processes_affected.join(", ") }}</p>
    }
}
