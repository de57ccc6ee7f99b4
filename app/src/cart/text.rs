//! The UI strings of the cart, in English and Simplified Chinese (shared
//! strings are `crate::i18n::Key`; refusals' words are in `refusal.rs`).

crate::i18n::translations! {
    pub enum CartText {
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
        Cart => "Cart", "购物车";
        CartTitle => "Your cart", "你的购物车";
        CartEmpty => "Your cart is empty.", "你的购物车是空的。";
        UpdateQuantity => "Update", "更新";
        RemoveFromCart => "Remove", "移除";
        CheckoutLater => "Prices and stock are checked again when you place your order.", "下单时会再次核对价格和库存。";
    }
}
