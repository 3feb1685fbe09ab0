//! Sign in. Works as a plain form post without JavaScript; after hydration
//! it signs in without a page load and can reveal the password.

use crate::api::auth::Login;
use crate::ui::components::errors::{field_error, form_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let shown = RwSignal::new(false);
    let result = login.value();
    let message = move || {
        let r = result.get();
        field_error(r.clone(), "password")
            .or_else(|| field_error(r.clone(), "email"))
            .or_else(|| form_error(r).map(|e| e.to_string()))
    };
    view! {
        <Title text="Sign in" />
        <main id="main" class="login">
            <div class="login-card">
                <p class="brand">"Continuity"</p>
                <h1>"Sign in"</h1>
                <ActionForm action=login>
                    <div class="field">
                        <label for="email">"Email"</label>
                        <input id="email" name="email" type="email" autocomplete="username" required autofocus />
                    </div>
                    <div class="field">
                        <label for="password">"Password"</label>
                        <div class="with-button">
                            <input
                                id="password"
                                name="password"
                                type=move || if shown.get() { "text" } else { "password" }
                                autocomplete="current-password"
                                required
                            />
                            <button
                                type="button"
                                id="toggle-password"
                                class="secondary"
                                aria-pressed=move || shown.get().to_string()
                                on:click=move |_| shown.update(|s| *s = !*s)
                            >
                                {move || if shown.get() { "Hide" } else { "Show" }}
                            </button>
                        </div>
                    </div>
                    <input type="hidden" name="next" value=next />
                    {move || message().map(|m| view! { <div class="alert error" role="alert" id="login-error">{m}</div> })}
                    <button type="submit" class="primary">"Sign in"</button>
                </ActionForm>
            </div>
        </main>
    }
}
