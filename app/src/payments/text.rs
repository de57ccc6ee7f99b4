//! The UI strings of the payments, in English and Simplified Chinese (shared
//! strings are `crate::i18n::Key`; refusals' words are in `refusal.rs`).

crate::i18n::translations! {
    pub enum PaymentsText {
        PaymentAlipay => "Alipay", "支付宝";
        PaymentWechatPay => "WeChat Pay", "微信支付";
        PaymentInstalments3 => "Card, 3 monthly instalments", "信用卡分 3 期";
        PaymentInstalments6 => "Card, 6 monthly instalments", "信用卡分 6 期";
        PaymentInstalments12 => "Card, 12 monthly instalments", "信用卡分 12 期";
        PaymentPayLater => "Pay later (in 30 days)", "先收货后付款（30 天内）";
        PaymentCard => "Credit or debit card", "信用卡或借记卡";
    }
}
