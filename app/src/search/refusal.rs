//! Why a search is refused, as data, put into words where it is shown
//! ([`SearchRefusal::message`]).

use serde::{Deserialize, Serialize};

use crate::i18n::{say, Locale};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SearchRefusal {
    TooLong { max: usize },
    NoSuchPriceBand,
    NoSuchCategory,
}

impl SearchRefusal {
    pub fn message(&self, locale: Locale) -> String {
        match self {
            SearchRefusal::TooLong { max } => say!(
                locale,
                "That search is too long: please use at most {max} characters.",
                "搜索内容太长：请最多使用 {max} 个字符。"
            ),
            SearchRefusal::NoSuchPriceBand => {
                say!(locale, "There is no such price band.", "没有这个价格区间。")
            }
            SearchRefusal::NoSuchCategory => {
                say!(locale, "There is no such category.", "没有这个分类。")
            }
        }
    }
}

impl From<SearchRefusal> for crate::error::Refusal {
    fn from(r: SearchRefusal) -> Self {
        crate::error::Refusal::Search(r)
    }
}
