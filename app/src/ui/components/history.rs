//! A record's field-level change history (SPEC §6.6).

use crate::domain::history::HistoryEntry;
use leptos::prelude::*;

/// A record's change history, newest first.
#[component]
pub fn History(entries: Vec<HistoryEntry>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="history">
            <h2 id="history">"History"</h2>
            <div class="table-wrap">
                <table class="table compact" id="history-table">
                    <thead>
                        <tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"Change"</th><th scope="col">"Field"</th><th scope="col">"Before"</th><th scope="col">"After"</th></tr>
                    </thead>
                    <tbody>
                        {entries
                            .into_iter()
                            .flat_map(|e| {
                                let (when, who, change) = (e.at.display_minutes(), e.actor.clone(), e.change.clone());
                                e.fields.into_iter().map(move |f| view! {
                                    <tr>
                                        <td>{when.clone()}</td>
                                        <td>{who.clone()}</td>
                                        <td>{change.clone()}</td>
                                        <td>{f.field}</td>
                                        <td>{f.before.unwrap_or_default()}</td>
                                        <td>{f.after.unwrap_or_default()}</td>
                                    </tr>
                                })
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
