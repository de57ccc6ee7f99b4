//! Consent purposes and settings on the wire.

use serde::{Deserialize, Serialize};

/// Version of the privacy notice a consent decision was made under. Bump it when the
/// notice changes what a purpose covers.
pub const POLICY_VERSION: &str = "2026-11";

/// What a member may opt in to. Everything is off until they turn it on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Purpose {
    /// Recommendations chosen from their orders, favourites and views.
    Personalisation,
    /// Recording product views and searches to improve the shop.
    Analytics,
    /// Offers and news by email.
    Marketing,
}

impl Purpose {
    pub const ALL: [Purpose; 3] = [
        Purpose::Personalisation,
        Purpose::Analytics,
        Purpose::Marketing,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Personalisation => "personalisation",
            Purpose::Analytics => "analytics",
            Purpose::Marketing => "marketing",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentSetting {
    pub purpose: Purpose,
    pub granted: bool,
    /// When the member last decided, None if never (off by default).
    pub decided_at: Option<i64>,
    pub policy_version: Option<String>,
}
