//! The session banner: on every page of the shell while impersonating, saying who is
//! really acting, as whom, where, and for how long, with Stop; it cannot be closed.
//! It asks every few seconds who else is in the account and warns that edits may
//! conflict. A client's own people see a notice while support is in their account.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api::{poll_presence, StopImpersonation};
use crate::auth::{use_current_user, BannerFacts, CurrentUser};
use crate::components::field::{action_error, FormAlert};
use crate::components::revision::on_success;
use crate::core::Mode;
use crate::error::AppError;
use crate::impersonation::{Presence, PresentPerson};
use crate::tr;

/// How often an open page reports itself and asks who else is there.
const POLL_EVERY_SECONDS: i64 = 4;

#[component]
pub fn SessionBanner() -> impl IntoView {
    let user = use_current_user();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(CurrentUser { impersonation: Some(facts), .. })) => {
                        Some(view! { <ImpersonationBanner facts /> }.into_any())
                    }
                    Ok(Some(CurrentUser { account: Some(_), .. })) => {
                        Some(view! { <SupportNotice /> }.into_any())
                    }
                    _ => None,
                }
            })}
        </Suspense>
    }
}

/// Calls `on_poll` with what the server says now and then every few seconds, and
/// `on_second` every second, while the component lives (in the browser only).
fn poll_while_mounted(
    on_poll: impl Fn(Presence) + Clone + 'static,
    on_second: impl Fn() + Clone + 'static,
) {
    // Effects run in the browser only, and this one tracks nothing: it runs once.
    Effect::new(move |_| {
        let poll = {
            let on_poll = on_poll.clone();
            move || {
                let on_poll = on_poll.clone();
                spawn_local(async move {
                    match poll_presence().await {
                        Ok(presence) => on_poll(presence),
                        // The session itself is gone (signed out elsewhere, timed out).
                        Err(AppError::Unauthenticated) => on_poll(Presence::Ended {
                            reason: tr!(banner.signed_out).to_string(),
                        }),
                        // A missed poll is made up by the next.
                        Err(_) => {}
                    }
                });
            }
        };
        poll();
        let ticks = std::cell::Cell::new(0_i64);
        let on_second = on_second.clone();
        let handle = set_interval_with_handle(
            move || {
                on_second();
                ticks.set(ticks.get() + 1);
                if ticks.get() % POLL_EVERY_SECONDS == 0 {
                    poll();
                }
            },
            Duration::from_secs(1),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    });
}

#[component]
fn ImpersonationBanner(facts: BannerFacts) -> impl IntoView {
    let seconds_left = RwSignal::new(facts.seconds_left);
    let others = RwSignal::new(Vec::<PresentPerson>::new());
    let ended = RwSignal::new(None::<String>);
    let stop = ServerAction::<StopImpersonation>::new();
    on_success(stop, |back: &String| load_afresh(back));
    poll_while_mounted(
        move |presence| match presence {
            Presence::Impersonating {
                seconds_left: left,
                others: present,
            } => {
                seconds_left.set(left);
                others.set(present);
            }
            Presence::Ended { reason } => ended.set(Some(reason)),
            Presence::InOwnAccount { .. } => {}
        },
        move || seconds_left.update(|left| *left = (*left - 1).max(0)),
    );
    let who = match facts.mode {
        Mode::Client => view! {
            " " {tr!(banner.acting_as)} " " <strong>{facts.acting_as.clone()}</strong>
        }
        .into_any(),
        Mode::Partner => view! { " " {tr!(banner.as_partner)} }.into_any(),
    };
    view! {
        <section class="session-banner" aria-label=tr!(banner.label) data-mode=facts.mode.key()>
            <div class="session-banner-main">
                <span class="session-banner-mode">{facts.mode.label()}</span>
                <p class="session-banner-who" title=tr!(banner.reason, reason = facts.reason.clone())>
                    <strong title=facts.real_email.clone()>{facts.real_name.clone()}</strong>
                    " " {tr!(banner.you)}
                    {who}
                    " " {tr!(banner.in_account)} " "
                    <strong>{facts.account_name.clone()}</strong>
                    <span class="session-banner-since">
                        " · " {tr!(banner.since, time = facts.since.clone())}
                    </span>
                </p>
                <span class="session-banner-time" aria-live="off">
                    {move || match ended.get() {
                        Some(_) => tr!(banner.ended).to_string(),
                        None => tr!(banner.time_left, time = clock(seconds_left.get())),
                    }}
                </span>
                <ActionForm action=stop attr:class="session-banner-stop">
                    <FormAlert error=action_error(stop) />
                    <button type="submit" class="button" disabled=stop.pending()>
                        {move || if ended.get().is_some() { tr!(banner.go_back) } else { tr!(banner.stop) }}
                    </button>
                </ActionForm>
            </div>
            {move || {
                ended
                    .get()
                    .map(|reason| {
                        view! {
                            <p class="session-banner-alert" role="alert">
                                {tr!(banner.ended_because, reason = reason)}
                            </p>
                        }
                    })
            }}
            {move || {
                let present = others.get();
                (!present.is_empty() && ended.get().is_none())
                    .then(|| {
                        view! {
                            <p class="session-banner-alert" role="alert">
                                <span aria-hidden="true">"⚠ "</span>
                                {tr!(banner.also_here, people = people(&present))}
                            </p>
                        }
                    })
            }}
        </section>
    }
}

/// What a client's own people see while support is in their account.
#[component]
fn SupportNotice() -> impl IntoView {
    let support = RwSignal::new(Vec::<PresentPerson>::new());
    poll_while_mounted(
        move |presence| {
            if let Presence::InOwnAccount { support: present } = presence {
                support.set(present);
            }
        },
        || (),
    );
    move || {
        let present = support.get();
        (!present.is_empty()).then(|| {
            view! {
                <p class="support-notice" role="status">
                    <span aria-hidden="true">"ⓘ "</span>
                    {tr!(banner.support_here, people = people(&present))}
                </p>
            }
        })
    }
}

/// Loads `path` as a new page: whose session it is has changed, and with it
/// everything the page shows.
pub fn load_afresh(path: &str) {
    let _ = window().location().set_href(path);
}

fn people(present: &[PresentPerson]) -> String {
    present
        .iter()
        .map(|person| {
            let seen = if person.seen_seconds_ago < 15 {
                tr!(banner.active_now).to_string()
            } else {
                tr!(banner.seen_ago, seconds = person.seen_seconds_ago)
            };
            tr!(
                banner.person,
                name = person.name.clone(),
                role = person.role.clone(),
                seen = seen
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// "27:41", "1:05:00".
fn clock(seconds: i64) -> String {
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_reads_like_a_clock() {
        assert_eq!(clock(0), "0:00");
        assert_eq!(clock(29 * 60 + 5), "29:05");
        assert_eq!(clock(3600 + 5 * 60), "1:05:00");
    }

    #[test]
    fn people_present_are_named_with_role_and_recency() {
        let present = [
            PresentPerson {
                name: "Dana Front".into(),
                role: "Client User".into(),
                seen_seconds_ago: 3,
                impersonating: false,
            },
            PresentPerson {
                name: "Sam Support".into(),
                role: "Acting as Dana Front (impersonation)".into(),
                seen_seconds_ago: 21,
                impersonating: true,
            },
        ];
        assert_eq!(
            people(&present),
            "Dana Front (Client User, active now); Sam Support (Acting as Dana Front (impersonation), seen 21 s ago)"
        );
    }
}
