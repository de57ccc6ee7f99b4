//! THE price of a basket: one function, [`price`], used by the cart page, the checkout and
//! the order record alike, so what the shopper saw is what the order charges.
//!
//! Rule 1 (line totals and the goods subtotal) is [`line_total`] and [`goods_subtotal`]:
//! `price` uses them, and so do the cart (its line totals and subtotal), the checkout (the
//! subtotal that coupons' minimum spend and the delivery fee are measured on, before `price`
//! runs) and the checkout page's lines. Nothing else multiplies a price by a quantity, so
//! the cart and the checkout cannot disagree (tested in `cart::service`).
//!
//! Pure and deterministic: integers only (minor units, pence; rates in basis points), no
//! clock, no storage. Prices are UK shelf prices, i.e. they INCLUDE VAT.
//!
//! # The rules
//! 1. **Lines.** `line total = unit price × quantity`; the *goods subtotal* is the sum of the
//!    line totals. Unit prices are `0..=MAX_UNIT_PRICE_MINOR`, quantities
//!    `1..=MAX_LINE_QUANTITY`, at most `MAX_LINES` lines (so no sum can overflow).
//! 2. **Adjustments** apply one after another, in the order given, each to what is left of
//!    the goods subtotal after the earlier ones (the *remaining goods*):
//!    - a percentage (`Coupon(PercentOff)`, `TierDiscount`) takes
//!      `round_half_up(remaining × bp / 10000)`;
//!    - a fixed amount (`Coupon(AmountOff)`, `LoyaltyPoints` = points × minor per point)
//!      takes the amount, but never more than the remaining goods;
//!    - `Coupon(FreeDelivery)` takes what is left of the delivery fee.
//!
//!    So discounts never exceed the goods subtotal, delivery is never discounted below 0,
//!    and the order matters (10% then £5 off differs from £5 then 10% off): callers pass
//!    adjustments in a fixed, documented order (the lead's checkout: tier, coupon, points).
//!    An adjustment that finds nothing left to take is still listed, with amount 0. The
//!    same coupon code twice is refused.
//! 3. **Payment fee** (instalment plans): `round_half_up((remaining goods + delivery
//!    charged) × fee_bp / 10000)`, added after every discount.
//! 4. **Total** = goods subtotal − goods discounts + delivery charged + payment fee; never
//!    negative.
//! 5. **VAT contained in the total** = `round_half_up(taxable × rate / (10000 + rate))`,
//!    rate in basis points (UK standard 20% = 2000), where taxable = total − payment fee:
//!    delivery follows the goods' VAT rate (UK rule for a mixed supply at one rate), and a
//!    credit charge is exempt from VAT (a financial service).
//!
//! "Round half up" on non-negative integers: `(2n + d) / (2d)`, e.g. 565.5 → 566.
//!
//! An empty basket prices to the delivery fee passed in (pass 0); refusing to *check out*
//! an empty basket is the checkout's job, not pricing's.

use crate::checkout::refusal::CheckoutRefusal;
use serde::{Deserialize, Serialize};

use crate::cart::model::CartLine;
use crate::checkout::coupon::{CouponDiscount, CouponEffect};
use crate::error::{AppError, AppResult};

/// UK standard VAT rate, basis points.
pub const UK_VAT_BP: i64 = 2000;
/// Largest unit price accepted (£1,000,000).
pub const MAX_UNIT_PRICE_MINOR: i64 = 100_000_000;
/// Largest quantity of one line (more than any cart allows; orders by staff included).
pub const MAX_LINE_QUANTITY: i64 = 10_000;
/// Most lines in one basket.
pub const MAX_LINES: usize = 1_000;
/// Largest delivery fee accepted (£10,000).
pub const MAX_DELIVERY_FEE_MINOR: i64 = 1_000_000;

/// One line to price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceLine {
    pub product_code: String,
    /// Shelf price including VAT, minor units.
    pub unit_price_minor: i64,
    pub quantity: i64,
}

impl From<&CartLine> for PriceLine {
    /// A basket line at today's price (the cart joins in the current price on every read).
    fn from(l: &CartLine) -> Self {
        Self {
            product_code: l.product.code.clone(),
            unit_price_minor: l.product.price_minor,
            quantity: l.quantity,
        }
    }
}

/// Rule 1 for one line: `unit price × quantity`. Saturating so that a caller which shows
/// whatever the catalogue says (the cart) can never overflow; [`price`] checks the limits
/// first, and within them this is exact.
pub fn line_total(unit_price_minor: i64, quantity: i64) -> i64 {
    unit_price_minor.saturating_mul(quantity)
}

/// Rule 1 for a basket: the goods subtotal, the sum of the [`line_total`]s of
/// `(unit price, quantity)` pairs (saturating, like `line_total`).
pub fn goods_subtotal(lines: impl IntoIterator<Item = (i64, i64)>) -> i64 {
    lines.into_iter().fold(0, |sum, (unit, quantity)| {
        sum.saturating_add(line_total(unit, quantity))
    })
}

/// [`goods_subtotal`] of price lines: what checkout measures coupons' minimum spend and the
/// delivery fee on, equal to the `subtotal_minor` that [`price`] gives the same lines.
pub fn lines_subtotal(lines: &[PriceLine]) -> i64 {
    goods_subtotal(lines.iter().map(|l| (l.unit_price_minor, l.quantity)))
}

/// Something that changes the price after the lines are summed. New kinds of discount are
/// new variants here, priced in [`price`]'s one match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Adjustment {
    /// An eligible coupon (see `coupon::check`).
    Coupon(CouponEffect),
    /// Loyalty points redeemed: `points × minor_per_point` off the goods.
    LoyaltyPoints { points: i64, minor_per_point: i64 },
    /// A customer-tier discount, basis points off the remaining goods.
    TierDiscount { percent_bp: i64 },
}

/// Everything the price depends on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricingInput {
    pub lines: Vec<PriceLine>,
    /// The delivery fee quoted (`delivery::quote`), before free-delivery coupons.
    pub delivery_fee_minor: i64,
    /// Applied in this order.
    pub adjustments: Vec<Adjustment>,
    /// VAT rate contained in the prices, basis points (`0..=10000`).
    pub vat_rate_bp: i64,
    /// The payment method's fee (instalments), basis points of the discounted total
    /// (`0..=MAX_PAYMENT_FEE_BP`).
    pub payment_fee_bp: i64,
}

/// Largest payment fee accepted (25%).
pub const MAX_PAYMENT_FEE_BP: i64 = 2_500;

impl Default for PricingInput {
    fn default() -> Self {
        Self {
            lines: Vec::new(),
            delivery_fee_minor: 0,
            adjustments: Vec::new(),
            vat_rate_bp: UK_VAT_BP,
            payment_fee_bp: 0,
        }
    }
}

/// Which part of the price an adjustment reduced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdjustmentTarget {
    Goods,
    Delivery,
}

/// One adjustment as applied: `amount_minor` is what it took off (≥ 0).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedAdjustment {
    pub adjustment: Adjustment,
    pub target: AdjustmentTarget,
    pub amount_minor: i64,
}

/// A priced line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedLine {
    pub product_code: String,
    pub unit_price_minor: i64,
    pub quantity: i64,
    pub line_total_minor: i64,
}

/// The price, with every part shown. Invariants (tested):
/// `subtotal − goods_discount + delivery + payment_fee == total`,
/// `Σ adjustments.amount == goods_discount + delivery_discount`,
/// `delivery == delivery_fee − delivery_discount`, all parts ≥ 0, `vat ≤ total`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceBreakdown {
    pub lines: Vec<PricedLine>,
    /// Goods subtotal before discounts.
    pub subtotal_minor: i64,
    pub adjustments: Vec<AppliedAdjustment>,
    /// Sum of the adjustments that reduced the goods.
    pub goods_discount_minor: i64,
    /// The delivery fee as quoted.
    pub delivery_fee_minor: i64,
    /// Sum of the adjustments that reduced the delivery fee.
    pub delivery_discount_minor: i64,
    /// The delivery fee charged.
    pub delivery_minor: i64,
    /// The payment method's fee (instalments), VAT-exempt.
    pub payment_fee_minor: i64,
    /// What the shopper pays, VAT included.
    pub total_minor: i64,
    pub vat_rate_bp: i64,
    /// The VAT contained in `total_minor` (none of it on the payment fee).
    pub vat_minor: i64,
}

/// `round(n / d)` with halves rounded up, for `n ≥ 0`, `d > 0`.
pub fn div_round_half_up(n: i128, d: i128) -> i128 {
    debug_assert!(n >= 0 && d > 0);
    (2 * n + d) / (2 * d)
}

/// The VAT contained in a VAT-inclusive amount: `round_half_up(gross × rate / (10000 + rate))`.
pub fn vat_contained(gross_minor: i64, vat_rate_bp: i64) -> i64 {
    let gross = i128::from(gross_minor.max(0));
    let rate = i128::from(vat_rate_bp.clamp(0, 10_000));
    div_round_half_up(gross * rate, 10_000 + rate) as i64
}

/// Price a basket. Errors: a line with a price or quantity out of range (bad request; the
/// cart should never hold one), too many lines, the same coupon twice; an invalid rate,
/// fee or adjustment is a bug of the caller (internal).
pub fn price(input: &PricingInput) -> AppResult<PriceBreakdown> {
    if input.lines.len() > MAX_LINES {
        return Err(AppError::bad_request(CheckoutRefusal::BasketTooLarge {
            max: MAX_LINES,
        }));
    }
    if !(0..=10_000).contains(&input.vat_rate_bp) {
        return Err(AppError::internal(format!(
            "VAT rate {} bp out of range",
            input.vat_rate_bp
        )));
    }
    if !(0..=MAX_PAYMENT_FEE_BP).contains(&input.payment_fee_bp) {
        return Err(AppError::internal(format!(
            "payment fee {} bp out of range",
            input.payment_fee_bp
        )));
    }
    if !(0..=MAX_DELIVERY_FEE_MINOR).contains(&input.delivery_fee_minor) {
        return Err(AppError::internal(format!(
            "delivery fee {} out of range",
            input.delivery_fee_minor
        )));
    }

    let mut lines = Vec::with_capacity(input.lines.len());
    for l in &input.lines {
        if !(0..=MAX_UNIT_PRICE_MINOR).contains(&l.unit_price_minor)
            || !(1..=MAX_LINE_QUANTITY).contains(&l.quantity)
        {
            return Err(AppError::bad_request(CheckoutRefusal::PriceLineInvalid));
        }
        lines.push(PricedLine {
            product_code: l.product_code.clone(),
            unit_price_minor: l.unit_price_minor,
            quantity: l.quantity,
            line_total_minor: line_total(l.unit_price_minor, l.quantity),
        });
    }
    // Exact (no saturation) by the limits above: ≤ 1e8 × 1e4 × 1e3 = 1e15.
    let subtotal = lines_subtotal(&input.lines);

    let mut remaining_goods = subtotal;
    let mut remaining_delivery = input.delivery_fee_minor;
    let mut applied = Vec::with_capacity(input.adjustments.len());
    let mut seen_codes: Vec<&str> = Vec::new();
    for adj in &input.adjustments {
        let bad_adjustment = || AppError::internal(format!("invalid adjustment {adj:?}"));
        let pct = |bp: i64| -> AppResult<i64> {
            if !(0..=10_000).contains(&bp) {
                return Err(bad_adjustment());
            }
            let amount = div_round_half_up(i128::from(remaining_goods) * i128::from(bp), 10_000);
            // bp ≤ 10000, so amount ≤ remaining; min() for clarity.
            Ok((amount as i64).min(remaining_goods))
        };
        let (target, amount) = match adj {
            Adjustment::Coupon(effect) => {
                if seen_codes.contains(&effect.code.as_str()) {
                    return Err(AppError::bad_request(CheckoutRefusal::CouponTwice {
                        code: effect.code.clone(),
                    }));
                }
                seen_codes.push(&effect.code);
                match effect.discount {
                    CouponDiscount::AmountOff { minor } => {
                        if minor < 0 {
                            return Err(bad_adjustment());
                        }
                        (AdjustmentTarget::Goods, minor.min(remaining_goods))
                    }
                    CouponDiscount::PercentOff { bp } => (AdjustmentTarget::Goods, pct(bp)?),
                    CouponDiscount::FreeDelivery => {
                        (AdjustmentTarget::Delivery, remaining_delivery)
                    }
                }
            }
            Adjustment::LoyaltyPoints {
                points,
                minor_per_point,
            } => {
                if *points < 0 || *minor_per_point < 0 {
                    return Err(bad_adjustment());
                }
                let value = i128::from(*points) * i128::from(*minor_per_point);
                let amount = value.min(i128::from(remaining_goods)) as i64;
                (AdjustmentTarget::Goods, amount)
            }
            Adjustment::TierDiscount { percent_bp } => (AdjustmentTarget::Goods, pct(*percent_bp)?),
        };
        match target {
            AdjustmentTarget::Goods => remaining_goods -= amount,
            AdjustmentTarget::Delivery => remaining_delivery -= amount,
        }
        applied.push(AppliedAdjustment {
            adjustment: adj.clone(),
            target,
            amount_minor: amount,
        });
    }

    let goods_discount = subtotal - remaining_goods;
    let delivery_discount = input.delivery_fee_minor - remaining_delivery;
    let taxable = remaining_goods + remaining_delivery;
    let payment_fee = div_round_half_up(
        i128::from(taxable) * i128::from(input.payment_fee_bp),
        10_000,
    ) as i64;
    let total = taxable + payment_fee;
    Ok(PriceBreakdown {
        lines,
        subtotal_minor: subtotal,
        adjustments: applied,
        goods_discount_minor: goods_discount,
        delivery_fee_minor: input.delivery_fee_minor,
        delivery_discount_minor: delivery_discount,
        delivery_minor: remaining_delivery,
        payment_fee_minor: payment_fee,
        total_minor: total,
        vat_rate_bp: input.vat_rate_bp,
        vat_minor: vat_contained(taxable, input.vat_rate_bp),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line(code: &str, unit: i64, qty: i64) -> PriceLine {
        PriceLine {
            product_code: code.into(),
            unit_price_minor: unit,
            quantity: qty,
        }
    }

    fn coupon(code: &str, discount: CouponDiscount) -> Adjustment {
        Adjustment::Coupon(CouponEffect {
            code: code.into(),
            discount,
        })
    }

    fn input(lines: Vec<PriceLine>, fee: i64, adjustments: Vec<Adjustment>) -> PricingInput {
        PricingInput {
            lines,
            delivery_fee_minor: fee,
            adjustments,
            ..Default::default()
        }
    }

    #[test]
    fn an_instalment_fee_comes_after_discounts_and_carries_no_vat() {
        let p = price(&PricingInput {
            payment_fee_bp: 250,
            ..input(
                vec![line("A", 4_000, 1)],
                399,
                vec![coupon("TAKE5", CouponDiscount::AmountOff { minor: 500 })],
            )
        })
        .unwrap();
        // (4000 − 500 + 399) × 2.5% = 97.475 → 97.
        assert_eq!(p.payment_fee_minor, 97);
        assert_eq!(p.total_minor, 3_899 + 97);
        assert_eq!(p.vat_minor, vat_contained(3_899, UK_VAT_BP));
        let too_much = PricingInput {
            payment_fee_bp: MAX_PAYMENT_FEE_BP + 1,
            ..Default::default()
        };
        assert!(matches!(price(&too_much), Err(AppError::Internal)));
    }

    #[test]
    fn lines_delivery_and_vat_half_up() {
        let p = price(&input(
            vec![line("22423", 499, 2), line("85123A", 1000, 1)],
            395,
            vec![],
        ))
        .unwrap();
        assert_eq!(p.lines[0].line_total_minor, 998);
        assert_eq!(p.subtotal_minor, 1998);
        assert_eq!(p.total_minor, 2393);
        // 2393 / 6 = 398.83 -> 399
        assert_eq!(p.vat_minor, 399);
        // 3393 × 2000 / 12000 = 565.5 -> 566 (half up)
        let p = price(&input(vec![line("A", 2998, 1)], 395, vec![])).unwrap();
        assert_eq!((p.total_minor, p.vat_minor), (3393, 566));
        assert_eq!(p.vat_rate_bp, UK_VAT_BP);
    }

    #[test]
    fn rule_one_is_line_total_and_goods_subtotal() {
        assert_eq!(line_total(499, 2), 998);
        assert_eq!(line_total(0, 7), 0);
        assert_eq!(line_total(i64::MAX, 2), i64::MAX, "saturates");
        assert_eq!(goods_subtotal([(499, 2), (1000, 1)]), 1998);
        assert_eq!(goods_subtotal([(i64::MAX, 1), (1, 1)]), i64::MAX);
        assert_eq!(goods_subtotal(std::iter::empty()), 0);
        let lines = vec![line("22423", 499, 2), line("85123A", 1000, 1)];
        assert_eq!(lines_subtotal(&lines), 1998);
        assert_eq!(
            price(&input(lines, 0, vec![])).unwrap().subtotal_minor,
            1998
        );
    }

    #[test]
    fn percentages_round_half_up_on_the_discounted_subtotal() {
        // 12.5% of 1004 = 125.5 -> 126
        let p = price(&input(
            vec![line("A", 1004, 1)],
            0,
            vec![coupon("PCT", CouponDiscount::PercentOff { bp: 1250 })],
        ))
        .unwrap();
        assert_eq!(p.adjustments[0].amount_minor, 126);
        assert_eq!(p.total_minor, 878);
        // 12.5% of 1003 = 125.375 -> 125
        let p = price(&input(
            vec![line("A", 1003, 1)],
            0,
            vec![Adjustment::TierDiscount { percent_bp: 1250 }],
        ))
        .unwrap();
        assert_eq!(p.adjustments[0].amount_minor, 125);
    }

    #[test]
    fn order_of_adjustments_matters_and_is_kept() {
        let pct = coupon("TEN", CouponDiscount::PercentOff { bp: 1000 });
        let five = Adjustment::LoyaltyPoints {
            points: 500,
            minor_per_point: 1,
        };
        let a = price(&input(
            vec![line("A", 10_000, 1)],
            0,
            vec![pct.clone(), five.clone()],
        ))
        .unwrap();
        let b = price(&input(vec![line("A", 10_000, 1)], 0, vec![five, pct])).unwrap();
        assert_eq!(a.total_minor, 10_000 - 1000 - 500);
        assert_eq!(b.total_minor, 10_000 - 500 - 950);
        assert_eq!(a.adjustments[0].amount_minor, 1000);
        assert_eq!(b.adjustments[1].amount_minor, 950);
    }

    #[test]
    fn discounts_never_exceed_the_goods_and_leave_delivery_alone() {
        let p = price(&input(
            vec![line("A", 300, 1)],
            395,
            vec![
                coupon("BIG", CouponDiscount::AmountOff { minor: 500 }),
                Adjustment::LoyaltyPoints {
                    points: 1000,
                    minor_per_point: 1,
                },
            ],
        ))
        .unwrap();
        assert_eq!(p.adjustments[0].amount_minor, 300);
        assert_eq!(
            p.adjustments[1].amount_minor, 0,
            "listed even when nothing left"
        );
        assert_eq!(p.goods_discount_minor, 300);
        assert_eq!(p.delivery_minor, 395);
        assert_eq!(p.total_minor, 395);
    }

    #[test]
    fn free_delivery_waives_the_fee_once() {
        let p = price(&input(
            vec![line("A", 2000, 1)],
            395,
            vec![
                coupon("SHIPFREE", CouponDiscount::FreeDelivery),
                coupon("SHIPFREE2", CouponDiscount::FreeDelivery),
            ],
        ))
        .unwrap();
        assert_eq!(p.adjustments[0].target, AdjustmentTarget::Delivery);
        assert_eq!(p.adjustments[0].amount_minor, 395);
        assert_eq!(p.adjustments[1].amount_minor, 0);
        assert_eq!(p.delivery_discount_minor, 395);
        assert_eq!(p.delivery_minor, 0);
        assert_eq!(p.total_minor, 2000);
        assert_eq!(p.vat_minor, 333);
    }

    #[test]
    fn empty_basket_and_zero_vat() {
        let p = price(&PricingInput::default()).unwrap();
        assert_eq!((p.subtotal_minor, p.total_minor, p.vat_minor), (0, 0, 0));
        let p = price(&PricingInput {
            vat_rate_bp: 0,
            ..input(vec![line("A", 1000, 3)], 0, vec![])
        })
        .unwrap();
        assert_eq!(p.vat_minor, 0);
        // 5% (reduced rate): 1050 contains 50
        assert_eq!(vat_contained(1050, 500), 50);
        assert_eq!(vat_contained(0, 2000), 0);
        assert_eq!(vat_contained(-5, 2000), 0);
    }

    #[test]
    fn refuses_bad_input() {
        for bad in [
            line("A", -1, 1),
            line("A", 100, 0),
            line("A", 100, -2),
            line("A", MAX_UNIT_PRICE_MINOR + 1, 1),
            line("A", 1, MAX_LINE_QUANTITY + 1),
        ] {
            let e = price(&input(vec![bad.clone()], 0, vec![])).unwrap_err();
            assert!(matches!(e, AppError::BadRequest(_)), "{bad:?}");
        }
        let many = vec![line("A", 1, 1); MAX_LINES + 1];
        assert!(matches!(
            price(&input(many, 0, vec![])),
            Err(AppError::BadRequest(_))
        ));
        let twice = vec![
            coupon("SAVE", CouponDiscount::AmountOff { minor: 1 }),
            coupon("SAVE", CouponDiscount::AmountOff { minor: 1 }),
        ];
        let e = price(&input(vec![line("A", 100, 1)], 0, twice)).unwrap_err();
        assert_eq!(
            e,
            AppError::bad_request(CheckoutRefusal::CouponTwice {
                code: "SAVE".into()
            })
        );
        let internal = [
            PricingInput {
                vat_rate_bp: -1,
                ..Default::default()
            },
            PricingInput {
                vat_rate_bp: 10_001,
                ..Default::default()
            },
            PricingInput {
                delivery_fee_minor: -1,
                ..Default::default()
            },
            input(
                vec![],
                0,
                vec![coupon("X", CouponDiscount::AmountOff { minor: -1 })],
            ),
            input(
                vec![],
                0,
                vec![coupon("X", CouponDiscount::PercentOff { bp: 10_001 })],
            ),
            input(vec![], 0, vec![Adjustment::TierDiscount { percent_bp: -1 }]),
            input(
                vec![],
                0,
                vec![Adjustment::LoyaltyPoints {
                    points: -1,
                    minor_per_point: 1,
                }],
            ),
        ];
        for i in internal {
            assert_eq!(price(&i), Err(AppError::Internal), "{i:?}");
        }
    }

    #[test]
    fn largest_basket_does_not_overflow() {
        let lines = vec![line("A", MAX_UNIT_PRICE_MINOR, MAX_LINE_QUANTITY); MAX_LINES];
        let p = price(&input(
            lines,
            MAX_DELIVERY_FEE_MINOR,
            vec![Adjustment::LoyaltyPoints {
                points: i64::MAX,
                minor_per_point: i64::MAX,
            }],
        ))
        .unwrap();
        assert_eq!(p.subtotal_minor, 1_000_000_000_000_000);
        assert_eq!(p.total_minor, MAX_DELIVERY_FEE_MINOR);
    }

    #[test]
    fn breakdown_round_trips_through_json() {
        let p = price(&input(
            vec![line("A", 1234, 2)],
            395,
            vec![coupon("TEN", CouponDiscount::PercentOff { bp: 1000 })],
        ))
        .unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<PriceBreakdown>(&json).unwrap(), p);
    }

    fn arb_line() -> impl Strategy<Value = PriceLine> {
        ("[A-Z0-9]{1,6}", 0i64..=200_000, 1i64..=99).prop_map(|(c, u, q)| line(&c, u, q))
    }

    fn arb_adjustment() -> impl Strategy<Value = Adjustment> {
        let discount = prop_oneof![
            (0i64..=20_000).prop_map(|minor| CouponDiscount::AmountOff { minor }),
            (0i64..=10_000).prop_map(|bp| CouponDiscount::PercentOff { bp }),
            Just(CouponDiscount::FreeDelivery),
        ];
        prop_oneof![
            ("[A-Z]{3,8}", discount)
                .prop_map(|(code, discount)| Adjustment::Coupon(CouponEffect { code, discount })),
            (0i64..=100_000, 0i64..=10).prop_map(|(points, minor_per_point)| {
                Adjustment::LoyaltyPoints {
                    points,
                    minor_per_point,
                }
            }),
            (0i64..=10_000).prop_map(|percent_bp| Adjustment::TierDiscount { percent_bp }),
        ]
    }

    fn arb_input() -> impl Strategy<Value = PricingInput> {
        (
            prop::collection::vec(arb_line(), 0..12),
            0i64..=2_000,
            prop::collection::vec(arb_adjustment(), 0..4),
            prop_oneof![Just(UK_VAT_BP), Just(500), Just(0), 0i64..=10_000],
            prop_oneof![Just(0i64), Just(250), Just(790), 0i64..=MAX_PAYMENT_FEE_BP],
        )
            .prop_map(|(lines, fee, mut adjustments, vat, payment_fee_bp)| {
                // Codes must be distinct (duplicates are refused, tested above).
                let mut seen = Vec::new();
                adjustments.retain(|a| match a {
                    Adjustment::Coupon(c) if seen.contains(&c.code) => false,
                    Adjustment::Coupon(c) => {
                        seen.push(c.code.clone());
                        true
                    }
                    _ => true,
                });
                PricingInput {
                    lines,
                    delivery_fee_minor: fee,
                    adjustments,
                    vat_rate_bp: vat,
                    payment_fee_bp,
                }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn parts_add_up_and_nothing_is_negative(i in arb_input()) {
            let p = price(&i).unwrap();
            prop_assert!(p.total_minor >= 0);
            prop_assert_eq!(p.subtotal_minor - p.goods_discount_minor + p.delivery_minor + p.payment_fee_minor, p.total_minor);
            prop_assert!(p.payment_fee_minor >= 0);
            prop_assert_eq!(
                p.adjustments.iter().map(|a| a.amount_minor).sum::<i64>(),
                p.goods_discount_minor + p.delivery_discount_minor
            );
            prop_assert_eq!(p.delivery_fee_minor - p.delivery_discount_minor, p.delivery_minor);
            prop_assert!(p.adjustments.iter().all(|a| a.amount_minor >= 0));
            prop_assert!((0..=p.subtotal_minor).contains(&p.goods_discount_minor));
            prop_assert!((0..=p.delivery_fee_minor).contains(&p.delivery_minor));
            prop_assert_eq!(p.lines.iter().map(|l| l.line_total_minor).sum::<i64>(), p.subtotal_minor);
            prop_assert_eq!(lines_subtotal(&i.lines), p.subtotal_minor);
            prop_assert_eq!(p.adjustments.len(), i.adjustments.len());
        }

        #[test]
        fn vat_is_within_the_total_and_matches_the_formula(i in arb_input()) {
            let p = price(&i).unwrap();
            prop_assert!(p.vat_minor >= 0 && p.vat_minor <= p.total_minor);
            // Exact: |vat × (10000 + r) − total × r| ≤ (10000 + r) / 2, ties going up.
            let r = i128::from(i.vat_rate_bp);
            let taxable = i128::from(p.total_minor - p.payment_fee_minor);
            let diff = i128::from(p.vat_minor) * (10_000 + r) - taxable * r;
            prop_assert!(2 * diff <= 10_000 + r && -2 * diff < 10_000 + r, "diff {}", diff);
        }

        #[test]
        fn same_input_same_output(i in arb_input()) {
            prop_assert_eq!(price(&i), price(&i.clone()));
        }

        #[test]
        fn adding_a_line_never_lowers_subtotal_or_total(i in arb_input(), extra in arb_line(), at in 0usize..12) {
            let before = price(&i).unwrap();
            let mut more = i.clone();
            let at = at.min(more.lines.len());
            more.lines.insert(at, extra);
            let after = price(&more).unwrap();
            prop_assert!(after.subtotal_minor >= before.subtotal_minor);
            prop_assert!(after.total_minor >= before.total_minor);
        }

        #[test]
        fn line_order_does_not_change_the_price(i in arb_input()) {
            let mut rev = i.clone();
            rev.lines.reverse();
            let (a, b) = (price(&i).unwrap(), price(&rev).unwrap());
            prop_assert_eq!(a.total_minor, b.total_minor);
            prop_assert_eq!(a.vat_minor, b.vat_minor);
            prop_assert_eq!(a.adjustments, b.adjustments);
        }
    }
}
