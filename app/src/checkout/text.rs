//! The UI strings of the checkout, in English and Simplified Chinese (shared
//! strings are `crate::i18n::Key`; refusals' words are in `refusal.rs`).

crate::i18n::translations! {
    pub enum CheckoutText {
        MsgPaymentDeclined => "Your card was declined. Your order is saved: please try another card.", "你的银行卡被拒绝。订单已保存：请换一张卡再试。";
        MsgPaymentInsufficientFunds => "Your card was declined for insufficient funds. Your order is saved: please try another card.", "你的银行卡因余额不足被拒绝。订单已保存：请换一张卡再试。";
        MsgPaymentActionRequired => "Your bank asks you to confirm this payment.", "你的银行要求你确认此次付款。";
        MsgPaymentUnavailable => "We could not reach the payment provider. Your order is saved: please try paying again in a moment.", "无法连接支付服务。订单已保存：请稍后再试付款。";
        MsgPaymentInProgress => "A payment for this order is already in progress.", "此订单的付款正在处理中。";
        MsgOrderCancelledRefunded => "This order was cancelled before your payment arrived, so the payment has been returned to you.", "此订单在付款到账前已取消，款项已退回给你。";
        DeliveryStandard => "Standard delivery", "标准配送";
        DeliveryExpress => "Express delivery", "特快配送";
        DeliveryChosenDay => "Choose your day", "指定日期配送";
        DeliveryStandardHint => "2 to 4 working days after dispatch; free on orders of £50 or more.", "发货后 2 到 4 个工作日送达；订单满 £50 免运费。";
        DeliveryExpressHint => "The next working day after dispatch. Order by 2pm on a working day to have it dispatched that day.", "发货后下一个工作日送达。工作日下午 2 点前下单当天发货。";
        DeliveryChosenDayHint => "A day of your choice, 2 to 14 days ahead, Monday to Saturday.", "自选送达日期：2 到 14 天内，周一至周六。";
        PaymentFeeRate => "fee {rate}%", "手续费 {rate}%";
        PaymentPlan => "{n} monthly payments: {first} now, then {rest} a month", "分 {n} 期：首期 {first}，之后每月 {rest}";
        PaymentPayLaterHint => "Nothing to pay today: your card is charged when the parcel ships.", "今天无需付款：包裹发货时才从你的卡中扣款。";
        PaymentWalletHint => "You will confirm the payment in your wallet app (scan the QR code on the next page).", "你将在钱包应用中确认付款（在下一页扫描二维码）。";
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
    }
}
