//! The RACI matrix page: one row per service (then per business process),
//! one column per party.

use crate::api::raci::{get_raci, RaciView};
use crate::domain::inventory::raci::RaciMatrix;
use crate::domain::inventory::service::ServiceQuery;
use crate::ui::components::errors::Loaded;
use crate::ui::components::page::Page;
use crate::ui::components::pager::Pager;
use crate::ui::pages::services::{service_page_href, service_query, ServiceFilters};
use leptos::prelude::*;

#[component]
pub fn RaciPage() -> impl IntoView {
    let query = service_query();
    let view = Resource::new(move || query.get(), get_raci);
    view! {
        <Page title="RACI matrix">
            <Loaded resource=view show=move |v: RaciView| view! { <Matrix v q=query.get_untracked() /> } />
        </Page>
    }
}

#[component]
fn Matrix(v: RaciView, q: ServiceQuery) -> impl IntoView {
    let summary = match v.incomplete {
        0 => "Every service has exactly one accountable party.".to_string(),
        1 => "1 service lacks exactly one accountable (A) party.".to_string(),
        n => format!("{n} services lack exactly one accountable (A) party."),
    };
    let status = if v.incomplete == 0 {
        "alert ok"
    } else {
        "alert error"
    };
    let processes_incomplete = v.processes.rows.iter().filter(|r| r.gap.is_some()).count();
    let processes_summary = match processes_incomplete {
        0 => "Every business process has exactly one accountable party.".to_string(),
        n => format!("{n} business process(es) lack exactly one accountable (A) party."),
    };
    let processes_status = if processes_incomplete == 0 {
        "alert ok"
    } else {
        "alert error"
    };
    view! {
        <p class=status id="raci-summary">{summary}" "
            {(v.incomplete > 0).then(|| view! { <a href="/raci?raci=incomplete">"Show them"</a> })}
        </p>
        <ServiceFilters action="/raci" q=q.clone() sites=v.sites owners=v.owners />
        <p class="muted">"R responsible · A accountable · C consulted · I informed. Assign letters on each service's and process's page."</p>
        <MatrixTable id="raci-matrix" record="Service" matrix=v.matrix />
        <Pager page=v.page pages=v.pages href=move |to| service_page_href("/raci", &q, to) />
        <h2 id="processes-heading">"Business processes"</h2>
        <p class=processes_status id="process-raci-summary">{processes_summary}</p>
        <MatrixTable id="process-raci-matrix" record="Process" matrix=v.processes />
    }
}

/// Records × parties with each record's status; records without exactly
/// one A are highlighted.
#[component]
fn MatrixTable(id: &'static str, record: &'static str, matrix: RaciMatrix) -> impl IntoView {
    let empty = matrix.rows.is_empty();
    view! {
        <div class="table-wrap">
            <table class="table compact raci" id=id>
                <caption class="visually-hidden">{format!("RACI matrix: {record} by party")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{record}</th>
                        {matrix.parties.into_iter().map(|p| view! { <th scope="col">{p}</th> }).collect_view()}
                        <th scope="col">"Status"</th>
                    </tr>
                </thead>
                <tbody>
                    {matrix.rows.into_iter().map(|row| {
                        let class = if row.gap.is_some() { "incomplete" } else { "" };
                        view! {
                            <tr class=class>
                                <th scope="row"><a href=row.subject.page(&row.key)>{row.key.to_string()}</a>" "<span class="muted">{row.name}</span></th>
                                {row.cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
                                <td>{match row.gap {
                                    Some(gap) => view! { <span class="badge warn">{gap}</span> }.into_any(),
                                    None => view! { <span class="badge ok">"complete"</span> }.into_any(),
                                }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {empty.then(|| view! { <p class="muted">"None match."</p> })}
    }
}
