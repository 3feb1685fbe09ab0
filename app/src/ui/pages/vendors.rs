//! Vendors: the list with contract warnings, one vendor with the services
//! that rely on it and its history, and the form.

use crate::api::vendors::{
    get_vendor, list_vendors, vendor_form, vendor_path, DeleteVendor, SaveVendor, VendorDetail,
    VendorList, VendorRow,
};
use crate::domain::inventory::vendor::VendorInput;
use crate::ui::components::errors::{field_error, form_error, ErrorBox, Loaded};
use crate::ui::components::form::TextField;
use crate::ui::components::history::History;
use crate::ui::components::page::Page;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The `:name` of the route.
fn route_name() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("name").unwrap_or_default())
}

/// A contracted figure, or a dash when the contract does not say.
fn figure(value: Option<impl std::fmt::Display>, unit: &str) -> String {
    value
        .map(|v| format!("{v}{unit}"))
        .unwrap_or_else(|| "–".into())
}

#[component]
pub fn VendorsPage() -> impl IntoView {
    let query = use_query_map();
    let search = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let vendors = Resource::new(move || search.get(), list_vendors);
    view! {
        <Page title="Vendors">
            <Loaded resource=vendors show=move |list: VendorList| view! {
                <div class="toolbar">
                    <Form method="GET" action="/vendors">
                        <div class="field">
                            <label for="q">"Search"</label>
                            <input id="q" name="q" type="search" value=search.get_untracked() placeholder="name, contact" />
                        </div>
                        <div class="field"><button type="submit" class="secondary">"Search"</button></div>
                    </Form>
                    <a href="/api/v1/export/vendors" download="vendors.csv">"Export vendors.csv"</a>
                    {list.can_edit.then(|| view! { <a class="button" href="/vendors/new">"Add a vendor"</a> })}
                </div>
                <VendorTable vendors=list.vendors />
            } />
        </Page>
    }
}

#[component]
fn VendorTable(vendors: Vec<VendorRow>) -> impl IntoView {
    let empty = vendors.is_empty();
    view! {
        <div class="table-wrap">
            <table class="table" id="vendors">
                <caption class="visually-hidden">"Vendors"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Availability"</th>
                        <th scope="col">"Response"</th>
                        <th scope="col">"Recovery (RTO)"</th>
                        <th scope="col">"RPO"</th>
                        <th scope="col">"Contract end"</th>
                        <th scope="col">"Services"</th>
                    </tr>
                </thead>
                <tbody>
                    {vendors.into_iter().map(|VendorRow { vendor: v, warning }| view! {
                        <tr>
                            <td><a href=vendor_path(v.name.as_str())>{v.name.to_string()}</a></td>
                            <td>{figure(v.availability_percent, " %")}</td>
                            <td>{figure(v.response_minutes, " min")}</td>
                            <td>{figure(v.recovery_minutes, " min")}</td>
                            <td>{figure(v.rpo_minutes, " min")}</td>
                            <td>
                                {v.to_input().contract_end}
                                {warning.map(|w| view! { <span class="badge warn" title=w.clone()>{if w.contains("ended") { "ended" } else { "renew soon" }}</span> })}
                            </td>
                            <td>{v.services.len()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {empty.then(|| view! { <p class="muted">"No vendors match."</p> })}
    }
}

#[component]
pub fn VendorPage() -> impl IntoView {
    let name = route_name();
    let detail = Resource::new(move || name.get(), get_vendor);
    let delete = ServerAction::<DeleteVendor>::new();
    view! {
        <Page title="Vendor">
            {move || form_error(delete.value().get()).map(|error| view! { <ErrorBox error /> })}
            <Loaded resource=detail show=move |d| view! { <VendorView d delete /> } />
        </Page>
    }
}

#[component]
fn VendorView(d: VendorDetail, delete: ServerAction<DeleteVendor>) -> impl IntoView {
    let VendorRow { vendor: v, warning } = d.vendor;
    let name = v.name.to_string();
    view! {
        <section class="card" aria-labelledby="vendor-name">
            <h2 id="vendor-name">{name.clone()}</h2>
            {warning.map(|w| view! { <p class="alert error" id="contract-warning">{format!("Note: {w}.")}</p> })}
            <dl class="facts">
                <dt>"Contact"</dt><dd>{if v.contact.is_empty() { "not set".to_string() } else { v.contact.clone() }}</dd>
                <dt>"Contracted availability"</dt><dd>{figure(v.availability_percent, " %")}</dd>
                <dt>"Contracted response"</dt><dd>{figure(v.response_minutes, " minutes")}</dd>
                <dt>"Contracted recovery (their RTO)"</dt><dd>{figure(v.recovery_minutes, " minutes")}</dd>
                <dt>"Contracted data loss (their RPO)"</dt><dd>{figure(v.rpo_minutes, " minutes")}</dd>
                <dt>"Contract end"</dt><dd>{figure(v.contract_end.map(crate::domain::timestamp::format_date), "")}</dd>
                <dt>"Services that rely on it"</dt>
                <dd id="vendor-services">
                    {if v.services.is_empty() { "none".into_any() } else {
                        v.services.iter().map(|s| view! { <a href=format!("/services/{s}")>{s.to_string()}</a>" " }).collect_view().into_any()
                    }}
                </dd>
            </dl>
        </section>
        {d.can_edit.then(|| view! {
            <div class="toolbar">
                <a class="button" href=format!("{}/edit", vendor_path(&name))>"Edit"</a>
                <ActionForm action=delete>
                    <input type="hidden" name="name" value=name.clone() />
                    <button type="submit" class="danger">"Delete vendor"</button>
                </ActionForm>
            </div>
        })}
        <History entries=d.history />
    }
}

#[component]
pub fn NewVendorPage() -> impl IntoView {
    view! {
        <Page title="Add a vendor">
            <VendorFormLoader name=Memo::new(|_| String::new()) />
        </Page>
    }
}

#[component]
pub fn EditVendorPage() -> impl IntoView {
    view! {
        <Page title="Edit vendor">
            <VendorFormLoader name=route_name() />
        </Page>
    }
}

/// Loads what the form starts with; refused (403) for those who may not
/// edit vendors.
#[component]
fn VendorFormLoader(name: Memo<String>) -> impl IntoView {
    let initial = Resource::new(move || name.get(), vendor_form);
    view! {
        <Loaded resource=initial show=move |initial| view! { <VendorForm original=name.get_untracked() initial /> } />
    }
}

#[component]
fn VendorForm(original: String, initial: VendorInput) -> impl IntoView {
    let save = ServerAction::<SaveVendor>::new();
    let result = save.value();
    let err = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    view! {
        <ActionForm action=save>
            <input type="hidden" name="original_name" value=original />
            <div class="grid-form">
                <TextField id="vendor-name-field" label="Name" name="vendor[name]" value=initial.name error=err("name") required=true />
                <TextField id="vendor-contact" label="Contact" name="vendor[contact]" value=initial.contact error=err("contact") hint="who to call in an incident" />
                <TextField id="vendor-availability" label="Availability (%)" name="vendor[availability_percent]" value=initial.availability_percent error=err("availability_percent") hint="e.g. 99.95" />
                <TextField id="vendor-response" label="Response (minutes)" name="vendor[response_minutes]" value=initial.response_minutes error=err("response_minutes") />
                <TextField id="vendor-recovery" label="Recovery (minutes)" name="vendor[recovery_minutes]" value=initial.recovery_minutes error=err("recovery_minutes") hint="their contracted RTO" />
                <TextField id="vendor-rpo" label="RPO (minutes)" name="vendor[rpo_minutes]" value=initial.rpo_minutes error=err("rpo_minutes") hint="their contracted data loss" />
                <TextField id="vendor-end" label="Contract end" name="vendor[contract_end]" value=initial.contract_end error=err("contract_end") hint="e.g. 2027-03-31" />
                <TextField id="vendor-services-field" label="Services that rely on it" name="vendor[services]" value=initial.services error=err("services") hint="service keys separated by ;" />
            </div>
            {move || form_error(result.get()).map(|error| view! { <ErrorBox error /> })}
            <button type="submit" class="primary">"Save vendor"</button>
        </ActionForm>
    }
}
