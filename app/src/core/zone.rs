//! Instants as an account reads them: in its own time zone, on the server (the
//! time-zone database stays out of the browser's download).

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};

/// The zone named, or UTC for a name the database does not know.
pub fn zone(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

/// `at` (ms since the epoch) in `zone`.
pub fn zoned(at: i64, zone: &TimeZone) -> ZonedDateTime {
    Timestamp::from_millisecond(at)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(zone.clone())
}

/// "10:42"
pub fn clock(at: i64, zone: &TimeZone) -> String {
    zoned(at, zone).strftime("%H:%M").to_string()
}

/// The time alone today, with the day otherwise: "10:42", "Thu 3 Dec 10:42".
pub fn day_and_clock(at: i64, now: i64, zone: &TimeZone) -> String {
    let then = zoned(at, zone);
    let clock = then.strftime("%H:%M").to_string();
    if then.date() == zoned(now, zone).date() {
        clock
    } else {
        crate::tr!(dates.day_and_clock, day = day(then.date()), clock = clock)
    }
}

/// A day as people name it, in the language being worded: "Thu 3 Dec", "jeu. 3 déc.".
pub fn day(date: Date) -> String {
    crate::tr!(
        dates.day,
        weekday = super::time::weekday_short(date.weekday().to_monday_zero_offset() as usize),
        day = date.day(),
        month = super::time::month_short(date.month())
    )
}

/// As [`day`], with the year: "Mon 4 Jan 2027".
pub fn day_of_year(date: Date) -> String {
    crate::tr!(dates.day_of_year, day = day(date), year = date.year())
}

/// RFC 3339 with the zone's offset, for machines: "2026-12-02T18:00:00-05:00".
pub fn rfc3339(at: i64, zone: &TimeZone) -> String {
    zoned(at, zone).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// The value a `datetime-local` input shows for `at`: "2026-12-02T18:00".
pub fn input_value(at: i64, zone: &TimeZone) -> String {
    zoned(at, zone).strftime("%Y-%m-%dT%H:%M").to_string()
}

/// What a `datetime-local` input sent, read as a wall time of `zone`: a time the
/// clocks skip moves on by the skipped length, a repeated time is its first
/// occurrence. None when it is not a date and time.
pub fn parse_input(value: &str, zone: &TimeZone) -> Option<i64> {
    let local: DateTime = value.trim().parse().ok()?;
    let at = zone.to_ambiguous_timestamp(local).compatible().ok()?;
    Some(at.as_millisecond())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_read_as_wall_times_of_the_zone_and_back() {
        let paris = zone("Europe/Paris");
        let at = parse_input("2026-12-02T18:00", &paris).unwrap();
        assert_eq!(input_value(at, &paris), "2026-12-02T18:00");
        assert_eq!(clock(at, &zone("UTC")), "17:00");
        assert_eq!(rfc3339(at, &paris), "2026-12-02T18:00:00+01:00");
        // 02:30 does not happen in Paris on 29 March 2026: it is 03:30 then.
        let skipped = parse_input("2026-03-29T02:30", &paris).unwrap();
        assert_eq!(input_value(skipped, &paris), "2026-03-29T03:30");
        assert_eq!(parse_input("tomorrow", &paris), None);
        assert_eq!(zone("Mars/Olympus"), TimeZone::UTC);
    }

    #[test]
    fn today_reads_as_a_clock_and_other_days_with_their_date() {
        let new_york = zone("America/New_York");
        let now = parse_input("2026-12-03T09:00", &new_york).unwrap();
        let later = parse_input("2026-12-03T17:30", &new_york).unwrap();
        let tomorrow = parse_input("2026-12-04T08:00", &new_york).unwrap();
        assert_eq!(day_and_clock(later, now, &new_york), "17:30");
        assert_eq!(day_and_clock(tomorrow, now, &new_york), "Fri 4 Dec 08:00");
    }
}
