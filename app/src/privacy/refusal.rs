//! Why a privacy request is refused, as data, put into words where it is shown
//! ([`PrivacyRefusal::message`]).

use serde::{Deserialize, Serialize};

use crate::i18n::{say, Locale};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PrivacyRefusal {
    /// Account deletion: the password given is not the account's.
    DeletePasswordWrong,
}

impl PrivacyRefusal {
    pub fn message(&self, locale: Locale) -> String {
        match self {
            PrivacyRefusal::DeletePasswordWrong => say!(
                locale,
                "That password is not correct, so nothing was deleted.",
                "密码不正确，因此未删除任何内容。"
            ),
        }
    }
}

impl From<PrivacyRefusal> for crate::error::Refusal {
    fn from(r: PrivacyRefusal) -> Self {
        crate::error::Refusal::Privacy(r)
    }
}
