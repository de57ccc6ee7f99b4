//! The UI strings of the catalogue, in English and Simplified Chinese (shared
//! strings are `crate::i18n::Key`; refusals' words are in `refusal.rs`).

crate::i18n::translations! {
    pub enum CatalogText {
        PopularNow => "Popular with other shoppers", "其他顾客喜欢";
        RecommendedWhy => "Chosen from your favourites and orders. You can turn this off in your privacy settings.", "根据你的收藏和订单挑选。你可以在隐私设置中关闭。";
        AccountDeletedNotice => "Your account has been deleted. Orders we must keep for accounting no longer identify you.", "你的账户已删除。出于会计需要保留的订单已不再能识别你的身份。";
        Home => "Home", "首页";
        Categories => "Categories", "商品分类";
        BestSellers => "Best sellers of the last 30 days", "近 30 天畅销";
        NewArrivals => "New arrivals", "新品上架";
        RecommendedForYou => "Recommended for you", "为你推荐";
        SortBy => "Sort by", "排序";
        SortPopular => "Most popular", "最受欢迎";
        SortPriceAsc => "Price: low to high", "价格从低到高";
        SortPriceDesc => "Price: high to low", "价格从高到低";
        SortNewest => "Newest", "最新";
        MinPrice => "Min price (£)", "最低价 (£)";
        MaxPrice => "Max price (£)", "最高价 (£)";
        InStockOnly => "In stock only", "仅显示有货";
        LoadingMore => "Loading more products…", "正在加载更多商品…";
        AlsoBought => "Customers who bought this also bought", "购买此商品的顾客还买了";
        Description => "Description", "商品描述";
        UnitsSold => "Units sold", "已售件数";
        Code => "Product code", "商品编号";
        Breadcrumb => "Breadcrumb", "面包屑导航";
    }
}
