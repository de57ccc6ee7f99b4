//! The UI strings of the back office, in English and Simplified Chinese (shared
//! strings are `crate::i18n::Key`; refusals' words are in `refusal.rs`).

crate::i18n::translations! {
    pub enum AdminText {
        StaffTitle => "Customer look-up", "客户查询";
        StaffSearchLabel => "Email, name or customer reference", "邮箱、姓名或客户编号";
        StaffSearchHint => "Type at least 3 characters to find a customer.", "输入至少 3 个字符以查找客户。";
        StaffNoResults => "No customer matches.", "没有匹配的客户。";
        StaffEmail => "Email", "邮箱";
        StaffName => "Name", "姓名";
        StaffOrders => "Orders", "订单数";
        StaffCanSignIn => "Can sign in", "可登录";
        StaffRole => "Role", "角色";
        StaffSaveRole => "Save role", "保存角色";
        StaffRoleSaved => "Role saved. Their sessions were ended.", "角色已保存，其登录会话已结束。";
        RoleCustomer => "Customer", "顾客";
        RoleAgent => "Support agent", "客服专员";
        RoleAdmin => "Administrator", "管理员";
        Yes => "Yes", "是";
        No => "No", "否";
        DispatchTitle => "Orders to dispatch", "待发货订单";
        DispatchIntro => "Paid orders, oldest first: pack them, then hand them to the carrier.", "已付款订单，按时间先后排列：先打包，再交给承运商。";
        DispatchEmpty => "No paid orders are waiting.", "没有等待处理的已付款订单。";
        DispatchPack => "Mark packed", "标记为已打包";
        DispatchShip => "Ship", "发货";
        DispatchActions => "Actions", "操作";
        DispatchPacked => "Order {number} is packed.", "订单 {number} 已打包。";
        DispatchShipped => "Order {number} has shipped. Tracking number {tracking}.", "订单 {number} 已发货，运单号 {tracking}。";
    }
}
