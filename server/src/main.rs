use leptos::prelude::get_configuration;
use tracing_subscriber::EnvFilter;

use std::net::SocketAddr;

use app::accounts::model::Role;
use server::config::{Command, Config};

/// See the comment on `mimalloc` in Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,tantivy=warn")),
        )
        .init();
    let config = match Config::from_env_and_args(std::env::args().skip(1)) {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("{msg}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(config).await {
        eprintln!("emporium: {e}");
        std::process::exit(1);
    }
}

async fn run(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let security = server::security::SecurityOptions::from_env()?;
    let store = server::startup::open_store(&config.database_url, config.demo).await?;
    tracing::info!(backend = store.backend(), "database ready");
    match config.command {
        Command::Serve => {}
        Command::CreateAdmin { email, name } => {
            let password = read_password()?;
            let id = app::accounts::service::provision(
                &*store,
                &email,
                &name,
                &password,
                Role::Admin,
                None,
                app::state::now(),
            )
            .await?;
            println!("administrator {email} (account {id}) can now sign in");
            return Ok(());
        }
        Command::SetPassword { email, customer } => {
            let password = read_password()?;
            let existing = match customer {
                Some(id) => Some(id),
                None => store
                    .account_by_email(&email.trim().to_lowercase())
                    .await?
                    .map(|a| a.id),
            };
            let Some(existing) = existing else {
                return Err(format!(
                    "no account has the email {email}; use --customer ID for a seeded customer"
                )
                .into());
            };
            let role = store
                .account_by_id(existing)
                .await?
                .map(|a| a.role)
                .unwrap_or(Role::Customer);
            app::accounts::service::provision(
                &*store,
                &email,
                "",
                &password,
                role,
                Some(existing),
                app::state::now(),
            )
            .await?;
            println!("account {existing} can now sign in as {email}");
            return Ok(());
        }
    }
    let leptos_options = get_configuration(None)?.leptos_options;
    let addr = leptos_options.site_addr;
    let state = server::startup::app_state(store).await?;
    server::startup::spawn_session_purge(state.clone());
    server::startup::spawn_unpaid_order_expiry(state.clone());
    server::startup::spawn_order_completion(state.clone());
    server::carrier::spawn_simulated_carrier(state.clone());
    let app = server::router::router_with(leptos_options, state, security);
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    tracing::info!("listening on http://{addr}");
    // The socket address is the client address unless a trusted proxy says otherwise.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
}

/// The password for create-admin / set-password: EMPORIUM_PASSWORD, else one line of stdin
/// (so it stays out of the shell history and the process list).
fn read_password() -> Result<String, Box<dyn std::error::Error>> {
    if let Ok(p) = std::env::var("EMPORIUM_PASSWORD") {
        return Ok(p);
    }
    eprint!("password: ");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let p = line.trim_end_matches(['\r', '\n']).to_string();
    if p.is_empty() {
        return Err("no password given (EMPORIUM_PASSWORD or standard input)".into());
    }
    Ok(p)
}

/// Ctrl-C or SIGTERM (what process managers send): finish in-flight requests, then stop.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
