//! Services: the filtered, sorted, paged list; one service with its
//! dependency graph, dependencies, RACI and history; the form.

use crate::api::services::{
    get_service, list_services, service_form, AssignRaci, DeleteDependency, DeleteReplication,
    DeleteService, SaveDependency, SaveReplication, SaveService, ServiceDetail, ServiceDraft,
    ServiceList, SiteChoice,
};
use crate::api::vendors::vendor_path;
use crate::domain::inventory::graph::{Layout, NODE_HEIGHT, NODE_WIDTH};
use crate::domain::inventory::raci::RaciSubject;
use crate::domain::inventory::replication::{ReplicationLink, ReplicationMode};
use crate::domain::inventory::service::{
    Dependency, DependencyKind, Service, ServiceKind, ServiceQuery, ServiceSort, Topology,
};
use crate::ui::components::errors::{field_error, form_error, ErrorBox, Loaded};
use crate::ui::components::form::{name_options, SelectField, TextField};
use crate::ui::components::history::History;
use crate::ui::components::page::{route_key, Page};
use crate::ui::components::pager::Pager;
use crate::ui::components::query::href;
use crate::ui::components::raci::RaciCard;
use crate::ui::pages::analysis::RecoveryCard;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

/// The list's query, as the URL carries it.
pub fn service_query() -> Memo<ServiceQuery> {
    let map = use_query_map();
    Memo::new(move |_| {
        let m = map.read();
        let get = |k: &str| m.get(k).unwrap_or_default();
        ServiceQuery {
            q: get("q"),
            kind: get("kind"),
            tier: get("tier"),
            site: get("site"),
            owner: get("owner"),
            topology: get("topology"),
            raci: get("raci"),
            sort: get("sort"),
            dir: get("dir"),
            page: get("page"),
        }
    })
}

/// A link to `path` with `q` as its query.
pub fn query_href(path: &str, q: &ServiceQuery) -> String {
    href(
        path,
        &[
            ("q", &q.q),
            ("kind", &q.kind),
            ("tier", &q.tier),
            ("site", &q.site),
            ("owner", &q.owner),
            ("topology", &q.topology),
            ("raci", &q.raci),
            ("sort", &q.sort),
            ("dir", &q.dir),
            ("page", &q.page),
        ],
    )
}

fn site_options(sites: &[SiteChoice]) -> Vec<(String, String)> {
    sites
        .iter()
        .map(|s| (s.key.clone(), format!("{} — {}", s.key, s.name)))
        .collect()
}

fn tier_options() -> Vec<(String, String)> {
    (0..=4)
        .map(|t| (t.to_string(), format!("Tier {t}")))
        .collect()
}

#[component]
pub fn ServicesPage() -> impl IntoView {
    let query = service_query();
    let list = Resource::new(move || query.get(), list_services);
    view! {
        <Page title="Services">
            <Loaded resource=list show=move |list: ServiceList| view! { <ServiceListView list q=query.get_untracked() /> } />
        </Page>
    }
}

/// The filters of the service list, also used by the RACI matrix.
#[component]
pub fn ServiceFilters(
    action: &'static str,
    q: ServiceQuery,
    sites: Vec<SiteChoice>,
    owners: Vec<String>,
) -> impl IntoView {
    let owners = owners.into_iter().map(|o| (o.clone(), o)).collect();
    view! {
        <Form method="GET" action=action>
            <fieldset class="filters">
                <legend>"Filter"</legend>
                <div class="field">
                    <label for="f-q">"Search"</label>
                    <input id="f-q" name="q" type="search" value=q.q placeholder="key, name, owner team" />
                </div>
                <SelectField id="f-kind" label="Kind" name="kind" options=name_options(ServiceKind::ALL, ServiceKind::as_str) selected=q.kind any="Any" />
                <SelectField id="f-tier" label="Tier" name="tier" options=tier_options() selected=q.tier any="Any" />
                <SelectField id="f-site" label="Site" name="site" options=site_options(&sites) selected=q.site any="Any" />
                <SelectField id="f-owner" label="Owner team" name="owner" options=owners selected=q.owner any="Any" />
                <SelectField id="f-topology" label="Topology" name="topology" options=name_options(Topology::ALL, Topology::as_str) selected=q.topology any="Any" />
                <SelectField id="f-raci" label="RACI" name="raci" options=vec![("incomplete".to_string(), "Without exactly one A".to_string())] selected=q.raci any="Any" />
                <input type="hidden" name="sort" value=q.sort />
                <input type="hidden" name="dir" value=q.dir />
                <div class="field actions">
                    <button type="submit" class="primary">"Apply"</button>
                    <a href=action>"Clear"</a>
                </div>
            </fieldset>
        </Form>
    }
}

/// The service list's page `to`, with its filters.
pub fn service_page_href(path: &str, q: &ServiceQuery, to: u32) -> String {
    query_href(
        path,
        &ServiceQuery {
            page: to.to_string(),
            ..q.clone()
        },
    )
}

#[component]
fn ServiceListView(list: ServiceList, q: ServiceQuery) -> impl IntoView {
    let empty = list.services.is_empty();
    let count = match list.total {
        1 => "1 service".to_string(),
        n => format!("{n} services"),
    };
    view! {
        <ServiceFilters action="/services" q=q.clone() sites=list.sites owners=list.owners />
        <div class="toolbar">
            <p class="muted" id="service-count">{count}</p>
            <a href="/api/v1/export/services" download="services.csv">"Export services.csv"</a>
            <a href="/api/v1/export/dependencies" download="dependencies.csv">"Export dependencies.csv"</a>
            {list.can_create.then(|| view! { <a class="button" href="/services/new">"Add a service"</a> })}
        </div>
        <div class="table-wrap">
            <table class="table" id="services">
                <caption class="visually-hidden">"Services"</caption>
                <thead>
                    <tr>
                        <SortHeader q=q.clone() column=ServiceSort::Key label="Key" />
                        <SortHeader q=q.clone() column=ServiceSort::Name label="Name" />
                        <SortHeader q=q.clone() column=ServiceSort::Kind label="Kind" />
                        <SortHeader q=q.clone() column=ServiceSort::Tier label="Tier" />
                        <SortHeader q=q.clone() column=ServiceSort::OwnerTeam label="Owner team" />
                        <SortHeader q=q.clone() column=ServiceSort::PrimarySite label="Sites" />
                        <SortHeader q=q.clone() column=ServiceSort::Topology label="Topology" />
                    </tr>
                </thead>
                <tbody>
                    {list.services.into_iter().map(|s| view! { <ServiceRow s /> }).collect_view()}
                </tbody>
            </table>
        </div>
        {empty.then(|| view! { <p class="muted">"No services match."</p> })}
        <Pager page=list.page pages=list.pages href=move |to| service_page_href("/services", &q, to) />
    }
}

/// A column header that sorts by its column, and reverses on a second
/// click.
#[component]
fn SortHeader(q: ServiceQuery, column: ServiceSort, label: &'static str) -> impl IntoView {
    let current = if q.sort.is_empty() {
        "key"
    } else {
        q.sort.as_str()
    } == column.as_str();
    let descending = current && q.dir == "desc";
    let next = ServiceQuery {
        sort: column.as_str().into(),
        dir: if current && !descending {
            "desc".into()
        } else {
            String::new()
        },
        page: String::new(),
        ..q
    };
    let sort = match (current, descending) {
        (false, _) => "none",
        (true, false) => "ascending",
        (true, true) => "descending",
    };
    let arrow = match sort {
        "ascending" => " ▲",
        "descending" => " ▼",
        _ => "",
    };
    view! {
        <th scope="col" aria-sort=sort>
            <a href=query_href("/services", &next)>{label}{arrow}</a>
        </th>
    }
}

fn tier_text(tier: Option<u8>) -> String {
    tier.map(|t| t.to_string()).unwrap_or_else(|| "–".into())
}

#[component]
fn ServiceRow(s: Service) -> impl IntoView {
    let sites = match &s.secondary_site {
        Some(secondary) => format!("{} → {secondary}", s.primary_site),
        None => s.primary_site.to_string(),
    };
    view! {
        <tr>
            <td><a href=format!("/services/{}", s.key)>{s.key.to_string()}</a></td>
            <td>{s.name}</td>
            <td>{s.kind.as_str()}</td>
            <td>{tier_text(s.tier)}</td>
            <td>{s.owner_team}</td>
            <td>{sites}</td>
            <td>{s.topology.as_str()}</td>
        </tr>
    }
}

#[component]
pub fn ServicePage() -> impl IntoView {
    let key = route_key();
    let delete = ServerAction::<DeleteService>::new();
    let save_dependency = ServerAction::<SaveDependency>::new();
    let delete_dependency = ServerAction::<DeleteDependency>::new();
    let assign = ServerAction::<AssignRaci>::new();
    let save_replication = ServerAction::<SaveReplication>::new();
    let delete_replication = ServerAction::<DeleteReplication>::new();
    let actions = Actions {
        delete,
        save_dependency,
        delete_dependency,
        assign,
        save_replication,
        delete_replication,
    };
    // Reloads after each change made on the page.
    let detail = Resource::new(
        move || {
            (
                key.get(),
                save_dependency.version().get(),
                delete_dependency.version().get(),
                assign.version().get(),
                save_replication.version().get(),
                delete_replication.version().get(),
            )
        },
        |(key, ..)| get_service(key),
    );
    view! {
        <Page title="Service">
            {move || form_error(delete.value().get()).map(|error| view! { <ErrorBox error /> })}
            {move || form_error(delete_dependency.value().get()).map(|error| view! { <ErrorBox error /> })}
            {move || form_error(delete_replication.value().get()).map(|error| view! { <ErrorBox error /> })}
            <Loaded resource=detail show=move |d| view! { <ServiceView d actions /> } />
            <RecoveryCard key version=Signal::derive(move || save_dependency.version().get() + delete_dependency.version().get() + save_replication.version().get() + delete_replication.version().get() + assign.version().get()) />
        </Page>
    }
}

/// The writes a service's page offers.
#[derive(Clone, Copy)]
struct Actions {
    delete: ServerAction<DeleteService>,
    save_dependency: ServerAction<SaveDependency>,
    delete_dependency: ServerAction<DeleteDependency>,
    assign: ServerAction<AssignRaci>,
    save_replication: ServerAction<SaveReplication>,
    delete_replication: ServerAction<DeleteReplication>,
}

#[component]
fn ServiceView(d: ServiceDetail, actions: Actions) -> impl IntoView {
    let s = d.service.clone();
    let key = s.key.to_string();
    let edit_key = key.clone();
    view! {
        <ServiceFacts s=s.clone() processes=d.processes vendors=d.vendors />
        {d.can_edit.then(move || view! {
            <div class="toolbar">
                <a class="button" href=format!("/services/{edit_key}/edit")>"Edit"</a>
                <ActionForm action=actions.delete>
                    <input type="hidden" name="key" value=edit_key.clone() />
                    <button type="submit" class="danger">"Delete service"</button>
                </ActionForm>
            </div>
        })}
        <section class="card" aria-labelledby="graph-heading">
            <h2 id="graph-heading">"Dependencies"</h2>
            <Graph center=key.clone() layout=d.graph />
            <DependencyTable id="depends-on" caption="Depends on" deps=d.depends_on other=|d| d.depends_on.to_string()
                remove=d.can_edit.then_some(actions.delete_dependency) />
            <DependencyTable id="needed-by" caption="Needed by" deps=d.dependents other=|d| d.service.to_string() remove=None />
            {d.can_edit.then(|| view! { <DependencyForm service=key.clone() action=actions.save_dependency /> })}
        </section>
        <Replication service=key.clone() links=d.replication can_edit=d.can_edit
            save=actions.save_replication remove=actions.delete_replication />
        <RaciCard subject=RaciSubject::Service key=key.clone() assignments=d.raci gap=d.raci_gap can_assign=d.can_assign action=actions.assign />
        <History entries=d.history />
    }
}

#[component]
fn ServiceFacts(s: Service, processes: Vec<String>, vendors: Vec<String>) -> impl IntoView {
    let load = s.peak_load;
    view! {
        <section class="card" aria-labelledby="service-name">
            <h2 id="service-name">{format!("{} — {}", s.key, s.name)}</h2>
            {(!s.description.is_empty()).then(|| view! { <p>{s.description.clone()}</p> })}
            <dl class="facts">
                <dt>"Kind"</dt><dd>{s.kind.as_str()}</dd>
                <dt>"Tier"</dt><dd>{s.tier.map(|t| t.to_string()).unwrap_or_else(|| "derived from the BIA".into())}</dd>
                <dt>"Owner team"</dt><dd>{s.owner_team}</dd>
                <dt>"Primary site"</dt><dd><a href=format!("/sites/{}", s.primary_site)>{s.primary_site.to_string()}</a></dd>
                <dt>"Secondary site"</dt>
                <dd>{match s.secondary_site {
                    Some(site) => view! { <a href=format!("/sites/{site}")>{site.to_string()}</a> }.into_any(),
                    None => "none".into_any(),
                }}</dd>
                <dt>"Topology"</dt><dd>{s.topology.as_str()}</dd>
                <dt>"Recovery time"</dt><dd>{format!("{} minutes once its hard dependencies are up", s.recovery_minutes)}</dd>
                <dt>"Runbook"</dt><dd><a href=format!("/runbooks/service/{}", s.key) id="runbook-link">"steps, rollback and approval"</a></dd>
                <dt>"Peak load"</dt>
                <dd>{format!("{} CPU cores, {} GB memory, {} TB storage", load.cpu_cores, load.memory_gb, load.storage_tb)}</dd>
                <dt>"DNS TTL"</dt><dd>{format!("{} s", s.dns_ttl_seconds)}</dd>
                <dt>"Data"</dt>
                <dd>{format!(
                    "{}{}; may reside in {}",
                    if s.stateful { "stateful" } else { "stateless" },
                    if s.data_classification.is_empty() { String::new() } else { format!(", {}", s.data_classification) },
                    if s.data_jurisdictions.is_empty() { "any country".to_string() } else { s.data_jurisdictions.join(", ") },
                )}</dd>
                <dt>"Used by processes"</dt>
                <dd id="used-by">{links(processes, |p| format!("/processes/{p}"))}</dd>
                <dt>"Relies on vendors"</dt>
                <dd id="relies-on">{links(vendors, vendor_path)}</dd>
            </dl>
        </section>
    }
}

/// Names as links, comma-separated, or "none".
fn links(names: Vec<String>, href: fn(&str) -> String) -> AnyView {
    if names.is_empty() {
        return "none".into_any();
    }
    let count = names.len();
    names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let sep = if i + 1 < count { ", " } else { "" };
            view! { <a href=href(&name)>{name.clone()}</a>{sep} }
        })
        .collect_view()
        .into_any()
}

/// How the service's data reaches other sites, with the form that adds or
/// changes a link (matched on mode and sites).
#[component]
fn Replication(
    service: String,
    links: Vec<ReplicationLink>,
    can_edit: bool,
    save: ServerAction<SaveReplication>,
    remove: ServerAction<DeleteReplication>,
) -> impl IntoView {
    let result = save.value();
    let err = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    let empty = links.is_empty();
    let booleans = || {
        vec![
            ("true".to_string(), "yes".to_string()),
            ("false".to_string(), "no".to_string()),
        ]
    };
    view! {
        <section class="card" aria-labelledby="replication-heading">
            <h2 id="replication-heading">"Replication"</h2>
            {empty.then(|| view! { <p class="muted">"No replication links."</p> })}
            {(!empty).then(|| view! {
                <div class="table-wrap">
                    <table class="table compact" id="replication" aria-labelledby="replication-heading">
                        <thead>
                            <tr>
                                <th scope="col">"Mode"</th><th scope="col">"From"</th><th scope="col">"To"</th><th scope="col">"Settings"</th>
                                {can_edit.then(|| view! { <th scope="col"><span class="visually-hidden">"Actions"</span></th> })}
                            </tr>
                        </thead>
                        <tbody>
                            {links.into_iter().map(|l| view! {
                                <tr>
                                    <td>{l.mode.as_str()}</td>
                                    <td>{l.source_site.to_string()}</td>
                                    <td>{l.target_site.to_string()}</td>
                                    <td>{l.describe()}</td>
                                    {can_edit.then(|| view! {
                                        <td>
                                            <ActionForm action=remove>
                                                <input type="hidden" name="service" value=l.service.to_string() />
                                                <input type="hidden" name="link" value=l.identity() />
                                                <button type="submit" class="small secondary" aria-label=format!("Remove the {} link to {}", l.mode, l.target_site)>"Remove"</button>
                                            </ActionForm>
                                        </td>
                                    })}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            {can_edit.then(|| view! {
                <h3>"Add or change a replication link"</h3>
                <ActionForm action=save>
                    <input type="hidden" name="link[service]" value=service.clone() />
                    <div class="grid-form">
                        <SelectField id="rep-mode" label="Mode" name="link[mode]" options=name_options(ReplicationMode::ALL, ReplicationMode::as_str) selected="async" error=err("mode") />
                        <TextField id="rep-source" label="From site" name="link[source_site]" value="" error=err("source_site") required=true />
                        <TextField id="rep-target" label="To site" name="link[target_site]" value="" error=err("target_site") required=true />
                        <TextField id="rep-interval" label="Interval (minutes)" name="link[interval_minutes]" value="" error=err("interval_minutes") hint="snapshot and backup" />
                        <TextField id="rep-lag" label="Expected lag (seconds)" name="link[expected_lag_seconds]" value="" error=err("expected_lag_seconds") hint="async, log_shipping and cdc" />
                        <SelectField id="rep-transit" label="Encrypted in transit" name="link[encrypted_in_transit]" options=booleans() selected="true" error=err("encrypted_in_transit") />
                        <SelectField id="rep-rest" label="Encrypted at rest" name="link[encrypted_at_rest]" options=booleans() selected="true" error=err("encrypted_at_rest") />
                        <TextField id="rep-window" label="Backup window (UTC)" name="link[backup_window]" value="" error=err("backup_window") hint="e.g. 01:00-03:00" />
                    </div>
                    {move || form_error(result.get()).map(|error| view! { <ErrorBox error /> })}
                    <button type="submit" class="primary">"Save replication link"</button>
                </ActionForm>
            })}
        </section>
    }
}

/// The dependency neighbourhood as SVG, drawn on the server; solid
/// arrows are hard dependencies, dashed ones soft.
#[component]
fn Graph(center: String, layout: Layout) -> impl IntoView {
    let label = format!(
        "Dependency graph of {center}: {} services; those that depend on it to the left, what it depends on to the right.",
        layout.nodes.len()
    );
    let hidden = layout.hidden;
    let short = |key: &str| {
        if key.chars().count() > 19 {
            format!("{}…", key.chars().take(18).collect::<String>())
        } else {
            key.to_string()
        }
    };
    view! {
        <figure class="graph">
            <svg viewBox=format!("0 0 {} {}", layout.width, layout.height) width=layout.width height=layout.height role="img" aria-label=label>
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" fill="#44546a" />
                    </marker>
                </defs>
                {layout.edges.into_iter().map(|e| view! {
                    <line x1=e.x1 y1=e.y1 x2=e.x2 y2=e.y2 stroke="#44546a" stroke-width="1.5"
                        stroke-dasharray=if e.kind == DependencyKind::Soft { "5 4" } else { "" } marker-end="url(#arrow)" />
                }).collect_view()}
                {layout.nodes.into_iter().map(|n| {
                    let class = if n.key == center { "node center" } else { "node" };
                    view! {
                        <g class=class>
                            <rect x=n.x y=n.y width=NODE_WIDTH height=NODE_HEIGHT rx="6" />
                            <text x=n.x + NODE_WIDTH / 2.0 y=n.y + NODE_HEIGHT / 2.0 + 4.0 text-anchor="middle">{short(&n.key)}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption class="muted">
                "Left: services that depend on this one. Right: what it depends on (up to three steps). Solid: hard, dashed: soft."
                {(hidden > 0).then(|| format!(" {hidden} more not drawn."))}
            </figcaption>
        </figure>
    }
}

#[component]
fn DependencyTable(
    id: &'static str,
    caption: &'static str,
    deps: Vec<Dependency>,
    other: fn(&Dependency) -> String,
    remove: Option<ServerAction<DeleteDependency>>,
) -> impl IntoView {
    if deps.is_empty() {
        return view! { <h3>{caption}</h3><p class="muted">"None."</p> }.into_any();
    }
    view! {
        <h3 id=format!("{id}-heading")>{caption}</h3>
        <div class="table-wrap">
            <table class="table compact" id=id aria-labelledby=format!("{id}-heading")>
                <thead>
                    <tr>
                        <th scope="col">"Service"</th><th scope="col">"Kind"</th><th scope="col">"Note"</th>
                        {remove.map(|_| view! { <th scope="col"><span class="visually-hidden">"Actions"</span></th> })}
                    </tr>
                </thead>
                <tbody>
                    {deps.into_iter().map(|d| {
                        let key = other(&d);
                        view! {
                            <tr>
                                <td><a href=format!("/services/{key}")>{key.clone()}</a></td>
                                <td>{d.kind.as_str()}</td>
                                <td>{d.note.clone()}</td>
                                {remove.map(|action| view! {
                                    <td>
                                        <ActionForm action>
                                            <input type="hidden" name="service" value=d.service.to_string() />
                                            <input type="hidden" name="depends_on" value=d.depends_on.to_string() />
                                            <button type="submit" class="small secondary" aria-label=format!("Remove the dependency on {}", d.depends_on)>"Remove"</button>
                                        </ActionForm>
                                    </td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn DependencyForm(service: String, action: ServerAction<SaveDependency>) -> impl IntoView {
    let result = action.value();
    let err = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    view! {
        <h3>"Add or change a dependency"</h3>
        <ActionForm action>
            <input type="hidden" name="service" value=service />
            <div class="grid-form">
                <TextField id="dep-on" label="Depends on (service key)" name="depends_on" value="" error=err("depends_on") required=true />
                <SelectField id="dep-kind" label="Kind" name="kind" options=name_options(DependencyKind::ALL, DependencyKind::as_str) selected="hard" error=err("kind") />
                <TextField id="dep-note" label="Note" name="note" value="" error=err("note") />
            </div>
            {move || form_error(result.get()).map(|error| view! { <ErrorBox error /> })}
            <button type="submit" class="primary">"Save dependency"</button>
        </ActionForm>
    }
}

#[component]
pub fn NewServicePage() -> impl IntoView {
    view! {
        <Page title="Add a service">
            <ServiceFormLoader key=Memo::new(|_| String::new()) />
        </Page>
    }
}

#[component]
pub fn EditServicePage() -> impl IntoView {
    view! {
        <Page title="Edit service">
            <ServiceFormLoader key=route_key() />
        </Page>
    }
}

#[component]
fn ServiceFormLoader(key: Memo<String>) -> impl IntoView {
    let draft = Resource::new(move || key.get(), service_form);
    view! {
        <Loaded resource=draft show=move |draft| view! { <ServiceForm original=key.get_untracked() draft /> } />
    }
}

#[component]
fn ServiceForm(original: String, draft: ServiceDraft) -> impl IntoView {
    let save = ServerAction::<SaveService>::new();
    let result = save.value();
    let err = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    let i = draft.input;
    let sites = site_options(&draft.sites);
    view! {
        <ActionForm action=save>
            <input type="hidden" name="original_key" value=original />
            <div class="grid-form">
                <TextField id="svc-key" label="Key" name="service[key]" value=i.key error=err("key") hint="A-Z, 0-9, _ and -, e.g. PAY-API" required=true />
                <TextField id="svc-name" label="Name" name="service[name]" value=i.name error=err("name") required=true />
                <SelectField id="svc-kind" label="Kind" name="service[kind]" options=name_options(ServiceKind::ALL, ServiceKind::as_str) selected=i.kind error=err("kind") />
                <TextField id="svc-owner" label="Owner team" name="service[owner_team]" value=i.owner_team error=err("owner_team") />
                <SelectField id="svc-tier" label="Tier" name="service[tier]" options=tier_options() selected=i.tier any="Derived from the BIA" error=err("tier") />
                <SelectField id="svc-primary" label="Primary site" name="service[primary_site]" options=sites.clone() selected=i.primary_site error=err("primary_site") />
                <SelectField id="svc-secondary" label="Secondary site" name="service[secondary_site]" options=sites selected=i.secondary_site any="None" error=err("secondary_site") />
                <SelectField id="svc-topology" label="Topology" name="service[topology]" options=name_options(Topology::ALL, Topology::as_str) selected=i.topology error=err("topology") />
                <TextField id="svc-recovery" label="Recovery minutes" name="service[recovery_minutes]" value=i.recovery_minutes error=err("recovery_minutes") hint="once its hard dependencies are up" />
                <TextField id="svc-cpu" label="Peak CPU cores" name="service[cpu_cores]" value=i.cpu_cores error=err("cpu_cores") />
                <TextField id="svc-memory" label="Peak memory (GB)" name="service[memory_gb]" value=i.memory_gb error=err("memory_gb") />
                <TextField id="svc-storage" label="Storage (TB)" name="service[storage_tb]" value=i.storage_tb error=err("storage_tb") />
                <TextField id="svc-ttl" label="DNS TTL (seconds)" name="service[dns_ttl_seconds]" value=i.dns_ttl_seconds error=err("dns_ttl_seconds") />
                <TextField id="svc-class" label="Data classification" name="service[data_classification]" value=i.data_classification error=err("data_classification") />
                <TextField id="svc-jurisdictions" label="Data jurisdictions" name="service[data_jurisdictions]" value=i.data_jurisdictions error=err("data_jurisdictions") hint="country codes separated by ;" />
                <SelectField id="svc-stateful" label="Stateful" name="service[stateful]" options=vec![("false".into(), "no".into()), ("true".into(), "yes".into())] selected=i.stateful error=err("stateful") />
            </div>
            <div class="field">
                <label for="svc-description">"Description"</label>
                <textarea id="svc-description" name="service[description]" rows="3">{i.description}</textarea>
                <p class="field-error" role="alert" hidden=move || err("description").get().is_none()>{move || err("description").get()}</p>
            </div>
            {move || form_error(result.get()).map(|error| view! { <ErrorBox error /> })}
            <button type="submit" class="primary">"Save service"</button>
        </ActionForm>
    }
}
