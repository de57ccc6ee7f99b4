//! The shop's one calendar, shared by the server and the browser: civil dates, UK time and
//! the bank holidays of England and Wales.
//!
//! - **UK time** is the tz database's Europe/London zone (GMT, and BST from 01:00 UTC on
//!   the last Sunday of March to 01:00 UTC on the last Sunday of October), from the zone's
//!   own file (`calendar/europe-london.tzif`, the tz database's, which is in the public
//!   domain), which jiff reads when the shop is compiled. Times are shown to shoppers in UK time,
//!   with the zone's name ("GMT" or "BST"), the same text on the server and in the browser.
//! - **Bank holidays** are data ([`BANK_HOLIDAYS`], England and Wales, as published on
//!   GOV.UK); delivery windows skip them like weekends.
//! - **Dates** cross the wire as `"YYYY-MM-DD"` ([`CivilDate`]), so a date that does not
//!   exist cannot be deserialised.

use std::fmt;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::i18n::Locale;

const DAY: i64 = 86_400;

/// Europe/London, parsed from the zone file when the shop is compiled (no parser and no
/// time zone database in the wasm).
static LONDON: TimeZone =
    jiff::tz::include!("app/src/calendar/europe-london.tzif", "Europe/London");

fn london() -> &'static TimeZone {
    &LONDON
}

/// A calendar date (proleptic Gregorian), stored as days since 1970-01-01. On the wire:
/// `"YYYY-MM-DD"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CivilDate(i64);

impl CivilDate {
    /// The date, if it exists.
    pub fn new(year: i64, month: u32, day: u32) -> Option<Self> {
        let date = Date::new(
            i16::try_from(year).ok()?,
            i8::try_from(month).ok()?,
            i8::try_from(day).ok()?,
        )
        .ok()?;
        Some(Self::from_date(date))
    }
    fn from_date(date: Date) -> Self {
        let midnight = TimeZone::UTC.to_timestamp(date.to_datetime(jiff::civil::Time::midnight()));
        Self(midnight.map(|t| t.as_second().div_euclid(DAY)).unwrap_or(0))
    }
    fn date(self) -> Date {
        TimeZone::UTC.to_datetime(timestamp(self.0 * DAY)).date()
    }
    pub fn from_unix_days(days: i64) -> Self {
        Self(days)
    }
    pub fn unix_days(self) -> i64 {
        self.0
    }
    /// (year, month 1..=12, day 1..=31).
    pub fn ymd(self) -> (i64, u32, u32) {
        let d = self.date();
        (
            i64::from(d.year()),
            u32::from(d.month().unsigned_abs()),
            u32::from(d.day().unsigned_abs()),
        )
    }
    /// ISO weekday: 1 = Monday ... 7 = Sunday.
    pub fn iso_weekday(self) -> u32 {
        u32::from(self.date().weekday().to_monday_one_offset().unsigned_abs())
    }
    pub fn is_weekend(self) -> bool {
        self.iso_weekday() >= 6
    }
    pub fn is_sunday(self) -> bool {
        self.iso_weekday() == 7
    }
    /// A bank holiday in England and Wales ([`BANK_HOLIDAYS`]).
    pub fn is_bank_holiday(self) -> bool {
        let (y, m, d) = self.ymd();
        BANK_HOLIDAYS.contains(&(y as u16, m as u8, d as u8))
    }
    /// Monday to Friday, and not a bank holiday.
    pub fn is_working_day(self) -> bool {
        !self.is_weekend() && !self.is_bank_holiday()
    }
    pub fn add_days(self, n: i64) -> Self {
        Self(self.0 + n)
    }
    /// The `n`th working day after this date (`n ≥ 1`), or the date itself for 0.
    pub fn add_working_days(self, n: i64) -> Self {
        let mut d = self;
        let mut left = n;
        while left > 0 {
            d = d.add_days(1);
            if d.is_working_day() {
                left -= 1;
            }
        }
        d
    }
    /// Parse `"YYYY-MM-DD"` (as an HTML date input sends it).
    pub fn parse(s: &str) -> Option<Self> {
        let mut parts = s.trim().splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if !(digits(y) && digits(m) && digits(d)) {
            return None;
        }
        Self::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }
}

impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl TryFrom<String> for CivilDate {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s).ok_or_else(|| format!("not a date (YYYY-MM-DD): {s:?}"))
    }
}

impl From<CivilDate> for String {
    fn from(d: CivilDate) -> String {
        d.to_string()
    }
}

/// Bank holidays in England and Wales, 2024 to 2028 (GOV.UK, "UK bank holidays"; a day
/// that falls on a weekend is replaced by the next working day, as listed). Later years
/// are added as GOV.UK publishes them; until then only weekends are skipped.
pub const BANK_HOLIDAYS: &[(u16, u8, u8)] = &[
    (2024, 1, 1),
    (2024, 3, 29),
    (2024, 4, 1),
    (2024, 5, 6),
    (2024, 5, 27),
    (2024, 8, 26),
    (2024, 12, 25),
    (2024, 12, 26),
    (2025, 1, 1),
    (2025, 4, 18),
    (2025, 4, 21),
    (2025, 5, 5),
    (2025, 5, 26),
    (2025, 8, 25),
    (2025, 12, 25),
    (2025, 12, 26),
    (2026, 1, 1),
    (2026, 4, 3),
    (2026, 4, 6),
    (2026, 5, 4),
    (2026, 5, 25),
    (2026, 8, 31),
    (2026, 12, 25),
    (2026, 12, 28),
    (2027, 1, 1),
    (2027, 3, 26),
    (2027, 3, 29),
    (2027, 5, 3),
    (2027, 5, 31),
    (2027, 8, 30),
    (2027, 12, 27),
    (2027, 12, 28),
    (2028, 1, 3),
    (2028, 4, 14),
    (2028, 4, 17),
    (2028, 5, 1),
    (2028, 5, 29),
    (2028, 8, 28),
    (2028, 12, 25),
    (2028, 12, 26),
];

fn timestamp(unix: i64) -> Timestamp {
    Timestamp::from_second(unix).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// UK offset from UTC at instant `unix`, in seconds: 3600 in BST, else 0.
pub fn uk_offset_secs(unix: i64) -> i64 {
    i64::from(london().to_offset(timestamp(unix)).seconds())
}

/// The UK calendar date at instant `unix`.
pub fn uk_date(unix: i64) -> CivilDate {
    CivilDate((unix + uk_offset_secs(unix)).div_euclid(DAY))
}

/// Seconds since UK midnight at instant `unix`.
pub fn uk_secs_of_day(unix: i64) -> i64 {
    (unix + uk_offset_secs(unix)).rem_euclid(DAY)
}

/// The instant of UK wall-clock time `secs` (since midnight) on `date`. A time the clocks
/// skip (01:00–02:00 on the last Sunday of March) is read as the time after the change.
pub fn uk_instant(date: CivilDate, secs: i64) -> i64 {
    let secs = secs.clamp(0, DAY - 1);
    let at = date.date().at(
        (secs / 3600) as i8,
        ((secs % 3600) / 60) as i8,
        (secs % 60) as i8,
        0,
    );
    match london().to_ambiguous_timestamp(at).compatible() {
        Ok(t) => t.as_second(),
        Err(_) => date.unix_days() * DAY + secs,
    }
}

/// An instant as shoppers read it: UK time with the zone's name, "2026-11-05 14:03 GMT"
/// or "2026-06-05 14:03 BST". The same text on the server and in the browser.
pub fn fmt_uk_time(unix: i64) -> String {
    let at = timestamp(unix);
    let t = london().to_datetime(at);
    let zone = london().to_offset_info(at);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} {}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        zone.abbreviation()
    )
}

/// "Tue 24 Nov" / "11月24日（周二）" for a UK-time instant.
pub fn fmt_day(locale: Locale, unix: i64) -> String {
    const EN_DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const ZH_DAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
    const EN_MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let date = uk_date(unix);
    let (_, m, d) = date.ymd();
    let wd = (date.iso_weekday() as usize).clamp(1, 7) - 1;
    match locale {
        Locale::En => format!(
            "{} {d} {}",
            EN_DAYS[wd],
            EN_MONTHS[(m as usize).clamp(1, 12) - 1]
        ),
        Locale::ZhCn => format!("{m}月{d}日（周{}）", ZH_DAYS[wd]),
    }
}

/// An estimated delivery window, e.g. "Tue 24 Nov – Thu 26 Nov" (one day if both ends
/// fall on it).
pub fn fmt_window(locale: Locale, start: i64, end: i64) -> String {
    let (a, b) = (fmt_day(locale, start), fmt_day(locale, end));
    if a == b {
        a
    } else {
        match locale {
            Locale::En => format!("{a} – {b}"),
            Locale::ZhCn => format!("{a}至{b}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_zone_is_europe_london() {
        assert!(
            london().iana_name() == Some("Europe/London"),
            "the zone file loaded"
        );
        // 2024: BST from 31 March 01:00 UTC to 27 October 01:00 UTC.
        let start = uk_instant(CivilDate::new(2024, 3, 31).unwrap(), 3 * 3600);
        assert_eq!(
            start, 1_711_850_400,
            "03:00 BST on 31 March 2024 is 02:00 UTC"
        );
        assert_eq!(uk_offset_secs(1_711_846_799), 0, "00:59:59 UTC, still GMT");
        assert_eq!(uk_offset_secs(1_711_846_800), 3600, "01:00 UTC, BST");
        assert_eq!(
            uk_offset_secs(1_729_990_799),
            3600,
            "27 Oct 2024 00:59:59 UTC, BST"
        );
        assert_eq!(uk_offset_secs(1_729_990_800), 0, "01:00 UTC, GMT again");
    }

    #[test]
    fn times_are_shown_in_uk_time_with_the_zone() {
        assert_eq!(
            fmt_uk_time(0),
            "1970-01-01 01:00 BST",
            "1970 was in British Standard Time, UTC+1"
        );
        assert_eq!(fmt_uk_time(951_782_400), "2000-02-29 00:00 GMT");
        assert_eq!(fmt_uk_time(1_798_761_599), "2026-12-31 23:59 GMT");
        assert_eq!(fmt_uk_time(1_780_671_780), "2026-06-05 16:03 BST");
    }

    #[test]
    fn dates_round_trip_and_reject_what_does_not_exist() {
        for (y, m, d) in [(1970, 1, 1), (2000, 2, 29), (2024, 12, 31), (2026, 3, 29)] {
            let date = CivilDate::new(y, m, d).unwrap();
            assert_eq!(date.ymd(), (y, m, d));
            assert_eq!(CivilDate::parse(&date.to_string()), Some(date));
        }
        assert_eq!(CivilDate::new(1970, 1, 2).unwrap().unix_days(), 1);
        assert_eq!(CivilDate::new(1969, 12, 31).unwrap().unix_days(), -1);
        assert!(CivilDate::new(2023, 2, 29).is_none());
        assert!(CivilDate::new(2024, 13, 1).is_none());
        assert!(CivilDate::parse("2024-1-01").is_none());
        assert_eq!(
            CivilDate::new(1970, 1, 1).unwrap().iso_weekday(),
            4,
            "a Thursday"
        );
    }

    #[test]
    fn bank_holidays_are_not_working_days() {
        let good_friday = CivilDate::new(2026, 4, 3).unwrap();
        assert!(good_friday.is_bank_holiday() && !good_friday.is_working_day());
        // Thursday 2 April 2026 + 1 working day skips Good Friday, the weekend and Easter Monday.
        let thursday = CivilDate::new(2026, 4, 2).unwrap();
        assert_eq!(
            thursday.add_working_days(1),
            CivilDate::new(2026, 4, 7).unwrap()
        );
        // Boxing Day 2026 is a Saturday: Monday 28 December is the holiday instead.
        assert!(CivilDate::new(2026, 12, 28).unwrap().is_bank_holiday());
        for &(y, m, d) in BANK_HOLIDAYS {
            let day =
                CivilDate::new(i64::from(y), u32::from(m), u32::from(d)).expect("a real date");
            assert!(
                !day.is_weekend(),
                "{day} is a weekday (substitute days are listed)"
            );
        }
    }

    #[test]
    fn delivery_windows_read_as_days() {
        let noon = |d| uk_instant(CivilDate::new(2026, 11, d).unwrap(), 12 * 3600);
        assert_eq!(fmt_day(Locale::En, noon(24)), "Tue 24 Nov");
        assert_eq!(
            fmt_window(Locale::En, noon(24), noon(26)),
            "Tue 24 Nov – Thu 26 Nov"
        );
        assert_eq!(
            fmt_window(Locale::ZhCn, noon(24), noon(26)),
            "11月24日（周二）至11月26日（周四）"
        );
        assert_eq!(
            fmt_window(Locale::En, noon(24), noon(24) + 3600),
            "Tue 24 Nov"
        );
    }
}
