//! The people operators may reach: the list in the order operators try them, and
//! the form that adds or edits one with their ways of being reached.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use super::api::{
    get_contact, get_contacts, AddContact, MoveBriefingItem, RemoveContact, UpdateContact,
};
use super::reorder::ReorderButtons;
use super::seen::OperatorsSeenNote;
use super::{
    method_field, use_account_query, Contact, ContactMethod, ContactsView, MethodKind, MAX_METHODS,
};
use crate::components::error_panel::error_fallback;
use crate::components::field::{
    action_error, field_error, ConflictAlert, FormAlert, SelectField, TextAreaField, TextField,
};
use crate::components::revision::{on_success, record_page, Revision};
use crate::core::NodeId;
use crate::error::AppError;
use crate::paths;
use crate::tr;

#[component]
pub fn ContactsPage() -> impl IntoView {
    let account = use_account_query();
    let revision = Revision::new();
    provide_context(revision);
    let contacts = Resource::new(
        move || (account.get(), revision.0.get()),
        |(account, _)| get_contacts(account),
    );
    view! {
        <Title text=tr!(briefing.contacts.title) />
        <Transition fallback=|| view! { <p class="muted">{tr!(common.loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    contacts.await.map(|view| view! { <ContactList view /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn ContactList(view: ContactsView) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let reorder = ServerAction::<MoveBriefingItem>::new();
    on_success(reorder, move |_: &()| revision.bump());
    let error = action_error(reorder);
    let last = view.contacts.len().saturating_sub(1);
    let can_edit = view.can_edit;
    let account = view.account;
    view! {
        <header class="page-header with-actions">
            <div>
                <h1>{tr!(briefing.contacts.title)}</h1>
                <p class="muted">{tr!(briefing.contacts.lead)}</p>
            </div>
            {can_edit
                .then(|| {
                    view! {
                        <a class="button primary" href=paths::for_account(paths::NEW_CONTACT, account)>
                            {tr!(briefing.contacts.add)}
                        </a>
                    }
                })}
        </header>
        <OperatorsSeenNote seen=view.seen.clone() />
        <FormAlert error />
        {if view.contacts.is_empty() {
            view! { <p class="empty-state">{tr!(briefing.contacts.empty)}</p> }.into_any()
        } else {
            view! {
                <ol class="contact-list">
                    {view
                        .contacts
                        .into_iter()
                        .enumerate()
                        .map(|(index, contact)| {
                            view! {
                                <ContactCard
                                    contact
                                    can_edit
                                    first=index == 0
                                    last=index == last
                                    reorder
                                />
                            }
                        })
                        .collect_view()}
                </ol>
            }
                .into_any()
        }}
    }
}

#[component]
fn ContactCard(
    contact: Contact,
    can_edit: bool,
    first: bool,
    last: bool,
    reorder: ServerAction<MoveBriefingItem>,
) -> impl IntoView {
    let heading = format!("contact-{}", contact.id);
    let name = contact.name.clone();
    view! {
        <li class="card contact-card" aria-labelledby=heading.clone()>
            <div class="contact-head">
                <h2 id=heading.clone()>
                    {if can_edit {
                        view! { <a href=paths::contact(contact.id)>{contact.name.clone()}</a> }.into_any()
                    } else {
                        view! { {contact.name.clone()} }.into_any()
                    }}
                </h2>
                {(!contact.role.is_empty()).then(|| view! { <span class="muted">{contact.role.clone()}</span> })}
            </div>
            <MethodList methods=contact.methods.clone() />
            {(!contact.instructions.is_empty())
                .then(|| view! { <p class="contact-instructions">{contact.instructions.clone()}</p> })}
            {can_edit
                .then(|| {
                    view! {
                        <ReorderButtons list="contacts" id=contact.id name=name.clone() first last action=reorder />
                    }
                })}
        </li>
    }
}

/// A contact's ways of being reached, each a link that calls or mails.
#[component]
pub fn MethodList(methods: Vec<ContactMethod>) -> impl IntoView {
    view! {
        <ul class="method-list">
            {methods
                .into_iter()
                .map(|method| {
                    view! {
                        <li>
                            <span class="method-kind">{method.kind.label()}</span>
                            <a href=method.href()>{method.value.clone()}</a>
                            {(!method.note.is_empty())
                                .then(|| view! { <span class="muted">{method.note.clone()}</span> })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
pub fn NewContactPage() -> impl IntoView {
    let account = use_account_query();
    let add = ServerAction::<AddContact>::new();
    let navigate = use_navigate();
    on_success(add, move |_: &()| {
        let list = match account.get_untracked() {
            Some(account) => paths::for_account(paths::CONTACTS, account),
            None => paths::CONTACTS.to_string(),
        };
        navigate(&list, Default::default());
    });
    let error = action_error(add);
    let contacts = Resource::new(move || account.get(), get_contacts);
    view! {
        <Title text=tr!(briefing.contacts.add) />
        <a class="back-link" href=paths::CONTACTS>{tr!(briefing.contacts.back)}</a>
        <header class="page-header">
            <h1>{tr!(briefing.contacts.add)}</h1>
        </header>
        <Suspense fallback=|| view! { <p class="muted">{tr!(common.loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    contacts
                        .await
                        .map(|view| {
                            view! {
                                <ActionForm action=add attr:class="card form-card stack">
                                    <FormAlert error />
                                    <input type="hidden" name="account" value=view.account.0 />
                                    <ContactFields contact=None error />
                                    <div class="form-actions">
                                        <button type="submit" class="button primary" disabled=add.pending()>
                                            {tr!(briefing.contacts.add)}
                                        </button>
                                    </div>
                                </ActionForm>
                            }
                        })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
pub fn ContactPage() -> impl IntoView {
    record_page(get_contact, |(account, contact, can_edit)| {
        view! { <EditContact account contact can_edit /> }
    })
}

#[component]
fn EditContact(account: NodeId, contact: Contact, can_edit: bool) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let update = ServerAction::<UpdateContact>::new();
    let remove = ServerAction::<RemoveContact>::new();
    on_success(update, move |_: &()| revision.bump());
    let navigate = use_navigate();
    on_success(remove, move |_: &()| {
        navigate(
            &paths::for_account(paths::CONTACTS, account),
            Default::default(),
        )
    });
    let error = action_error(update);
    let remove_error = action_error(remove);
    let list = paths::for_account(paths::CONTACTS, account);
    let title = contact.name.clone();
    let (id, version) = (contact.id, contact.version);
    view! {
        <Title text=title.clone() />
        <a class="back-link" href=list>{tr!(briefing.contacts.back)}</a>
        <header class="page-header">
            <h1>{title}</h1>
        </header>
        {if can_edit {
            view! {
                <ActionForm action=update attr:class="card form-card stack">
                    <ConflictAlert error on_reload=revision.reload() />
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="version" value=version />
                    <ContactFields contact=Some(contact.clone()) error />
                    <div class="form-actions">
                        <button type="submit" class="button primary" disabled=update.pending()>
                            {tr!(briefing.contacts.save)}
                        </button>
                    </div>
                </ActionForm>
                <ActionForm action=remove attr:class="card form-card stack danger-zone">
                    <h2>{tr!(briefing.remove)}</h2>
                    <ConflictAlert error=remove_error on_reload=revision.reload() />
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="version" value=version />
                    <p class="muted">{tr!(briefing.contacts.remove_note)}</p>
                    <button type="submit" class="button danger" disabled=remove.pending()>
                        {tr!(briefing.contacts.remove)}
                    </button>
                </ActionForm>
            }
                .into_any()
        } else {
            view! {
                <section class="card contact-card">
                    <MethodList methods=contact.methods.clone() />
                    <p class="contact-instructions">{contact.instructions.clone()}</p>
                </section>
            }
                .into_any()
        }}
    }
}

/// The fields of a contact, with a row per way of reaching them: those they have,
/// and empty rows to add more (left empty, a row is dropped).
#[component]
fn ContactFields(contact: Option<Contact>, error: Signal<Option<AppError>>) -> impl IntoView {
    let contact = contact.unwrap_or(Contact {
        id: 0,
        name: String::new(),
        role: String::new(),
        instructions: String::new(),
        methods: Vec::new(),
        version: 0,
    });
    let rows = (contact.methods.len() + 2).min(MAX_METHODS);
    let kinds: Vec<(String, String)> = MethodKind::ALL
        .iter()
        .map(|kind| (kind.key().to_string(), kind.label().to_string()))
        .collect();
    view! {
        <TextField label=tr!(briefing.contacts.name) name="name" value=contact.name.clone() error=field_error(error, "name") />
        <TextField
            label=tr!(briefing.contacts.role)
            name="role"
            value=contact.role.clone()
            hint=tr!(briefing.contacts.role_hint)
            error=field_error(error, "role")
        />
        <fieldset class="method-rows">
            <legend>{tr!(briefing.contacts.methods)}</legend>
            {(0..rows)
                .map(|row| {
                    let method = contact.methods.get(row).cloned();
                    let message = |part: &'static str| {
                        let field = method_field(row, part);
                        Signal::derive(move || error.get().and_then(|error| error.message_for(&field)))
                    };
                    view! {
                        <div class="method-row">
                            <SelectField
                                label=tr!(briefing.contacts.way, number = row + 1)
                                name=method_field(row, "kind")
                                id=format!("method-{row}-kind")
                                options=kinds.clone()
                                selected=method.as_ref().map(|m| m.kind.key().to_string())
                                error=message("kind")
                            />
                            <TextField
                                label=tr!(briefing.contacts.value)
                                name=method_field(row, "value")
                                id=format!("method-{row}-value")
                                value=method.as_ref().map(|m| m.value.clone()).unwrap_or_default()
                                error=message("value")
                            />
                            <TextField
                                label=tr!(common.note)
                                name=method_field(row, "note")
                                id=format!("method-{row}-note")
                                value=method.as_ref().map(|m| m.note.clone()).unwrap_or_default()
                                error=message("note")
                            />
                        </div>
                    }
                })
                .collect_view()}
            <p class="field-message">{move || error.get().and_then(|error| error.message_for("methods"))}</p>
        </fieldset>
        <TextAreaField
            label=tr!(briefing.contacts.instructions)
            name="instructions"
            value=contact.instructions.clone()
            hint=tr!(briefing.contacts.instructions_hint)
            error=field_error(error, "instructions")
        />
    }
}
