//! A captioned data table in its scrolling frame (wide tables scroll in
//! place on a phone), with its column headers.

use leptos::prelude::*;

#[component]
pub fn DataTable(
    id: &'static str,
    caption: &'static str,
    headers: &'static [&'static str],
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table compact" id=id>
                <caption>{caption}</caption>
                <thead><tr>{headers.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}</tr></thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
