//! "Page 2 of 7" with links to the pages before and after.

use leptos::prelude::*;

/// `href` gives the link to a page number.
#[component]
pub fn Pager(page: u32, pages: u32, href: impl Fn(u32) -> String + 'static) -> impl IntoView {
    let previous = (page > 1).then(|| view! { <a href=href(page - 1)>"← Previous"</a> });
    let next = (page < pages).then(|| view! { <a href=href(page + 1)>"Next →"</a> });
    view! {
        <nav class="pager" aria-label="Pages">
            {previous}
            <span>{format!(" Page {page} of {pages} ")}</span>
            {next}
        </nav>
    }
}
