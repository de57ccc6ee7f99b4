//! Why a checkout request is refused, as data, put into words where it is shown
//! ([`CheckoutRefusal::message`]).

use serde::{Deserialize, Serialize};

use crate::calendar::CivilDate;
use crate::i18n::{format_price, say, Locale};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckoutRefusal {
    CartEmpty,
    TokenInvalid,
    /// Only `available` of the product can be bought now (others hold the rest).
    NotEnoughStock {
        title: String,
        available: i64,
    },
    OrderRequestInvalid,
    OrderRequestReused,
    PaymentMethodUnknown,
    PaymentTokenInvalid,
    PaymentInProgress,
    BasketTooLarge {
        max: usize,
    },
    PriceLineInvalid,
    CouponCodeInvalid {
        min: usize,
        max: usize,
    },
    CouponUnknown,
    CouponDefinitionInvalid,
    CouponNotStarted {
        code: String,
    },
    CouponExpired {
        code: String,
    },
    CouponUsedUp {
        code: String,
    },
    CouponAlreadyUsed {
        code: String,
    },
    /// The goods come to less than the coupon's minimum spend.
    CouponMinSpend {
        code: String,
        min_minor: i64,
        short_minor: i64,
    },
    CouponTwice {
        code: String,
    },
    DeliveryDayMissing,
    DeliveryDaySunday,
    DeliveryDayBankHoliday,
    DeliveryDayTooSoon {
        earliest: CivilDate,
    },
    DeliveryDayTooLate {
        days: i64,
        latest: CivilDate,
    },
    DeliveryDayNotChosenDay,
}

impl CheckoutRefusal {
    pub fn message(&self, locale: Locale) -> String {
        use CheckoutRefusal::*;
        match self {
            CartEmpty => say!(
                locale,
                "Your basket is empty. Add something before checking out.",
                "购物车是空的。请先添加商品再结账。"
            ),
            TokenInvalid => say!(
                locale,
                "This checkout is not valid any more. Please start again from your basket.",
                "此结账已失效。请从购物车重新开始。"
            ),
            NotEnoughStock { title, available } => say!(
                locale,
                "Sorry, only {available} of “{title}” can be bought right now. Please change the quantity in your basket.",
                "抱歉，“{title}”目前只能购买 {available} 件。请在购物车中修改数量。"
            ),
            OrderRequestInvalid => say!(
                locale,
                "This order request is not valid. Please reload the checkout page and try again.",
                "此订单请求无效。请重新加载结账页面后再试。"
            ),
            OrderRequestReused => say!(
                locale,
                "This order request was already used for another order. Please reload the checkout page.",
                "此订单请求已用于另一个订单。请重新加载结账页面。"
            ),
            PaymentMethodUnknown => {
                say!(locale, "Please choose a payment method.", "请选择付款方式。")
            }
            PaymentTokenInvalid => say!(
                locale,
                "Your payment details could not be read. Please enter them again.",
                "无法读取你的付款信息。请重新输入。"
            ),
            PaymentInProgress => say!(
                locale,
                "A payment for this order is already in progress.",
                "此订单的付款正在处理中。"
            ),
            BasketTooLarge { max } => say!(
                locale,
                "Your basket has too many lines (at most {max}). Please split it into smaller orders.",
                "购物车商品种类过多（最多 {max} 种）。请分成多个订单。"
            ),
            PriceLineInvalid => say!(
                locale,
                "An item in your basket has an invalid price or quantity. Please refresh your basket.",
                "购物车中有商品的价格或数量无效。请刷新购物车。"
            ),
            CouponCodeInvalid { min, max } => say!(
                locale,
                "Coupon codes have {min} to {max} letters, digits, hyphens or underscores.",
                "优惠码须为 {min} 到 {max} 个字母、数字、连字符或下划线。"
            ),
            CouponUnknown => say!(
                locale,
                "That coupon code is not valid. Check it and try again.",
                "该优惠码无效。请检查后重试。"
            ),
            CouponDefinitionInvalid => say!(
                locale,
                "This coupon's settings do not make sense (amount, percentage, dates or limits).",
                "该优惠券的设置无效（金额、折扣比例、日期或次数限制）。"
            ),
            CouponNotStarted { code } => {
                say!(locale, "The code {code} is not active yet.", "优惠码 {code} 尚未生效。")
            }
            CouponExpired { code } => {
                say!(locale, "The code {code} has expired.", "优惠码 {code} 已过期。")
            }
            CouponUsedUp { code } => say!(
                locale,
                "The code {code} has been fully redeemed.",
                "优惠码 {code} 已被领完。"
            ),
            CouponAlreadyUsed { code } => say!(
                locale,
                "You have already used the code {code}.",
                "你已经使用过优惠码 {code}。"
            ),
            CouponMinSpend { code, min_minor, short_minor } => {
                let (min, short) = (format_price(*min_minor), format_price(*short_minor));
                say!(
                    locale,
                    "Spend at least {min} to use {code}: {short} to go.",
                    "消费满 {min} 才能使用 {code}，还差 {short}。"
                )
            }
            CouponTwice { code } => say!(
                locale,
                "The code {code} is already applied.",
                "优惠码 {code} 已在使用中。"
            ),
            DeliveryDayMissing => say!(locale, "Please choose a delivery day.", "请选择送达日期。"),
            DeliveryDaySunday => say!(
                locale,
                "We do not deliver on Sundays. Please choose another day.",
                "周日不配送。请选择其他日期。"
            ),
            DeliveryDayBankHoliday => say!(
                locale,
                "We do not deliver on bank holidays. Please choose another day.",
                "法定假日不配送。请选择其他日期。"
            ),
            DeliveryDayTooSoon { earliest } => say!(
                locale,
                "That day is too soon. The earliest day you can choose is {earliest}.",
                "该日期太早。最早可选 {earliest}。"
            ),
            DeliveryDayTooLate { days, latest } => say!(
                locale,
                "Please choose a day at most {days} days ahead (by {latest}).",
                "请选择 {days} 天以内的日期（不晚于 {latest}）。"
            ),
            DeliveryDayNotChosenDay => say!(
                locale,
                "A delivery day can only be picked with “Choose your day” delivery.",
                "只有“指定日期配送”才能选择送达日期。"
            ),
        }
    }
}

impl From<CheckoutRefusal> for crate::error::Refusal {
    fn from(r: CheckoutRefusal) -> Self {
        crate::error::Refusal::Checkout(r)
    }
}
