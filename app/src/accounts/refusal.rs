//! Why an account request is refused, as data: each refusal carries what its message
//! needs, and is put into words once, in the shopper's language, where it is shown
//! ([`AccountsRefusal::message`]).

use crate::accounts::text::AccountsText;
use serde::{Deserialize, Serialize};

use crate::i18n::{say, text, Locale};

/// A form field, named in a refusal the way its form labels it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    YourName,
    FullName,
    Line1,
    Line2,
    City,
    Postcode,
}

impl Field {
    pub fn label(self) -> AccountsText {
        match self {
            Field::YourName => AccountsText::FieldYourName,
            Field::FullName => AccountsText::FieldFullName,
            Field::Line1 => AccountsText::FieldLine1,
            Field::Line2 => AccountsText::FieldLine2,
            Field::City => AccountsText::FieldCity,
            Field::Postcode => AccountsText::FieldPostcode,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountsRefusal {
    EmailMissing,
    EmailTooLong,
    EmailNoAt,
    EmailBadLocal,
    EmailBadDomain,
    EmailBadChars,
    NameMissing,
    FieldTooLong {
        field: Field,
        max: usize,
    },
    FieldBadChars {
        field: Field,
    },
    FieldRequired {
        field: Field,
    },
    CountryInvalid,
    PostcodeChars,
    PhoneInvalid,
    PasswordTooShort {
        min: usize,
        chars: usize,
    },
    PasswordTooLong {
        max: usize,
    },
    PasswordCommon,
    PasswordIsEmail,
    PasswordMissing,
    /// Throttled: wait this many seconds (at least 1).
    TooManyAttempts {
        wait_secs: i64,
    },
    WrongCredentials,
    EmailTaken,
    CurrentPasswordWrong,
    NewPasswordSame,
    DeviceNotFound,
    AddressNotFound,
    AddressBookFull {
        max: usize,
    },
    StaffQueryShort,
    OwnRole,
    NoSuchAccount,
    /// Provisioning (the demo accounts): the email is another account's.
    EmailOfAnotherAccount {
        email: String,
    },
}

impl AccountsRefusal {
    pub fn message(&self, locale: Locale) -> String {
        use AccountsRefusal::*;
        match self {
            EmailMissing => say!(locale, "Please enter your email address.", "请输入邮箱地址。"),
            EmailTooLong => say!(
                locale,
                "That email address is too long (at most 254 characters).",
                "邮箱地址太长（最多 254 个字符）。"
            ),
            EmailNoAt => say!(
                locale,
                "That email address needs an @, as in name@example.com.",
                "邮箱地址需要包含 @，例如 name@example.com。"
            ),
            EmailBadLocal => say!(
                locale,
                "That email address has an invalid part before the @.",
                "邮箱地址 @ 前的部分无效。"
            ),
            EmailBadDomain => say!(
                locale,
                "That email address has an invalid domain after the @.",
                "邮箱地址 @ 后的域名无效。"
            ),
            EmailBadChars => say!(
                locale,
                "That email address contains characters that are not allowed.",
                "邮箱地址包含不允许的字符。"
            ),
            NameMissing => say!(locale, "Please enter your name.", "请输入姓名。"),
            FieldTooLong { field, max } => {
                let field = text(locale, field.label());
                say!(
                    locale,
                    "{field} can have at most {max} characters.",
                    "{field}最多 {max} 个字符。"
                )
            }
            FieldBadChars { field } => {
                let field = text(locale, field.label());
                say!(
                    locale,
                    "{field} contains characters that are not allowed.",
                    "{field}包含不允许的字符。"
                )
            }
            FieldRequired { field } => {
                let field = text(locale, field.label());
                say!(locale, "{field} is required.", "请填写{field}。")
            }
            CountryInvalid => say!(
                locale,
                "Country must be a two-letter code such as GB, FR or CN.",
                "国家/地区须为两个字母的代码，如 GB、FR 或 CN。"
            ),
            PostcodeChars => say!(
                locale,
                "Postcode may contain only letters, digits, spaces and hyphens.",
                "邮编只能包含字母、数字、空格和连字符。"
            ),
            PhoneInvalid => say!(
                locale,
                "Phone number must have 6 to 15 digits (spaces, +, - and brackets allowed).",
                "电话号码须为 6 到 15 位数字（可含空格、+、- 和括号）。"
            ),
            PasswordTooShort { min, chars } => say!(
                locale,
                "Your password needs at least {min} characters; this one has {chars}.",
                "密码至少需要 {min} 个字符，当前为 {chars} 个。"
            ),
            PasswordTooLong { max } => say!(
                locale,
                "Your password can have at most {max} characters.",
                "密码最多 {max} 个字符。"
            ),
            PasswordCommon => say!(
                locale,
                "That password is one of the most common ones and easy to guess. Please choose another.",
                "该密码是最常见的密码之一，很容易被猜到。请换一个。"
            ),
            PasswordIsEmail => say!(
                locale,
                "Your password must not be your email address. Please choose another.",
                "密码不能与邮箱地址相同。请换一个。"
            ),
            PasswordMissing => say!(locale, "Please enter your password.", "请输入密码。"),
            TooManyAttempts { wait_secs } => say!(
                locale,
                "Too many failed sign-in attempts. Please wait {wait_secs} seconds and try again.",
                "登录失败次数过多。请等待 {wait_secs} 秒后重试。"
            ),
            WrongCredentials => say!(
                locale,
                "That email and password do not match an account. Check both and try again.",
                "邮箱和密码与任何账户都不匹配。请检查后重试。"
            ),
            EmailTaken => say!(
                locale,
                "An account with that email already exists. Sign in instead, or use another email.",
                "该邮箱已注册账户。请直接登录，或使用其他邮箱。"
            ),
            CurrentPasswordWrong => say!(
                locale,
                "Your current password is not correct.",
                "当前密码不正确。"
            ),
            NewPasswordSame => say!(
                locale,
                "The new password must differ from the current one.",
                "新密码不能与当前密码相同。"
            ),
            DeviceNotFound => say!(
                locale,
                "That device is not signed in to your account.",
                "该设备未登录你的账户。"
            ),
            AddressNotFound => say!(
                locale,
                "That address is not in your address book.",
                "该地址不在你的地址簿中。"
            ),
            AddressBookFull { max } => say!(
                locale,
                "Your address book is full ({max} addresses). Delete one first.",
                "地址簿已满（{max} 个地址）。请先删除一个。"
            ),
            StaffQueryShort => say!(
                locale,
                "Type at least 3 characters of an email or name.",
                "请输入邮箱或姓名的至少 3 个字符。"
            ),
            OwnRole => say!(
                locale,
                "You cannot change your own role; ask another administrator.",
                "不能更改自己的角色；请联系其他管理员。"
            ),
            NoSuchAccount => say!(locale, "No such account.", "没有这个账户。"),
            EmailOfAnotherAccount { email } => say!(
                locale,
                "{email} belongs to another account.",
                "{email} 属于另一个账户。"
            ),
        }
    }
}

impl From<AccountsRefusal> for crate::error::Refusal {
    fn from(r: AccountsRefusal) -> Self {
        crate::error::Refusal::Accounts(r)
    }
}
