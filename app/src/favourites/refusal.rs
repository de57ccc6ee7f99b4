//! Why a favourites change is refused, as data, put into words where it is shown
//! ([`FavouritesRefusal::message`]).

use serde::{Deserialize, Serialize};

use crate::i18n::{say, Locale};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FavouritesRefusal {
    TooManyAtOnce { max: usize },
    TooMany { max: usize },
}

impl FavouritesRefusal {
    pub fn message(&self, locale: Locale) -> String {
        match self {
            FavouritesRefusal::TooManyAtOnce { max } => say!(
                locale,
                "At most {max} favourites can be added at once.",
                "一次最多可添加 {max} 个收藏。"
            ),
            FavouritesRefusal::TooMany { max } => say!(
                locale,
                "You can keep at most {max} favourites. Remove some first.",
                "最多可保留 {max} 个收藏。请先移除一些。"
            ),
        }
    }
}

impl From<FavouritesRefusal> for crate::error::Refusal {
    fn from(r: FavouritesRefusal) -> Self {
        crate::error::Refusal::Favourites(r)
    }
}
