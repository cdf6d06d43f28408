//! The verification page: a client user proves their email address and/or mobile
//! number with a code, as their account asks, before they see anything else.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use super::api::{get_verification, SendVerificationCode, SignOut, VerifyCode};
use crate::auth::{use_current_user, CurrentUser, Obligation, VerificationStep};
use crate::components::brand::use_brand;
use crate::components::error_panel::{error_fallback, ErrorPanel};
use crate::components::field::{action_error, field_error, FormAlert, TextField};
use crate::components::logo::Logo;
use crate::components::revision::{on_success, Revision};
use crate::core::VerifyChannel;
use crate::paths;
use crate::tr;

#[component]
pub fn VerifyPage() -> impl IntoView {
    let user = use_current_user();
    view! {
        <Title text=tr!(verify.title) />
        <main class="auth-page">
            <Suspense>
                {move || Suspend::new(async move {
                    match user.await {
                        Ok(Some(CurrentUser { obligation: Some(Obligation::Verify), .. })) => {
                            view! { <VerifyCard /> }.into_any()
                        }
                        Ok(Some(CurrentUser { obligation: Some(other), .. })) => {
                            view! { <Redirect path=other.page() /> }.into_any()
                        }
                        Ok(Some(_)) => view! { <Redirect path=paths::HOME /> }.into_any(),
                        Ok(None) => {
                            view! { <Redirect path=paths::login_then(paths::VERIFY) /> }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn VerifyCard() -> impl IntoView {
    let revision = Revision::new();
    provide_context(revision);
    let steps = Resource::new(move || revision.0.get(), |_| get_verification());
    let sign_out = ServerAction::<SignOut>::new();
    view! {
        <div class="auth-card verify-card">
            <Logo brand=use_brand() />
            <h1>{tr!(verify.title)}</h1>
            <p class="muted">
                {tr!(verify.lead)}
            </p>
            <Transition fallback=|| view! { <p class="muted">{tr!(common.loading)}</p> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        steps
                            .await
                            .map(|steps| {
                                revision
                                    .draw(
                                        steps,
                                        |steps| {
                                            view! {
                                                <ol class="verify-steps">
                                                    {steps
                                                        .into_iter()
                                                        .map(|step| view! { <Step step /> })
                                                        .collect_view()}
                                                </ol>
                                            }
                                        },
                                    )
                            })
                    })}
                </ErrorBoundary>
            </Transition>
            <ActionForm action=sign_out attr:class="back-link">
                <button type="submit" class="link-button">
                    {tr!(menu.sign_out)}
                </button>
            </ActionForm>
        </div>
    }
}

/// What each channel's step says.
struct Wording {
    heading: &'static str,
    done: &'static str,
    code_label: &'static str,
    resend_prompt: &'static str,
}

fn wording(channel: VerifyChannel) -> Wording {
    match channel {
        VerifyChannel::Email => Wording {
            heading: tr!(verify.email.heading),
            done: tr!(verify.email.done),
            code_label: tr!(verify.email.code_label),
            resend_prompt: tr!(verify.email.resend_prompt),
        },
        VerifyChannel::Sms => Wording {
            heading: tr!(verify.sms.heading),
            done: tr!(verify.sms.done),
            code_label: tr!(verify.sms.code_label),
            resend_prompt: tr!(verify.sms.resend_prompt),
        },
    }
}

#[component]
fn Step(step: VerificationStep) -> impl IntoView {
    let words = wording(step.channel);
    if step.verified {
        return view! {
            <li class="verify-step done">
                <p class="verify-done">
                    <span aria-hidden="true">"✓ "</span>
                    {words.done}
                    {tr!(common.colon)}
                    <strong>{step.destination}</strong>
                </p>
            </li>
        }
        .into_any();
    }
    let asking = if step.code_sent {
        view! {
            <CodeForm channel=step.channel label=words.code_label destination=step.destination.clone() />
            <details class="resend">
                <summary>{words.resend_prompt}</summary>
                <SendForm step />
            </details>
        }
        .into_any()
    } else {
        view! { <SendForm step /> }.into_any()
    };
    view! {
        <li class="verify-step">
            <h2>{words.heading}</h2>
            {asking}
        </li>
    }
    .into_any()
}

/// Asks for a code: to the address, or to the number typed.
#[component]
fn SendForm(step: VerificationStep) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let send = ServerAction::<SendVerificationCode>::new();
    on_success(send, move |_: &()| revision.bump());
    let error = action_error(send);
    let (button, class) = if step.code_sent {
        (tr!(verify.send_again), "button")
    } else {
        (tr!(verify.send), "button primary")
    };
    let target = match step.channel {
        VerifyChannel::Email => view! {
            <p class="muted">
                {tr!(verify.email_to)} " " <strong>{step.destination}</strong> {tr!(common.period)}
            </p>
        }
        .into_any(),
        VerifyChannel::Sms => view! {
            <TextField
                label=tr!(verify.sms.heading)
                name="phone"
                input_type="tel"
                autocomplete="tel"
                hint=tr!(verify.phone_hint)
                value=step.destination
                error=field_error(error, "phone")
            />
        }
        .into_any(),
    };
    view! {
        <ActionForm action=send attr:class="stack">
            <input type="hidden" name="channel" value=step.channel.key() />
            {target}
            <FormAlert error />
            <button type="submit" class=class disabled=send.pending()>
                {button}
            </button>
        </ActionForm>
    }
}

/// Takes the code that was sent.
#[component]
fn CodeForm(channel: VerifyChannel, label: &'static str, destination: String) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let verify = ServerAction::<VerifyCode>::new();
    on_success(verify, move |_: &()| revision.bump());
    let error = action_error(verify);
    view! {
        <ActionForm action=verify attr:class="stack">
            <input type="hidden" name="channel" value=channel.key() />
            <FormAlert error />
            <TextField
                label=label
                name="code"
                id=format!("field-code-{}", channel.key())
                inputmode="numeric"
                autocomplete="one-time-code"
                hint=tr!(verify.code_hint, destination = destination)
                error=field_error(error, "code")
            />
            <button type="submit" class="button primary" disabled=verify.pending()>
                {tr!(verify.submit)}
            </button>
        </ActionForm>
    }
}
