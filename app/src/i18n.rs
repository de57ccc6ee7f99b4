//! Every user-facing string of the UI, in English and Simplified Chinese.
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

macro_rules! translations {
    ($($key:ident => $en:expr, $zh:expr;)*) => {
        /// A translatable UI string.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Key { $($key),* }

        impl Key {
            pub const ALL: &'static [Key] = &[$(Key::$key),*];
        }

        pub fn text(locale: Locale, key: Key) -> &'static str {
            match (locale, key) {
                $((Locale::En, Key::$key) => $en, (Locale::ZhCn, Key::$key) => $zh,)*
            }
        }
    };
}

translations! {
    ShopName => "Emporium", "Emporium 百货";
    SkipToContent => "Skip to content", "跳到正文";
    Home => "Home", "首页";
    Categories => "Categories", "商品分类";
    BestSellers => "Best sellers of the last 30 days", "近 30 天畅销";
    NewArrivals => "New arrivals", "新品上架";
    RecommendedForYou => "Recommended for you", "为你推荐";
    Favourites => "Favourites", "收藏";
    AddFavourite => "Add to favourites", "加入收藏";
    RemoveFavourite => "Remove from favourites", "取消收藏";
    NoFavourites => "You have no favourites yet. Tap the heart on a product to keep it here.", "还没有收藏。点商品上的心形按钮即可收藏。";
    FavouritesNeedJs => "Favourites are kept in this browser and need JavaScript.", "收藏保存在本浏览器中，需要启用 JavaScript。";
    Loading => "Loading…", "加载中…";
    Search => "Search", "搜索";
    SearchPlaceholder => "Search the shop", "搜索商品";
    SearchLabel => "Search products", "搜索商品";
    SearchPrompt => "Type what you are looking for above.", "请在上方输入要找的商品。";
    ResultsFor => "Results for", "搜索结果：";
    NoResults => "No products match", "没有找到匹配的商品：";
    DidYouMean => "Did you mean", "你是不是要找";
    TryCategories => "Or browse a category", "或者浏览分类";
    Suggestions => "Suggestions", "搜索建议";
    FacetCategory => "Category", "分类";
    FacetPrice => "Price", "价格";
    ClearFilters => "Clear filters", "清除筛选";
    SortBy => "Sort by", "排序";
    SortPopular => "Most popular", "最受欢迎";
    SortPriceAsc => "Price: low to high", "价格从低到高";
    SortPriceDesc => "Price: high to low", "价格从高到低";
    SortNewest => "Newest", "最新";
    MinPrice => "Min price (£)", "最低价 (£)";
    MaxPrice => "Max price (£)", "最高价 (£)";
    InStockOnly => "In stock only", "仅显示有货";
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
    LoadingMore => "Loading more products…", "正在加载更多商品…";
    AlsoBought => "Customers who bought this also bought", "购买此商品的顾客还买了";
    Description => "Description", "商品描述";
    UnitsSold => "Units sold", "已售件数";
    Code => "Product code", "商品编号";
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
    DataCredit => "Catalogue and order history: UCI Online Retail dataset (Chen, 2015), CC BY 4.0.", "商品与订单数据：UCI Online Retail 数据集（Chen, 2015），CC BY 4.0 许可。";
    Breadcrumb => "Breadcrumb", "面包屑导航";
    MainNav => "Main", "主导航";
    ViewAll => "View all", "查看全部";
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

/// Pounds from minor units, e.g. 1250 -> "£12.50".
pub fn format_price(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let m = minor.unsigned_abs();
    format!("{sign}£{}.{:02}", m / 100, m % 100)
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
pub fn t(key: Key) -> &'static str {
    text(use_locale(), key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_both_languages() {
        for key in Key::ALL {
            assert!(!text(Locale::En, *key).is_empty(), "{key:?} en");
            assert!(!text(Locale::ZhCn, *key).is_empty(), "{key:?} zh");
        }
    }

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
