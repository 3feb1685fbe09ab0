//! Showing errors: a whole-form alert, or a message beside one field.

use crate::api::error::AppError;
use leptos::prelude::*;

/// A failed call's message, announced to screen readers.
#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    view! {
        <div class="alert error" role="alert">
            {error.to_string()}
        </div>
    }
}

/// The last result's error, if it was not about a particular field.
pub fn form_error<T>(result: Option<Result<T, AppError>>) -> Option<AppError> {
    result.and_then(|r| r.err()).filter(|e| e.field().is_none())
}

/// The last result's message for `field`, if any.
pub fn field_error<T>(result: Option<Result<T, AppError>>, field: &str) -> Option<String> {
    result
        .and_then(|r| r.err())
        .and_then(|e| e.message_for(field))
}

/// An inline message under a field; `id` is what the input's
/// `aria-describedby` names.
#[component]
pub fn FieldMessage(id: &'static str, message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <p class="field-error" id=id role="alert" hidden=move || message.get().is_none()>
            {move || message.get()}
        </p>
    }
}

/// Waits for `resource` and shows its value with `show`, or the error:
/// the one way pages load their data. A `live` page, refetched while it
/// is watched, keeps showing the last value instead of "Loading…".
#[component]
pub fn Loaded<T, F, V>(
    resource: Resource<Result<T, AppError>>,
    show: F,
    #[prop(optional)] live: bool,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let body = move || {
        let show = show.clone();
        Suspend::new(async move {
            match resource.await {
                Ok(value) => show(value).into_any(),
                Err(error) => view! { <ErrorBox error /> }.into_any(),
            }
        })
    };
    let fallback = || view! { <p>"Loading…"</p> };
    if live {
        view! { <Transition fallback>{body}</Transition> }.into_any()
    } else {
        view! { <Suspense fallback>{body}</Suspense> }.into_any()
    }
}
