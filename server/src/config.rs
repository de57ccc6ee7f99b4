//! Configuration from the environment and the command line.

/// Where the embedded database lives unless DATABASE_URL says otherwise.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/emporium.db";

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    /// Seed the demo catalogue and history into an empty database at start-up.
    pub demo: bool,
    pub command: Command,
}

/// What the binary was asked to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Serve,
    /// Create (or promote) an administrator; the password comes from
    /// EMPORIUM_PASSWORD or the first line of standard input, never from a default.
    CreateAdmin {
        email: String,
        name: String,
    },
    /// Give an account (a seeded customer by id, or an email) a password.
    SetPassword {
        email: String,
        customer: Option<i64>,
    },
}

impl Config {
    pub fn from_env_and_args(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let mut demo = std::env::var("EMPORIUM_DEMO").is_ok_and(|v| v == "1" || v == "true");
        let mut args = args.into_iter();
        let mut command = Command::Serve;
        let (mut email, mut name, mut customer) = (None, None, None);
        let mut verb: Option<String> = None;
        while let Some(arg) = args.next() {
            let mut value = |flag: &str| {
                args.next()
                    .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
            };
            match arg.as_str() {
                "--demo" => demo = true,
                "--email" => email = Some(value("--email")?),
                "--name" => name = Some(value("--name")?),
                "--customer" => {
                    let v = value("--customer")?;
                    customer = Some(
                        v.parse::<i64>()
                            .map_err(|_| format!("--customer {v:?} is not a customer id"))?,
                    );
                }
                "create-admin" | "set-password" if verb.is_none() => verb = Some(arg.clone()),
                "--help" | "-h" => return Err(USAGE.to_string()),
                other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
            }
        }
        if let Some(verb) = verb {
            let email = email.ok_or_else(|| format!("{verb} needs --email\n{USAGE}"))?;
            command = match verb.as_str() {
                "create-admin" => Command::CreateAdmin {
                    email,
                    name: name.unwrap_or_else(|| "Administrator".into()),
                },
                _ => Command::SetPassword { email, customer },
            };
        }
        let database_url = std::env::var("DATABASE_URL")
            .ok()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        Ok(Self {
            database_url,
            demo,
            command,
        })
    }
}

const USAGE: &str = "usage: server [--demo]
       server create-admin --email EMAIL [--name NAME]
       server set-password --email EMAIL [--customer ID]

  --demo         seed the demo catalogue and order history (UCI Online Retail) into an empty
                 database, and create the demo shopper (see README)
  create-admin   create the first administrator (or make an account one); the password is
                 read from EMPORIUM_PASSWORD or the first line of standard input
  set-password   set an account's password; with --customer, give that seeded customer
                 this email too, so they can sign in

environment:
  DATABASE_URL      sqlite://PATH (default sqlite://data/emporium.db) or postgres://...
  LEPTOS_SITE_ADDR  address to listen on (default 127.0.0.1:3000)
  LEPTOS_SITE_ROOT  folder of the built site (default target/site)
  RUST_LOG          log filter (default info)
  EMPORIUM_TRUSTED_PROXIES  comma-separated proxy addresses whose X-Forwarded-For is believed
  EMPORIUM_HSTS     1 when the shop is served over HTTPS only (sends Strict-Transport-Security)";

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, String> {
        Config::from_env_and_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn commands_parse_and_refuse_missing_values() {
        assert_eq!(parse(&[]).unwrap().command, Command::Serve);
        assert_eq!(
            parse(&["create-admin", "--email", "boss@example.com"])
                .unwrap()
                .command,
            Command::CreateAdmin {
                email: "boss@example.com".into(),
                name: "Administrator".into()
            }
        );
        assert_eq!(
            parse(&["set-password", "--email", "a@b.co", "--customer", "12347"])
                .unwrap()
                .command,
            Command::SetPassword {
                email: "a@b.co".into(),
                customer: Some(12347)
            }
        );
        assert!(parse(&["create-admin"]).unwrap_err().contains("--email"));
        assert!(parse(&["set-password", "--email", "a@b.co", "--customer", "x"]).is_err());
        assert!(parse(&["--email"]).unwrap_err().contains("needs a value"));
    }
}
