//! Sites: the list, one site with its history, and the form that creates
//! or edits one.

use crate::api::sites::{
    get_site, list_sites, site_form, DeleteSite, SaveSite, SiteDetail, SiteList,
};
use crate::domain::inventory::site::{Site, SiteInput, SiteKind};
use crate::ui::components::errors::{field_error, form_error, ErrorBox, Loaded};
use crate::ui::components::form::TextField;
use crate::ui::components::history::History;
use crate::ui::components::page::{route_key, Page};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SitesPage() -> impl IntoView {
    let query = use_query_map();
    let search = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let sites = Resource::new(move || search.get(), list_sites);
    view! {
        <Page title="Sites">
            <Loaded resource=sites show=move |list: SiteList| view! {
                            <div class="toolbar">
                                <Form method="GET" action="/sites">
                                    <div class="field">
                                        <label for="q">"Search"</label>
                                        <input id="q" name="q" type="search" value=search.get_untracked() placeholder="key, name, region, country" />
                                    </div>
                                    <div class="field"><button type="submit" class="secondary">"Search"</button></div>
                                </Form>
                                <a href="/api/v1/export/sites" download="sites.csv">"Export sites.csv"</a>
                                {list.can_edit.then(|| view! { <a class="button" href="/sites/new">"Add a site"</a> })}
                            </div>
                            <SiteTable sites=list.sites />
                            <NetworkCheck clashes=list.clashes />
            } />
        </Page>
    }
}

/// Overlapping subnets and shared VLAN ids between each primary site and
/// the secondary sites its services fail over to.
#[component]
fn NetworkCheck(clashes: Vec<String>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="network-check">
            <h2 id="network-check">"Network check"</h2>
            {if clashes.is_empty() {
                view! { <p class="alert ok" id="clashes">"No overlapping subnets or shared VLAN ids between the sites services fail over between."</p> }.into_any()
            } else {
                view! {
                    <p class="alert error">{format!("{} clash(es) between failover sites: fix them before a failover brings both networks up.", clashes.len())}</p>
                    <ul id="clashes">{clashes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn SiteTable(sites: Vec<Site>) -> impl IntoView {
    let empty = sites.is_empty();
    view! {
        <div class="table-wrap">
            <table class="table" id="sites">
                <caption class="visually-hidden">"Sites"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Key"</th>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Region"</th>
                        <th scope="col">"Country"</th>
                        <th scope="col">"Kind"</th>
                        <th scope="col">"CPU cores"</th>
                        <th scope="col">"Memory (GB)"</th>
                        <th scope="col">"Storage (TB)"</th>
                    </tr>
                </thead>
                <tbody>
                    {sites
                        .into_iter()
                        .map(|s| {
                            let href = format!("/sites/{}", s.key);
                            view! {
                                <tr>
                                    <td><a href=href>{s.key.to_string()}</a></td>
                                    <td>{s.name}</td>
                                    <td>{s.region}</td>
                                    <td>{s.country}</td>
                                    <td>{s.kind.as_str()}</td>
                                    <td>{s.capacity.cpu_cores}</td>
                                    <td>{s.capacity.memory_gb}</td>
                                    <td>{s.capacity.storage_tb}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        {empty.then(|| view! { <p class="muted">"No sites match."</p> })}
    }
}

#[component]
pub fn SitePage() -> impl IntoView {
    let key = route_key();
    let detail = Resource::new(move || key.get(), get_site);
    let delete = ServerAction::<DeleteSite>::new();
    view! {
        <Page title="Site">
            {move || form_error(delete.value().get()).map(|error| view! { <ErrorBox error /> })}
            <Loaded resource=detail show=move |d| view! { <SiteFacts d delete /> } />
        </Page>
    }
}

#[component]
fn SiteFacts(d: SiteDetail, delete: ServerAction<DeleteSite>) -> impl IntoView {
    let s = d.site;
    let key = s.key.to_string();
    let subnets = s
        .subnets
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let vlans = s
        .vlans
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <section class="card" aria-labelledby="site-name">
            <h2 id="site-name">{format!("{} — {}", s.key, s.name)}</h2>
            <dl class="facts">
                <dt>"Region"</dt><dd>{s.region}</dd>
                <dt>"Country"</dt><dd>{s.country}</dd>
                <dt>"Kind"</dt><dd>{s.kind.as_str()}</dd>
                <dt>"Capacity"</dt>
                <dd>{format!("{} CPU cores, {} GB memory, {} TB storage", s.capacity.cpu_cores, s.capacity.memory_gb, s.capacity.storage_tb)}</dd>
                <dt>"Subnets"</dt><dd>{if subnets.is_empty() { "none".to_string() } else { subnets }}</dd>
                <dt>"VLANs"</dt><dd>{if vlans.is_empty() { "none".to_string() } else { vlans }}</dd>
                <dt>"Loss of this site"</dt>
                <dd><a href=format!("/simulation?site={}", s.key)>"simulation"</a>" · "<a href=format!("/runbooks/site/{}", s.key)>"scenario runbook"</a></dd>
            </dl>
        </section>
        {d.can_edit.then(|| view! {
            <div class="toolbar">
                <a class="button" href=format!("/sites/{key}/edit")>"Edit"</a>
                <ActionForm action=delete>
                    <input type="hidden" name="key" value=key.clone() />
                    <button type="submit" class="danger">"Delete site"</button>
                </ActionForm>
            </div>
        })}
        <History entries=d.history />
    }
}

#[component]
pub fn NewSitePage() -> impl IntoView {
    view! {
        <Page title="Add a site">
            <SiteFormLoader key=Memo::new(|_| String::new()) />
        </Page>
    }
}

#[component]
pub fn EditSitePage() -> impl IntoView {
    view! {
        <Page title="Edit site">
            <SiteFormLoader key=route_key() />
        </Page>
    }
}

/// Loads what the form starts with; refused (403) for those who may not
/// edit sites.
#[component]
fn SiteFormLoader(key: Memo<String>) -> impl IntoView {
    let initial = Resource::new(move || key.get(), site_form);
    view! {
        <Loaded resource=initial show=move |initial| view! { <SiteForm original=key.get_untracked() initial /> } />
    }
}

#[component]
fn SiteForm(original: String, initial: SiteInput) -> impl IntoView {
    let save = ServerAction::<SaveSite>::new();
    let result = save.value();
    let err = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    let kind = initial.kind.clone();
    view! {
        <ActionForm action=save>
            <input type="hidden" name="original_key" value=original />
            <div class="grid-form">
                <TextField id="site-key" label="Key" name="site[key]" value=initial.key error=err("key") hint="A-Z, 0-9, _ and -, e.g. DC-FRA" required=true />
                <TextField id="site-name" label="Name" name="site[name]" value=initial.name error=err("name") required=true />
                <TextField id="site-region" label="Region" name="site[region]" value=initial.region error=err("region") />
                <TextField id="site-country" label="Country" name="site[country]" value=initial.country error=err("country") hint="ISO 3166 code, e.g. DE" required=true />
                <div class="field">
                    <label for="site-kind">"Kind"</label>
                    <select id="site-kind" name="site[kind]">
                        {SiteKind::ALL.iter().map(|k| view! { <option value=k.as_str() selected=k.as_str() == kind>{k.as_str()}</option> }).collect_view()}
                    </select>
                </div>
                <TextField id="site-cpu" label="CPU cores" name="site[cpu_cores]" value=initial.cpu_cores error=err("cpu_cores") />
                <TextField id="site-memory" label="Memory (GB)" name="site[memory_gb]" value=initial.memory_gb error=err("memory_gb") />
                <TextField id="site-storage" label="Storage (TB)" name="site[storage_tb]" value=initial.storage_tb error=err("storage_tb") />
                <TextField id="site-subnets" label="Subnets" name="site[subnets]" value=initial.subnets error=err("subnets") hint="CIDRs separated by ;" />
                <TextField id="site-vlans" label="VLAN ids" name="site[vlans]" value=initial.vlans error=err("vlans") hint="1–4094, separated by ;" />
            </div>
            {move || form_error(result.get()).map(|error| view! { <ErrorBox error /> })}
            <button type="submit" class="primary">"Save site"</button>
        </ActionForm>
    }
}
