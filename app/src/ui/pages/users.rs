//! Users (admins): create, change role, deactivate and reactivate.

use crate::api::users::{
    list_api_tokens, list_users, ChangeUserRole, CreateUser, RevokeApiToken, SetUserActive,
};
use crate::domain::access::Role;
use crate::domain::token::ApiToken;
use crate::domain::user::User;
use crate::ui::components::errors::{field_error, form_error, ErrorBox, FieldMessage, Loaded};
use crate::ui::components::page::Page;
use leptos::prelude::*;

#[component]
pub fn UsersPage() -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let change_role = ServerAction::<ChangeUserRole>::new();
    let set_active = ServerAction::<SetUserActive>::new();
    let users = Resource::new(
        move || {
            (
                create.version().get(),
                change_role.version().get(),
                set_active.version().get(),
            )
        },
        |_| list_users(),
    );
    let row_error = move || {
        form_error(change_role.value().get()).or_else(|| form_error(set_active.value().get()))
    };
    view! {
        <Page title="Users">
            {move || row_error().map(|error| view! { <ErrorBox error /> })}
            <Loaded resource=users show=move |list| view! { <UserTable list change_role set_active /> } />
            <CreateUserForm create />
            <ApiTokens />
        </Page>
    }
}

/// API tokens, with a way to revoke each; they are created at the command
/// line (`continuity token create`), which prints the secret once.
#[component]
fn ApiTokens() -> impl IntoView {
    let revoke = ServerAction::<RevokeApiToken>::new();
    let tokens = Resource::new(move || revoke.version().get(), |_| list_api_tokens());
    view! {
        <section class="card" aria-labelledby="tokens-heading">
            <h2 id="tokens-heading">"API tokens"</h2>
            <p class="muted">"A token acts with its user's role. Create one with "<code>"continuity token create --user EMAIL --name NAME"</code>"."</p>
            {move || form_error(revoke.value().get()).map(|error| view! { <ErrorBox error /> })}
            <Loaded resource=tokens show=move |list| view! { <TokenTable list revoke /> } />
        </section>
    }
}

#[component]
fn TokenTable(list: Vec<ApiToken>, revoke: ServerAction<RevokeApiToken>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted">"No API tokens yet."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table compact" id="api-tokens">
                <thead>
                    <tr><th scope="col">"Name"</th><th scope="col">"User"</th><th scope="col">"Created"</th><th scope="col">"Status"</th></tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|t| view! {
                        <tr>
                            <td>{t.name.clone()}</td>
                            <td>{t.user_email.clone()}</td>
                            <td>{t.created_at.display_minutes()}</td>
                            <td>{if t.revoked {
                                view! { <span class="badge muted">"revoked"</span> }.into_any()
                            } else {
                                view! {
                                    <ActionForm action=revoke>
                                        <input type="hidden" name="id" value=t.id />
                                        <button type="submit" class="small danger" aria-label=format!("Revoke the token {}", t.name)>"Revoke"</button>
                                    </ActionForm>
                                }.into_any()
                            }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn UserTable(
    list: Vec<User>,
    change_role: ServerAction<ChangeUserRole>,
    set_active: ServerAction<SetUserActive>,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table" id="users">
                <caption class="visually-hidden">"Users and their roles"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Email"</th>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Access"</th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|u| view! { <UserRow u change_role set_active /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn UserRow(
    u: User,
    change_role: ServerAction<ChangeUserRole>,
    set_active: ServerAction<SetUserActive>,
) -> impl IntoView {
    let select_id = format!("role-{}", u.id);
    let label = format!("Role of {}", u.email);
    view! {
        <tr data-email=u.email.clone()>
            <td>{u.email.clone()}</td>
            <td>{u.display_name.clone()}</td>
            <td>
                <ActionForm action=change_role>
                    <input type="hidden" name="id" value=u.id />
                    <label class="visually-hidden" for=select_id.clone()>{label}</label>
                    <select id=select_id name="role">
                        <RoleOptions selected=u.role />
                    </select>
                    " "
                    <button type="submit" class="secondary small">"Save"</button>
                </ActionForm>
            </td>
            <td>
                {if u.active {
                    view! { <span class="badge ok">"Active"</span> }
                } else {
                    view! { <span class="badge muted">"Deactivated"</span> }
                }}
            </td>
            <td>
                <ActionForm action=set_active>
                    <input type="hidden" name="id" value=u.id />
                    <input type="hidden" name="active" value=(!u.active).to_string() />
                    <button type="submit" class="secondary small">
                        {if u.active { "Deactivate" } else { "Reactivate" }}
                    </button>
                </ActionForm>
            </td>
        </tr>
    }
}

#[component]
fn RoleOptions(selected: Role) -> impl IntoView {
    Role::ALL
        .into_iter()
        .map(|r| view! { <option value=r.as_str() selected=r == selected>{r.label()}</option> })
        .collect_view()
}

#[component]
fn CreateUserForm(create: ServerAction<CreateUser>) -> impl IntoView {
    let result = create.value();
    let err = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    let created = move || {
        result
            .get()
            .and_then(|r| r.ok())
            .map(|u| format!("Created {} ({}).", u.email, u.role.label()))
    };
    view! {
        <section class="card" aria-labelledby="new-user">
            <h2 id="new-user">"Add a user"</h2>
            <ActionForm action=create>
                <div class="grid-form">
                    <div class="field">
                        <label for="new-email">"Email"</label>
                        <input id="new-email" name="email" type="email" required aria-describedby="new-email-error" />
                        <FieldMessage id="new-email-error" message=err("email") />
                    </div>
                    <div class="field">
                        <label for="new-name">"Name"</label>
                        <input id="new-name" name="name" type="text" aria-describedby="new-name-error" />
                        <FieldMessage id="new-name-error" message=err("name") />
                    </div>
                    <div class="field">
                        <label for="new-role">"Role"</label>
                        <select id="new-role" name="role" aria-describedby="new-role-error">
                            <RoleOptions selected=Role::Viewer />
                        </select>
                        <FieldMessage id="new-role-error" message=err("role") />
                    </div>
                    <div class="field">
                        <label for="new-password">"Initial password"</label>
                        <input id="new-password" name="password" type="password" autocomplete="new-password" required aria-describedby="new-password-error" />
                        <FieldMessage id="new-password-error" message=err("password") />
                    </div>
                </div>
                {move || form_error(result.get()).map(|error| view! { <ErrorBox error /> })}
                {move || created().map(|m| view! { <p class="alert ok" role="status">{m}</p> })}
                <button type="submit" class="primary">"Add user"</button>
            </ActionForm>
        </section>
    }
}
