//! Delivery options, their fees and estimated delivery windows, in UK time.
//!
//! Pure: the caller passes `now` (unix seconds) and the goods subtotal (before discounts,
//! the same number the basket shows as "Subtotal").
//!
//! # Policy
//! | option | fee | when |
//! |---|---|---|
//! | Standard | £3.95, **free when the goods subtotal is £50 or more** | 2 to 4 working days after dispatch |
//! | Express | £7.95 | the working day after dispatch |
//! | Chosen day | £5.95 | a day the shopper picks, 2 to 14 calendar days ahead, not a Sunday (Saturdays allowed), and after the dispatch day |
//!
//! - **Working days** are Monday to Friday but the bank holidays of England and Wales
//!   (`calendar::BANK_HOLIDAYS`); a chosen day is never a bank holiday either.
//! - **Dispatch**: an order placed on a working day before 14:00 UK time is dispatched that
//!   day; otherwise on the next working day.
//! - **UK time** is Europe/London (`crate::calendar`). Calendar days ("2 days ahead") are
//!   UK days.
//! - **Windows**: a delivery day means 07:00 to 21:00 UK time that day; a window is
//!   `[07:00 on the first possible day, 21:00 on the last]`, as unix seconds. For the
//!   chosen-day option, [`options`] returns the range one may choose from ([`chosen_days`]
//!   lists the days); [`quote`] returns the chosen day.
//!
//! Dates cross the wire as `"YYYY-MM-DD"` ([`CivilDate`]).

use crate::checkout::refusal::CheckoutRefusal;
use crate::checkout::text::CheckoutText;
use serde::{Deserialize, Serialize};

use crate::calendar::{uk_date, uk_instant, uk_secs_of_day, CivilDate};
use crate::error::{AppError, AppResult};

pub const STANDARD_FEE_MINOR: i64 = 395;
/// Standard delivery is free from this goods subtotal.
pub const STANDARD_FREE_FROM_MINOR: i64 = 5000;
pub const EXPRESS_FEE_MINOR: i64 = 795;
pub const CHOSEN_DAY_FEE_MINOR: i64 = 595;
/// Standard delivery arrives this many working days after dispatch, at the earliest...
pub const STANDARD_MIN_WORKING_DAYS: i64 = 2;
/// ...and at the latest.
pub const STANDARD_MAX_WORKING_DAYS: i64 = 4;
/// A chosen day is this many calendar days ahead, at least...
pub const CHOSEN_DAY_MIN_AHEAD: i64 = 2;
/// ...and at most.
pub const CHOSEN_DAY_MAX_AHEAD: i64 = 14;
/// Orders placed before this UK time on a working day are dispatched that day.
pub const DISPATCH_CUTOFF_SECS: i64 = 14 * 3600;
/// A delivery day runs from 07:00...
pub const DAY_START_SECS: i64 = 7 * 3600;
/// ...to 21:00 UK time.
pub const DAY_END_SECS: i64 = 21 * 3600;

/// The day an order placed at `now` leaves the warehouse.
pub fn dispatch_day(now: i64) -> CivilDate {
    let today = uk_date(now);
    if today.is_working_day() && uk_secs_of_day(now) < DISPATCH_CUTOFF_SECS {
        today
    } else {
        today.add_working_days(1)
    }
}

/// The delivery options.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeliveryOption {
    Standard,
    Express,
    ChosenDay,
}

impl DeliveryOption {
    pub const ALL: [DeliveryOption; 3] = [
        DeliveryOption::Standard,
        DeliveryOption::Express,
        DeliveryOption::ChosenDay,
    ];

    /// Stable name for storage and forms.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryOption::Standard => "standard",
            DeliveryOption::Express => "express",
            DeliveryOption::ChosenDay => "chosen_day",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// Name for the UI.
    pub fn label_key(self) -> CheckoutText {
        match self {
            DeliveryOption::Standard => CheckoutText::DeliveryStandard,
            DeliveryOption::Express => CheckoutText::DeliveryExpress,
            DeliveryOption::ChosenDay => CheckoutText::DeliveryChosenDay,
        }
    }

    /// One-line description for the UI (fee rule and timing).
    pub fn hint_key(self) -> CheckoutText {
        match self {
            DeliveryOption::Standard => CheckoutText::DeliveryStandardHint,
            DeliveryOption::Express => CheckoutText::DeliveryExpressHint,
            DeliveryOption::ChosenDay => CheckoutText::DeliveryChosenDayHint,
        }
    }

    /// The fee for a goods subtotal (before discounts).
    pub fn fee_minor(self, subtotal_minor: i64) -> i64 {
        match self {
            DeliveryOption::Standard if subtotal_minor >= STANDARD_FREE_FROM_MINOR => 0,
            DeliveryOption::Standard => STANDARD_FEE_MINOR,
            DeliveryOption::Express => EXPRESS_FEE_MINOR,
            DeliveryOption::ChosenDay => CHOSEN_DAY_FEE_MINOR,
        }
    }
}

/// An option with its fee and estimated delivery window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryQuote {
    pub option: DeliveryOption,
    pub fee_minor: i64,
    /// Unix seconds: 07:00 UK time on the earliest day.
    pub window_start: i64,
    /// Unix seconds: 21:00 UK time on the latest day.
    pub window_end: i64,
    /// The day picked, for the chosen-day option's [`quote`].
    pub chosen_day: Option<CivilDate>,
}

/// The days one may choose for chosen-day delivery at `now`, earliest first.
pub fn chosen_days(now: i64) -> Vec<CivilDate> {
    let today = uk_date(now);
    let dispatch = dispatch_day(now);
    (CHOSEN_DAY_MIN_AHEAD..=CHOSEN_DAY_MAX_AHEAD)
        .map(|n| today.add_days(n))
        .filter(|d| !d.is_sunday() && !d.is_bank_holiday() && *d > dispatch)
        .collect()
}

fn window(option: DeliveryOption, fee: i64, first: CivilDate, last: CivilDate) -> DeliveryQuote {
    DeliveryQuote {
        option,
        fee_minor: fee,
        window_start: uk_instant(first, DAY_START_SECS),
        window_end: uk_instant(last, DAY_END_SECS),
        chosen_day: None,
    }
}

fn estimate(option: DeliveryOption, now: i64, subtotal_minor: i64) -> DeliveryQuote {
    let fee = option.fee_minor(subtotal_minor);
    let dispatch = dispatch_day(now);
    match option {
        DeliveryOption::Standard => window(
            option,
            fee,
            dispatch.add_working_days(STANDARD_MIN_WORKING_DAYS),
            dispatch.add_working_days(STANDARD_MAX_WORKING_DAYS),
        ),
        DeliveryOption::Express => {
            let day = dispatch.add_working_days(1);
            window(option, fee, day, day)
        }
        DeliveryOption::ChosenDay => {
            let days = chosen_days(now);
            // Never empty: 14 days ahead always holds a non-Sunday after dispatch.
            let first = days.first().copied().unwrap_or(dispatch.add_days(1));
            let last = days.last().copied().unwrap_or(first);
            window(option, fee, first, last)
        }
    }
}

/// Every option with its fee and window at `now`, in [`DeliveryOption::ALL`] order.
pub fn options(now: i64, subtotal_minor: i64) -> Vec<DeliveryQuote> {
    DeliveryOption::ALL
        .into_iter()
        .map(|o| estimate(o, now, subtotal_minor))
        .collect()
}

/// The quote for the option the shopper picked, refusing a chosen day that cannot be
/// delivered (or one given with another option).
pub fn quote(
    option: DeliveryOption,
    chosen_day: Option<CivilDate>,
    now: i64,
    subtotal_minor: i64,
) -> AppResult<DeliveryQuote> {
    match (option, chosen_day) {
        (DeliveryOption::ChosenDay, None) => {
            Err(AppError::bad_request(CheckoutRefusal::DeliveryDayMissing))
        }
        (DeliveryOption::ChosenDay, Some(day)) => {
            let days = chosen_days(now);
            if day.is_sunday() {
                return Err(AppError::bad_request(CheckoutRefusal::DeliveryDaySunday));
            }
            if day.is_bank_holiday() {
                return Err(AppError::bad_request(
                    CheckoutRefusal::DeliveryDayBankHoliday,
                ));
            }
            let (first, last) = match (days.first(), days.last()) {
                (Some(f), Some(l)) => (*f, *l),
                _ => return Err(AppError::internal("no chosen day available")),
            };
            if day < first {
                return Err(AppError::bad_request(CheckoutRefusal::DeliveryDayTooSoon {
                    earliest: first,
                }));
            }
            if day > last {
                return Err(AppError::bad_request(CheckoutRefusal::DeliveryDayTooLate {
                    days: CHOSEN_DAY_MAX_AHEAD,
                    latest: last,
                }));
            }
            let mut q = window(option, option.fee_minor(subtotal_minor), day, day);
            q.chosen_day = Some(day);
            Ok(q)
        }
        (_, Some(_)) => Err(AppError::bad_request(
            CheckoutRefusal::DeliveryDayNotChosenDay,
        )),
        (_, None) => Ok(estimate(option, now, subtotal_minor)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::uk_offset_secs;

    const DAY: i64 = 86_400;
    use proptest::prelude::*;

    fn date(s: &str) -> CivilDate {
        CivilDate::parse(s).unwrap()
    }

    /// The unix instant of UTC wall-clock `hh:mm` on `d`.
    fn utc(d: &str, hh: i64, mm: i64) -> i64 {
        date(d).unix_days() * DAY + hh * 3600 + mm * 60
    }

    #[test]
    fn windows_skip_bank_holidays() {
        // Thursday 2 April 2026, 10:00 BST: dispatched that day; Good Friday, the weekend
        // and Easter Monday are not working days.
        let now = utc("2026-04-02", 9, 0);
        assert_eq!(dispatch_day(now), date("2026-04-02"));
        let q = quote(DeliveryOption::Standard, None, now, 1000).unwrap();
        assert_eq!(
            uk_date(q.window_start),
            date("2026-04-08"),
            "2 working days after dispatch"
        );
        assert_eq!(uk_date(q.window_end), date("2026-04-10"));
        let express = quote(DeliveryOption::Express, None, now, 1000).unwrap();
        assert_eq!(uk_date(express.window_start), date("2026-04-07"));
        // On Good Friday itself nothing is dispatched until Tuesday.
        assert_eq!(dispatch_day(utc("2026-04-03", 9, 0)), date("2026-04-07"));
        let days = chosen_days(now);
        assert!(
            !days.contains(&date("2026-04-06")),
            "Easter Monday cannot be chosen"
        );
        let refused = quote(
            DeliveryOption::ChosenDay,
            Some(date("2026-04-06")),
            now,
            1000,
        );
        assert_eq!(
            refused,
            Err(AppError::bad_request(
                CheckoutRefusal::DeliveryDayBankHoliday
            ))
        );
    }

    #[test]
    fn calendar_arithmetic() {
        assert_eq!(CivilDate::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(CivilDate::from_unix_days(0).iso_weekday(), 4, "a Thursday");
        assert_eq!(
            date("2000-03-01").unix_days() - date("2000-02-28").unix_days(),
            2
        );
        assert_eq!(
            date("1900-03-01").unix_days() - date("1900-02-28").unix_days(),
            1
        );
        assert_eq!(date("2024-01-01").iso_weekday(), 1);
        assert_eq!(date("2025-12-25").iso_weekday(), 4);
        assert_eq!(date("1969-12-31").unix_days(), -1);
        assert_eq!(date("2038-01-19").unix_days(), 24_855);
        assert!(date("2024-06-08").is_weekend() && date("2024-06-09").is_sunday());
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "24-01-01",
            "2024-1-01",
            "2024-01-0x",
            "",
            "2024-01-01-01",
            "+202-01-01",
        ] {
            assert_eq!(CivilDate::parse(bad), None, "{bad}");
        }
        assert!(CivilDate::parse("2024-02-29").is_some());
        // Friday + 1 working day = Monday.
        assert_eq!(date("2024-06-07").add_working_days(1), date("2024-06-10"));
        assert_eq!(date("2024-06-08").add_working_days(1), date("2024-06-10"));
        assert_eq!(date("2024-06-07").add_working_days(0), date("2024-06-07"));
        assert_eq!(date("2024-06-05").add_working_days(4), date("2024-06-11"));
    }

    #[test]
    fn dates_cross_the_wire_as_iso_strings() {
        let d = date("2024-06-07");
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2024-06-07\"");
        assert_eq!(
            serde_json::from_str::<CivilDate>("\"2024-06-07\"").unwrap(),
            d
        );
        assert!(serde_json::from_str::<CivilDate>("\"2024-02-30\"").is_err());
    }

    #[test]
    fn british_summer_time() {
        // 2024: BST from 31 March 01:00 UTC to 27 October 01:00 UTC.
        assert_eq!(uk_offset_secs(utc("2024-03-31", 0, 59)), 0);
        assert_eq!(uk_offset_secs(utc("2024-03-31", 1, 0)), 3600);
        assert_eq!(uk_offset_secs(utc("2024-10-27", 0, 59)), 3600);
        assert_eq!(uk_offset_secs(utc("2024-10-27", 1, 0)), 0);
        assert_eq!(uk_offset_secs(utc("2024-01-15", 12, 0)), 0);
        // 23:30 UTC on 7 June is 00:30 on 8 June in London.
        assert_eq!(uk_date(utc("2024-06-07", 23, 30)), date("2024-06-08"));
        assert_eq!(uk_date(utc("2024-12-07", 23, 30)), date("2024-12-07"));
        assert_eq!(
            uk_instant(date("2024-06-10"), DAY_START_SECS),
            utc("2024-06-10", 6, 0)
        );
        assert_eq!(
            uk_instant(date("2024-12-10"), DAY_START_SECS),
            utc("2024-12-10", 7, 0)
        );
        // On both change days, 07:00 and 21:00 are the right instants.
        assert_eq!(
            uk_instant(date("2024-03-31"), DAY_START_SECS),
            utc("2024-03-31", 6, 0)
        );
        assert_eq!(
            uk_instant(date("2024-10-27"), DAY_START_SECS),
            utc("2024-10-27", 7, 0)
        );
        assert_eq!(
            uk_instant(date("2024-03-31"), DAY_END_SECS),
            utc("2024-03-31", 20, 0)
        );
        assert_eq!(
            uk_instant(date("2024-10-27"), DAY_END_SECS),
            utc("2024-10-27", 21, 0)
        );
    }

    #[test]
    fn dispatch_cut_off_is_2pm_uk_on_working_days() {
        // Wednesday 5 June 2024 (BST): 13:59 UK = 12:59 UTC.
        assert_eq!(dispatch_day(utc("2024-06-05", 12, 59)), date("2024-06-05"));
        assert_eq!(dispatch_day(utc("2024-06-05", 13, 0)), date("2024-06-06"));
        // Friday after cut-off, Saturday, Sunday -> Monday.
        assert_eq!(dispatch_day(utc("2024-06-07", 15, 0)), date("2024-06-10"));
        assert_eq!(dispatch_day(utc("2024-06-08", 9, 0)), date("2024-06-10"));
        assert_eq!(dispatch_day(utc("2024-06-09", 9, 0)), date("2024-06-10"));
        // Winter: 13:59 UTC is 13:59 UK.
        assert_eq!(dispatch_day(utc("2024-12-04", 13, 59)), date("2024-12-04"));
    }

    #[test]
    fn options_fees_and_windows() {
        let now = utc("2024-06-05", 9, 0); // Wednesday 10:00 UK, dispatched today
        let opts = options(now, 4999);
        assert_eq!(opts.len(), 3);
        let std = &opts[0];
        assert_eq!((std.option, std.fee_minor), (DeliveryOption::Standard, 395));
        // Wed + 2 working days = Fri; + 4 = Tue.
        assert_eq!(
            std.window_start,
            uk_instant(date("2024-06-07"), DAY_START_SECS)
        );
        assert_eq!(std.window_end, uk_instant(date("2024-06-11"), DAY_END_SECS));
        assert_eq!(options(now, 5000)[0].fee_minor, 0, "free from £50");
        let exp = &opts[1];
        assert_eq!((exp.option, exp.fee_minor), (DeliveryOption::Express, 795));
        assert_eq!(
            exp.window_start,
            uk_instant(date("2024-06-06"), DAY_START_SECS)
        );
        assert_eq!(exp.window_end, uk_instant(date("2024-06-06"), DAY_END_SECS));
        assert_eq!(options(now, 100_000)[1].fee_minor, 795);
        let cd = &opts[2];
        assert_eq!((cd.option, cd.fee_minor), (DeliveryOption::ChosenDay, 595));
        assert_eq!(
            cd.window_start,
            uk_instant(date("2024-06-07"), DAY_START_SECS)
        );
        assert_eq!(cd.window_end, uk_instant(date("2024-06-19"), DAY_END_SECS));
        assert!(opts.iter().all(|q| q.chosen_day.is_none()));
    }

    #[test]
    fn express_on_friday_afternoon_arrives_tuesday() {
        let q = quote(DeliveryOption::Express, None, utc("2024-06-07", 15, 0), 0).unwrap();
        assert_eq!(
            q.window_start,
            uk_instant(date("2024-06-11"), DAY_START_SECS)
        );
    }

    #[test]
    fn chosen_days_are_2_to_14_days_ahead_never_sunday_after_dispatch() {
        let now = utc("2024-06-05", 9, 0); // Wednesday
        let days = chosen_days(now);
        assert_eq!(days.first(), Some(&date("2024-06-07")));
        assert_eq!(days.last(), Some(&date("2024-06-19")));
        assert!(days.contains(&date("2024-06-08")), "Saturday allowed");
        assert!(!days.contains(&date("2024-06-09")) && !days.contains(&date("2024-06-16")));
        assert_eq!(days.len(), 11, "7th..19th without two Sundays");
        // Friday evening: dispatch Monday, so Sunday (2 ahead) and Monday are out.
        let fri = utc("2024-06-07", 19, 0);
        assert_eq!(chosen_days(fri).first(), Some(&date("2024-06-11")));
    }

    #[test]
    fn quote_refuses_bad_chosen_days_with_reasons() {
        let now = utc("2024-06-05", 9, 0);
        let ok = quote(DeliveryOption::ChosenDay, Some(date("2024-06-08")), now, 0).unwrap();
        assert_eq!(ok.chosen_day, Some(date("2024-06-08")));
        assert_eq!(ok.fee_minor, 595);
        assert_eq!(
            ok.window_start,
            uk_instant(date("2024-06-08"), DAY_START_SECS)
        );
        assert_eq!(ok.window_end, uk_instant(date("2024-06-08"), DAY_END_SECS));
        let refused = |d: Option<&str>, o| match quote(o, d.map(date), now, 0) {
            Err(AppError::BadRequest(crate::error::Refusal::Checkout(r))) => r,
            other => panic!("{other:?}"),
        };
        use CheckoutRefusal as R;
        let chosen = DeliveryOption::ChosenDay;
        assert_eq!(refused(None, chosen), R::DeliveryDayMissing);
        assert_eq!(refused(Some("2024-06-09"), chosen), R::DeliveryDaySunday);
        let too_soon = R::DeliveryDayTooSoon {
            earliest: date("2024-06-07"),
        };
        assert_eq!(refused(Some("2024-06-06"), chosen), too_soon);
        assert_eq!(refused(Some("2024-06-04"), chosen), too_soon);
        assert_eq!(
            refused(Some("2024-06-20"), chosen),
            R::DeliveryDayTooLate {
                days: 14,
                latest: date("2024-06-19")
            }
        );
        assert_eq!(
            refused(Some("2024-06-10"), DeliveryOption::Express),
            R::DeliveryDayNotChosenDay
        );
        assert_eq!(
            quote(DeliveryOption::Standard, None, now, 6000).unwrap(),
            options(now, 6000)[0]
        );
    }

    #[test]
    fn option_names_round_trip() {
        for o in DeliveryOption::ALL {
            assert_eq!(DeliveryOption::parse(o.as_str()), Some(o));
        }
        assert_eq!(DeliveryOption::parse("STANDARD"), None);
    }

    proptest! {
        #[test]
        fn civil_round_trip(days in -800_000i64..800_000) {
            let d = CivilDate::from_unix_days(days);
            let (y, m, dd) = d.ymd();
            prop_assert_eq!(CivilDate::new(y, m, dd), Some(d));
            prop_assert_eq!(d.add_days(1).iso_weekday(), d.iso_weekday() % 7 + 1);
            if (0..=9999).contains(&y) {
                prop_assert_eq!(CivilDate::parse(&d.to_string()), Some(d));
            }
        }

        #[test]
        fn windows_are_ordered_in_the_future(now in 0i64..4_102_444_800, subtotal in 0i64..20_000) {
            for q in options(now, subtotal) {
                prop_assert!(q.window_start > now && q.window_start < q.window_end, "{:?}", q);
                prop_assert!(!uk_date(q.window_start).is_sunday());
                if q.option != DeliveryOption::ChosenDay {
                    prop_assert!(!uk_date(q.window_start).is_weekend());
                    prop_assert!(!uk_date(q.window_end).is_weekend());
                }
                prop_assert_eq!(uk_secs_of_day(q.window_start), DAY_START_SECS);
                prop_assert_eq!(uk_secs_of_day(q.window_end), DAY_END_SECS);
            }
            for d in chosen_days(now) {
                let q = quote(DeliveryOption::ChosenDay, Some(d), now, subtotal).unwrap();
                prop_assert_eq!(uk_date(q.window_start), d);
            }
        }
    }
}
