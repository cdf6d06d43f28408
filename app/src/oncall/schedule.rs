//! Resolving an on-call schedule. A weekly rule's start and end are local wall times
//! of the schedule's zone, never a start plus a length, so clock changes shorten or
//! lengthen the shift that spans them. A boundary in a spring-forward gap is read
//! with the offset from before the change (02:30 becomes 03:30). In a fall-back fold
//! a shift starts at the earlier 01:30 and ends at the later one. Shifts that meet at
//! one local time therefore neither gap nor overlap in a gap, and overlap by the
//! repeated hour in a fold, so coverage never breaks at a clock change.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// A contact operators may reach, by id.
pub type ContactId = i64;

/// Monday is bit 0, Sunday bit 6.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Weekdays(pub u8);

impl Weekdays {
    pub const EVERY_DAY: Weekdays = Weekdays(0b111_1111);
    pub const MONDAY_TO_FRIDAY: Weekdays = Weekdays(0b001_1111);

    pub fn holds(self, date: Date) -> bool {
        self.0 & (1 << date.weekday().to_monday_zero_offset()) != 0
    }
}

/// A shift every chosen weekday from `start` to `end`, local time; overnight into
/// the next day when `end` is not after `start` (so 00:00–00:00 is a whole day).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeeklyRule {
    pub weekdays: Weekdays,
    pub start: Time,
    pub end: Time,
    /// The contacts in the order operators try them.
    pub contacts: Vec<ContactId>,
    /// Hours the account means to leave uncovered (it has no contacts then).
    pub closed: bool,
}

/// A range of time that adds a contact, removes one, or (both) replaces one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Override {
    /// Instants in milliseconds since the Unix epoch, the end excluded.
    pub starts_at: i64,
    pub ends_at: i64,
    pub add: Option<ContactId>,
    pub remove: Option<ContactId>,
}

pub struct Schedule {
    pub zone: TimeZone,
    pub rules: Vec<WeeklyRule>,
    pub overrides: Vec<Override>,
}

/// One concrete shift of a rule, in milliseconds, the end excluded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shift {
    pub starts_at: i64,
    pub ends_at: i64,
    pub contacts: Vec<ContactId>,
    pub closed: bool,
}

/// A time nobody covers, in milliseconds, the end excluded; intended when the
/// account's closed hours cover it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gap {
    pub starts_at: i64,
    pub ends_at: i64,
    pub intended: bool,
}

/// A change of the zone's clocks: at `at`, by `minutes` (forward is positive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockChange {
    pub at: i64,
    pub minutes: i32,
    /// The local time the clocks show as they change ("02:00").
    pub wall: Time,
}

/// A stretch of time with the same people on call, in milliseconds, the end
/// excluded. No contacts is a gap; `closed` when closed hours cover it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub starts_at: i64,
    pub ends_at: i64,
    pub contacts: Vec<ContactId>,
    pub closed: bool,
}

impl Schedule {
    /// Whether it has neither rules nor overrides: nobody is meant to be on call, so
    /// nothing is a gap.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty() && self.overrides.is_empty()
    }

    /// The shifts of the rules that overlap `from..to`, in order of their starts.
    pub fn shifts(&self, from: i64, to: i64) -> Vec<Shift> {
        let first = self.local_date(from).yesterday().unwrap_or(Date::MIN);
        let last = self.local_date(to);
        let mut shifts = Vec::new();
        for date in first.series(jiff::Span::new().days(1)) {
            if date > last {
                break;
            }
            for rule in &self.rules {
                if let Some(shift) = self.shift_of(rule, date) {
                    if shift.starts_at < to && shift.ends_at > from {
                        shifts.push(shift);
                    }
                }
            }
        }
        shifts.sort_by_key(|shift| (shift.starts_at, shift.ends_at));
        shifts
    }

    /// Who is on call at `at`, in order: the contacts of every shift covering it,
    /// then the overrides covering it (removals first; an added contact goes first).
    /// Empty is a gap.
    pub fn on_call_at(&self, at: i64) -> Vec<ContactId> {
        let mut contacts: Vec<ContactId> = Vec::new();
        for shift in self.shifts(at, at + 1) {
            for contact in shift.contacts {
                if !contacts.contains(&contact) {
                    contacts.push(contact);
                }
            }
        }
        let covering = self
            .overrides
            .iter()
            .filter(|o| o.starts_at <= at && at < o.ends_at);
        for change in covering.clone() {
            contacts.retain(|contact| Some(*contact) != change.remove);
        }
        for added in covering.filter_map(|change| change.add) {
            contacts.retain(|contact| *contact != added);
            contacts.insert(0, added);
        }
        contacts
    }

    /// The first instant after `at` and before `until` where who is on call changes.
    pub fn next_change(&self, at: i64, until: i64) -> Option<i64> {
        let now = self.on_call_at(at);
        self.boundaries(at, until)
            .into_iter()
            .find(|&boundary| self.on_call_at(boundary) != now)
    }

    /// `from..to` cut where who is on call (or whether the account is closed)
    /// changes.
    pub fn timeline(&self, from: i64, to: i64) -> Vec<Segment> {
        let mut edges = vec![from];
        edges.extend(self.boundaries(from, to));
        edges.push(to);
        let mut segments: Vec<Segment> = Vec::new();
        for pair in edges.windows(2) {
            let (starts_at, ends_at) = (pair[0], pair[1]);
            if starts_at == ends_at {
                continue;
            }
            let contacts = self.on_call_at(starts_at);
            let closed = self.closed_at(starts_at);
            match segments.last_mut() {
                Some(last) if last.contacts == contacts && last.closed == closed => {
                    last.ends_at = ends_at;
                }
                _ => segments.push(Segment {
                    starts_at,
                    ends_at,
                    contacts,
                    closed,
                }),
            }
        }
        segments
    }

    /// The times in `from..to` that nobody covers (none, when nobody is meant to be).
    pub fn gaps(&self, from: i64, to: i64) -> Vec<Gap> {
        let mut gaps: Vec<Gap> = Vec::new();
        if self.is_empty() {
            return gaps;
        }
        for segment in self.timeline(from, to) {
            if !segment.contacts.is_empty() {
                continue;
            }
            match gaps.last_mut() {
                Some(last)
                    if last.ends_at == segment.starts_at && last.intended == segment.closed =>
                {
                    last.ends_at = segment.ends_at;
                }
                _ => gaps.push(Gap {
                    starts_at: segment.starts_at,
                    ends_at: segment.ends_at,
                    intended: segment.closed,
                }),
            }
        }
        gaps
    }

    /// The zone's clock changes in `from..to`: when, and by how many minutes the
    /// clocks move (forward is positive).
    pub fn clock_changes(&self, from: i64, to: i64) -> Vec<ClockChange> {
        let start = Timestamp::from_millisecond(from).unwrap_or(Timestamp::UNIX_EPOCH);
        self.zone
            .following(start)
            .map(|transition| {
                let at = transition.timestamp().as_millisecond();
                let before = self
                    .zone
                    .to_offset(transition.timestamp() - jiff::SignedDuration::from_millis(1));
                ClockChange {
                    at,
                    minutes: (transition.offset().seconds() - before.seconds()) / 60,
                    wall: before.to_datetime(transition.timestamp()).time(),
                }
            })
            .take_while(|change| change.at < to)
            .filter(|change| change.minutes != 0)
            .collect()
    }

    /// Whether closed hours cover `at`.
    fn closed_at(&self, at: i64) -> bool {
        self.shifts(at, at + 1).iter().any(|shift| shift.closed)
    }

    /// Every shift and override edge strictly inside `from..to`, in order.
    fn boundaries(&self, from: i64, to: i64) -> Vec<i64> {
        let shift_edges = self
            .shifts(from, to)
            .into_iter()
            .flat_map(|shift| [shift.starts_at, shift.ends_at]);
        let override_edges = self
            .overrides
            .iter()
            .flat_map(|change| [change.starts_at, change.ends_at]);
        let mut edges: Vec<i64> = shift_edges
            .chain(override_edges)
            .filter(|&edge| from < edge && edge < to)
            .collect();
        edges.sort_unstable();
        edges.dedup();
        edges
    }

    fn shift_of(&self, rule: &WeeklyRule, date: Date) -> Option<Shift> {
        if !rule.weekdays.holds(date) {
            return None;
        }
        let end_date = match rule.end > rule.start {
            true => date,
            false => date.tomorrow().ok()?,
        };
        let starts = self
            .zone
            .to_ambiguous_timestamp(date.to_datetime(rule.start));
        let ends = self
            .zone
            .to_ambiguous_timestamp(end_date.to_datetime(rule.end));
        Some(Shift {
            starts_at: starts.compatible().ok()?.as_millisecond(),
            ends_at: ends.later().ok()?.as_millisecond(),
            contacts: rule.contacts.clone(),
            closed: rule.closed,
        })
    }

    fn local_date(&self, at: i64) -> Date {
        let at = Timestamp::from_millisecond(at).unwrap_or(Timestamp::UNIX_EPOCH);
        DateTime::from(at.to_zoned_datetime(self.zone.clone())).date()
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::{date, time};

    use super::*;

    const HOUR: i64 = 3_600_000;

    fn zone(name: &str) -> TimeZone {
        TimeZone::get(name).expect("the system's time-zone database")
    }

    fn at(zone_name: &str, y: i16, mo: i8, d: i8, h: i8, mi: i8) -> i64 {
        zone(zone_name)
            .to_ambiguous_timestamp(date(y, mo, d).at(h, mi, 0, 0))
            .compatible()
            .unwrap()
            .as_millisecond()
    }

    fn rule(weekdays: Weekdays, start: (i8, i8), end: (i8, i8), contacts: &[i64]) -> WeeklyRule {
        WeeklyRule {
            weekdays,
            start: time(start.0, start.1, 0, 0),
            end: time(end.0, end.1, 0, 0),
            contacts: contacts.to_vec(),
            closed: false,
        }
    }

    fn schedule(zone_name: &str, rules: Vec<WeeklyRule>) -> Schedule {
        Schedule {
            zone: zone(zone_name),
            rules,
            overrides: Vec::new(),
        }
    }

    /// The length in hours of the shift that starts on `day` (local) at its rule's start.
    fn hours_of_shift_on(schedule: &Schedule, zone_name: &str, (y, mo, d): (i16, i8, i8)) -> f64 {
        let noon = at(zone_name, y, mo, d, 12, 0);
        let shift = schedule
            .shifts(noon - 12 * HOUR, noon + 12 * HOUR)
            .into_iter()
            .find(|shift| schedule.local_date(shift.starts_at) == date(y, mo, d))
            .expect("a shift that day");
        (shift.ends_at - shift.starts_at) as f64 / HOUR as f64
    }

    #[test]
    fn a_whole_day_shift_lasts_23_hours_in_spring_and_25_in_autumn() {
        let cases = [
            ("America/New_York", (2026, 3, 8), (2026, 11, 1)),
            ("America/Chicago", (2026, 3, 8), (2026, 11, 1)),
            ("America/Toronto", (2026, 3, 8), (2026, 11, 1)),
            ("Europe/Paris", (2026, 3, 29), (2026, 10, 25)),
            ("Europe/London", (2026, 3, 29), (2026, 10, 25)),
            ("America/St_Johns", (2026, 3, 8), (2026, 11, 1)),
            ("Australia/Sydney", (2026, 10, 4), (2026, 4, 5)),
        ];
        for (name, spring, autumn) in cases {
            let days = schedule(name, vec![rule(Weekdays::EVERY_DAY, (0, 0), (0, 0), &[1])]);
            assert_eq!(
                hours_of_shift_on(&days, name, spring),
                23.0,
                "{name} in spring"
            );
            assert_eq!(
                hours_of_shift_on(&days, name, autumn),
                25.0,
                "{name} in autumn"
            );
            assert_eq!(
                hours_of_shift_on(&days, name, (2026, 6, 15)),
                24.0,
                "{name}"
            );
        }
        let india = schedule(
            "Asia/Kolkata",
            vec![rule(Weekdays::EVERY_DAY, (0, 0), (0, 0), &[1])],
        );
        assert_eq!(
            hours_of_shift_on(&india, "Asia/Kolkata", (2026, 3, 8)),
            24.0
        );
    }

    #[test]
    fn nights_and_days_that_meet_leave_no_gap_across_either_change() {
        let name = "America/New_York";
        let week = schedule(
            name,
            vec![
                rule(Weekdays::EVERY_DAY, (9, 0), (17, 0), &[1]),
                rule(Weekdays::EVERY_DAY, (17, 0), (9, 0), &[2]),
            ],
        );
        for (y, mo, d) in [(2026, 3, 7), (2026, 10, 31)] {
            let from = at(name, y, mo, d, 0, 0);
            assert_eq!(week.gaps(from, from + 72 * HOUR), Vec::new());
        }
        // The night into the spring change is an hour short, into the autumn one long.
        assert_eq!(hours_of_shift_on(&week, name, (2026, 3, 7)), 8.0);
        let spring_night = week.shifts(at(name, 2026, 3, 7, 18, 0), at(name, 2026, 3, 7, 19, 0));
        assert_eq!(
            spring_night[0].ends_at - spring_night[0].starts_at,
            15 * HOUR
        );
        let autumn_night =
            week.shifts(at(name, 2026, 10, 31, 18, 0), at(name, 2026, 10, 31, 19, 0));
        assert_eq!(
            autumn_night[0].ends_at - autumn_night[0].starts_at,
            17 * HOUR
        );
    }

    #[test]
    fn a_boundary_in_the_spring_gap_is_read_with_the_offset_before_it() {
        let name = "America/New_York";
        let early = schedule(name, vec![rule(Weekdays::EVERY_DAY, (2, 30), (8, 0), &[1])]);
        let shifts = early.shifts(at(name, 2026, 3, 8, 0, 0), at(name, 2026, 3, 8, 12, 0));
        // 02:30 does not exist that night: it reads as 03:30 EDT, 07:30 UTC.
        assert_eq!(shifts[0].starts_at, at(name, 2026, 3, 8, 3, 30));
        assert_eq!(
            shifts[0].ends_at - shifts[0].starts_at,
            (4 * 60 + 30) * 60_000
        );
    }

    #[test]
    fn overrides_remove_add_and_replace_and_the_next_change_says_until_when() {
        let name = "Europe/Paris";
        let mut week = schedule(
            name,
            vec![rule(Weekdays::MONDAY_TO_FRIDAY, (8, 0), (18, 0), &[1, 2])],
        );
        // Monday 2026-10-26.
        let monday = |h, m| at(name, 2026, 10, 26, h, m);
        week.overrides.push(Override {
            starts_at: monday(12, 0),
            ends_at: monday(14, 0),
            add: Some(3),
            remove: Some(1),
        });
        assert_eq!(week.on_call_at(monday(9, 0)), vec![1, 2]);
        assert_eq!(week.on_call_at(monday(13, 0)), vec![3, 2]);
        assert_eq!(
            week.next_change(monday(9, 0), monday(23, 0)),
            Some(monday(12, 0))
        );
        assert_eq!(
            week.next_change(monday(13, 0), monday(23, 0)),
            Some(monday(14, 0))
        );
        assert_eq!(
            week.next_change(monday(15, 0), monday(23, 0)),
            Some(monday(18, 0))
        );
        assert_eq!(week.on_call_at(monday(19, 0)), Vec::<i64>::new());
        // Weeknights and the weekend are gaps: Friday 18:00 to Monday 08:00 is one.
        let friday = at(name, 2026, 10, 30, 0, 0);
        let gaps = week.gaps(friday, friday + 4 * 24 * HOUR);
        let next_monday = at(name, 2026, 11, 2, 8, 0);
        assert_eq!(
            gaps[1],
            Gap {
                starts_at: at(name, 2026, 10, 30, 18, 0),
                ends_at: next_monday,
                intended: false,
            }
        );
        assert_eq!(gaps[0].ends_at, at(name, 2026, 10, 30, 8, 0));
    }

    #[test]
    fn clock_changes_are_found_with_their_direction() {
        let name = "Australia/Sydney";
        let sydney = schedule(name, vec![]);
        let year = sydney.clock_changes(at(name, 2026, 1, 1, 0, 0), at(name, 2027, 1, 1, 0, 0));
        assert_eq!(
            year,
            vec![
                // 03:00 summer time, the first 02:00 plus an hour.
                ClockChange {
                    at: at(name, 2026, 4, 5, 2, 0) + HOUR,
                    minutes: -60,
                    wall: time(3, 0, 0, 0)
                },
                ClockChange {
                    at: at(name, 2026, 10, 4, 3, 0),
                    minutes: 60,
                    wall: time(2, 0, 0, 0)
                },
            ]
        );
        let kolkata = schedule("Asia/Kolkata", vec![]);
        assert!(kolkata
            .clock_changes(0, at("Asia/Kolkata", 2027, 1, 1, 0, 0))
            .is_empty());
    }

    #[test]
    fn closed_hours_make_a_gap_intended_and_the_timeline_cuts_where_people_change() {
        let name = "America/New_York";
        let mut days = rule(Weekdays::MONDAY_TO_FRIDAY, (8, 0), (18, 0), &[1]);
        let mut lunch = rule(Weekdays::MONDAY_TO_FRIDAY, (12, 0), (13, 0), &[]);
        lunch.closed = true;
        days.end = time(12, 0, 0, 0);
        let afternoons = rule(Weekdays::MONDAY_TO_FRIDAY, (13, 0), (18, 0), &[2]);
        let week = schedule(name, vec![days, lunch, afternoons]);
        // Monday 2026-11-02, the day after the clocks went back.
        let monday = |h, m| at(name, 2026, 11, 2, h, m);
        let gaps = week.gaps(monday(7, 0), monday(19, 0));
        assert_eq!(
            gaps,
            vec![
                Gap {
                    starts_at: monday(7, 0),
                    ends_at: monday(8, 0),
                    intended: false
                },
                Gap {
                    starts_at: monday(12, 0),
                    ends_at: monday(13, 0),
                    intended: true
                },
                Gap {
                    starts_at: monday(18, 0),
                    ends_at: monday(19, 0),
                    intended: false
                },
            ]
        );
        let timeline = week.timeline(monday(7, 0), monday(19, 0));
        let cuts: Vec<(i64, Vec<i64>, bool)> = timeline
            .into_iter()
            .map(|segment| {
                (
                    (segment.starts_at - monday(7, 0)) / HOUR,
                    segment.contacts,
                    segment.closed,
                )
            })
            .collect();
        assert_eq!(
            cuts,
            vec![
                (0, vec![], false),
                (1, vec![1], false),
                (5, vec![], true),
                (6, vec![2], false),
                (11, vec![], false),
            ]
        );
    }
}
