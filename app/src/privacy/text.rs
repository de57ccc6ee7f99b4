//! The UI strings of the privacy centre, in English and Simplified Chinese (shared
//! strings are `crate::i18n::Key`; refusals' words are in `refusal.rs`).

crate::i18n::translations! {
    pub enum PrivacyText {
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
    }
}
