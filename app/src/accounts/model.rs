//! Account types on the wire, shared by the server and the browser.

use serde::{Deserialize, Serialize};

/// Who someone is to the shop. Every server function checks it on the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Customer,
    /// Support staff: may look up customers to help them, may not change roles.
    Agent,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Agent => "agent",
            Role::Admin => "admin",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "customer" => Some(Role::Customer),
            "agent" => Some(Role::Agent),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Agent | Role::Admin)
    }
}

/// The signed-in user, as pages see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub id: i64,
    pub full_name: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub postcode: String,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    pub phone: String,
    pub is_default: bool,
}

/// An address as typed into the form; [`crate::accounts::validate::address`] checks it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressInput {
    pub full_name: String,
    pub line1: String,
    #[serde(default)]
    pub line2: String,
    pub city: String,
    pub postcode: String,
    pub country: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub make_default: bool,
}

/// A signed-in device (one session) on the devices page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// Public identifier used to sign this device out; not a credential.
    pub id: String,
    pub user_agent: String,
    pub ip: String,
    pub signed_in_at: i64,
    pub last_seen_at: i64,
    pub current: bool,
}

/// What staff see when they look a customer up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerSummary {
    pub id: i64,
    pub email: Option<String>,
    pub name: String,
    pub role: Role,
    pub order_count: i64,
    pub can_sign_in: bool,
}
