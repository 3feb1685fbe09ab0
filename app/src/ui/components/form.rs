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

/// A labelled choice among `options` (value, label); `any` adds a first
/// option with an empty value, for filters.
#[component]
pub fn SelectField(
    id: &'static str,
    label: &'static str,
    name: &'static str,
    options: Vec<(String, String)>,
    #[prop(into)] selected: String,
    #[prop(optional)] any: Option<&'static str>,
    #[prop(optional)] error: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let error = error.unwrap_or_else(|| Signal::derive(|| None));
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=name aria-describedby=error_id.clone()
                aria-invalid=move || error.get().is_some().to_string()>
                {any.map(|text| view! { <option value="" selected=selected.is_empty()>{text}</option> })}
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let chosen = value == selected;
                        view! { <option value=value selected=chosen>{text}</option> }
                    })
                    .collect_view()}
            </select>
            <p class="field-error" id=error_id role="alert" hidden=move || error.get().is_none()>
                {move || error.get()}
            </p>
        </div>
    }
}

/// The options of a closed set of names, each labelled by itself.
pub fn name_options<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str) -> Vec<(String, String)> {
    all.iter()
        .map(|v| (name(*v).to_string(), name(*v).to_string()))
        .collect()
}
