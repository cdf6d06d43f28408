//! The on-call calendar: who is on call now and until when, the week ahead (an
//! agenda on a phone, seven columns on a desktop) with its clock changes and gaps,
//! the messages that came while nobody was on call, and the rules and overrides.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::get_calendar;
use super::{AgendaDay, CalendarView, Coverage, GapView, OnCallNow, OverrideView, RuleView};
use crate::briefing::contacts_page::MethodList;
use crate::briefing::seen::OperatorsSeenNote;
use crate::briefing::use_account_query;
use crate::components::error_panel::error_fallback;
use crate::paths;
use crate::tr;

#[component]
pub fn CalendarPage() -> impl IntoView {
    let account = use_account_query();
    let calendar = Resource::new(move || account.get(), get_calendar);
    view! {
        <Title text=tr!(oncall.title) />
        <Suspense fallback=|| view! { <p class="muted">{tr!(common.loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    calendar.await.map(|calendar| view! { <Calendar calendar /> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn Calendar(calendar: CalendarView) -> impl IntoView {
    let account = calendar.account;
    view! {
        <header class="page-header with-actions">
            <div>
                <p class="eyebrow">{calendar.account_name.clone()}</p>
                <h1>{tr!(oncall.title)}</h1>
                <p class="muted">{tr!(oncall.times_in, zone = calendar.zone.clone())}</p>
            </div>
            {calendar
                .can_edit
                .then(|| {
                    view! {
                        <div class="header-actions">
                            <a class="button" href=paths::for_account(paths::NEW_RULE, account)>{tr!(oncall.add_rule)}</a>
                            <a class="button" href=paths::for_account(paths::NEW_OVERRIDE, account)>
                                {tr!(oncall.add_override)}
                            </a>
                        </div>
                    }
                })}
        </header>
        <OnCallNowCard now=calendar.now.clone() />
        <OperatorsSeenNote seen=calendar.seen.clone() />
        <section aria-labelledby="week-heading">
            <h2 class="section-title" id="week-heading">{tr!(oncall.week)}</h2>
            <ol class="agenda">
                {calendar.days.iter().cloned().map(|day| view! { <Day day /> }).collect_view()}
            </ol>
        </section>
        <Gaps gaps=calendar.gaps.clone() />
        {(!calendar.missed.is_empty()).then(|| view! { <Missed missed=calendar.missed.clone() /> })}
        <Rules rules=calendar.rules.clone() can_edit=calendar.can_edit />
        <Overrides overrides=calendar.overrides.clone() can_edit=calendar.can_edit />
    }
}

/// "On call now": the people with their numbers, until when, and who then.
#[component]
pub fn OnCallNowCard(now: OnCallNow) -> impl IntoView {
    let class = if now.gap {
        "card on-call-now gap"
    } else {
        "card on-call-now"
    };
    let summary = now.summary();
    view! {
        <section class=class aria-labelledby="on-call-now-heading">
            <h2 id="on-call-now-heading">{tr!(oncall.now.heading)}</h2>
            {if now.people.is_empty() {
                let text = if now.closed { tr!(oncall.now.closed) } else { tr!(oncall.now.nobody) };
                view! { <p class="on-call-nobody">{text}</p> }.into_any()
            } else {
                view! {
                    <ol class="on-call-people">
                        {now
                            .people
                            .iter()
                            .map(|person| {
                                view! {
                                    <li>
                                        <strong>{person.name.clone()}</strong>
                                        <MethodList methods=person.methods.clone() />
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
            <p class="on-call-until">{summary}</p>
        </section>
    }
}

#[component]
fn Day(day: AgendaDay) -> impl IntoView {
    let class = if day.today {
        "agenda-day today"
    } else {
        "agenda-day"
    };
    view! {
        <li class=class>
            <h3>{if day.today { tr!(oncall.today, day = day.date.clone()) } else { day.date.clone() }}</h3>
            {day.clock_change.clone().map(|note| view! { <p class="clock-change">{note}</p> })}
            <ul class="agenda-entries">
                {day
                    .entries
                    .iter()
                    .map(|entry| {
                        let (class, who) = match entry.coverage {
                            Coverage::Covered => ("agenda-entry", entry.names.join(", ")),
                            Coverage::Closed => ("agenda-entry closed", tr!(oncall.closed).to_string()),
                            Coverage::Gap => ("agenda-entry gap", tr!(oncall.nobody_on_call).to_string()),
                        };
                        view! {
                            <li class=class>
                                <span class="agenda-time">{format!("{}–{}", entry.from, entry.to)}</span>
                                <span class="agenda-who">{who}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </li>
    }
}

#[component]
fn Gaps(gaps: Vec<GapView>) -> impl IntoView {
    let (unintended, intended): (Vec<_>, Vec<_>) = gaps.into_iter().partition(|gap| !gap.intended);
    view! {
        <section class="card" aria-labelledby="gaps-heading">
            <h2 id="gaps-heading">{tr!(oncall.gaps.heading)}</h2>
            {if unintended.is_empty() {
                view! { <p class="muted">{tr!(oncall.gaps.none)}</p> }.into_any()
            } else {
                view! {
                    <ul class="gap-list">
                        {unintended
                            .iter()
                            .map(|gap| view! { <li class="gap">{format!("{} – {}", gap.from, gap.to)}</li> })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            {(!intended.is_empty())
                .then(|| {
                    view! {
                        <h3>{tr!(oncall.gaps.closed_hours)}</h3>
                        <ul class="gap-list">
                            {intended
                                .iter()
                                .map(|gap| view! { <li>{format!("{} – {}", gap.from, gap.to)}</li> })
                                .collect_view()}
                        </ul>
                    }
                })}
        </section>
    }
}

#[component]
fn Missed(missed: Vec<GapView>) -> impl IntoView {
    view! {
        <section class="card missed" aria-labelledby="missed-heading">
            <h2 id="missed-heading">{tr!(oncall.missed)}</h2>
            <ul class="gap-list">
                {missed
                    .into_iter()
                    .map(|gap| {
                        view! {
                            <li class="gap">
                                <span>{format!("{} – {}", gap.from, gap.to)}</span>
                                <ul>
                                    {gap
                                        .messages
                                        .into_iter()
                                        .map(|message| {
                                            view! {
                                                <li>
                                                    <a href=paths::inbox_message(message.id)>{message.label}</a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Rules(rules: Vec<RuleView>, can_edit: bool) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="rules-heading">
            <h2 id="rules-heading">{tr!(oncall.rules.heading)}</h2>
            {if rules.is_empty() {
                view! { <p class="muted">{tr!(oncall.rules.none)}</p> }
                    .into_any()
            } else {
                view! {
                    <ul class="rule-list">
                        {rules
                            .into_iter()
                            .map(|rule| {
                                let times = match (rule.start == rule.end, rule.overnight) {
                                    (true, _) => tr!(oncall.rules.all_day, days = rule.days.clone()),
                                    (false, true) => tr!(
                                        oncall.rules.overnight,
                                        days = rule.days.clone(),
                                        start = rule.start.clone(),
                                        end = rule.end.clone()
                                    ),
                                    (false, false) => format!("{} {}–{}", rule.days, rule.start, rule.end),
                                };
                                let who = if rule.closed {
                                    tr!(oncall.closed).to_string()
                                } else {
                                    rule.contacts
                                        .iter()
                                        .enumerate()
                                        .map(|(rank, contact)| format!("{}. {}", rank + 1, contact.name))
                                        .collect::<Vec<_>>()
                                        .join(" · ")
                                };
                                view! {
                                    <li class="rule-row">
                                        <span class="rule-times">
                                            {if can_edit {
                                                view! { <a href=paths::oncall_rule(rule.id)>{times}</a> }.into_any()
                                            } else {
                                                view! { {times} }.into_any()
                                            }}
                                        </span>
                                        <span class="rule-who">{who}</span>
                                        {(!rule.note.is_empty())
                                            .then(|| view! { <span class="muted">{rule.note.clone()}</span> })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn Overrides(overrides: Vec<OverrideView>, can_edit: bool) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="overrides-heading">
            <h2 id="overrides-heading">{tr!(oncall.overrides.heading)}</h2>
            {if overrides.is_empty() {
                view! { <p class="muted">{tr!(oncall.overrides.none)}</p> }.into_any()
            } else {
                view! {
                    <ul class="rule-list">
                        {overrides
                            .into_iter()
                            .map(|change| {
                                let range = format!("{} – {}", change.starts, change.ends);
                                view! {
                                    <li class="rule-row">
                                        <span class="rule-times">
                                            {if can_edit {
                                                view! { <a href=paths::oncall_override(change.id)>{range}</a> }.into_any()
                                            } else {
                                                view! { {range} }.into_any()
                                            }}
                                        </span>
                                        <span class="rule-who">{change.change()}</span>
                                        {(!change.note.is_empty())
                                            .then(|| view! { <span class="muted">{change.note.clone()}</span> })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}
