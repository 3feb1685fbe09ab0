use crate::ui::components::page::Page;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Page title="Page not found">
            <p>"There is no page at this address. "<a href="/">"Go to the dashboard"</a>"."</p>
        </Page>
    }
}
