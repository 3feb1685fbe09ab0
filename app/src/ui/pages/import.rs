//! Importing exchange files (SPEC §8.5) from the browser: choose one or
//! more CSV files, named as they are exported; all or nothing.

use crate::api::error::AppError;
use crate::api::import::{last_import, ImportOutcome};
use crate::domain::inventory::csv_file::Exchange;
use crate::domain::inventory::exchange::ImportSummary;
use crate::ui::components::errors::{ErrorBox, Loaded};
use crate::ui::components::page::Page;
use leptos::prelude::*;

#[component]
pub fn ImportPage() -> impl IntoView {
    let outcome = Resource::new(|| (), |_| last_import());
    view! {
        <Page title="Import">
            <Loaded resource=outcome show=|outcome| view! { <ImportView outcome /> } />
        </Page>
    }
}

#[component]
fn ImportView(outcome: Option<ImportOutcome>) -> impl IntoView {
    view! {
        <UploadForm />
        {outcome.map(|o| view! { <Outcome outcome=o /> })}
        <Formats />
    }
}

/// A plain multipart form: it works the same with or without JavaScript.
#[component]
fn UploadForm() -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="upload-heading">
            <h2 id="upload-heading">"Upload exchange files"</h2>
            <p class="muted">
                "Name each file as the export does (services.csv, dependencies.csv …). Rows match stored records by key and update them; the rest are created. If any row of any file is wrong, nothing changes and every bad row is listed."
            </p>
            <form method="post" action="/import" enctype="multipart/form-data">
                <div class="field">
                    <label for="import-files">"CSV files"</label>
                    <input id="import-files" name="files" type="file" accept=".csv,text/csv" multiple required />
                </div>
                <button type="submit" class="primary">"Import"</button>
            </form>
        </section>
    }
}

#[component]
fn Outcome(outcome: ImportOutcome) -> impl IntoView {
    match outcome {
        Ok(summaries) => view! { <Imported summaries /> }.into_any(),
        Err(AppError::InvalidFiles { files }) => view! {
            <section class="card" aria-labelledby="outcome-heading">
                <h2 id="outcome-heading">"Nothing was imported"</h2>
                <p class="alert error" role="alert">
                    {format!("{} bad row(s); fix them and upload the files again.", files.iter().map(|f| f.errors.len()).sum::<usize>())}
                </p>
                <div class="table-wrap">
                    <table class="table compact" id="import-errors" aria-labelledby="outcome-heading">
                        <thead><tr><th scope="col">"File"</th><th scope="col">"Line"</th><th scope="col">"Column"</th><th scope="col">"Problem"</th></tr></thead>
                        <tbody>
                            {files.into_iter().flat_map(|f| {
                                let file = f.file;
                                f.errors.into_iter().map(move |e| view! {
                                    <tr><td>{file.clone()}</td><td>{e.line}</td><td>{e.column.unwrap_or_default()}</td><td>{e.message}</td></tr>
                                })
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        }.into_any(),
        Err(error) => view! { <ErrorBox error /> }.into_any(),
    }
}

#[component]
fn Imported(summaries: Vec<ImportSummary>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="outcome-heading">
            <h2 id="outcome-heading">"Imported"</h2>
            <p class="alert ok" role="status">"The files were imported; each change is in its record's history and the audit log."</p>
            <div class="table-wrap">
                <table class="table compact" id="import-summary" aria-labelledby="outcome-heading">
                    <thead><tr><th scope="col">"File"</th><th scope="col">"Created"</th><th scope="col">"Updated"</th><th scope="col">"Unchanged"</th></tr></thead>
                    <tbody>
                        {summaries.into_iter().map(|s| view! {
                            <tr><td>{s.file}</td><td>{s.created}</td><td>{s.updated}</td><td>{s.unchanged}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The files and their columns, with the current data as examples.
#[component]
fn Formats() -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="formats-heading">
            <h2 id="formats-heading">"Files and columns"</h2>
            <p class="muted">"UTF-8, a header row, lists separated by ;, booleans true or false, an empty cell for not set."</p>
            <ul class="plain" id="formats">
                {Exchange::ALL.iter().map(|x| view! {
                    <li>
                        <a href=format!("/api/v1/export/{}", x.as_str()) download=x.file_name()>{x.file_name()}</a>
                        ": "<code>{x.columns().join(",")}</code>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
