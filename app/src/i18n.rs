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
    // staff back office (admin/pages.rs)
    StaffTitle => "Customer look-up", "客户查询";
    StaffSearchLabel => "Email, name or customer reference", "邮箱、姓名或客户编号";
    StaffSearchHint => "Type at least 3 characters to find a customer.", "输入至少 3 个字符以查找客户。";
    StaffNoResults => "No customer matches.", "没有匹配的客户。";
    StaffSignIn => "Sign in with a staff account to use this page.", "请使用员工账户登录后使用此页面。";
    StaffEmail => "Email", "邮箱";
    StaffName => "Name", "姓名";
    StaffOrders => "Orders", "订单数";
    StaffCanSignIn => "Can sign in", "可登录";
    StaffRole => "Role", "角色";
    StaffSaveRole => "Save role", "保存角色";
    StaffRoleSaved => "Role saved. Their sessions were ended.", "角色已保存，其登录会话已结束。";
    RoleCustomer => "Customer", "顾客";
    RoleAgent => "Support agent", "客服专员";
    RoleAdmin => "Administrator", "管理员";
    Yes => "Yes", "是";
    No => "No", "否";
    PopularNow => "Popular with other shoppers", "其他顾客喜欢";
    RecommendedWhy => "Chosen from your favourites and orders. You can turn this off in your privacy settings.", "根据你的收藏和订单挑选。你可以在隐私设置中关闭。";
    AccountDeletedNotice => "Your account has been deleted. Orders we must keep for accounting no longer identify you.", "你的账户已删除。出于会计需要保留的订单已不再能识别你的身份。";
    // checkout backend
    MsgPaymentDeclined => "Your card was declined. Your order is saved: please try another card.", "你的银行卡被拒绝。订单已保存：请换一张卡再试。";
    MsgPaymentInsufficientFunds => "Your card was declined for insufficient funds. Your order is saved: please try another card.", "你的银行卡因余额不足被拒绝。订单已保存：请换一张卡再试。";
    MsgPaymentActionRequired => "Your bank asks you to confirm this payment.", "你的银行要求你确认此次付款。";
    MsgPaymentUnavailable => "We could not reach the payment provider. Your order is saved: please try paying again in a moment.", "无法连接支付服务。订单已保存：请稍后再试付款。";
    MsgPaymentInProgress => "A payment for this order is already in progress.", "此订单的付款正在处理中。";
    MsgOrderCancelledRefunded => "This order was cancelled before your payment arrived, so the payment has been returned to you.", "此订单在付款到账前已取消，款项已退回给你。";
    // checkout & orders (pure domain)
    AdjustmentCoupon => "Coupon", "优惠券";
    AdjustmentLoyalty => "Loyalty points", "积分抵扣";
    AdjustmentTier => "Member discount", "会员折扣";
    PriceDelivery => "Delivery", "运费";
    PriceTotal => "Total", "合计";
    PriceVatIncluded => "Includes VAT", "含增值税";
    DeliveryFree => "Free", "免运费";
    DeliveryStandard => "Standard delivery", "标准配送";
    DeliveryExpress => "Express delivery", "特快配送";
    DeliveryChosenDay => "Choose your day", "指定日期配送";
    DeliveryStandardHint => "2 to 4 working days after dispatch; free on orders of £50 or more.", "发货后 2 到 4 个工作日送达；订单满 £50 免运费。";
    DeliveryExpressHint => "The next working day after dispatch. Order by 2pm on a working day to have it dispatched that day.", "发货后下一个工作日送达。工作日下午 2 点前下单当天发货。";
    DeliveryChosenDayHint => "A day of your choice, 2 to 14 days ahead, Monday to Saturday.", "自选送达日期：2 到 14 天内，周一至周六。";
    OrderStatePendingPayment => "Awaiting payment", "待付款";
    OrderStatePaid => "Paid", "已付款";
    OrderStatePacked => "Packed", "已打包";
    OrderStateShipped => "Shipped", "已发货";
    OrderStateInTransit => "In transit", "运输中";
    OrderStateOutForDelivery => "Out for delivery", "派送中";
    OrderStateDelivered => "Delivered", "已送达";
    OrderStateCompleted => "Completed", "已完成";
    OrderStateCancelled => "Cancelled", "已取消";
    OrderStatePaymentFailed => "Payment failed", "付款失败";
    MsgOrderTooLateToCancel => "This order has already been shipped, so it can no longer be cancelled. You can return it once it arrives.", "该订单已发货，无法取消。收到后可以申请退货。";
    // messages of the account and privacy domains (server side; `tr`)
    FieldYourName => "Your name", "姓名";
    FieldFullName => "Full name", "收件人姓名";
    FieldLine1 => "Address line 1", "地址第 1 行";
    FieldLine2 => "Address line 2", "地址第 2 行";
    FieldCity => "Town or city", "城市";
    FieldPostcode => "Postcode", "邮编";
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
    ChunkFailedTitle => "This page could not be loaded", "无法加载此页面";
    ChunkFailedBody => "Part of the shop did not download: you may be offline, or the shop was just updated. Your cart is kept.", "商店的部分内容未能下载：你可能已离线，或者商店刚刚更新。你的购物车仍然保留。";
    Retry => "Try again", "重试";
    DataCredit => "Catalogue and order history: UCI Online Retail dataset (Chen, 2015), CC BY 4.0.", "商品与订单数据：UCI Online Retail 数据集（Chen, 2015），CC BY 4.0 许可。";
    Breadcrumb => "Breadcrumb", "面包屑导航";
    MainNav => "Main", "主导航";
    ViewAll => "View all", "查看全部";
    // accounts & privacy
    SignIn => "Sign in", "登录";
    SignOut => "Sign out", "退出登录";
    SignUp => "Create an account", "创建账户";
    YourAccount => "Your account", "我的账户";
    AccountNav => "Account", "账户";
    Email => "Email address", "电子邮箱";
    Password => "Password", "密码";
    YourName => "Your name", "姓名";
    PasswordHint => "At least 8 characters. A few unrelated words make a strong password that is easy to remember.", "至少 8 个字符。几个不相关的词组成的密码既安全又好记。";
    NewHere => "New here?", "第一次来？";
    HaveAccount => "Already have an account?", "已有账户？";
    SignUpIntro => "An account keeps your addresses, favourites and orders in one place.", "账户会把你的地址、收藏和订单集中保存。";
    SignInRequiredTitle => "Please sign in", "请先登录";
    SignInRequiredBody => "You need to be signed in to see this page.", "登录后才能查看此页面。";
    PleaseWait => "Please wait…", "请稍候…";
    Profile => "Profile", "个人资料";
    SignedInAs => "Signed in as", "当前登录账户";
    ChangeName => "Change your name", "修改姓名";
    Save => "Save", "保存";
    NameSaved => "Your name has been saved.", "姓名已保存。";
    ChangePassword => "Change your password", "修改密码";
    CurrentPassword => "Current password", "当前密码";
    NewPassword => "New password", "新密码";
    PasswordChanged => "Your password has been changed. Every other device has been signed out.", "密码已修改，其他设备均已退出登录。";
    Addresses => "Addresses", "收货地址";
    AddressBook => "Your address book", "我的地址簿";
    NoAddresses => "You have no saved addresses yet.", "还没有保存的地址。";
    AddAddress => "Add an address", "添加地址";
    EditAddress => "Edit this address", "编辑地址";
    FullName => "Full name", "收件人姓名";
    AddressLine1 => "Address line 1", "地址第一行";
    AddressLine2 => "Address line 2 (optional)", "地址第二行（选填）";
    City => "Town or city", "城市";
    Postcode => "Postcode", "邮政编码";
    CountryCode => "Country code", "国家/地区代码";
    CountryHint => "Two letters, such as GB, FR or CN.", "两个字母，例如 GB、FR 或 CN。";
    PhoneOptional => "Phone (optional)", "电话（选填）";
    MakeDefault => "Use as my default address", "设为默认地址";
    SaveAddress => "Save address", "保存地址";
    AddressSaved => "The address has been saved.", "地址已保存。";
    AddressDeleted => "The address has been deleted.", "地址已删除。";
    DefaultChanged => "Your default address has been changed.", "默认地址已更改。";
    DefaultAddress => "Default address", "默认地址";
    SetDefault => "Make default", "设为默认";
    Edit => "Edit", "编辑";
    Delete => "Delete", "删除";
    Cancel => "Cancel", "取消";
    Devices => "Devices", "登录设备";
    DevicesTitle => "Signed-in devices", "已登录的设备";
    DevicesIntro => "These browsers are signed in to your account. If you do not recognise one, sign it out and change your password.", "以下浏览器已登录你的账户。如有不认识的设备，请让它退出登录并修改密码。";
    ThisDevice => "This device", "本设备";
    SignedInAt => "Signed in", "登录时间";
    LastActive => "Last active", "最近活动";
    IpAddress => "IP address", "IP 地址";
    SignOutDevice => "Sign this device out", "让此设备退出登录";
    DeviceSignedOut => "That device has been signed out.", "该设备已退出登录。";
    SignOutEverywhere => "Sign out everywhere", "在所有设备上退出登录";
    SignOutEverywhereHint => "Ends every session of your account, this one included.", "结束账户的所有会话，包括本设备。";
    UnknownBrowser => "Unknown browser", "未知浏览器";
    PrivacyCentre => "Privacy centre", "隐私中心";
    PrivacyCentreIntro => "Choose what we may use your data for, download a copy of it, or delete your account.", "选择我们可以如何使用你的数据、下载数据副本或删除账户。";
    YourChoices => "Your choices", "你的选择";
    ChoicesIntro => "Everything here is off until you turn it on, and you can change your mind at any time.", "以下各项在你开启之前均为关闭，你可以随时更改。";
    PurposePersonalisation => "Personalised recommendations", "个性化推荐";
    PurposePersonalisationText => "We pick products to recommend to you from your orders, your favourites and the products you look at.", "我们根据你的订单、收藏和浏览过的商品为你挑选推荐商品。";
    PurposeAnalytics => "Analytics", "统计分析";
    PurposeAnalyticsText => "We record which products you look at and what you search for, to learn how to improve the shop. Nothing is recorded while this is off.", "我们记录你浏览的商品和搜索的内容，以便改进商店。关闭时不会记录任何内容。";
    PurposeMarketing => "Offers by email", "电子邮件优惠";
    PurposeMarketingText => "We send you offers and news by email.", "我们通过电子邮件向你发送优惠和新闻。";
    On => "On", "开";
    Off => "Off", "关";
    NotDecided => "Off: you have not chosen yet.", "关闭：你尚未做出选择。";
    OnSince => "On since", "开启于";
    OffSince => "Off since", "关闭于";
    PolicyVersion => "privacy notice version", "隐私声明版本";
    ChoiceSaved => "Your choice has been saved.", "你的选择已保存。";
    YourData => "Your data", "你的数据";
    DownloadData => "Download my data", "下载我的数据";
    DownloadDataText => "One JSON file with everything we hold about you: profile, addresses, favourites, cart, orders, consent decisions, recorded events and signed-in devices.", "一个 JSON 文件，包含我们保存的你的全部数据：个人资料、地址、收藏、购物车、订单、同意记录、行为记录和已登录设备。";
    DeleteAccount => "Delete my account", "删除我的账户";
    DeleteWarning => "This cannot be undone. Your profile, addresses, favourites, cart, consent decisions, recorded events and sessions are deleted at once, and you are signed out everywhere. Your orders are kept for accounting, without your name, email or addresses.", "此操作无法撤销。你的个人资料、地址、收藏、购物车、同意记录、行为记录和会话将立即删除，你会在所有设备上退出登录。你的订单将为会计目的保留，但不含你的姓名、电子邮箱和地址。";
    ConfirmPassword => "Your password, to confirm", "请输入密码以确认";
    DeleteConfirm => "I understand that my account will be deleted for good.", "我明白我的账户将被永久删除。";
    ReadNotice => "Read the privacy notice", "阅读隐私声明";
    PrivacyNotice => "Privacy notice", "隐私声明";
    NoticeIntro => "This notice explains what Emporium keeps about you, why, for how long, and what you can do about it. We do not sell your data, show third-party adverts or use tracking cookies.", "本声明说明 Emporium 保存你的哪些数据、原因、保存期限以及你的权利。我们不出售你的数据，不展示第三方广告，也不使用跟踪 Cookie。";
    NoticeWhat => "What we keep, why and for how long", "我们保存什么、为什么、保存多久";
    NoticeWhy => "Why", "原因";
    NoticeHowLong => "How long", "保存多久";
    NoticeAccountTitle => "Your account: email, name and password", "账户：电子邮箱、姓名和密码";
    NoticeAccountWhy => "To sign you in and run your account. We keep only a salted hash of your password, never the password itself.", "用于登录和管理你的账户。我们只保存加盐哈希后的密码，从不保存密码本身。";
    NoticeAccountLong => "Until you delete your account.", "直到你删除账户。";
    NoticeAddressesTitle => "Addresses", "地址";
    NoticeAddressesWhy => "To deliver your orders.", "用于配送你的订单。";
    NoticeAddressesLong => "Until you delete them or your account.", "直到你删除地址或账户。";
    NoticeOrdersTitle => "Orders", "订单";
    NoticeOrdersWhy => "To deliver what you bought, handle returns, and keep the accounts that tax law requires.", "用于配送商品、处理退货，并按税法要求保存账目。";
    NoticeOrdersLong => "6 years, as UK tax law (HMRC) requires. If you delete your account, your orders stay for that time pseudonymised: without your name, email or addresses.", "按英国税法（HMRC）要求保存 6 年。如果你删除账户，订单会在此期间以假名化方式保留：不含你的姓名、电子邮箱和地址。";
    NoticeFavouritesTitle => "Favourites and cart", "收藏和购物车";
    NoticeFavouritesWhy => "To keep the products you chose between visits.", "用于在多次访问之间保存你选择的商品。";
    NoticeFavouritesLong => "Members: until you remove them or delete your account. Guests: a guest cart is deleted after 30 days without a visit; a guest's favourites stay in their own browser.", "会员：直到你移除它们或删除账户。访客：访客购物车在 30 天无访问后删除；访客的收藏只保存在自己的浏览器中。";
    NoticeEventsTitle => "Product views and searches", "商品浏览和搜索记录";
    NoticeEventsWhy => "Only if you turn on analytics or personalised recommendations in the privacy centre: to improve the shop and pick recommendations for you.", "仅当你在隐私中心开启统计分析或个性化推荐时记录：用于改进商店并为你挑选推荐。";
    NoticeEventsLong => "Only while your consent holds; never recorded for guests.", "仅在你的同意有效期间保存；从不记录访客。";
    NoticeSessionsTitle => "Sessions and devices: IP address, browser (user agent), sign-in and last-active times", "会话和设备：IP 地址、浏览器（用户代理）、登录和最近活动时间";
    NoticeSessionsWhy => "To keep you signed in, to show you your signed-in devices, and to protect your account from misuse.", "用于保持登录状态、向你展示已登录的设备，并保护账户免遭滥用。";
    NoticeSessionsLong => "A session ends after 30 minutes without activity and 12 hours after sign-in at the latest, and is then deleted.", "会话在 30 分钟无活动后结束，最长在登录 12 小时后结束，随后删除。";
    NoticeThrottleTitle => "Failed sign-in counts", "登录失败次数";
    NoticeThrottleWhy => "To slow down anyone trying to guess passwords. We count failures per email typed and per IP address.", "用于减缓猜测密码的攻击。我们按输入的电子邮箱和 IP 地址统计失败次数。";
    NoticeThrottleLong => "1 hour.", "1 小时。";
    NoticePrefsTitle => "Language and theme", "语言和主题";
    NoticePrefsWhy => "To remember your choice of language and colour theme. These two cookies and the session cookie (which keeps you signed in and holds a guest's cart) are the only cookies we set.", "用于记住你选择的语言和配色主题。除这两个 Cookie 外，我们只设置会话 Cookie（用于保持登录并保存访客的购物车）。";
    NoticePrefsLong => "In your browser, for 1 year.", "保存在你的浏览器中，1 年。";
    NoticeRights => "Your rights", "你的权利";
    NoticeRightsIntro => "You can do all of this yourself, at any time, in the privacy centre:", "你可以随时在隐私中心自行完成以下操作：";
    NoticeRightExport => "Get a copy of your data as a JSON file.", "以 JSON 文件获取你的数据副本。";
    NoticeRightDelete => "Delete your account and the personal data that goes with it.", "删除账户及相关的个人数据。";
    NoticeRightWithdraw => "Withdraw a consent you gave; it takes effect at once.", "撤回你给出的同意，立即生效。";
    NoticeComplaint => "You may also complain to a data-protection authority; in the UK, that is the Information Commissioner's Office (ICO).", "你也可以向数据保护机构投诉；在英国为信息专员办公室（ICO）。";
    NoticeVersion => "Version of this notice", "本声明版本";
    // payments: wallets, instalments, pay later, webhooks
    PaymentAlipay => "Alipay", "支付宝";
    PaymentWechatPay => "WeChat Pay", "微信支付";
    PaymentInstalments3 => "Card, 3 monthly instalments", "信用卡分 3 期";
    PaymentInstalments6 => "Card, 6 monthly instalments", "信用卡分 6 期";
    PaymentInstalments12 => "Card, 12 monthly instalments", "信用卡分 12 期";
    PaymentPayLater => "Pay later (in 30 days)", "先收货后付款（30 天内）";
    PaymentFee => "Instalment fee (no VAT)", "分期手续费（免增值税）";
    PaymentFeeRate => "fee {rate}%", "手续费 {rate}%";
    PaymentPlan => "{n} monthly payments: {first} now, then {rest} a month", "分 {n} 期：首期 {first}，之后每月 {rest}";
    PaymentPayLaterHint => "Nothing to pay today: your card is charged when the parcel ships.", "今天无需付款：包裹发货时才从你的卡中扣款。";
    PaymentWalletHint => "You will confirm the payment in your wallet app (scan the QR code on the next page).", "你将在钱包应用中确认付款（在下一页扫描二维码）。";
    WalletScan => "Scan the code with your wallet app, or confirm below on this device.", "请用钱包应用扫描二维码，或在本设备上确认。";
    WalletQrLabel => "QR code of this payment", "本次付款的二维码";
    WalletApprove => "Approve payment", "确认付款";
    WalletCancel => "Cancel payment", "取消付款";
    WalletDone => "This payment is finished.", "本次付款已完成。";
    // @@payments-end

    // order history, detail, invoice, cancel, reorder
    YourOrders => "Your orders", "我的订单";
    OrdersEmpty => "You have not placed any orders yet.", "你还没有下过订单。";
    OrdersCount => "{n} orders in all", "共 {n} 个订单";
    OrderNumber => "Order number", "订单号";
    OrderDate => "Date", "日期";
    OrderStatus => "Status", "状态";
    OrderItems => "Items", "件数";
    OrderTitle => "Order {number}", "订单 {number}";
    OrderPlacedOn => "Placed", "下单时间";
    OrderLinesHeading => "What you ordered", "订购商品";
    OrderProduct => "Product", "商品";
    OrderDiscount => "Discount", "优惠";
    OrderRefunded => "Refunded", "已退款";
    OrderLegacyNote => "This order comes from our records before online checkout: the subtotal and VAT are worked out from its lines and total.", "此订单来自开通在线结账之前的记录：小计和增值税根据商品明细与合计推算。";
    OrderDeliveryAddress => "Delivery address", "收货地址";
    OrderDeliveryOption => "Delivery option", "配送方式";
    OrderDeliveryWindow => "Expected delivery", "预计送达";
    OrderNoAddress => "No delivery address was recorded for this order.", "此订单没有记录收货地址。";
    OrderPayment => "Payment", "付款";
    OrderPaymentNone => "No payment recorded", "没有付款记录";
    OrderPayAuthorised => "Authorised", "已授权";
    OrderPayCaptured => "Paid", "已支付";
    OrderPayDeclined => "Declined", "被拒绝";
    OrderPayRequiresAction => "Awaiting your confirmation", "待你确认";
    OrderPayPending => "Being confirmed", "确认中";
    OrderPayVoided => "Released", "已释放";
    OrderPayRefunded => "Refunded", "已退款";
    OrderTimeline => "Order timeline", "订单动态";
    OrderEventPlaced => "Order placed", "已下单";
    OrderEventBy => "by {who}", "操作方：{who}";
    OrderActorYou => "you", "你";
    OrderActorCustomer => "the customer", "顾客";
    OrderActorShop => "the shop", "本店";
    OrderActorCarrier => "the carrier", "承运商";
    OrderActorPaymentProvider => "the payment provider", "支付服务商";
    OrderTrack => "Track parcel", "跟踪包裹";
    OrderPayAgain => "Pay again", "重新付款";
    OrderPayAgainHint => "Your payment did not go through. Your order is kept for a short while: pay again to complete it.", "你的付款未成功。订单会保留一段时间：请重新付款以完成订单。";
    OrderAwaitingPayment => "We are waiting for your payment to be confirmed. This page updates by itself.", "正在等待付款确认。本页面会自动更新。";
    OrderViewInvoice => "Printable invoice", "可打印发票";
    OrderCancel => "Cancel order", "取消订单";
    OrderCancelConfirm => "Cancel this order? Any payment is returned to you and the items go back on sale.", "确定取消此订单吗？已付款项将退还给你，商品将重新上架。";
    OrderCancelYes => "Yes, cancel this order", "是的，取消此订单";
    OrderCancelledNotice => "Your order has been cancelled.", "你的订单已取消。";
    OrderRefundedNotice => "Your order has been cancelled and {amount} has been refunded to your card. It may take a few days to show.", "你的订单已取消，{amount} 已退回到你的银行卡，可能需要几天才能到账。";
    OrderPaymentReleasedNotice => "Your order has been cancelled and the amount held on your card has been released.", "你的订单已取消，银行卡上冻结的金额已释放。";
    OrderRefundPendingNotice => "Your order has been cancelled, but we could not return your payment just now. Press “Cancel order” again in a few minutes to retry, or contact us.", "你的订单已取消，但暂时无法退款。请几分钟后再次点击“取消订单”重试，或联系我们。";
    OrderReorder => "Buy these again", "再次购买";
    OrderReorderDone => "Added to your cart: {added} of {lines} products.", "已加入购物车：{lines} 种商品中的 {added} 种。";
    OrderReorderReduced => "“{title}”: {added} of {asked} added (limited by stock or the 99 per product limit).", "“{title}”：已加入 {asked} 件中的 {added} 件（受库存或每种商品 99 件上限限制）。";
    OrderReorderUnavailable => "“{title}”: not available now.", "“{title}”：目前无货。";
    OrderGoToCart => "Go to your cart", "去购物车";
    OrderBackToOrders => "All your orders", "全部订单";
    InvoiceTitle => "Invoice {number}", "发票 {number}";
    InvoiceSeller => "Seller", "销售方";
    InvoiceVatNumber => "VAT number", "增值税号";
    InvoiceBillTo => "Billed and delivered to", "开票及收货信息";
    InvoiceNumber => "Invoice number", "发票号";
    InvoiceDate => "Invoice date", "开票日期";
    InvoiceOrderDate => "Order date", "下单日期";
    InvoiceNet => "Total excluding VAT", "不含税合计";
    InvoiceVat => "VAT at {rate}% (included)", "增值税 {rate}%（已含）";
    InvoicePaidBy => "Paid by", "付款方式";
    InvoicePrint => "Print", "打印";
    InvoiceBack => "Back to the order", "返回订单";
    // @@orders-end

    // shipments, tracking, notifications, staff pack and ship
    TrackTitle => "Tracking order {number}", "订单 {number} 的物流跟踪";
    TrackEta => "Estimated delivery", "预计送达";
    TrackDeliveredAt => "Delivered", "送达时间";
    TrackCarrier => "Carrier", "承运商";
    TrackNumber => "Tracking number", "运单号";
    TrackSteps => "Progress", "进度";
    TrackScans => "Carrier updates", "物流记录";
    TrackNoScans => "No updates yet: the carrier collects the parcel within a few hours of dispatch.", "暂无物流记录：承运商会在发货后几小时内揽收。";
    TrackNotShipped => "Not shipped yet: we will send it on its way soon.", "尚未发货：我们会尽快寄出。";
    TrackPromised => "Expected delivery when you ordered", "下单时的预计送达";
    TrackDelayPastWindow => "Your parcel is late: the estimated delivery window has passed. We are chasing the carrier and will keep you posted.", "你的包裹已延误：预计送达时间已过。我们正在催促承运商，并会及时通知你。";
    TrackDelayNoScan => "No news from the carrier for {n} hours: your parcel may be delayed.", "承运商已 {n} 小时没有更新：你的包裹可能延误。";
    TrackLiveNote => "This page updates by itself while the parcel is on its way.", "包裹运送途中，本页面会自动更新。";
    ScanCollected => "Collected by the carrier", "承运商已揽收";
    ScanAtHub => "At the sorting hub", "到达分拣中心";
    ScanAtDepot => "At the delivery office", "到达派送网点";
    ScanOutForDelivery => "Out for delivery", "派送中";
    ScanDelivered => "Delivered", "已送达";
    CarrierEmporiumPost => "Emporium Post", "Emporium 速递";
    TrackFormTitle => "Track an order", "查询订单";
    TrackFormIntro => "Enter your order number and the email you gave at checkout.", "请输入订单号和结账时填写的邮箱。";
    TrackFormEmail => "Email", "邮箱";
    TrackFormSubmit => "Track", "查询";
    TrackRefresh => "Refresh", "刷新";
    TrackFooterLink => "Track an order", "订单查询";
    NotifTitle => "Notifications", "通知";
    NotifBell => "Notifications, {n} unread", "通知，{n} 条未读";
    NotifEmpty => "Nothing yet. News about your orders, payments and deliveries appears here.", "暂无通知。你的订单、付款和配送动态会显示在这里。";
    NotifMarkRead => "Mark all as read", "全部标为已读";
    NotifUnread => "New", "新";
    NotifOrderState => "Order {number}: {state}", "订单 {number}：{state}";
    NotifDelay => "Order {number}: your parcel may be delayed", "订单 {number}：你的包裹可能延误";
    DispatchTitle => "Orders to dispatch", "待发货订单";
    DispatchIntro => "Paid orders, oldest first: pack them, then hand them to the carrier.", "已付款订单，按时间先后排列：先打包，再交给承运商。";
    DispatchEmpty => "No paid orders are waiting.", "没有等待处理的已付款订单。";
    DispatchPack => "Mark packed", "标记为已打包";
    DispatchShip => "Ship", "发货";
    DispatchActions => "Actions", "操作";
    DispatchPacked => "Order {number} is packed.", "订单 {number} 已打包。";
    DispatchShipped => "Order {number} has shipped. Tracking number {tracking}.", "订单 {number} 已发货，运单号 {tracking}。";
    // @@tracking-end

    // checkout page, cart extras
    CheckoutTitle => "Checkout", "结账";
    CheckoutReserving => "Holding your items for you…", "正在为你保留商品…";
    CheckoutHeld => "Your items are held for you for 15 minutes while you check out.", "结账期间，你的商品将为你保留 15 分钟。";
    CheckoutNeedsJavaScript => "Paying needs JavaScript: please turn it on to check out.", "付款需要启用 JavaScript，请开启后再结账。";
    CheckoutBackToCart => "Back to your basket", "返回购物车";
    CheckoutStepAddress => "1. Delivery address", "1. 收货地址";
    CheckoutStepDeliveryPayment => "2. Delivery and payment", "2. 配送与付款";
    CheckoutStepReview => "3. Review and place your order", "3. 确认并下单";
    CheckoutGuestHint => "Checking out as a guest. Have an account?", "正在以访客身份结账。已有账户？";
    CheckoutEmail => "Email for order updates", "接收订单通知的邮箱";
    CheckoutSavedAddresses => "Your saved addresses", "已保存的地址";
    CheckoutDeliverTo => "Deliver to", "收件信息";
    CheckoutDelivery => "Delivery", "配送方式";
    CheckoutArrives => "Arrives", "预计送达";
    CheckoutDeliveryDay => "Delivery day", "送达日期";
    CheckoutPickDay => "Pick a day", "请选择日期";
    CheckoutPayment => "Payment", "付款方式";
    PaymentCard => "Credit or debit card", "信用卡或借记卡";
    CheckoutCardDetails => "Card details", "银行卡信息";
    CheckoutTestCards => "Demo shop: use 4242 4242 4242 4242 (paid), 4000 0000 0000 0002 (declined) or 4000 0000 0000 3220 (bank confirmation). Card numbers go to the payment provider only.", "演示商店：可使用 4242 4242 4242 4242（成功）、4000 0000 0000 0002（拒绝）或 4000 0000 0000 3220（银行验证）。卡号只发送给支付服务商。";
    CheckoutCardNumber => "Card number", "卡号";
    CheckoutCardExpiry => "Expiry date", "有效期";
    CheckoutCardCvc => "Security code", "安全码";
    CheckoutCardUnreadable => "Your card details could not be read. Please check them.", "无法读取银行卡信息，请检查。";
    CheckoutProviderUnreachable => "We could not reach the payment provider. Please try again.", "无法连接支付服务商，请重试。";
    CheckoutCoupon => "Coupon code", "优惠码";
    CheckoutApplyCoupon => "Apply", "使用";
    CheckoutPlaceOrder => "Place order and pay", "下单并付款";
    CheckoutPlacing => "Placing your order…", "正在提交订单…";
    CheckoutPayAgain => "Pay again", "重新付款";
    CheckoutOrderSaved => "Your order is saved as", "你的订单已保存，订单号";
    CheckoutPayTitle => "Pay for your order", "为订单付款";
    CheckoutOrderNumber => "Order", "订单";
    CheckoutViewOrder => "View your order", "查看订单";
    CheckoutGoToCheckout => "Go to checkout", "去结账";
    CartSaveForLater => "Save for later", "稍后购买";
    CartMoveToBasket => "Move to basket", "移回购物车";
    CartSavedTitle => "Saved for later", "稍后购买";
    CartChangedTitle => "Changes since you added these", "自加入购物车以来的变化";
    CartChangedHint => "Your basket shows today's prices and stock. Changing a quantity confirms the new price.", "购物车显示的是当前价格和库存。修改数量即表示确认新价格。";
    CartPriceUp => "“{title}” now costs {now} (was {was}).", "“{title}”现价 {now}（原价 {was}）。";
    CartPriceDown => "“{title}” is now cheaper: {now} (was {was}).", "“{title}”降价了：现价 {now}（原价 {was}）。";
    CartStockChanged => "Only {stock} of “{title}” are left: lower the quantity to check out.", "“{title}”仅剩 {stock} 件：请减少数量后再结账。";
    MiniCartShow => "Show basket contents", "查看购物车内容";
    MiniCartEmpty => "Your basket is empty.", "购物车是空的。";
    MiniCartMore => "and {n} more", "另有 {n} 件商品";
    // @@checkout-page-end

    // cart
    Cart => "Cart", "购物车";
    CartTitle => "Your cart", "你的购物车";
    CartEmpty => "Your cart is empty.", "你的购物车是空的。";
    ContinueShopping => "Continue shopping", "继续购物";
    Quantity => "Quantity", "数量";
    UpdateQuantity => "Update", "更新";
    RemoveFromCart => "Remove", "移除";
    Subtotal => "Subtotal", "小计";
    UnitPrice => "Each", "单价";
    LineTotal => "Line total", "本项合计";
    AddToCart => "Add to cart", "加入购物车";
    AddedToCart => "Added to your cart.", "已加入购物车。";
    ViewCart => "View cart", "查看购物车";
    CartChangeFailed => "Your cart was not changed.", "购物车未更改。";
    CheckoutLater => "Prices and stock are checked again when you place your order.", "下单时会再次核对价格和库存。";
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
pub fn t(key: Key) -> &'static str {
    text(use_locale(), key)
}

/// `t` with `{name}` placeholders filled in, in the locale of the page being rendered (the
/// request's on the server, the `<html lang>` in the browser). Domain code never
/// translates: it returns typed refusals and notices, which the page puts into words.
pub fn trf(key: Key, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    trf_in(crate::prefs::Prefs::current().locale, key, args)
}

/// `trf` in a given locale (components: `use_locale()`).
pub fn trf_in(locale: Locale, key: Key, args: &[(&str, &dyn std::fmt::Display)]) -> String {
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
