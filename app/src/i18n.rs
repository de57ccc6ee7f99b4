//! The i18n layer: locales, the string tables' machinery, and the shell's own strings, in
//! English and Simplified Chinese. Each domain keeps its strings in `<domain>/text.rs`
//! (made with [`translations!`]) and its refusals' words in `<domain>/refusal.rs` (made
//! with [`say!`]); [`Key`] holds the shell's and the strings several domains share.
//!
//! The locale comes from the `lang` cookie (set by the language switch), else from the
//! browser's Accept-Language, and is fixed for a page render; switching language reloads the
//! page, which keeps server rendering and hydration in agreement without making every
//! string reactive. A plain table beats a translation framework here: two locales, no
//! plural rules beyond what `fmt_*` helpers handle, and compile-time checked keys.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    En,
    ZhCn,
}

impl Locale {
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhCn => "zh-CN",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        let c = code.trim().to_ascii_lowercase();
        if c == "en" || c.starts_with("en-") {
            Some(Locale::En)
        } else if c == "zh" || c.starts_with("zh-") {
            Some(Locale::ZhCn)
        } else {
            None
        }
    }
    /// First supported language of an Accept-Language header.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        header
            .split(',')
            .filter_map(|part| part.split(';').next())
            .find_map(Self::from_code)
    }
    /// The name of the language in itself, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::ZhCn => "简体中文",
        }
    }
    pub const ALL: [Locale; 2] = [Locale::En, Locale::ZhCn];
}

/// One sentence in both languages, its `{name}` placeholders filled from the variables in
/// scope and checked at compile time: `say!(locale, "At most {max}.", "最多 {max}。")`. The
/// domains' refusals (`<domain>/refusal.rs`) are written with it.
macro_rules! say {
    ($locale:expr, $en:literal, $zh:literal) => {
        match $locale {
            $crate::i18n::Locale::En => format!($en),
            $crate::i18n::Locale::ZhCn => format!($zh),
        }
    };
}
pub(crate) use say;

/// A table of UI strings: an enum of keys and their words in both languages. The shell's
/// and cross-domain strings are [`Key`] (below); each domain has its own table in
/// `<domain>/text.rs`. Every table implements [`Text`], and checks in a test that each
/// key has both languages.
macro_rules! translations {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($key:ident => $en:expr, $zh:expr;)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $vis enum $name { $($key),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$key),*];
        }

        impl $crate::i18n::Text for $name {
            fn text(self, locale: $crate::i18n::Locale) -> &'static str {
                use $crate::i18n::Locale;
                match (locale, self) {
                    $((Locale::En, $name::$key) => $en, (Locale::ZhCn, $name::$key) => $zh,)*
                }
            }
        }

        #[cfg(test)]
        mod every_key {
            #[test]
            fn has_both_languages() {
                use $crate::i18n::{Locale, Text};
                for key in super::$name::ALL {
                    assert!(!key.text(Locale::En).is_empty(), "{key:?} en");
                    assert!(!key.text(Locale::ZhCn).is_empty(), "{key:?} zh");
                }
            }
        }
    };
}
pub(crate) use translations;

/// A key of one of the string tables.
pub trait Text: Copy {
    fn text(self, locale: Locale) -> &'static str;
}

/// The words of `key` in `locale`.
pub fn text(locale: Locale, key: impl Text) -> &'static str {
    key.text(locale)
}

translations! {
    /// A UI string of the shell (header, footer, errors) or used by several domains;
    /// a string of one domain is in that domain's table (`<domain>/text.rs`).
    pub enum Key {
        StaffSignIn => "Sign in with a staff account to use this page.", "请使用员工账户登录后使用此页面。";
        AdjustmentCoupon => "Coupon", "优惠券";
        AdjustmentLoyalty => "Loyalty points", "积分抵扣";
        AdjustmentTier => "Member discount", "会员折扣";
        PriceDelivery => "Delivery", "运费";
        PriceTotal => "Total", "合计";
        PriceVatIncluded => "Includes VAT", "含增值税";
        DeliveryFree => "Free", "免运费";
        ShopName => "Emporium", "Emporium 百货";
        SkipToContent => "Skip to content", "跳到正文";
        Favourites => "Favourites", "收藏";
        Loading => "Loading…", "加载中…";
        Search => "Search", "搜索";
        Apply => "Apply", "应用";
        Filters => "Filters", "筛选";
        InStock => "In stock", "有货";
        OutOfStock => "Out of stock", "缺货";
        LowStock => "Only a few left", "库存紧张";
        Products => "products", "件商品";
        Page => "Page", "第几页";
        NextPage => "Next page", "下一页";
        PreviousPage => "Previous page", "上一页";
        Pagination => "Pagination", "分页";
        Theme => "Theme", "主题";
        ThemeSystem => "Theme: system", "主题：跟随系统";
        ThemeLight => "Theme: light", "主题：浅色";
        ThemeDark => "Theme: dark", "主题：深色";
        Language => "Language", "语言";
        NotFoundTitle => "Page not found", "页面不存在";
        NotFoundBody => "We could not find that page. It may have moved, or the link may be wrong.", "找不到这个页面。它可能已被移动，或者链接有误。";
        ProductNotFound => "We could not find that product.", "找不到这个商品。";
        BackHome => "Back to the home page", "返回首页";
        BadRequestTitle => "We could not read that request", "无法处理这个请求";
        ErrorTitle => "Something went wrong", "出错了";
        Offline => "You are offline", "你已离线";
        ChunkFailedTitle => "This page could not be loaded", "无法加载此页面";
        ChunkFailedBody => "Part of the shop did not download: you may be offline, or the shop was just updated. Your cart is kept.", "商店的部分内容未能下载：你可能已离线，或者商店刚刚更新。你的购物车仍然保留。";
        Retry => "Try again", "重试";
        DataCredit => "Catalogue and order history: UCI Online Retail dataset (Chen, 2015), CC BY 4.0.", "商品与订单数据：UCI Online Retail 数据集（Chen, 2015），CC BY 4.0 许可。";
        MainNav => "Main", "主导航";
        ViewAll => "View all", "查看全部";
        SignIn => "Sign in", "登录";
        SignOut => "Sign out", "退出登录";
        YourAccount => "Your account", "我的账户";
        SignInRequiredTitle => "Please sign in", "请先登录";
        SignInRequiredBody => "You need to be signed in to see this page.", "登录后才能查看此页面。";
        PleaseWait => "Please wait…", "请稍候…";
        FullName => "Full name", "收件人姓名";
        AddressLine1 => "Address line 1", "地址第一行";
        AddressLine2 => "Address line 2 (optional)", "地址第二行（选填）";
        City => "Town or city", "城市";
        Postcode => "Postcode", "邮政编码";
        CountryCode => "Country code", "国家/地区代码";
        PhoneOptional => "Phone (optional)", "电话（选填）";
        PrivacyCentre => "Privacy centre", "隐私中心";
        PrivacyNotice => "Privacy notice", "隐私声明";
        PaymentFee => "Instalment fee (no VAT)", "分期手续费（免增值税）";
        WalletScan => "Scan the code with your wallet app, or confirm below on this device.", "请用钱包应用扫描二维码，或在本设备上确认。";
        WalletQrLabel => "QR code of this payment", "本次付款的二维码";
        WalletApprove => "Approve payment", "确认付款";
        WalletCancel => "Cancel payment", "取消付款";
        WalletDone => "This payment is finished.", "本次付款已完成。";

        YourOrders => "Your orders", "我的订单";
        OrderNumber => "Order number", "订单号";
        OrderDate => "Date", "日期";
        OrderStatus => "Status", "状态";
        OrderItems => "Items", "件数";

        TrackRefresh => "Refresh", "刷新";
        TrackFooterLink => "Track an order", "订单查询";

        CheckoutOrderNumber => "Order", "订单";
        CheckoutViewOrder => "View your order", "查看订单";

        ContinueShopping => "Continue shopping", "继续购物";
        Quantity => "Quantity", "数量";
        Subtotal => "Subtotal", "小计";
        UnitPrice => "Each", "单价";
        LineTotal => "Line total", "本项合计";
        AddToCart => "Add to cart", "加入购物车";
        AddedToCart => "Added to your cart.", "已加入购物车。";
        ViewCart => "View cart", "查看购物车";
        CartChangeFailed => "Your cart was not changed.", "购物车未更改。";
    }
}

/// Category display names (slugs come from the taxonomy).
pub fn category_name(locale: Locale, slug: &str) -> &'static str {
    let (en, zh) = match slug {
        "christmas" => ("Christmas", "圣诞节"),
        "seasonal" => ("Seasonal", "节日季"),
        "party" => ("Party", "派对用品"),
        "lighting" => ("Candles & lighting", "蜡烛与灯饰"),
        "kitchen" => ("Kitchen & dining", "厨房与餐具"),
        "bags" => ("Bags & purses", "包袋与钱包"),
        "stationery" => ("Stationery & cards", "文具与贺卡"),
        "gift-wrap" => ("Gift wrap", "礼品包装"),
        "toys" => ("Toys & games", "玩具与游戏"),
        "kids" => ("Kids", "儿童"),
        "garden" => ("Garden", "园艺"),
        "jewellery" => ("Jewellery & accessories", "首饰与配饰"),
        "storage" => ("Storage & organising", "收纳整理"),
        "bathroom" => ("Bath & beauty", "浴室与美妆"),
        "textiles" => ("Textiles", "家纺"),
        "wall-decor" => ("Wall decor & clocks", "墙饰与钟表"),
        "home-decor" => ("Home decor", "家居装饰"),
        _ => ("Other", "其他"),
    };
    match locale {
        Locale::En => en,
        Locale::ZhCn => zh,
    }
}

/// Pounds from minor units in the current locale (the page's, else the request's), e.g.
/// 123450 -> "£1,234.50".
pub fn format_price(minor: i64) -> String {
    let locale = leptos::prelude::use_context::<Locale>()
        .unwrap_or_else(|| crate::prefs::Prefs::current().locale);
    format_price_in(locale, minor)
}

/// Pounds from minor units in `locale`, as CLDR writes GBP there: en-GB and zh-CN both use
/// the pattern `¤#,##0.00` with the symbol `£`, a comma between groups of three digits, a
/// point before the pence and the minus sign before the symbol (`-£1,234,567.89`).
///
/// A small pure function rather than a crate: `num-format` groups integers but knows no
/// currency pattern, and ICU4X (`icu_decimal`) would ship CLDR data in the wasm bundle for
/// two locales that share one pattern. A locale with other separators is one more arm in
/// the match below.
pub fn format_price_in(locale: Locale, minor: i64) -> String {
    let (group, decimal) = match locale {
        Locale::En | Locale::ZhCn => (',', '.'),
    };
    let sign = if minor < 0 { "-" } else { "" };
    // unsigned_abs: i64::MIN has no positive i64.
    let m = minor.unsigned_abs();
    let digits = (m / 100).to_string();
    let mut pounds = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            pounds.push(group);
        }
        pounds.push(c);
    }
    format!("{sign}£{pounds}{decimal}{:02}", m % 100)
}

pub fn fmt_count_products(locale: Locale, n: i64) -> String {
    match locale {
        Locale::En if n == 1 => "1 product".to_string(),
        Locale::En => format!("{n} products"),
        Locale::ZhCn => format!("{n} 件商品"),
    }
}

pub fn fmt_page_of(locale: Locale, page: u32, pages: u32) -> String {
    match locale {
        Locale::En => format!("Page {page} of {pages}"),
        Locale::ZhCn => format!("第 {page} 页，共 {pages} 页"),
    }
}

pub fn fmt_stock(locale: Locale, stock: i64) -> String {
    match (locale, stock) {
        (_, s) if s <= 0 => text(locale, Key::OutOfStock).to_string(),
        (Locale::En, s) if s < 10 => format!("Only {s} left"),
        (Locale::ZhCn, s) if s < 10 => format!("仅剩 {s} 件"),
        (Locale::En, s) => format!("In stock ({s})"),
        (Locale::ZhCn, s) => format!("有货（{s} 件）"),
    }
}

/// The current locale, provided as context by the app root.
pub fn use_locale() -> Locale {
    leptos::prelude::use_context::<Locale>().unwrap_or_default()
}

/// Translate with the current locale.
pub fn t(key: impl Text) -> &'static str {
    text(use_locale(), key)
}

/// `t` with `{name}` placeholders filled in, in the locale of the page being rendered (the
/// request's on the server, the `<html lang>` in the browser). Domain code never
/// translates: it returns typed refusals and notices, which the page puts into words.
pub fn trf(key: impl Text, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    trf_in(crate::prefs::Prefs::current().locale, key, args)
}

/// `trf` in a given locale (components: `use_locale()`).
pub fn trf_in(locale: Locale, key: impl Text, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut s = text(locale, key).to_string();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), &value.to_string());
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_first_supported() {
        assert_eq!(
            Locale::from_accept_language("fr-FR,zh-CN;q=0.8,en;q=0.5"),
            Some(Locale::ZhCn)
        );
        assert_eq!(Locale::from_accept_language("de"), None);
    }

    #[test]
    fn prices_format_in_pounds() {
        assert_eq!(format_price(1250), "£12.50");
        assert_eq!(format_price(5), "£0.05");
        assert_eq!(format_price(0), "£0.00");
        assert_eq!(format_price(123_450), "£1,234.50");
    }

    #[test]
    fn prices_group_thousands_in_every_locale() {
        for locale in Locale::ALL {
            for (minor, text) in [
                (0, "£0.00"),
                (5, "£0.05"),
                (-5, "-£0.05"),
                (99_999, "£999.99"),
                (100_000, "£1,000.00"),
                (123_450, "£1,234.50"),
                (-123_450, "-£1,234.50"),
                (123_456_789, "£1,234,567.89"),
                (-123_456_789, "-£1,234,567.89"),
                (10_000_000_000, "£100,000,000.00"),
                (i64::MAX, "£92,233,720,368,547,758.07"),
                (i64::MIN, "-£92,233,720,368,547,758.08"),
            ] {
                assert_eq!(format_price_in(locale, minor), text, "{locale:?} {minor}");
            }
        }
    }

    #[test]
    fn grouped_prices_parse_back() {
        // Every amount reads back to itself once the separators are taken out, at each
        // length of the pounds (where a group separator can go wrong).
        let mut minor: i64 = 7;
        while minor < i64::MAX / 10 {
            for m in [minor, -minor] {
                let text = format_price_in(Locale::En, m);
                let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
                assert_eq!(digits.parse::<i64>().unwrap(), m.abs(), "{text}");
                let pounds = text.trim_start_matches('-').trim_start_matches('£');
                let pounds = pounds.split('.').next().unwrap();
                assert!(
                    pounds
                        .split(',')
                        .enumerate()
                        .all(|(i, g)| (i == 0 && (1..=3).contains(&g.len())) || g.len() == 3),
                    "{text}"
                );
            }
            minor = minor * 10 + 3;
        }
    }

    #[test]
    fn every_category_has_a_name() {
        for slug in crate::catalog::taxonomy::all_slugs() {
            if slug != crate::catalog::taxonomy::OTHER {
                assert_ne!(category_name(Locale::En, slug), "Other", "{slug}");
            }
        }
    }
}
