//! The statements of every store, with the rows they read, one file per domain. The SQL
//! runs unchanged on SQLite and PostgreSQL: `$n` placeholders, `ON CONFLICT`, `RETURNING`,
//! integers for booleans, and BIGINT integer columns on PostgreSQL so that every integer
//! decodes as i64 on both. The methods that run them are in `store/`, one file per port.

pub mod accounts;
pub mod cart;
pub mod catalog;
pub mod coupons;
pub mod orders;
pub mod payments;
pub mod privacy;
pub mod profile;
pub mod tracking;
