//! Form fields with a label, an optional hint and an inline error.

use leptos::prelude::*;

/// A labelled text input; `name` is what the server function receives.
#[component]
pub fn TextField(
    id: &'static str,
    label: &'static str,
    name: &'static str,
    #[prop(into)] value: String,
    error: Signal<Option<String>>,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = if hint.is_empty() {
        error_id.clone()
    } else {
        format!("{hint_id} {error_id}")
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id name=name type="text" value=value required=required aria-describedby=described
                aria-invalid=move || error.get().is_some().to_string() />
            {(!hint.is_empty()).then(|| view! { <p class="hint" id=hint_id>{hint}</p> })}
            <p class="field-error" id=error_id role="alert" hidden=move || error.get().is_none()>
                {move || error.get()}
            </p>
        </div>
    }
}
