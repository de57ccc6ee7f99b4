//! Configuration from the environment and the command line.

/// Where the embedded database lives unless DATABASE_URL says otherwise.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/emporium.db";

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    /// Seed the demo catalogue and history into an empty database at start-up.
    pub demo: bool,
}

impl Config {
    pub fn from_env_and_args(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let mut demo = std::env::var("EMPORIUM_DEMO").is_ok_and(|v| v == "1" || v == "true");
        for arg in args {
            match arg.as_str() {
                "--demo" => demo = true,
                "--help" | "-h" => return Err(USAGE.to_string()),
                other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
            }
        }
        let database_url = std::env::var("DATABASE_URL")
            .ok()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        Ok(Self { database_url, demo })
    }
}

const USAGE: &str = "usage: server [--demo]

  --demo   seed the demo catalogue and order history (UCI Online Retail) into an empty database

environment:
  DATABASE_URL      sqlite://PATH (default sqlite://data/emporium.db) or postgres://...
  LEPTOS_SITE_ADDR  address to listen on (default 127.0.0.1:3000)
  LEPTOS_SITE_ROOT  folder of the built site (default target/site)
  RUST_LOG          log filter (default info)";
