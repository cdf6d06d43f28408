//! Form fields that show their own validation message, and the form-level alert.

use leptos::prelude::*;

use crate::error::AppError;

/// A labelled input whose error message sits right under it.
#[component]
pub fn TextField(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    #[prop(into, default = "text".into())] input_type: String,
    #[prop(into, optional)] autocomplete: Option<String>,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] autofocus: bool,
    #[prop(into, optional)] value: Option<String>,
    /// Which keyboard a phone shows: `numeric` for codes.
    #[prop(into, optional)]
    inputmode: Option<String>,
    /// Needed when two forms on one page have a field of the same name.
    #[prop(into, optional)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("field-{name}"));
    let message_id = format!("{id}-message");
    view! {
        <div class="field" class:has-error=move || error.read().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type=input_type
                name=name
                inputmode=inputmode
                autocomplete=autocomplete
                autofocus=autofocus
                value=value
                aria-invalid=move || error.read().is_some().then_some("true")
                aria-describedby=message_id.clone()
            />
            <p class="field-message" id=message_id>
                {move || error.get().or_else(|| hint.clone())}
            </p>
        </div>
    }
}

/// A labelled multi-line input whose error message sits right under it.
#[component]
pub fn TextAreaField(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(into, optional)] value: String,
    #[prop(default = 3)] rows: u32,
    /// Needed when two forms on one page have a field of the same name.
    #[prop(into, optional)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("field-{name}"));
    let message_id = format!("{id}-message");
    view! {
        <div class="field" class:has-error=move || error.read().is_some()>
            <label for=id.clone()>{label}</label>
            <textarea
                id=id
                name=name
                rows=rows
                aria-invalid=move || error.read().is_some().then_some("true")
                aria-describedby=message_id.clone()
            >
                {value}
            </textarea>
            <p class="field-message" id=message_id>
                {move || error.get().or_else(|| hint.clone())}
            </p>
        </div>
    }
}

/// A filter's free-text search box, in a `GET` form: what the address holds.
#[component]
pub fn SearchField(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    value: String,
    #[prop(into)] placeholder: String,
    /// `numeric` for numbers, so phones show digits.
    #[prop(into, optional)]
    inputmode: Option<String>,
    /// Why what the address held was refused, shown under the box.
    #[prop(optional_no_strip)]
    error: Option<String>,
) -> impl IntoView {
    let id = format!("search-{name}");
    let has_error = error.is_some();
    view! {
        <div class="field search-field" class:has-error=has_error>
            <label for=id.clone()>{label}</label>
            <input id=id type="search" name=name value=value placeholder=placeholder inputmode=inputmode />
            {error.map(|error| view! { <p class="field-message">{error}</p> })}
        </div>
    }
}

/// A select of a filter form: `any` (the choice of no filter) first, then `choices`
/// as (key, label) pairs, with the one keyed `selected` chosen.
#[component]
pub fn FilterSelect(
    id: &'static str,
    label: &'static str,
    name: &'static str,
    #[prop(optional)] any: Option<&'static str>,
    choices: Vec<(&'static str, &'static str)>,
    #[prop(into)] selected: String,
    /// Classes beside `field`.
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    view! {
        <div class=format!("field {class}").trim_end().to_string()>
            <label for=id>{label}</label>
            <select id=id name=name>
                {any.map(|text| view! { <option value="">{text}</option> })}
                {choices
                    .into_iter()
                    .map(|(key, text)| {
                        view! {
                            <option value=key selected=key == selected>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// A labelled select whose error message sits right under it; `options` are
/// (value, label) pairs.
#[component]
pub fn SelectField(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    options: Vec<(String, String)>,
    #[prop(optional_no_strip)] selected: Option<String>,
    #[prop(into, optional)] placeholder: Option<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(into, optional)] id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("field-{name}"));
    let message_id = format!("{id}-message");
    view! {
        <div class="field" class:has-error=move || error.read().is_some()>
            <label for=id.clone()>{label}</label>
            <select
                id=id
                name=name
                aria-invalid=move || error.read().is_some().then_some("true")
                aria-describedby=message_id.clone()
            >
                {placeholder.map(|text| view! { <option value="">{text}</option> })}
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is_selected = selected.as_deref() == Some(value.as_str());
                        view! {
                            <option value=value selected=is_selected>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p class="field-message" id=message_id>
                {move || error.get()}
            </p>
        </div>
    }
}

/// The message of a form's failed submission that belongs to no single field.
#[component]
pub fn FormAlert(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error
            .get()
            .and_then(|error| error.form_message())
            .map(|message| {
                view! {
                    <div class="form-alert" role="alert">
                        {message}
                    </div>
                }
            })
    }
}

/// The error of an action's last submission, if it failed.
pub fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// The message for one field of an action's form.
pub fn field_error(error: Signal<Option<AppError>>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || error.get().and_then(|error| error.message_for(field)))
}

/// A form-level error with, for a conflict (someone saved first), a way to load the
/// current version.
#[component]
pub fn ConflictAlert(
    #[prop(into)] error: Signal<Option<AppError>>,
    on_reload: Callback<()>,
) -> impl IntoView {
    let conflict = move || matches!(error.get(), Some(AppError::Conflict(_)));
    view! {
        <FormAlert error />
        {move || {
            conflict()
                .then(|| {
                    view! {
                        <button type="button" class="button" on:click=move |_| on_reload.run(())>
                            {crate::tr!(common.reload)}
                        </button>
                    }
                })
        }}
    }
}

/// The (key, label) pairs of `values`, for a [`FilterSelect`].
pub fn choices<T: Copy>(
    values: &[T],
    key: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    values
        .iter()
        .map(|value| (key(*value), label(*value)))
        .collect()
}
