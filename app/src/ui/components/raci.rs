//! A record's RACI assignments, with the form that adds or removes a
//! letter: on service and process pages.

use crate::api::services::AssignRaci;
use crate::domain::inventory::raci::{RaciAssignment, RaciLetter, RaciSubject};
use crate::ui::components::errors::{field_error, form_error, ErrorBox};
use crate::ui::components::form::{SelectField, TextField};
use leptos::prelude::*;

#[component]
pub fn RaciCard(
    subject: RaciSubject,
    key: String,
    assignments: Vec<RaciAssignment>,
    gap: Option<String>,
    can_assign: bool,
    action: ServerAction<AssignRaci>,
) -> impl IntoView {
    let result = action.value();
    let err = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    let letters = RaciLetter::ALL
        .iter()
        .map(|l| {
            let name = match l {
                RaciLetter::R => "R — responsible",
                RaciLetter::A => "A — accountable",
                RaciLetter::C => "C — consulted",
                RaciLetter::I => "I — informed",
            };
            (l.as_str().to_string(), name.to_string())
        })
        .collect::<Vec<_>>();
    let record = key.clone();
    view! {
        <section class="card" aria-labelledby="raci-heading">
            <h2 id="raci-heading">"RACI"</h2>
            {match gap {
                Some(gap) => view! { <p class="alert error" id="raci-gap">{format!("Incomplete: {gap}.")}</p> }.into_any(),
                None => view! { <p class="muted">"Complete: exactly one accountable party."</p> }.into_any(),
            }}
            <ul class="plain" id="raci-list">
                {assignments.into_iter().map(|a| {
                    let (party, letter) = (a.party.clone(), a.letter.to_string());
                    let key = record.clone();
                    view! {
                        <li>
                            <span class="badge">{letter.clone()}</span>" "{party.clone()}
                            {can_assign.then(|| view! {
                                <ActionForm action attr:class="inline">
                                    <input type="hidden" name="subject" value=subject.as_str() />
                                    <input type="hidden" name="key" value=key.clone() />
                                    <input type="hidden" name="party" value=party.clone() />
                                    <input type="hidden" name="letter" value=letter.clone() />
                                    <input type="hidden" name="remove" value="true" />
                                    <button type="submit" class="small secondary" aria-label=format!("Remove {letter} from {party}")>"Remove"</button>
                                </ActionForm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {can_assign.then(|| view! {
                <ActionForm action>
                    <input type="hidden" name="subject" value=subject.as_str() />
                    <input type="hidden" name="key" value=key.clone() />
                    <div class="grid-form">
                        <TextField id="raci-party" label="Person or team" name="party" value="" error=err("party") hint="a user's e-mail or name, or a team" required=true />
                        <SelectField id="raci-letter" label="Letter" name="letter" options=letters.clone() selected="R" error=err("letter") />
                    </div>
                    {move || form_error(result.get()).map(|error| view! { <ErrorBox error /> })}
                    <button type="submit" class="primary">"Assign"</button>
                </ActionForm>
            })}
        </section>
    }
}
