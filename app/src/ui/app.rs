//! The HTML shell, the router and what every page shares.

use crate::api::auth::current_user;
use crate::api::error::AppError;
use crate::domain::user::User;
use crate::ui::pages::analysis::{GapsPage, SiteLossPage, StartupPage};
use crate::ui::pages::bia::BiaPage;
use crate::ui::pages::drills::{
    ActionsPage, CoveragePage, DrillPage, DrillsPage, PostMortemPage, TrendsPage,
};
use crate::ui::pages::failover::{FailoverPage, FailoversPage};
use crate::ui::pages::import::ImportPage;
use crate::ui::pages::processes::{EditProcessPage, NewProcessPage, ProcessPage, ProcessesPage};
use crate::ui::pages::raci::RaciPage;
use crate::ui::pages::reports::ReportsPage;
use crate::ui::pages::runbooks::{RunbookPage, RunbooksPage};
use crate::ui::pages::services::{EditServicePage, NewServicePage, ServicePage, ServicesPage};
use crate::ui::pages::sites::{EditSitePage, NewSitePage, SitePage, SitesPage};
use crate::ui::pages::vendors::{EditVendorPage, NewVendorPage, VendorPage, VendorsPage};
use crate::ui::pages::{
    audit::AuditPage, dashboard::DashboardPage, login::LoginPage, not_found::NotFound,
    users::UsersPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{path, SsrMode};

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    provide_request_nonce();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The CSP nonce the security-headers middleware chose for this response,
/// so that Leptos puts it on its inline scripts.
#[cfg(feature = "ssr")]
fn provide_request_nonce() {
    use leptos::nonce::Nonce;
    if let Some(parts) = use_context::<axum::http::request::Parts>() {
        if let Some(nonce) = parts.extensions.get::<CspNonce>() {
            provide_context(Nonce::from_value(nonce.0.clone()));
        }
    }
}

/// A per-response nonce for `script-src`.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// Who is signed in; re-read on every navigation, so that signing in or
/// out and role changes show at once.
#[derive(Clone, Copy)]
pub struct Auth {
    pub user: Resource<Result<Option<User>, AppError>>,
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    mark_hydrated();
    view! {
        <Stylesheet id="continuity" href="/pkg/continuity.css" />
        <Title formatter=|page: String| if page.is_empty() { "Continuity".to_string() } else { format!("{page} · Continuity") } />
        <Router>
            <AuthProvider>
                <Routes fallback=NotFound>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/") view=DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("/users") view=UsersPage ssr=SsrMode::Async />
                    <Route path=path!("/audit") view=AuditPage ssr=SsrMode::Async />
                    <Route path=path!("/sites") view=SitesPage ssr=SsrMode::Async />
                    <Route path=path!("/sites/new") view=NewSitePage ssr=SsrMode::Async />
                    <Route path=path!("/sites/:key") view=SitePage ssr=SsrMode::Async />
                    <Route path=path!("/sites/:key/edit") view=EditSitePage ssr=SsrMode::Async />
                    <Route path=path!("/services") view=ServicesPage ssr=SsrMode::Async />
                    <Route path=path!("/services/new") view=NewServicePage ssr=SsrMode::Async />
                    <Route path=path!("/services/:key") view=ServicePage ssr=SsrMode::Async />
                    <Route path=path!("/services/:key/edit") view=EditServicePage ssr=SsrMode::Async />
                    <Route path=path!("/raci") view=RaciPage ssr=SsrMode::Async />
                    <Route path=path!("/processes") view=ProcessesPage ssr=SsrMode::Async />
                    <Route path=path!("/processes/new") view=NewProcessPage ssr=SsrMode::Async />
                    <Route path=path!("/processes/:key") view=ProcessPage ssr=SsrMode::Async />
                    <Route path=path!("/processes/:key/edit") view=EditProcessPage ssr=SsrMode::Async />
                    <Route path=path!("/processes/:key/bia") view=BiaPage ssr=SsrMode::Async />
                    <Route path=path!("/gaps") view=GapsPage ssr=SsrMode::Async />
                    <Route path=path!("/startup") view=StartupPage ssr=SsrMode::Async />
                    <Route path=path!("/simulation") view=SiteLossPage ssr=SsrMode::Async />
                    <Route path=path!("/vendors") view=VendorsPage ssr=SsrMode::Async />
                    <Route path=path!("/vendors/new") view=NewVendorPage ssr=SsrMode::Async />
                    <Route path=path!("/vendors/:name") view=VendorPage ssr=SsrMode::Async />
                    <Route path=path!("/vendors/:name/edit") view=EditVendorPage ssr=SsrMode::Async />
                    <Route path=path!("/import") view=ImportPage ssr=SsrMode::Async />
                    <Route path=path!("/runbooks") view=RunbooksPage ssr=SsrMode::Async />
                    <Route path=path!("/runbooks/:scope/:key") view=RunbookPage ssr=SsrMode::Async />
                    <Route path=path!("/failover") view=FailoversPage ssr=SsrMode::Async />
                    <Route path=path!("/failover/:id") view=FailoverPage ssr=SsrMode::Async />
                    <Route path=path!("/drills") view=DrillsPage ssr=SsrMode::Async />
                    <Route path=path!("/drills/:id") view=DrillPage ssr=SsrMode::Async />
                    <Route path=path!("/coverage") view=CoveragePage ssr=SsrMode::Async />
                    <Route path=path!("/trends") view=TrendsPage ssr=SsrMode::Async />
                    <Route path=path!("/reports") view=ReportsPage ssr=SsrMode::Async />
                    <Route path=path!("/actions") view=ActionsPage ssr=SsrMode::Async />
                    <Route path=path!("/postmortems/:id") view=PostMortemPage ssr=SsrMode::Async />
                </Routes>
            </AuthProvider>
        </Router>
    }
}

#[component]
fn AuthProvider(children: Children) -> impl IntoView {
    let location = use_location();
    let user = Resource::new(move || location.pathname.get(), |_| current_user());
    provide_context(Auth { user });
    children()
}

/// Marks the body once the page is interactive; browser tests wait for it.
fn mark_hydrated() {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
