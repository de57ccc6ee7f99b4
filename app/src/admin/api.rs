//! Back-office server functions. Support agents and administrators look customers up;
//! only administrators change roles. The domain functions live in `accounts::service`.

use leptos::prelude::*;
use server_fn::codec::GetUrl;

use crate::accounts::model::{CustomerSummary, Role};
use crate::error::AppError;

/// Support agents and administrators look customers up.
#[server(prefix = "/api", endpoint = "staff/customers", input = GetUrl)]
pub async fn find_customers(q: String) -> Result<Vec<CustomerSummary>, AppError> {
    crate::accounts::guard::require_staff()?;
    let state = crate::state::app_state()?;
    crate::accounts::service::find_customers(&*state.store, &q).await
}

/// Administrators only.
#[server(prefix = "/api", endpoint = "admin/role")]
pub async fn set_role(id: i64, role: Role) -> Result<(), AppError> {
    let admin = crate::accounts::guard::require_role(&[Role::Admin])?;
    let state = crate::state::app_state()?;
    crate::accounts::service::set_role(&*state.store, &admin, id, role).await
}
