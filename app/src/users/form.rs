//! Pieces of the users forms: role checkboxes with what each role allows, and how a
//! new user gets their first password.

use leptos::prelude::*;

use super::{PasswordChoice, RoleChoice};
use crate::core::roles::RoleSet;

/// The eight roles as checkboxes, each with what it allows; a role the viewer cannot
/// change here is shown disabled with the reason, one given from above says so.
#[component]
pub fn RoleCheckboxes(
    choices: Vec<RoleChoice>,
    #[prop(into)] legend: String,
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <fieldset class="field role-choices" class:has-error=move || error.read().is_some()>
            <legend>{legend}</legend>
            <ul class="role-list">
                {choices
                    .into_iter()
                    .map(|choice| {
                        let role = choice.role;
                        let locked = choice.locked.clone();
                        let is_locked = locked.is_some();
                        let id = format!("role-{}", role.key());
                        let note_id = format!("{id}-note");
                        view! {
                            <li class="role-choice" class:locked=is_locked>
                                <input
                                    type="checkbox"
                                    id=id.clone()
                                    name="roles[]"
                                    value=role.key()
                                    checked=choice.held
                                    disabled=is_locked
                                    aria-describedby=note_id.clone()
                                />
                                // A disabled box is not posted: keep a held role held.
                                {(is_locked && choice.held)
                                    .then(|| {
                                        view! { <input type="hidden" name="roles[]" value=role.key() /> }
                                    })}
                                <label for=id>
                                    <span class="role-name">{role.label()}</span>
                                    <span class="role-description" id=note_id>
                                        {role.description()}
                                        {(!choice.inherited_from.is_empty())
                                            .then(|| {
                                                view! {
                                                    <span class="role-inherited">
                                                        {crate::tr!(
                                                            users.also_from_above,
                                                            nodes = choice.inherited_from.join(", ")
                                                        )}
                                                    </span>
                                                }
                                            })}
                                        {locked
                                            .map(|reason| {
                                                view! { <span class="role-locked">{format!(" {reason}")}</span> }
                                            })}
                                    </span>
                                </label>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p class="field-message">{move || error.get()}</p>
        </fieldset>
    }
}

/// Roles as small labels, for lists.
#[component]
pub fn RoleChips(roles: RoleSet) -> impl IntoView {
    roles
        .roles()
        .iter()
        .map(|role| view! { <span class="tag">{role.label()}</span> })
        .collect_view()
}

/// How a new user gets their first password, as radio buttons.
#[component]
pub fn PasswordChoices(
    #[prop(into)] legend: String,
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <fieldset class="field choices" class:has-error=move || error.read().is_some()>
            <legend>{legend}</legend>
            {PasswordChoice::ALL
                .iter()
                .map(|choice| {
                    view! {
                        <label class="radio">
                            <input
                                type="radio"
                                name="password_choice"
                                value=choice.key()
                                checked=*choice == PasswordChoice::ActivationLink
                            />
                            {choice.label()}
                        </label>
                    }
                })
                .collect_view()}
            <p class="field-message">{move || error.get()}</p>
        </fieldset>
    }
}
