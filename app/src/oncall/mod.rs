//! Who is on call for a client account: weekly rules in the account's time zone and
//! overrides for a range of time, resolved on the server (the time-zone database
//! stays out of the browser's download).

pub mod api;
pub mod calendar_page;
pub mod override_page;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod rule_page;
#[cfg(feature = "ssr")]
pub mod schedule;
#[cfg(feature = "ssr")]
pub mod service;

use serde::{Deserialize, Serialize};

use crate::briefing::{ContactMethod, OperatorsSeen};
use crate::core::NodeId;

pub const MAX_RULE_CONTACTS: usize = 3;
pub const MAX_RULE_NOTE: usize = 200;
/// How far ahead the calendar shows shifts and gaps.
pub const DAYS_AHEAD: usize = 7;

/// The keys of the days, Monday first, as the weekday bit set counts them.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The weekday bit set of the keys given (unknown keys count for nothing).
pub fn weekday_bits(keys: &[String]) -> u8 {
    WEEKDAYS
        .iter()
        .enumerate()
        .filter(|(_, key)| keys.iter().any(|given| given == *key))
        .fold(0, |bits, (bit, _)| bits | 1 << bit)
}

/// The days of a bit set as people say them: "Mon–Fri", "Sat, Sun", "Every day".
pub fn weekdays_label(bits: u8) -> String {
    match bits & 0x7f {
        0x7f => return crate::tr!(oncall.days.every_day).to_string(),
        0x1f => return crate::tr!(oncall.days.weekdays).to_string(),
        0x60 => return crate::tr!(oncall.days.weekend).to_string(),
        _ => {}
    }
    (0..WEEKDAYS.len())
        .filter(|bit| bits & (1 << bit) != 0)
        .map(crate::core::time::weekday_short)
        .collect::<Vec<_>>()
        .join(", ")
}

/// "08:00" for 480 minutes after midnight.
pub fn clock_of(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Minutes after midnight of an `HH:MM` time input, if it is one.
pub fn minutes_of(clock: &str) -> Option<i64> {
    let (hours, minutes) = clock.trim().split_once(':')?;
    let (hours, minutes): (i64, i64) = (hours.parse().ok()?, minutes.get(..2)?.parse().ok()?);
    ((0..24).contains(&hours) && (0..60).contains(&minutes)).then_some(hours * 60 + minutes)
}

/// A rule form as it is posted (`rule[start]`, `rule[weekdays][]`, `rule[contact][0]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleInput {
    #[serde(default)]
    pub weekdays: Vec<String>,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    pub closed: String,
    /// Contact ids by rank, empty for none.
    #[serde(default)]
    pub contact: Vec<String>,
    #[serde(default)]
    pub note: String,
}

/// A contact as a calendar names them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactChoice {
    pub id: i64,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleView {
    pub id: i64,
    pub weekdays: u8,
    pub days: String,
    pub start: String,
    pub end: String,
    pub overnight: bool,
    pub closed: bool,
    pub note: String,
    /// In the order operators try them.
    pub contacts: Vec<ContactChoice>,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverrideView {
    pub id: i64,
    /// In the account's time: "Sat 5 Dec 08:00".
    pub starts: String,
    pub ends: String,
    pub starts_input: String,
    pub ends_input: String,
    pub add: Option<ContactChoice>,
    pub remove: Option<ContactChoice>,
    pub note: String,
    pub version: i64,
}

impl OverrideView {
    /// What it does, as a sentence: "Dr Lee instead of Dr Kim".
    pub fn change(&self) -> String {
        match (&self.add, &self.remove) {
            (Some(add), Some(remove)) => crate::tr!(
                oncall.overrides.instead,
                add = add.name.clone(),
                remove = remove.name.clone()
            ),
            (Some(add), None) => crate::tr!(oncall.overrides.also, add = add.name.clone()),
            (None, Some(remove)) => crate::tr!(oncall.overrides.off, remove = remove.name.clone()),
            (None, None) => String::new(),
        }
    }
}

/// Someone on call, with the ways to reach them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnCallPerson {
    pub name: String,
    pub methods: Vec<ContactMethod>,
}

/// Who is on call now, until when, and who then.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnCallNow {
    pub people: Vec<OnCallPerson>,
    /// Nobody is on call now, and the account did not mean it to be so.
    pub gap: bool,
    /// Nobody is on call now, in the account's closed hours.
    pub closed: bool,
    /// When who is on call next changes, in the account's time, within a week.
    pub until: Option<String>,
    /// Who is on call from then (empty: nobody).
    pub then: Vec<String>,
}

impl OnCallNow {
    /// "until 18:00, then Dr Lee" and the like, in the language being worded.
    pub fn summary(&self) -> String {
        match (&self.until, self.then.as_slice()) {
            (Some(until), []) => crate::tr!(oncall.now.until_then_nobody, until = until),
            (Some(until), names) => {
                crate::tr!(
                    oncall.now.until_then,
                    until = until,
                    then = names.join(", ")
                )
            }
            (None, _) => crate::tr!(oncall.now.no_change).to_string(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Coverage {
    Covered,
    Gap,
    Closed,
}

/// A stretch of a day with the same people on call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaEntry {
    pub from: String,
    pub to: String,
    pub coverage: Coverage,
    pub names: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaDay {
    /// "Sun 1 Nov"
    pub date: String,
    pub today: bool,
    /// A clock change that day, said with what it does to the shifts across it.
    pub clock_change: Option<String>,
    pub entries: Vec<AgendaEntry>,
}

/// A time nobody covers: in the week ahead, or in the past week with the messages
/// that arrived during it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GapView {
    pub from: String,
    pub to: String,
    pub intended: bool,
    pub messages: Vec<GapMessage>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GapMessage {
    pub id: i64,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarView {
    pub account: NodeId,
    pub account_name: String,
    pub zone: String,
    pub now: OnCallNow,
    pub days: Vec<AgendaDay>,
    /// Uncovered times of the week ahead, intended or not.
    pub gaps: Vec<GapView>,
    /// Uncovered times of the past week during which messages arrived.
    pub missed: Vec<GapView>,
    pub rules: Vec<RuleView>,
    pub overrides: Vec<OverrideView>,
    pub seen: OperatorsSeen,
    pub can_edit: bool,
}

/// What the rule and override forms need: the account, its contacts and zone, the
/// record (when editing one) and the clock changes ahead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleForm<T> {
    pub account: NodeId,
    pub zone: String,
    pub contacts: Vec<ContactChoice>,
    pub record: Option<T>,
    pub clock_changes: Vec<String>,
    pub can_edit: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_read_and_print_as_people_say_them() {
        let keys = |keys: &[&str]| keys.iter().map(|key| key.to_string()).collect::<Vec<_>>();
        assert_eq!(
            weekday_bits(&keys(&["mon", "tue", "wed", "thu", "fri"])),
            0x1f
        );
        assert_eq!(weekdays_label(0x1f), "Mon–Fri");
        assert_eq!(weekdays_label(0x60), "Sat, Sun");
        assert_eq!(weekdays_label(0x7f), "Every day");
        assert_eq!(
            weekdays_label(weekday_bits(&keys(&["mon", "wed", "sunday"]))),
            "Mon, Wed"
        );
        let in_french = |bits| {
            crate::core::words::in_language(crate::core::Language::French, || weekdays_label(bits))
        };
        assert_eq!(in_french(0x1f), "lun.–ven.");
        assert_eq!(in_french(0x05), "lun., mer.");
    }

    #[test]
    fn times_of_day_read_from_inputs() {
        assert_eq!(minutes_of("08:30"), Some(510));
        assert_eq!(minutes_of("23:59:00"), Some(1439));
        assert_eq!(minutes_of("24:00"), None);
        assert_eq!(minutes_of("8"), None);
        assert_eq!(clock_of(510), "08:30");
    }
}
