//! Privacy screens: the privacy centre of a member (`/account/privacy`: consents, data
//! export, account deletion) and the public privacy notice (`/privacy`).

pub mod centre;
pub mod notice;
