//! The frame of every signed-in page: header, navigation by role, main.

use crate::api::auth::Logout;
use crate::api::failover::failovers_waiting;
use crate::domain::access::{may, Permission};
use crate::domain::user::User;
use crate::ui::app::Auth;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn Page(#[prop(into)] title: String, children: Children) -> impl IntoView {
    let auth = expect_context::<Auth>();
    view! {
        <Title text=title.clone() />
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="top">
            <a class="brand" href="/">"Continuity"</a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    auth.user.await.ok().flatten().map(|user| view! { <Nav user /> })
                })}
            </Suspense>
        </header>
        <main id="main" tabindex="-1">
            <h1>{title}</h1>
            {children()}
        </main>
    }
}

#[component]
fn Nav(user: User) -> impl IntoView {
    // Made under <Routes>, like every action, so that a plain form post's
    // error (carried back in the URL) reaches it.
    let logout = ServerAction::<Logout>::new();
    let role = user.role;
    view! {
        <nav aria-label="Main">
            <ul>
                <li><A href="/">"Dashboard"</A></li>
                <li><A href="/services">"Services"</A></li>
                <li><A href="/processes">"Processes"</A></li>
                <li><A href="/gaps">"Gaps"</A></li>
                <li><A href="/startup">"Startup"</A></li>
                <li><A href="/simulation">"Site loss"</A></li>
                <li><A href="/runbooks">"Runbooks"</A></li>
                <li><FailoverLink /></li>
                <li><A href="/drills">"Drills"</A></li>
                <li><A href="/raci">"RACI"</A></li>
                <li><A href="/sites">"Sites"</A></li>
                <li><A href="/vendors">"Vendors"</A></li>
                {may(role, Permission::ImportCsv).then(|| view! { <li><A href="/import">"Import"</A></li> })}
                {may(role, Permission::BoardReport).then(|| view! { <li><A href="/reports">"Reports"</A></li> })}
                {may(role, Permission::ReadAudit).then(|| view! { <li><A href="/audit">"Audit log"</A></li> })}
                {may(role, Permission::ManageUsers).then(|| view! { <li><A href="/users">"Users"</A></li> })}
            </ul>
        </nav>
        <div class="who">
            <span class="user-name">{user.display_name}</span>
            <span class="badge role">{role.label()}</span>
            <ActionForm action=logout>
                <button type="submit" class="link-button">"Sign out"</button>
            </ActionForm>
        </div>
    }
}

/// The failover link, with how many requests wait for my approval.
#[component]
fn FailoverLink() -> impl IntoView {
    let waiting = Resource::new(|| (), |_| failovers_waiting());
    view! {
        <A href="/failover">"Failover"</A>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let n = waiting.await.map(|w| w.ids.len()).unwrap_or(0);
                (n > 0).then(|| view! {
                    " "<a href="/failover#awaiting-me" class="badge warn" id="approvals-badge"
                        aria-label=format!("{n} failover requests wait for your approval")>{n}</a>
                })
            })}
        </Suspense>
    }
}

/// The `:key` of the route.
pub fn route_key() -> Memo<String> {
    route_param("key")
}

/// A parameter of the route, empty when missing.
pub fn route_param(name: &'static str) -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get(name).unwrap_or_default())
}

/// A route's `:id` as a number; any other text is a record not found.
pub fn parse_id(what: &str, raw: &str) -> Result<i64, crate::api::error::AppError> {
    raw.parse::<i64>()
        .map_err(|_| crate::api::error::AppError::NotFound {
            what: format!("{what} {raw}"),
        })
}
