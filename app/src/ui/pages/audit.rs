//! The audit log: filters, newest first, and the chain's verification.

use crate::api::audit::{search_audit, AuditFilter, AuditPage as Results};
use crate::domain::audit::ChainStatus;
use crate::ui::components::errors::ErrorBox;
use crate::ui::components::page::Page;
use crate::ui::components::query::href;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        AuditFilter {
            actor: get("actor"),
            action: get("action"),
            entity: get("entity"),
            from: get("from"),
            to: get("to"),
            before: q.get("before").and_then(|b| b.parse().ok()),
        }
    });
    let results = Resource::new(move || filter.get(), search_audit);
    view! {
        <Page title="Audit log">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let f = filter.get_untracked();
                    match results.await {
                        Ok(r) => view! { <Filters f=f.clone() actions=r.actions.clone() /> <Events r f /> }.into_any(),
                        Err(error) => view! { <Filters f actions=vec![] /> <ErrorBox error /> }.into_any(),
                    }
                })}
            </Suspense>
        </Page>
    }
}

/// "Verified" or where the chain breaks.
#[component]
pub fn ChainBanner(chain: ChainStatus) -> impl IntoView {
    match chain.broken {
        None => view! {
            <p class="alert ok" id="chain-status" role="status">
                {format!("Audit chain verified: {} events, head hash {}…", chain.checked, &chain.head_hash[..16.min(chain.head_hash.len())])}
            </p>
        }
        .into_any(),
        Some(b) => view! {
            <p class="alert error" id="chain-status" role="alert">
                {format!("Audit chain BROKEN at event {}: {b}", b.seq())}
            </p>
        }
        .into_any(),
    }
}

#[component]
fn Filters(f: AuditFilter, actions: Vec<String>) -> impl IntoView {
    let chosen = f.action.clone();
    view! {
        <Form method="GET" action="/audit">
            <fieldset class="filters">
                <legend>"Filter"</legend>
                <div class="field">
                    <label for="f-actor">"Actor"</label>
                    <input id="f-actor" name="actor" type="search" value=f.actor placeholder="email or cli:" />
                </div>
                <div class="field">
                    <label for="f-action">"Action"</label>
                    <select id="f-action" name="action">
                        <option value="" selected=chosen.is_empty()>"Any"</option>
                        {actions.into_iter().map(|a| view! { <option value=a.clone() selected=a == chosen>{a.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-entity">"Entity type"</label>
                    <input id="f-entity" name="entity" type="search" value=f.entity placeholder="user, permission…" />
                </div>
                <div class="field">
                    <label for="f-from">"From"</label>
                    <input id="f-from" name="from" type="date" value=f.from />
                </div>
                <div class="field">
                    <label for="f-to">"To"</label>
                    <input id="f-to" name="to" type="date" value=f.to />
                </div>
                <div class="field actions">
                    <button type="submit" class="primary">"Apply"</button>
                    <a href="/audit">"Clear"</a>
                </div>
            </fieldset>
        </Form>
    }
}

#[component]
fn Events(r: Results, f: AuditFilter) -> impl IntoView {
    let older = r.older.map(|seq| {
        let before = seq.to_string();
        let href = href(
            "/audit",
            &[
                ("actor", &f.actor),
                ("action", &f.action),
                ("entity", &f.entity),
                ("from", &f.from),
                ("to", &f.to),
                ("before", &before),
            ],
        );
        view! { <a class="pager" href=href>"Older events →"</a> }
    });
    let empty = r.events.is_empty();
    view! {
        <ChainBanner chain=r.chain />
        <div class="table-wrap">
            <table class="table" id="audit-events">
                <caption class="visually-hidden">"Audit events, newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"#"</th>
                        <th scope="col">"Time"</th>
                        <th scope="col">"Actor"</th>
                        <th scope="col">"Action"</th>
                        <th scope="col">"Entity"</th>
                        <th scope="col">"Details"</th>
                    </tr>
                </thead>
                <tbody>
                    {r.events
                        .into_iter()
                        .map(|e| {
                            let entity = match &e.entity_id {
                                Some(id) => format!("{} {id}", e.entity_type),
                                None => e.entity_type.clone(),
                            };
                            view! {
                                <tr>
                                    <td>{e.seq}</td>
                                    <td><time datetime=e.at.to_string()>{e.at.display_minutes()}</time></td>
                                    <td>{e.actor}</td>
                                    <td><span class="badge">{e.action}</span></td>
                                    <td>{entity}</td>
                                    <td><code>{e.details}</code></td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        {empty.then(|| view! { <p class="muted">"No events match these filters."</p> })}
        {older}
    }
}
