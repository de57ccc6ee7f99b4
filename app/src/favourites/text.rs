//! The UI strings of the favourites, in English and Simplified Chinese (shared
//! strings are `crate::i18n::Key`; refusals' words are in `refusal.rs`).

crate::i18n::translations! {
    pub enum FavouritesText {
        AddFavourite => "Add to favourites", "加入收藏";
        RemoveFavourite => "Remove from favourites", "取消收藏";
        NoFavourites => "You have no favourites yet. Tap the heart on a product to keep it here.", "还没有收藏。点商品上的心形按钮即可收藏。";
        FavouritesNeedJs => "Favourites are kept in this browser and need JavaScript.", "收藏保存在本浏览器中，需要启用 JavaScript。";
    }
}
