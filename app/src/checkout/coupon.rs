//! Coupon definitions and the eligibility rule.
//!
//! A [`Coupon`] is what staff define; [`check`] decides whether it applies to a basket now
//! and, when it does, turns it into a [`CouponEffect`] that [`super::pricing::price`]
//! applies. The split keeps pricing free of dates, counters and thresholds: it only does
//! arithmetic.
//!
//! Rules (all in one place, [`check`]):
//! - codes are compared upper-case and trimmed ([`normalise_code`]): 3 to 32 characters,
//!   ASCII letters, digits, `-` or `_`;
//! - the validity window is `starts_at <= now < ends_at` (start inclusive, end exclusive,
//!   unix seconds; either end may be open);
//! - `max_uses` counts redemptions by everyone, `max_uses_per_customer` by one customer;
//!   a coupon is usable while the count is *below* the limit. The counts passed in are
//!   the redemptions of orders that were placed and not cancelled. Enforcing them
//!   atomically (two shoppers racing for the last use) is the storage layer's job: it
//!   must re-check inside the transaction that records the redemption;
//! - minimum spend is measured on the goods subtotal before any discount, computed by the
//!   pricing function's rule 1 (`pricing::lines_subtotal`; this module does no arithmetic
//!   on lines of its own), so it is the number the shopper sees as "Subtotal" in the cart
//!   and at checkout. The effective minimum is the largest of the coupon's
//!   `min_spend_minor` and the kind's own threshold;
//! - a definition that breaks [`Coupon::validate`] never applies (logged as internal).
//!
//! The effect must be re-checked whenever the basket or the clock changes (each time the
//! basket is priced and again when the order is placed): `check` then `price`, together.

use crate::checkout::refusal::CheckoutRefusal;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};

/// Shortest and longest coupon code.
pub const CODE_MIN_LEN: usize = 3;
pub const CODE_MAX_LEN: usize = 32;

/// What a coupon gives, as staff define it. Amounts are minor units (pence); percentages
/// in basis points (1000 = 10%).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CouponKind {
    /// A fixed amount off the goods.
    FixedAmount { minor: i64 },
    /// A percentage off the goods, 1..=10000 basis points.
    Percentage { bp: i64 },
    /// "Spend £50, save £5": `off_minor` off once the goods reach `min_spend_minor`.
    SpendThreshold {
        min_spend_minor: i64,
        off_minor: i64,
    },
    /// The delivery fee waived, optionally from a minimum spend.
    FreeDelivery { min_spend_minor: Option<i64> },
}

/// A coupon as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coupon {
    /// Normalised: upper-case, trimmed (see [`normalise_code`]).
    pub code: String,
    pub kind: CouponKind,
    /// Unix seconds; valid from this instant (inclusive). `None`: from creation.
    pub starts_at: Option<i64>,
    /// Unix seconds; valid until this instant (exclusive). `None`: no end.
    pub ends_at: Option<i64>,
    /// Redemptions allowed in total. `None`: unlimited.
    pub max_uses: Option<i64>,
    /// Redemptions allowed per customer. `None`: unlimited.
    pub max_uses_per_customer: Option<i64>,
    /// Minimum goods subtotal (before discounts), minor units. `None`: no minimum.
    pub min_spend_minor: Option<i64>,
}

/// What an eligible coupon does to a price; produced by [`check`], consumed by pricing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouponEffect {
    pub code: String,
    pub discount: CouponDiscount,
}

/// The arithmetic part of a coupon.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CouponDiscount {
    /// Minor units off the goods (clamped to what is left of the goods subtotal).
    AmountOff { minor: i64 },
    /// Basis points off what is left of the goods subtotal, rounded half up.
    PercentOff { bp: i64 },
    /// The delivery fee waived.
    FreeDelivery,
}

/// The code as typed, trimmed and upper-cased, or why it cannot be a code.
pub fn normalise_code(raw: &str) -> AppResult<String> {
    let code = raw.trim().to_ascii_uppercase();
    let len = code.chars().count();
    if !(CODE_MIN_LEN..=CODE_MAX_LEN).contains(&len)
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(AppError::bad_request(CheckoutRefusal::CouponCodeInvalid {
            min: CODE_MIN_LEN,
            max: CODE_MAX_LEN,
        }));
    }
    Ok(code)
}

impl CouponKind {
    /// The minimum goods subtotal the kind itself requires.
    fn own_min_spend(&self) -> Option<i64> {
        match self {
            CouponKind::SpendThreshold {
                min_spend_minor, ..
            } => Some(*min_spend_minor),
            CouponKind::FreeDelivery { min_spend_minor } => *min_spend_minor,
            CouponKind::FixedAmount { .. } | CouponKind::Percentage { .. } => None,
        }
    }

    fn effect(&self) -> CouponDiscount {
        match self {
            CouponKind::FixedAmount { minor } => CouponDiscount::AmountOff { minor: *minor },
            CouponKind::Percentage { bp } => CouponDiscount::PercentOff { bp: *bp },
            CouponKind::SpendThreshold { off_minor, .. } => {
                CouponDiscount::AmountOff { minor: *off_minor }
            }
            CouponKind::FreeDelivery { .. } => CouponDiscount::FreeDelivery,
        }
    }
}

impl Coupon {
    /// Whether the definition makes sense (for the staff form, and before every use).
    pub fn validate(&self) -> AppResult<()> {
        let bad = || {
            Err(AppError::bad_request(
                CheckoutRefusal::CouponDefinitionInvalid,
            ))
        };
        if normalise_code(&self.code)? != self.code {
            return bad();
        }
        let kind_ok = match &self.kind {
            CouponKind::FixedAmount { minor } => *minor > 0,
            CouponKind::Percentage { bp } => (1..=10_000).contains(bp),
            CouponKind::SpendThreshold {
                min_spend_minor,
                off_minor,
            } => *off_minor > 0 && *min_spend_minor >= *off_minor,
            CouponKind::FreeDelivery { min_spend_minor } => min_spend_minor.is_none_or(|m| m >= 0),
        };
        let window_ok = match (self.starts_at, self.ends_at) {
            (Some(s), Some(e)) => s < e,
            _ => true,
        };
        let limits_ok = self.max_uses.is_none_or(|n| n > 0)
            && self.max_uses_per_customer.is_none_or(|n| n > 0)
            && self.min_spend_minor.is_none_or(|m| m >= 0);
        if kind_ok && window_ok && limits_ok {
            Ok(())
        } else {
            bad()
        }
    }

    /// The largest of the coupon's and its kind's minimum spends.
    pub fn effective_min_spend(&self) -> i64 {
        self.min_spend_minor
            .unwrap_or(0)
            .max(self.kind.own_min_spend().unwrap_or(0))
    }
}

/// Whether `coupon` applies to a basket whose goods subtotal (before discounts) is
/// `subtotal_minor`, at `now` (unix seconds), given how often it was redeemed in total and
/// by this customer. Checks in this order, reporting the first failure: definition,
/// not started, expired, used up in total, used up by this customer, minimum spend.
pub fn check(
    coupon: &Coupon,
    subtotal_minor: i64,
    now: i64,
    uses_total: i64,
    uses_by_customer: i64,
) -> AppResult<CouponEffect> {
    if let Err(e) = coupon.validate() {
        return Err(AppError::internal(format!(
            "coupon {:?} has an invalid definition: {e}",
            coupon.code
        )));
    }
    let code = &coupon.code;
    if coupon.starts_at.is_some_and(|s| now < s) {
        return Err(AppError::bad_request(CheckoutRefusal::CouponNotStarted {
            code: code.clone(),
        }));
    }
    if coupon.ends_at.is_some_and(|e| now >= e) {
        return Err(AppError::bad_request(CheckoutRefusal::CouponExpired {
            code: code.clone(),
        }));
    }
    if coupon.max_uses.is_some_and(|m| uses_total >= m) {
        return Err(AppError::conflict(CheckoutRefusal::CouponUsedUp {
            code: code.clone(),
        }));
    }
    if coupon
        .max_uses_per_customer
        .is_some_and(|m| uses_by_customer >= m)
    {
        return Err(AppError::conflict(CheckoutRefusal::CouponAlreadyUsed {
            code: code.clone(),
        }));
    }
    let min = coupon.effective_min_spend();
    if subtotal_minor < min {
        return Err(AppError::bad_request(CheckoutRefusal::CouponMinSpend {
            code: code.clone(),
            min_minor: min,
            short_minor: min - subtotal_minor,
        }));
    }
    Ok(CouponEffect {
        code: code.clone(),
        discount: coupon.kind.effect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    fn coupon(kind: CouponKind) -> Coupon {
        Coupon {
            code: "SAVE5".into(),
            kind,
            starts_at: None,
            ends_at: None,
            max_uses: None,
            max_uses_per_customer: None,
            min_spend_minor: None,
        }
    }

    fn refusal(e: AppError) -> CheckoutRefusal {
        match e.refusal() {
            Some(crate::error::Refusal::Checkout(r)) => r.clone(),
            other => panic!("not a checkout refusal: {other:?}"),
        }
    }

    fn code(s: &str) -> String {
        s.to_string()
    }

    #[test]
    fn codes_are_normalised() {
        assert_eq!(normalise_code("  save-5 ").unwrap(), "SAVE-5");
        assert_eq!(normalise_code("abc_123").unwrap(), "ABC_123");
        for bad in [
            "",
            "ab",
            "  a ",
            "with space",
            "£5OFF",
            &"A".repeat(33),
            "ÉTÉ2024",
        ] {
            let e = normalise_code(bad).unwrap_err();
            assert!(matches!(e, AppError::BadRequest(_)), "{bad}");
            assert_eq!(
                refusal(e),
                CheckoutRefusal::CouponCodeInvalid { min: 3, max: 32 },
                "{bad}"
            );
        }
        assert!(normalise_code(&"A".repeat(32)).is_ok());
    }

    #[test]
    fn each_kind_has_its_effect() {
        let cases = [
            (
                CouponKind::FixedAmount { minor: 500 },
                CouponDiscount::AmountOff { minor: 500 },
            ),
            (
                CouponKind::Percentage { bp: 1000 },
                CouponDiscount::PercentOff { bp: 1000 },
            ),
            (
                CouponKind::SpendThreshold {
                    min_spend_minor: 5000,
                    off_minor: 500,
                },
                CouponDiscount::AmountOff { minor: 500 },
            ),
            (
                CouponKind::FreeDelivery {
                    min_spend_minor: None,
                },
                CouponDiscount::FreeDelivery,
            ),
        ];
        for (kind, discount) in cases {
            let eff = check(&coupon(kind), 10_000, 0, 0, 0).unwrap();
            assert_eq!(
                eff,
                CouponEffect {
                    code: "SAVE5".into(),
                    discount
                }
            );
        }
    }

    #[test]
    fn window_is_start_inclusive_end_exclusive() {
        let mut c = coupon(CouponKind::FixedAmount { minor: 100 });
        c.starts_at = Some(1000);
        c.ends_at = Some(2000);
        let e = check(&c, 5000, 999, 0, 0).unwrap_err();
        assert_eq!(
            refusal(e),
            CheckoutRefusal::CouponNotStarted {
                code: code("SAVE5")
            }
        );
        assert!(check(&c, 5000, 1000, 0, 0).is_ok());
        assert!(check(&c, 5000, 1999, 0, 0).is_ok());
        let e = check(&c, 5000, 2000, 0, 0).unwrap_err();
        assert!(matches!(e, AppError::BadRequest(_)));
        assert_eq!(
            refusal(e),
            CheckoutRefusal::CouponExpired {
                code: code("SAVE5")
            }
        );
    }

    #[test]
    fn use_limits_are_below_the_limit() {
        let mut c = coupon(CouponKind::FixedAmount { minor: 100 });
        c.max_uses = Some(10);
        c.max_uses_per_customer = Some(1);
        assert!(check(&c, 5000, 0, 9, 0).is_ok());
        let e = check(&c, 5000, 0, 10, 0).unwrap_err();
        assert!(matches!(e, AppError::Conflict(_)));
        assert_eq!(
            refusal(e),
            CheckoutRefusal::CouponUsedUp {
                code: code("SAVE5")
            }
        );
        let e = check(&c, 5000, 0, 0, 1).unwrap_err();
        assert!(matches!(e, AppError::Conflict(_)));
        assert_eq!(
            refusal(e),
            CheckoutRefusal::CouponAlreadyUsed {
                code: code("SAVE5")
            }
        );
    }

    #[test]
    fn minimum_spend_is_the_largest_requirement() {
        let mut c = coupon(CouponKind::SpendThreshold {
            min_spend_minor: 5000,
            off_minor: 500,
        });
        assert_eq!(c.effective_min_spend(), 5000);
        let e = check(&c, 4999, 0, 0, 0).unwrap_err();
        assert_eq!(
            refusal(e),
            CheckoutRefusal::CouponMinSpend {
                code: code("SAVE5"),
                min_minor: 5000,
                short_minor: 1
            }
        );
        assert!(check(&c, 5000, 0, 0, 0).is_ok());
        c.min_spend_minor = Some(6000);
        assert_eq!(c.effective_min_spend(), 6000);
        assert!(check(&c, 5000, 0, 0, 0).is_err());
        let mut f = coupon(CouponKind::FreeDelivery {
            min_spend_minor: Some(2000),
        });
        assert!(check(&f, 1999, 0, 0, 0).is_err());
        assert!(check(&f, 2000, 0, 0, 0).is_ok());
        f.min_spend_minor = Some(1000);
        assert_eq!(f.effective_min_spend(), 2000);
        let p = coupon(CouponKind::Percentage { bp: 500 });
        assert_eq!(p.effective_min_spend(), 0);
        assert!(check(&p, 0, 0, 0, 0).is_ok());
    }

    #[test]
    fn minimum_spend_message_groups_thousands() {
        let c = coupon(CouponKind::SpendThreshold {
            min_spend_minor: 150_000,
            off_minor: 10_000,
        });
        let m = check(&c, 25_050, 0, 0, 0).unwrap_err().message(Locale::En);
        assert!(m.contains("£1,500.00") && m.contains("£1,249.50"), "{m}");
        let m = check(&c, 25_050, 0, 0, 0)
            .unwrap_err()
            .message(Locale::ZhCn);
        assert!(
            m.contains("£1,500.00") && m.contains("还差 £1,249.50"),
            "{m}"
        );
    }

    #[test]
    fn first_failure_wins_in_documented_order() {
        let mut c = coupon(CouponKind::FixedAmount { minor: 100 });
        c.ends_at = Some(10);
        c.max_uses = Some(1);
        c.min_spend_minor = Some(1000);
        // expired, used up and under the minimum: expiry is reported.
        let first = |c: &Coupon| refusal(check(c, 0, 10, 5, 5).unwrap_err());
        assert_eq!(
            first(&c),
            CheckoutRefusal::CouponExpired {
                code: code("SAVE5")
            }
        );
        c.ends_at = None;
        assert_eq!(
            first(&c),
            CheckoutRefusal::CouponUsedUp {
                code: code("SAVE5")
            }
        );
    }

    #[test]
    fn broken_definitions_never_apply() {
        let bad = [
            coupon(CouponKind::FixedAmount { minor: 0 }),
            coupon(CouponKind::FixedAmount { minor: -5 }),
            coupon(CouponKind::Percentage { bp: 0 }),
            coupon(CouponKind::Percentage { bp: 10_001 }),
            coupon(CouponKind::SpendThreshold {
                min_spend_minor: 400,
                off_minor: 500,
            }),
            coupon(CouponKind::FreeDelivery {
                min_spend_minor: Some(-1),
            }),
            Coupon {
                code: "save5".into(), // not normalised
                ..coupon(CouponKind::FixedAmount { minor: 1 })
            },
            Coupon {
                starts_at: Some(5),
                ends_at: Some(5),
                ..coupon(CouponKind::FixedAmount { minor: 1 })
            },
            Coupon {
                max_uses: Some(0),
                ..coupon(CouponKind::FixedAmount { minor: 1 })
            },
            Coupon {
                max_uses_per_customer: Some(0),
                ..coupon(CouponKind::FixedAmount { minor: 1 })
            },
            Coupon {
                min_spend_minor: Some(-1),
                ..coupon(CouponKind::FixedAmount { minor: 1 })
            },
        ];
        for c in bad {
            assert!(c.validate().is_err(), "{c:?}");
            assert_eq!(
                check(&c, 1_000_000, 0, 0, 0),
                Err(AppError::Internal),
                "{c:?}"
            );
        }
        assert!(coupon(CouponKind::Percentage { bp: 10_000 })
            .validate()
            .is_ok());
    }

    #[test]
    fn coupon_round_trips_through_json() {
        let c = Coupon {
            starts_at: Some(1),
            ends_at: Some(2),
            max_uses: Some(3),
            max_uses_per_customer: Some(1),
            min_spend_minor: Some(100),
            ..coupon(CouponKind::FreeDelivery {
                min_spend_minor: Some(5000),
            })
        };
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<Coupon>(&json).unwrap(), c);
    }
}
