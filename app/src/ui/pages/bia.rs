//! A process's BIA: the versions, approval, and the grid form of impact
//! ratings with the targets.

use crate::api::bia::{get_bia, ApproveBia, BiaView, SaveBia};
use crate::domain::bia::{impact_field, ApprovalStatus, ImpactCategory, HORIZONS, MAX_RATING};
use crate::ui::components::errors::{field_error, form_error, ErrorBox, Loaded};
use crate::ui::components::form::TextField;
use crate::ui::components::page::{route_key, Page};
use leptos::prelude::*;

#[component]
pub fn BiaPage() -> impl IntoView {
    let key = route_key();
    let approve = ServerAction::<ApproveBia>::new();
    let save = ServerAction::<SaveBia>::new();
    let view_ = Resource::new(
        move || (key.get(), approve.version().get(), save.version().get()),
        |(key, ..)| get_bia(key),
    );
    view! {
        <Page title="Business impact analysis">
            {move || form_error(approve.value().get()).map(|error| view! { <ErrorBox error /> })}
            <Loaded resource=view_ show=move |v| view! { <BiaBody v approve save /> } />
        </Page>
    }
}

#[component]
fn BiaBody(
    v: BiaView,
    approve: ServerAction<ApproveBia>,
    save: ServerAction<SaveBia>,
) -> impl IntoView {
    let process = v.process.clone();
    let latest_draft = v
        .versions
        .first()
        .filter(|b| b.status == ApprovalStatus::Draft)
        .map(|b| b.version);
    view! {
        <p><a href=format!("/processes/{}", v.process)>{format!("{} — {}", v.process, v.process_name)}</a></p>
        {v.review_overdue.then(|| view! { <p class="alert error" id="review-overdue">"The approved BIA is past its review date: review it and approve a new version."</p> })}
        <section class="card" aria-labelledby="versions-heading">
            <h2 id="versions-heading">"Versions"</h2>
            {if v.versions.is_empty() {
                view! { <p class="muted">"No BIA yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table compact" id="bia-versions" aria-labelledby="versions-heading">
                            <thead><tr>
                                <th scope="col">"Version"</th><th scope="col">"Status"</th><th scope="col">"RTO"</th><th scope="col">"RPO"</th>
                                <th scope="col">"MTPD"</th><th scope="col">"Approved"</th><th scope="col">"Review due"</th>
                            </tr></thead>
                            <tbody>
                                {v.versions.iter().map(|b| view! {
                                    <tr>
                                        <td>{b.version}</td>
                                        <td>{b.status.as_str()}</td>
                                        <td>{format!("{} min", b.targets.rto_minutes)}</td>
                                        <td>{format!("{} min", b.targets.rpo_minutes)}</td>
                                        <td>{format!("{} min", b.targets.mtpd_minutes)}</td>
                                        <td>{b.approval.text()}</td>
                                        <td>{b.approval.review_text()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {(v.can_approve && latest_draft.is_some()).then(|| view! {
                <ActionForm action=approve>
                    <input type="hidden" name="process" value=process.clone() />
                    <input type="hidden" name="version" value=latest_draft.unwrap_or_default().to_string() />
                    <button type="submit" class="primary">{format!("Approve version {}", latest_draft.unwrap_or_default())}</button>
                </ActionForm>
            })}
        </section>
        {v.can_edit.then(|| view! { <BiaForm process=v.process.clone() input=v.input.clone() save /> })}
    }
}

#[component]
fn BiaForm(
    process: String,
    input: crate::domain::bia::BiaInput,
    save: ServerAction<SaveBia>,
) -> impl IntoView {
    let result = save.value();
    let err = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    let impacts = input.impacts.clone();
    view! {
        <section class="card" aria-labelledby="bia-form-heading">
            <h2 id="bia-form-heading">"Edit"</h2>
            <p class="muted">"Saving changes the draft; after an approved version it starts a new draft. The RTO must not exceed the MTPD."</p>
            <ActionForm action=save>
                <input type="hidden" name="process" value=process />
                <div class="table-wrap">
                    <table class="table compact" id="impact-grid">
                        <caption>"Impact over time: 0 none · 1 minor · 2 moderate · 3 major · 4 severe"</caption>
                        <thead><tr>
                            <th scope="col">"Category"</th>
                            {HORIZONS.iter().map(|(_, label)| view! { <th scope="col">{*label}</th> }).collect_view()}
                        </tr></thead>
                        <tbody>
                            {ImpactCategory::ALL.iter().map(|c| {
                                let impacts = impacts.clone();
                                view! {
                                    <tr>
                                        <th scope="row">{c.as_str().replace('_', " ")}</th>
                                        {HORIZONS.iter().map(|(minutes, label)| {
                                            let name = impact_field(*c, *minutes);
                                            let current = impacts.get(&name).cloned().unwrap_or_else(|| "0".into());
                                            view! {
                                                <td>
                                                    <select name=format!("bia[impacts][{name}]") id=format!("impact-{name}")
                                                        aria-label=format!("{} impact after {label}", c.as_str().replace('_', " "))>
                                                        {(0..=MAX_RATING).map(|r| view! { <option value=r.to_string() selected=current == r.to_string()>{r}</option> }).collect_view()}
                                                    </select>
                                                </td>
                                            }
                                        }).collect_view()}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <div class="grid-form">
                    <TextField id="bia-mtpd" label="MTPD (minutes)" name="bia[mtpd_minutes]" value=input.mtpd_minutes error=err("mtpd_minutes") hint="maximum tolerable period of disruption" required=true />
                    <TextField id="bia-rto" label="RTO (minutes)" name="bia[rto_minutes]" value=input.rto_minutes error=err("rto_minutes") required=true />
                    <TextField id="bia-rpo" label="RPO (minutes)" name="bia[rpo_minutes]" value=input.rpo_minutes error=err("rpo_minutes") required=true />
                    <TextField id="bia-mbco" label="MBCO" name="bia[mbco]" value=input.mbco error=err("mbco") hint="minimum business continuity objective" />
                </div>
                {move || form_error(result.get()).map(|error| view! { <ErrorBox error /> })}
                <button type="submit" class="primary">"Save BIA"</button>
            </ActionForm>
        </section>
    }
}
