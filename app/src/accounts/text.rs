//! The UI strings of the accounts (sign-up, sign-in, profile, address book, devices), in English and Simplified Chinese (shared
//! strings are `crate::i18n::Key`; refusals' words are in `refusal.rs`).

crate::i18n::translations! {
    pub enum AccountsText {
        FieldYourName => "Your name", "姓名";
        FieldFullName => "Full name", "收件人姓名";
        FieldLine1 => "Address line 1", "地址第 1 行";
        FieldLine2 => "Address line 2", "地址第 2 行";
        FieldCity => "Town or city", "城市";
        FieldPostcode => "Postcode", "邮编";
        SignUp => "Create an account", "创建账户";
        AccountNav => "Account", "账户";
        Email => "Email address", "电子邮箱";
        Password => "Password", "密码";
        YourName => "Your name", "姓名";
        PasswordHint => "At least 8 characters. A few unrelated words make a strong password that is easy to remember.", "至少 8 个字符。几个不相关的词组成的密码既安全又好记。";
        NewHere => "New here?", "第一次来？";
        HaveAccount => "Already have an account?", "已有账户？";
        SignUpIntro => "An account keeps your addresses, favourites and orders in one place.", "账户会把你的地址、收藏和订单集中保存。";
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
        CountryHint => "Two letters, such as GB, FR or CN.", "两个字母，例如 GB、FR 或 CN。";
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
    }
}
