//! The demo seed: a year of real orders of a UK gift wholesaler, turned into the shop's
//! catalogue, customers, order history and refunds.
//!
//! * [`format`]: [`format::SeedData`], the in-memory seed, and its committed, compact,
//!   gzip-compressed text form `server/seed/online-retail.seed.gz`, which is compiled into the
//!   binary ([`format::SeedData::embedded`]). Nothing reads the source data at run or test
//!   time.
//! * [`build`]: derives the seed from the UCI "Online Retail" CSV; run by the `make_seed`
//!   binary (`cargo run --release -p server --bin make_seed -- <csv.gz> <seed.gz>`). Its
//!   module docs list every rule (excluded stock codes, prices, stock, refund matching).
//! * [`import`]: writes a seed into an empty SQLite or PostgreSQL database in one
//!   transaction, shifting the history so that its newest order happened yesterday.
//!
//! Source: Chen, D. (2015). Online Retail [Dataset]. UCI Machine Learning Repository.
//! <https://doi.org/10.24432/C5BW33>. Licensed CC BY 4.0.

pub mod build;
pub mod format;
pub mod import;
