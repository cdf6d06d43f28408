//! Times as people read them, the same on the server and in the browser.

#[cfg(feature = "ssr")]
use time::{macros::format_description, OffsetDateTime};

/// "2026-11-29 14:03:07 UTC"
#[cfg(feature = "ssr")]
pub fn timestamp(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|at| {
            at.format(format_description!(
                "[year]-[month]-[day] [hour]:[minute]:[second] UTC"
            ))
            .ok()
        })
        .unwrap_or_default()
}

/// A time in a list, as short as it can be and still clear: the time of day for
/// today, the day and time this year, the date before ("14:03", "Nov 29 14:03",
/// "2025-11-29"). UTC.
#[cfg(feature = "ssr")]
pub fn short_time(ms: i64, now: i64) -> String {
    let at = |ms: i64| OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).ok();
    let (Some(then), Some(today)) = (at(ms), at(now)) else {
        return String::new();
    };
    let clock = || {
        then.format(format_description!("[hour]:[minute]"))
            .unwrap_or_default()
    };
    if then.date() == today.date() {
        clock()
    } else if then.year() == today.year() {
        crate::tr!(
            dates.month_day_clock,
            month = month_short(u8::from(then.month()) as i8),
            day = then.day(),
            clock = clock()
        )
    } else {
        then.format(format_description!("[year]-[month]-[day]"))
            .unwrap_or_default()
    }
}

/// A length of time in minutes as people say it: "25 hours", "1 hour", "30 minutes",
/// "9½ hours" ("9 h 30" in French).
pub fn length_of(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, minutes) => crate::tr!(dates.length.minutes, count = minutes),
        (hours, 0) => crate::tr!(dates.length.hours, count = hours),
        (hours, 30) => crate::tr!(dates.length.and_a_half, hours = hours),
        (hours, minutes) => {
            crate::tr!(dates.length.hours_minutes, hours = hours, minutes = minutes)
        }
    }
}

/// A weekday's short name (0 is Monday), in the language being worded: "Thu", "jeu.".
pub fn weekday_short(monday_first: usize) -> &'static str {
    match monday_first {
        0 => crate::tr!(dates.weekday.mon),
        1 => crate::tr!(dates.weekday.tue),
        2 => crate::tr!(dates.weekday.wed),
        3 => crate::tr!(dates.weekday.thu),
        4 => crate::tr!(dates.weekday.fri),
        5 => crate::tr!(dates.weekday.sat),
        _ => crate::tr!(dates.weekday.sun),
    }
}

/// A month's short name (1 is January), in the language being worded: "Dec", "déc.".
pub fn month_short(month: i8) -> &'static str {
    match month {
        1 => crate::tr!(dates.month.jan),
        2 => crate::tr!(dates.month.feb),
        3 => crate::tr!(dates.month.mar),
        4 => crate::tr!(dates.month.apr),
        5 => crate::tr!(dates.month.may),
        6 => crate::tr!(dates.month.jun),
        7 => crate::tr!(dates.month.jul),
        8 => crate::tr!(dates.month.aug),
        9 => crate::tr!(dates.month.sep),
        10 => crate::tr!(dates.month.oct),
        11 => crate::tr!(dates.month.nov),
        _ => crate::tr!(dates.month.dec),
    }
}

/// The start of a day given as YYYY-MM-DD (UTC), in ms, if it is a real day.
#[cfg(feature = "ssr")]
pub fn day_start(day: &str) -> Option<i64> {
    let date = time::Date::parse(day, format_description!("[year]-[month]-[day]")).ok()?;
    Some(date.midnight().assume_utc().unix_timestamp() * 1000)
}

/// How long ago something happened, as people say it.
pub fn ago(elapsed_ms: i64) -> String {
    let minutes = elapsed_ms.max(0) / 60_000;
    match minutes {
        0 => crate::tr!(dates.just_now).to_string(),
        1..=59 => crate::tr!(dates.minutes_ago, count = minutes),
        60..=2879 => crate::tr!(dates.hours_ago, count = minutes / 60),
        _ => crate::tr!(dates.days_ago, count = minutes / 1440),
    }
}

/// A date as YYYY-MM-DD (UTC), the same on the server and in the browser.
pub fn format_date(ms: i64) -> String {
    // Days since the epoch to a civil date (Howard Hinnant's algorithm).
    let days = ms.div_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil_utc_dates() {
        assert_eq!(format_date(0), "1970-01-01");
        assert_eq!(format_date(951_782_400_000), "2000-02-29");
        assert_eq!(format_date(1_795_823_999_000), "2026-11-27");
    }

    #[test]
    fn list_times_are_short_and_clear() {
        let now = 1_795_823_999_000; // 2026-11-27 23:59:59
        assert_eq!(short_time(now - 3_600_000, now), "22:59");
        assert_eq!(short_time(now - 2 * 86_400_000, now), "Nov 25 23:59");
        assert_eq!(short_time(now - 400 * 86_400_000, now), "2025-10-23");
        assert_eq!(day_start("2026-11-27"), Some(1_795_737_600_000));
        assert_eq!(day_start("2026-02-30"), None);
    }

    #[test]
    fn elapsed_time_reads_naturally() {
        assert_eq!(ago(5_000), "just now");
        assert_eq!(ago(61_000), "1 minute ago");
        assert_eq!(ago(3 * 3_600_000), "3 hours ago");
        assert_eq!(ago(3 * 86_400_000), "3 days ago");
    }
}
