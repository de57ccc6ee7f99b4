//! The statements and rows of coupons and their redemptions.

use app::checkout::coupon::{Coupon, CouponKind};
use app::error::{AppError, AppResult};

pub const SAVE_COUPON: &str = "INSERT INTO coupons (code, kind, amount_minor, percent_bp, kind_min_spend_minor, starts_at, ends_at, max_uses, max_uses_per_customer, min_spend_minor, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (code) DO UPDATE SET \
     kind = excluded.kind, amount_minor = excluded.amount_minor, percent_bp = excluded.percent_bp, \
     kind_min_spend_minor = excluded.kind_min_spend_minor, starts_at = excluded.starts_at, ends_at = excluded.ends_at, \
     max_uses = excluded.max_uses, max_uses_per_customer = excluded.max_uses_per_customer, min_spend_minor = excluded.min_spend_minor";
pub const COUPON: &str = "SELECT code, kind, amount_minor, percent_bp, kind_min_spend_minor, starts_at, ends_at, max_uses, max_uses_per_customer, min_spend_minor \
     FROM coupons WHERE code = $1";
pub const COUPON_LOCK: &str = "SELECT code FROM coupons WHERE code = $1";
pub const COUPON_USES: &str =
    "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN customer = $2 THEN 1 ELSE 0 END), 0) AS BIGINT) \
     FROM coupon_redemptions WHERE code = $1";
pub const REDEEM_COUPON: &str =
    "INSERT INTO coupon_redemptions (code, order_id, customer, at) VALUES ($1, $2, $3, $4)";
pub const FREE_COUPON: &str = "DELETE FROM coupon_redemptions WHERE order_id = $1";

#[derive(sqlx::FromRow)]
pub struct CouponRow {
    pub code: String,
    pub kind: String,
    pub amount_minor: Option<i64>,
    pub percent_bp: Option<i64>,
    pub kind_min_spend_minor: Option<i64>,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub max_uses: Option<i64>,
    pub max_uses_per_customer: Option<i64>,
    pub min_spend_minor: Option<i64>,
}

/// (kind, amount, percent, kind's own minimum spend) as stored.
pub fn coupon_kind_columns(
    kind: &CouponKind,
) -> (&'static str, Option<i64>, Option<i64>, Option<i64>) {
    match kind {
        CouponKind::FixedAmount { minor } => ("fixed_amount", Some(*minor), None, None),
        CouponKind::Percentage { bp } => ("percentage", None, Some(*bp), None),
        CouponKind::SpendThreshold {
            min_spend_minor,
            off_minor,
        } => (
            "spend_threshold",
            Some(*off_minor),
            None,
            Some(*min_spend_minor),
        ),
        CouponKind::FreeDelivery { min_spend_minor } => {
            ("free_delivery", None, None, *min_spend_minor)
        }
    }
}

impl TryFrom<CouponRow> for Coupon {
    type Error = AppError;
    fn try_from(r: CouponRow) -> AppResult<Coupon> {
        let missing = || AppError::internal(format!("coupon {} has an incomplete row", r.code));
        let kind = match r.kind.as_str() {
            "fixed_amount" => CouponKind::FixedAmount {
                minor: r.amount_minor.ok_or_else(missing)?,
            },
            "percentage" => CouponKind::Percentage {
                bp: r.percent_bp.ok_or_else(missing)?,
            },
            "spend_threshold" => CouponKind::SpendThreshold {
                min_spend_minor: r.kind_min_spend_minor.ok_or_else(missing)?,
                off_minor: r.amount_minor.ok_or_else(missing)?,
            },
            "free_delivery" => CouponKind::FreeDelivery {
                min_spend_minor: r.kind_min_spend_minor,
            },
            other => return Err(AppError::internal(format!("unknown coupon kind {other}"))),
        };
        Ok(Coupon {
            code: r.code,
            kind,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            max_uses: r.max_uses,
            max_uses_per_customer: r.max_uses_per_customer,
            min_spend_minor: r.min_spend_minor,
        })
    }
}
