//! The on-call calendar of an account: resolving who is on call from its rules and
//! overrides, the week ahead as an agenda with its gaps and clock changes, and the
//! changes to rules and overrides, each checked, versioned and audited.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use serde_json::json;

use super::repo::{self, OverrideFields, OverrideRecord, RuleFields, RuleRecord, ScheduleTable};
use super::schedule::{ClockChange, Override, Schedule, Weekdays, WeeklyRule};
use super::{
    clock_of, minutes_of, weekday_bits, weekdays_label, AgendaDay, AgendaEntry, CalendarView,
    ContactChoice, Coverage, GapMessage, GapView, OnCallNow, OnCallPerson, OverrideView, RuleView,
    ScheduleForm, DAYS_AHEAD, MAX_RULE_CONTACTS, MAX_RULE_NOTE,
};
use crate::audit_trail::{record_key, stale_record_conflict, Changed};
use crate::auth::caller::Caller;
use crate::briefing::repo::contacts;
use crate::briefing::service::{
    begin_change, commit_view_change, editing, operators_seen, reading, AccountAccess,
};
use crate::briefing::Contact;
use crate::core::roles::Permission;
use crate::core::zone::{clock, day, day_and_clock, input_value, parse_input, zoned};
use crate::core::NodeId;
use crate::db::{now_ms, Db};
use crate::error::{AppError, FieldErrors};
use crate::tr;

const DAY_MS: i64 = 86_400_000;
/// How far back the calendar looks for messages that came while nobody was on call.
const DAYS_BACK: i64 = 7;
/// The longest an override may run.
const MAX_OVERRIDE_DAYS: i64 = 92;

/// An account's schedule as the resolver takes it, with the contacts it names.
pub struct Loaded {
    pub schedule: Schedule,
    pub rules: Vec<RuleRecord>,
    pub overrides: Vec<OverrideRecord>,
    pub contacts: Vec<Contact>,
}

impl Loaded {
    fn name(&self, id: i64) -> String {
        self.contacts
            .iter()
            .find(|contact| contact.id == id)
            .map(|contact| contact.name.clone())
            .unwrap_or_else(|| crate::tr!(oncall.removed_contact).to_string())
    }

    fn choice(&self, id: i64) -> ContactChoice {
        ContactChoice {
            id,
            name: self.name(id),
        }
    }

    fn names(&self, ids: &[i64]) -> Vec<String> {
        ids.iter().map(|&id| self.name(id)).collect()
    }
}

/// The schedule of `account` in `zone`, with the overrides that end after `from`.
pub async fn load(
    db: &Db,
    account: NodeId,
    zone: &TimeZone,
    from: i64,
) -> Result<Loaded, AppError> {
    let rules = repo::rules(db, account).await?;
    let overrides = repo::overrides(db.pool(), account, from).await?;
    let contacts = contacts(db, account).await?;
    let schedule = Schedule {
        zone: zone.clone(),
        rules: rules.iter().map(weekly_rule).collect(),
        overrides: overrides
            .iter()
            .map(|change| Override {
                starts_at: change.starts_at,
                ends_at: change.ends_at,
                add: change.add,
                remove: change.remove,
            })
            .collect(),
    };
    Ok(Loaded {
        schedule,
        rules,
        overrides,
        contacts,
    })
}

fn weekly_rule(rule: &RuleRecord) -> WeeklyRule {
    let time = |minutes: i64| {
        Time::new((minutes / 60) as i8, (minutes % 60) as i8, 0, 0).unwrap_or(Time::midnight())
    };
    WeeklyRule {
        weekdays: Weekdays(rule.weekdays),
        start: time(rule.start_minute),
        end: time(rule.end_minute),
        contacts: rule.contacts.clone(),
        closed: rule.closed,
    }
}

/// Who is on call at an instant, by contact id, and the next change within a week.
pub struct Resolved {
    pub on_call: Vec<i64>,
    /// Nobody is on call though the account means someone to be.
    pub gap: bool,
    /// Nobody is on call, in the account's closed hours.
    pub closed: bool,
    pub next_change: Option<i64>,
    pub then: Vec<i64>,
}

pub fn resolve(schedule: &Schedule, now: i64) -> Resolved {
    let on_call = schedule.on_call_at(now);
    let next_change = schedule.next_change(now, now + DAYS_AHEAD as i64 * DAY_MS);
    let closed = on_call.is_empty()
        && schedule
            .timeline(now, now + 1)
            .iter()
            .any(|segment| segment.closed);
    Resolved {
        gap: on_call.is_empty() && !closed && !schedule.is_empty(),
        closed,
        on_call,
        then: next_change
            .map(|at| schedule.on_call_at(at))
            .unwrap_or_default(),
        next_change,
    }
}

/// Who is on call at `now`, until when (within a week), and who then.
pub fn on_call_now(loaded: &Loaded, now: i64) -> OnCallNow {
    let schedule = &loaded.schedule;
    let resolved = resolve(schedule, now);
    let people = resolved
        .on_call
        .iter()
        .map(|&id| {
            let contact = loaded.contacts.iter().find(|contact| contact.id == id);
            OnCallPerson {
                name: loaded.name(id),
                methods: contact
                    .map(|contact| contact.methods.clone())
                    .unwrap_or_default(),
            }
        })
        .collect::<Vec<_>>();
    OnCallNow {
        gap: resolved.gap,
        closed: resolved.closed,
        people,
        until: resolved
            .next_change
            .map(|at| day_and_clock(at, now, &schedule.zone)),
        then: loaded.names(&resolved.then),
    }
}

/// Who is on call for the account now, as the home page and the operator view say it.
pub async fn on_call_for(db: &Db, account: NodeId, zone: &TimeZone) -> Result<OnCallNow, AppError> {
    let now = now_ms();
    let loaded = load(db, account, zone, now).await?;
    Ok(on_call_now(&loaded, now))
}

/// Whether nobody was on call at `at` though the account meant someone to be (by
/// the rules as they are now and the overrides as they were).
pub async fn uncovered_at(
    db: &Db,
    account: NodeId,
    zone: &TimeZone,
    at: i64,
) -> Result<bool, AppError> {
    let loaded = load(db, account, zone, at).await?;
    Ok(loaded
        .schedule
        .gaps(at, at + 1)
        .iter()
        .any(|gap| !gap.intended))
}

pub async fn calendar(caller: &Caller, account: Option<NodeId>) -> Result<CalendarView, AppError> {
    let access = reading(caller, account).await?;
    let db = caller.db();
    let now = now_ms();
    let zone = &access.zone;
    let loaded = load(db, access.account, zone, now - DAYS_BACK * DAY_MS).await?;
    let today = zoned(now, zone).date();
    let days = (0..DAYS_AHEAD as i64)
        .filter_map(|offset| today.checked_add(jiff::Span::new().days(offset)).ok())
        .map(|date| agenda_day(&loaded, date, today))
        .collect();
    let horizon = day_start(&loaded.schedule, today, DAYS_AHEAD as i64);
    let gaps = loaded
        .schedule
        .gaps(now, horizon)
        .into_iter()
        .map(|gap| GapView {
            from: day_and_clock(gap.starts_at, now, zone),
            to: day_and_clock(gap.ends_at, now, zone),
            intended: gap.intended,
            messages: Vec::new(),
        })
        .collect();
    let held = access.authorized.permissions();
    let reads_all = held.contains(Permission::ViewAccountMessages)
        && held.contains(Permission::ViewAccountCalls);
    let missed = match reads_all {
        true => missed_messages(db, &access, &loaded, now).await?,
        false => Vec::new(),
    };
    Ok(CalendarView {
        account: access.account,
        account_name: access.name.clone(),
        zone: access.zone_name.clone(),
        now: on_call_now(&loaded, now),
        days,
        gaps,
        missed,
        rules: loaded
            .rules
            .iter()
            .map(|rule| rule_view(&loaded, rule))
            .collect(),
        overrides: loaded
            .overrides
            .iter()
            .filter(|change| change.ends_at > now)
            .map(|change| override_view(&loaded, change, now, zone))
            .collect(),
        seen: operators_seen(db, &access).await?,
        can_edit: access.can_edit(),
    })
}

/// The unintended gaps of the past week during which messages arrived, with them.
async fn missed_messages(
    db: &Db,
    access: &AccountAccess<'_>,
    loaded: &Loaded,
    now: i64,
) -> Result<Vec<GapView>, AppError> {
    let mut missed = Vec::new();
    for gap in loaded.schedule.gaps(now - DAYS_BACK * DAY_MS, now) {
        if gap.intended {
            continue;
        }
        let messages =
            repo::messages_between(db.pool(), access.account, (gap.starts_at, gap.ends_at), 20)
                .await?;
        if messages.is_empty() {
            continue;
        }
        missed.push(GapView {
            from: day_and_clock(gap.starts_at, now, &access.zone),
            to: day_and_clock(gap.ends_at, now, &access.zone),
            intended: false,
            messages: messages
                .into_iter()
                .map(|(id, at, caller)| GapMessage {
                    id,
                    label: format!(
                        "{} · {}",
                        day_and_clock(at, now, &access.zone),
                        if caller.is_empty() {
                            tr!(inbox.unknown_caller).to_string()
                        } else {
                            caller
                        }
                    ),
                })
                .collect(),
        });
    }
    Ok(missed)
}

/// The instant local `date` plus `days` begins.
fn day_start(schedule: &Schedule, date: Date, days: i64) -> i64 {
    date.checked_add(jiff::Span::new().days(days))
        .ok()
        .and_then(|date| {
            schedule
                .zone
                .to_ambiguous_timestamp(date.to_datetime(Time::midnight()))
                .compatible()
                .ok()
        })
        .map(|at| at.as_millisecond())
        .unwrap_or(i64::MAX)
}

fn agenda_day(loaded: &Loaded, date: Date, today: Date) -> AgendaDay {
    let schedule = &loaded.schedule;
    let (from, to) = (day_start(schedule, date, 0), day_start(schedule, date, 1));
    let entries = schedule
        .timeline(from, to)
        .into_iter()
        .map(|segment| AgendaEntry {
            from: clock(segment.starts_at, &schedule.zone),
            to: match segment.ends_at == to {
                true => "24:00".to_string(),
                false => clock(segment.ends_at, &schedule.zone),
            },
            coverage: match (segment.contacts.is_empty(), segment.closed) {
                (false, _) => Coverage::Covered,
                (true, true) => Coverage::Closed,
                (true, false) => Coverage::Gap,
            },
            names: loaded.names(&segment.contacts),
        })
        .collect();
    let clock_change = schedule
        .clock_changes(from, to)
        .first()
        .map(|change| clock_change_note(schedule, change, to - from));
    AgendaDay {
        date: day(date),
        today: date == today,
        clock_change,
        entries,
    }
}

/// "Clocks go back 1 hour at 02:00: this day is 25 hours, and the 22:00–07:00 shift
/// is 10 hours."
fn clock_change_note(schedule: &Schedule, change: &ClockChange, day_length: i64) -> String {
    let (amount, time) = clock_change_words(change);
    let length = hours_label(day_length);
    let mut note = if change.minutes > 0 {
        tr!(
            oncall.clocks.forward,
            amount = amount,
            time = time,
            length = length
        )
    } else {
        tr!(
            oncall.clocks.back,
            amount = amount,
            time = time,
            length = length
        )
    };
    let across: Vec<String> = schedule
        .shifts(change.at - 1, change.at + 1)
        .into_iter()
        .filter(|shift| !shift.closed && shift.starts_at < change.at && change.at < shift.ends_at)
        .map(|shift| {
            tr!(
                oncall.clocks.shift,
                from = clock(shift.starts_at, &schedule.zone),
                to = clock(shift.ends_at, &schedule.zone),
                length = hours_label(shift.ends_at - shift.starts_at)
            )
        })
        .collect();
    if !across.is_empty() {
        note.push_str(tr!(oncall.clocks.and));
        note.push_str(&across.join(", "));
    }
    note.push('.');
    note
}

/// How much the clocks move ("1 hour"), and the wall time they move at ("02:00").
fn clock_change_words(change: &ClockChange) -> (String, String) {
    (
        hours_label(i64::from(change.minutes.abs()) * 60_000),
        change.wall.strftime("%H:%M").to_string(),
    )
}

/// "25 hours", "1 hour", "30 minutes", "9½ hours".
fn hours_label(ms: i64) -> String {
    crate::core::time::length_of(ms / 60_000)
}

fn rule_view(loaded: &Loaded, rule: &RuleRecord) -> RuleView {
    RuleView {
        id: rule.id,
        weekdays: rule.weekdays,
        days: weekdays_label(rule.weekdays),
        start: clock_of(rule.start_minute),
        end: clock_of(rule.end_minute),
        overnight: rule.end_minute <= rule.start_minute,
        closed: rule.closed,
        note: rule.note.clone(),
        contacts: rule.contacts.iter().map(|&id| loaded.choice(id)).collect(),
        version: rule.version,
    }
}

fn override_view(
    loaded: &Loaded,
    change: &OverrideRecord,
    now: i64,
    zone: &TimeZone,
) -> OverrideView {
    OverrideView {
        id: change.id,
        starts: day_and_clock(change.starts_at, now, zone),
        ends: day_and_clock(change.ends_at, now, zone),
        starts_input: input_value(change.starts_at, zone),
        ends_input: input_value(change.ends_at, zone),
        add: change.add.map(|id| loaded.choice(id)),
        remove: change.remove.map(|id| loaded.choice(id)),
        note: change.note.clone(),
        version: change.version,
    }
}

/// The clock changes of the next 90 days, said for the forms.
fn clock_changes_ahead(schedule: &Schedule, now: i64) -> Vec<String> {
    schedule
        .clock_changes(now, now + 90 * DAY_MS)
        .iter()
        .map(|change| {
            let day = day(zoned(change.at, &schedule.zone).date());
            let (amount, time) = clock_change_words(change);
            if change.minutes > 0 {
                tr!(
                    oncall.clocks.ahead_forward,
                    day = day,
                    amount = amount,
                    time = time
                )
            } else {
                tr!(
                    oncall.clocks.ahead_back,
                    day = day,
                    amount = amount,
                    time = time
                )
            }
        })
        .collect()
}

/// The forms' frame: the account's contacts, zone and clock changes, and the record
/// `pick` finds in what was loaded (none for a new one).
async fn schedule_form<T>(
    caller: &Caller,
    account: Option<NodeId>,
    pick: impl FnOnce(&Loaded, i64) -> Option<T>,
) -> Result<ScheduleForm<T>, AppError> {
    let access = reading(caller, account).await?;
    let now = now_ms();
    let loaded = load(
        caller.db(),
        access.account,
        &access.zone,
        now - 400 * DAY_MS,
    )
    .await?;
    Ok(ScheduleForm {
        account: access.account,
        zone: access.zone_name.clone(),
        contacts: loaded
            .contacts
            .iter()
            .map(|contact| ContactChoice {
                id: contact.id,
                name: contact.name.clone(),
            })
            .collect(),
        clock_changes: clock_changes_ahead(&loaded.schedule, now),
        record: pick(&loaded, now),
        can_edit: access.can_edit(),
    })
}

/// The rule form: a new rule's for `account`, or rule `id`'s (found through its
/// account, which the caller must read).
pub async fn rule_form(
    caller: &Caller,
    account: Option<NodeId>,
    id: Option<i64>,
) -> Result<ScheduleForm<RuleView>, AppError> {
    let account = match id {
        Some(id) => Some(
            repo::rule(caller.db(), id)
                .await?
                .ok_or(AppError::NotFound)?
                .0,
        ),
        None => account,
    };
    let form = schedule_form(caller, account, |loaded, _| {
        id.and_then(|id| loaded.rules.iter().find(|rule| rule.id == id))
            .map(|rule| rule_view(loaded, rule))
    })
    .await?;
    Ok(form)
}

pub async fn override_form(
    caller: &Caller,
    account: Option<NodeId>,
    id: Option<i64>,
) -> Result<ScheduleForm<OverrideView>, AppError> {
    let account = match id {
        Some(id) => Some(
            repo::override_record(caller.db().pool(), id)
                .await?
                .ok_or(AppError::NotFound)?
                .0,
        ),
        None => account,
    };
    let form = schedule_form(caller, account, |loaded, now| {
        id.and_then(|id| loaded.overrides.iter().find(|change| change.id == id))
            .map(|change| override_view(loaded, change, now, &loaded.schedule.zone))
    })
    .await?;
    if id.is_some() && form.record.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(form)
}

/// A rule form as it was posted.
pub struct RuleForm<'a> {
    pub weekdays: &'a [String],
    pub start: &'a str,
    pub end: &'a str,
    pub closed: bool,
    /// Contact ids by rank, "" for none.
    pub contacts: &'a [String],
    pub note: &'a str,
}

/// The contact `value` names, if it names one: one of the account's, or the
/// field's message.
fn one_contact(
    value: &str,
    known: &[Contact],
    errors: &mut FieldErrors,
    field: &str,
) -> Option<i64> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match value.parse::<i64>() {
        Ok(id) if known.iter().any(|contact| contact.id == id) => Some(id),
        _ => {
            errors.add(field, tr!(oncall.errors.contact));
            None
        }
    }
}

/// The contact ids chosen by rank (`contact[0]` first), each named once.
fn chosen_contacts(chosen: &[String], known: &[Contact], errors: &mut FieldErrors) -> Vec<i64> {
    let mut ids = Vec::new();
    for (rank, value) in chosen.iter().enumerate() {
        let field = format!("contact[{rank}]");
        match one_contact(value, known, errors, &field) {
            Some(id) if ids.contains(&id) => errors.add(&field, tr!(oncall.errors.contact_twice)),
            Some(id) => ids.push(id),
            None => {}
        }
    }
    ids
}

pub fn rule_fields(
    form: &RuleForm<'_>,
    account_contacts: &[Contact],
) -> Result<RuleFields, AppError> {
    let mut errors = FieldErrors::default();
    let weekdays = weekday_bits(form.weekdays);
    if weekdays == 0 {
        errors.add("weekdays", tr!(oncall.errors.weekdays));
    }
    let start = minutes_of(form.start);
    if start.is_none() {
        errors.add("start", tr!(oncall.errors.start));
    }
    let end = minutes_of(form.end);
    if end.is_none() {
        errors.add("end", tr!(oncall.errors.end));
    }
    let contacts = chosen_contacts(form.contacts, account_contacts, &mut errors);
    match (form.closed, contacts.is_empty()) {
        (true, false) => errors.add("contact[0]", tr!(oncall.errors.closed_with_contacts)),
        (false, true) if errors.get("contact[0]").is_none() => {
            errors.add("contact[0]", tr!(oncall.errors.who))
        }
        _ => {}
    }
    if contacts.len() > MAX_RULE_CONTACTS {
        errors.add(
            "contact[0]",
            tr!(oncall.errors.too_many_contacts, most = MAX_RULE_CONTACTS),
        );
    }
    let note = form.note.trim();
    errors.limit("note", note, MAX_RULE_NOTE);
    errors.into_result()?;
    Ok(RuleFields {
        weekdays,
        start_minute: start.unwrap_or_default(),
        end_minute: end.unwrap_or_default(),
        closed: form.closed,
        note: note.to_string(),
        contacts,
    })
}

fn rule_details(fields: &RuleFields, names: impl Fn(&[i64]) -> Vec<String>) -> serde_json::Value {
    json!({
        "days": weekdays_label(fields.weekdays),
        "from": clock_of(fields.start_minute),
        "to": clock_of(fields.end_minute),
        "closed": fields.closed,
        "contacts": names(&fields.contacts),
        "note": fields.note,
    })
}

fn fields_of(rule: &RuleRecord) -> RuleFields {
    RuleFields {
        weekdays: rule.weekdays,
        start_minute: rule.start_minute,
        end_minute: rule.end_minute,
        closed: rule.closed,
        note: rule.note.clone(),
        contacts: rule.contacts.clone(),
    }
}

/// Adds a rule to `account`, or saves rule `id` when given; the rule's id.
pub async fn save_rule(
    caller: &Caller,
    account: Option<NodeId>,
    id: Option<i64>,
    form: &RuleForm<'_>,
    version: i64,
) -> Result<(NodeId, i64), AppError> {
    let existing = match id {
        Some(id) => Some(
            repo::rule(caller.db(), id)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let account = existing.as_ref().map(|(account, _)| *account).or(account);
    let access = editing(caller, account).await?;
    let account_contacts = contacts(caller.db(), access.account).await?;
    let fields = rule_fields(form, &account_contacts)?;
    let names = |ids: &[i64]| {
        ids.iter()
            .filter_map(|id| {
                account_contacts
                    .iter()
                    .find(|c| c.id == *id)
                    .map(|c| c.name.clone())
            })
            .collect::<Vec<_>>()
    };
    match existing {
        None => {
            let mut change = access.editing()?.begin(caller).await?;
            let id = repo::insert_rule(&mut change, access.account, &fields).await?;
            let change = change.about_record(record_key("rule", id));
            let details = json!({ "after": rule_details(&fields, names) });
            commit_view_change(change, access.account, "oncall.rule_added", details).await?;
            Ok((access.account, id))
        }
        Some((_, before)) => {
            let record = record_key("rule", before.id);
            let mut change = begin_change(caller, &access, record.clone()).await?;
            if !repo::update_rule(&mut change, before.id, &fields, version).await? {
                drop(change);
                return Err(
                    stale_record_conflict(caller.db().pool(), &record, Changed::Rule).await,
                );
            }
            let details = json!({
                "before": rule_details(&fields_of(&before), names),
                "after": rule_details(&fields, names),
            });
            commit_view_change(change, access.account, "oncall.rule_updated", details).await?;
            Ok((access.account, before.id))
        }
    }
}

/// Removes a rule or an override; the account it was of.
pub async fn remove(
    caller: &Caller,
    table: ScheduleTable,
    id: i64,
    version: i64,
) -> Result<NodeId, AppError> {
    let (account, (kind, changed)) = match table {
        ScheduleTable::Rules => (
            repo::rule(caller.db(), id)
                .await?
                .ok_or(AppError::NotFound)?
                .0,
            ("rule", Changed::Rule),
        ),
        ScheduleTable::Overrides => (
            repo::override_record(caller.db().pool(), id)
                .await?
                .ok_or(AppError::NotFound)?
                .0,
            ("override", Changed::Override),
        ),
    };
    let access = editing(caller, Some(account)).await?;
    let record = record_key(kind, id);
    let mut change = begin_change(caller, &access, record.clone()).await?;
    if !repo::delete_versioned(&mut change, table, id, version).await? {
        drop(change);
        return Err(stale_record_conflict(caller.db().pool(), &record, changed).await);
    }
    let action = format!("oncall.{kind}_removed");
    commit_view_change(change, account, &action, json!({ "id": id })).await?;
    Ok(account)
}

/// An override form as it was posted: local date-times of the account's zone.
pub struct OverrideForm<'a> {
    pub starts: &'a str,
    pub ends: &'a str,
    pub add: &'a str,
    pub remove: &'a str,
    pub note: &'a str,
}

pub fn override_fields(
    form: &OverrideForm<'_>,
    account_contacts: &[Contact],
    zone: &TimeZone,
    now: i64,
    is_new: bool,
) -> Result<OverrideFields, AppError> {
    let mut errors = FieldErrors::default();
    let starts_at = parse_input(form.starts, zone);
    if starts_at.is_none() {
        errors.add("starts", tr!(oncall.errors.starts));
    }
    let ends_at = parse_input(form.ends, zone);
    if ends_at.is_none() {
        errors.add("ends", tr!(oncall.errors.ends));
    }
    if let (Some(starts_at), Some(ends_at)) = (starts_at, ends_at) {
        if ends_at <= starts_at {
            errors.add("ends", tr!(oncall.errors.end_before_start));
        } else if ends_at - starts_at > MAX_OVERRIDE_DAYS * DAY_MS {
            errors.add(
                "ends",
                tr!(oncall.errors.too_long, most = MAX_OVERRIDE_DAYS),
            );
        } else if is_new && ends_at <= now {
            errors.add("ends", tr!(oncall.errors.over));
        }
    }
    let add = one_contact(form.add, account_contacts, &mut errors, "on_call");
    let remove = one_contact(form.remove, account_contacts, &mut errors, "off_call");
    match (add, remove) {
        (None, None) if errors.get("on_call").is_none() => {
            errors.add("on_call", tr!(oncall.errors.change))
        }
        (Some(add), Some(remove)) if add == remove => {
            errors.add("off_call", tr!(oncall.errors.same_person))
        }
        _ => {}
    }
    let note = form.note.trim();
    errors.limit("note", note, MAX_RULE_NOTE);
    errors.into_result()?;
    Ok(OverrideFields {
        starts_at: starts_at.unwrap_or_default(),
        ends_at: ends_at.unwrap_or_default(),
        add,
        remove,
        note: note.to_string(),
    })
}

fn override_details(
    fields: &OverrideFields,
    zone: &TimeZone,
    names: impl Fn(Option<i64>) -> Option<String>,
) -> serde_json::Value {
    json!({
        "from": input_value(fields.starts_at, zone).replace('T', " "),
        "to": input_value(fields.ends_at, zone).replace('T', " "),
        "on": names(fields.add),
        "off": names(fields.remove),
        "note": fields.note,
    })
}

pub async fn save_override(
    caller: &Caller,
    account: Option<NodeId>,
    id: Option<i64>,
    form: &OverrideForm<'_>,
    version: i64,
) -> Result<(NodeId, i64), AppError> {
    let existing = match id {
        Some(id) => Some(
            repo::override_record(caller.db().pool(), id)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let account = existing.as_ref().map(|(account, _)| *account).or(account);
    let access = editing(caller, account).await?;
    let account_contacts = contacts(caller.db(), access.account).await?;
    let fields = override_fields(
        form,
        &account_contacts,
        &access.zone,
        now_ms(),
        existing.is_none(),
    )?;
    let names = |id: Option<i64>| {
        id.and_then(|id| {
            account_contacts
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.name.clone())
        })
    };
    let zone = &access.zone;
    match existing {
        None => {
            let mut change = access.editing()?.begin(caller).await?;
            let id = repo::insert_override(&mut change, access.account, &fields).await?;
            let change = change.about_record(record_key("override", id));
            let details = json!({ "after": override_details(&fields, zone, names) });
            commit_view_change(change, access.account, "oncall.override_added", details).await?;
            Ok((access.account, id))
        }
        Some((_, before)) => {
            let record = record_key("override", before.id);
            let mut change = begin_change(caller, &access, record.clone()).await?;
            if !repo::update_override(&mut change, before.id, &fields, version).await? {
                drop(change);
                return Err(
                    stale_record_conflict(caller.db().pool(), &record, Changed::Override).await,
                );
            }
            let before_fields = OverrideFields {
                starts_at: before.starts_at,
                ends_at: before.ends_at,
                add: before.add,
                remove: before.remove,
                note: before.note.clone(),
            };
            let details = json!({
                "before": override_details(&before_fields, zone, names),
                "after": override_details(&fields, zone, names),
            });
            commit_view_change(change, access.account, "oncall.override_updated", details).await?;
            Ok((access.account, before.id))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::words::in_language;
    use crate::core::Language;

    const HOUR_MS: i64 = 3_600_000;

    #[test]
    fn the_days_clocks_change_say_what_it_does_to_the_night_across_them() {
        let zone = crate::core::zone::zone("America/New_York");
        let night = WeeklyRule {
            weekdays: Weekdays(0x7f),
            start: Time::new(22, 0, 0, 0).unwrap(),
            end: Time::new(7, 0, 0, 0).unwrap(),
            contacts: vec![1],
            closed: false,
        };
        let schedule = Schedule {
            zone: zone.clone(),
            rules: vec![night],
            overrides: Vec::new(),
        };
        let day = |date: &str| parse_input(date, &zone).unwrap();
        for (date, next, expected) in [
            (
                "2026-11-01T00:00",
                "2026-11-02T00:00",
                "Clocks go back 1 hour at 02:00: this day is 25 hours, and the 22:00–07:00 shift is 10 hours.",
            ),
            (
                "2026-03-08T00:00",
                "2026-03-09T00:00",
                "Clocks go forward 1 hour at 02:00: this day is 23 hours, and the 22:00–07:00 shift is 8 hours.",
            ),
        ] {
            let (from, to) = (day(date), day(next));
            let changes = schedule.clock_changes(from, to);
            assert_eq!(changes.len(), 1, "{date}");
            assert_eq!(clock_change_note(&schedule, &changes[0], to - from), expected);
        }
        let autumn = day("2026-11-01T00:00");
        let change = &schedule.clock_changes(autumn, day("2026-11-02T00:00"))[0];
        assert_eq!(
            in_language(Language::French, || clock_change_note(&schedule, change, 25 * HOUR_MS)),
            "Les horloges reculent de 1\u{a0}heure à 02:00\u{a0}: cette journée dure 25\u{a0}heures, \
             et la garde 22:00–07:00 dure 10\u{a0}heures."
        );
        assert!(schedule
            .clock_changes(day("2026-11-02T00:00"), day("2026-11-03T00:00"))
            .is_empty());
    }

    #[test]
    fn lengths_read_as_people_say_them() {
        assert_eq!(hours_label(25 * HOUR_MS), "25 hours");
        assert_eq!(hours_label(HOUR_MS), "1 hour");
        assert_eq!(hours_label(HOUR_MS / 2), "30 minutes");
        assert_eq!(hours_label(9 * HOUR_MS + HOUR_MS / 2), "9½ hours");
        let in_french = |ms| in_language(Language::French, || hours_label(ms));
        assert_eq!(in_french(HOUR_MS), "1\u{a0}heure");
        assert_eq!(in_french(25 * HOUR_MS), "25\u{a0}heures");
        assert_eq!(in_french(9 * HOUR_MS + HOUR_MS / 2), "9\u{a0}h\u{a0}30");
    }

    fn contact(id: i64) -> Contact {
        Contact {
            id,
            name: format!("Contact {id}"),
            role: String::new(),
            instructions: String::new(),
            methods: Vec::new(),
            version: 1,
        }
    }

    #[test]
    fn a_rule_needs_days_times_and_someone_unless_closed() {
        let days = vec!["mon".to_string(), "tue".to_string()];
        let ranked = vec!["2".to_string(), "".to_string(), "2".to_string()];
        let form = RuleForm {
            weekdays: &days,
            start: "18:00",
            end: "08:00",
            closed: false,
            contacts: &ranked,
            note: "",
        };
        let known = [contact(1), contact(2)];
        let AppError::Validation(errors) = rule_fields(&form, &known).err().unwrap() else {
            panic!("a validation error")
        };
        assert!(errors.get("contact[2]").is_some(), "the same contact twice");
        let ranked = vec!["2".to_string(), "1".to_string()];
        let fields = rule_fields(
            &RuleForm {
                contacts: &ranked,
                ..form
            },
            &known,
        )
        .unwrap();
        assert_eq!(
            (fields.weekdays, fields.start_minute, fields.end_minute),
            (0b11, 1080, 480)
        );
        assert_eq!(fields.contacts, vec![2, 1]);
        let stranger = vec!["9".to_string()];
        assert!(rule_fields(
            &RuleForm {
                contacts: &stranger,
                ..form
            },
            &known
        )
        .is_err());
        let none: Vec<String> = Vec::new();
        let closed = RuleForm {
            contacts: &none,
            closed: true,
            ..form
        };
        assert!(rule_fields(&closed, &known).unwrap().closed);
        assert!(rule_fields(
            &RuleForm {
                closed: false,
                ..closed
            },
            &known
        )
        .is_err());
    }

    #[test]
    fn an_override_ends_after_it_starts_and_changes_someone() {
        let zone = crate::core::zone::zone("America/New_York");
        let known = [contact(1), contact(2)];
        let now = parse_input("2026-10-30T12:00", &zone).unwrap();
        let form = OverrideForm {
            starts: "2026-10-31T18:00",
            ends: "2026-11-01T08:00",
            add: "2",
            remove: "1",
            note: "Kim away",
        };
        let fields = override_fields(&form, &known, &zone, now, true).unwrap();
        // The night the clocks go back is 15 hours long.
        assert_eq!(fields.ends_at - fields.starts_at, 15 * HOUR_MS);
        for (broken, field) in [
            (
                OverrideForm {
                    ends: "2026-10-31T17:00",
                    ..form
                },
                "ends",
            ),
            (
                OverrideForm {
                    add: "",
                    remove: "",
                    ..form
                },
                "on_call",
            ),
            (
                OverrideForm {
                    remove: "2",
                    ..form
                },
                "off_call",
            ),
            (OverrideForm { add: "7", ..form }, "on_call"),
            (
                OverrideForm {
                    starts: "soon",
                    ..form
                },
                "starts",
            ),
        ] {
            let AppError::Validation(errors) = override_fields(&broken, &known, &zone, now, true)
                .err()
                .unwrap()
            else {
                panic!("a validation error")
            };
            assert!(errors.get(field).is_some(), "{field}");
        }
    }
}
