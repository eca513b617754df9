//! The `hanse` command line.

mod check;
mod import;
mod plugin;
mod priority;
mod tenant;

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use hanse_store::{ConnectOptions, Store, StoreError};

use crate::serve::{ServeOptions, serve};
use crate::telemetry::{LogFormat, init_logging};

/// The default database: an SQLite file under `./data/`, created when missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/hanse.db";

/// Hanse: multi-tenant B2B commerce with merchant logic in sandboxed WebAssembly.
#[derive(Parser)]
#[command(name = "hanse", version, propagate_version = true)]
#[command(about = "Hanse: multi-tenant B2B commerce with merchant logic in sandboxed WebAssembly")]
pub struct Cli {
    /// Database to use: `sqlite://FILE` (the default, created when missing) or `postgres://...`.
    #[arg(long, global = true, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
    database_url: String,

    /// Database connection pool size (default: on SQLite two per core, 4 to 16, plus one connection
    /// that all writes go through; 16 on PostgreSQL).
    #[arg(long, global = true, env = "HANSE_DB_MAX_CONNECTIONS")]
    db_max_connections: Option<u32>,

    /// Log format on stderr. The level comes from RUST_LOG (default `info`).
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (migrations are applied at start).
    ///
    /// The operator token comes from HANSE_OPERATOR_TOKEN; when it is unset, one is generated on
    /// the first start, stored hashed, and printed once. Stop with Ctrl-C or SIGTERM: requests in
    /// flight are finished first.
    Serve {
        /// Address to listen on (port 0 picks a free port, printed at start).
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
        /// Seed the demo tenant `demo` with a small catalog, with admin token `demo-admin-token`;
        /// unless HANSE_OPERATOR_TOKEN is set, the operator token is `demo-operator-token`.
        /// For trying Hanse out only.
        #[arg(long)]
        demo: bool,
        /// Folder for compiled plugin components, reused across restarts.
        #[arg(long, env = "HANSE_PLUGIN_CACHE_DIR", default_value = "data/plugin-cache")]
        plugin_cache_dir: std::path::PathBuf,
        /// How much lower than the database threads the request threads run: a nice increment,
        /// 0 to 19 (Linux). SQLite's connection threads then get a core as soon as they wake,
        /// and its one write lock is held for less time on a busy machine (10 on a host of its
        /// own: BENCHMARKS.md). Plugins run on the request threads against deadlines in wall time,
        /// so on a host shared with busy processes a lowered server can miss them.
        #[arg(long, env = "HANSE_REQUEST_NICE", default_value_t = 0, value_parser = clap::value_parser!(i32).range(0..=19))]
        request_nice: i32,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage tenants.
    #[command(subcommand)]
    Tenant(tenant::TenantCommand),
    /// Bulk imports.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Stock: prove the salable quantities against the reservation ledger and the sources.
    #[command(subcommand)]
    Inventory(check::InventoryCommand),
    /// Company credit: prove the balances against the credit history.
    #[command(subcommand)]
    Credit(check::CreditCommand),
    /// Develop plugins: scaffold a crate, run a component locally.
    #[command(subcommand)]
    Plugin(plugin::PluginCommand),
    /// Print the OpenAPI document (JSON) and exit.
    Openapi,
}

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The database refused or failed.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// A file, socket or terminal failed.
    #[error("{0}")]
    Io(String),
    /// The command's input is wrong.
    #[error("{0}")]
    Usage(String),
    /// A check found data that does not balance.
    #[error("{0}")]
    Drift(String),
}

/// Parses the command line, runs the command, and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format);
    let nice = match cli.command {
        Command::Serve { request_nice, .. } => request_nice,
        _ => 0,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().on_thread_start(move || priority::lower_this_thread(nice)).build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(execute(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn execute(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Openapi => {
            let json = crate::api::openapi().to_pretty_json().map_err(|e| CliError::Io(e.to_string()))?;
            println!("{json}");
            return Ok(());
        }
        // Plugin development needs no database.
        Command::Plugin(command) => return plugin::run(command).await,
        _ => {}
    }
    let store = open_store(&cli).await?;
    match cli.command {
        Command::Serve { bind, demo, plugin_cache_dir, .. } => serve(store, ServeOptions { bind, demo, plugin_cache_dir }).await,
        Command::Migrate => {
            println!("migrations applied");
            Ok(())
        }
        Command::Tenant(command) => tenant::run(&store, command).await,
        Command::Import(command) => import::run(&store, command).await,
        Command::Inventory(command) => check::inventory(&store, command).await,
        Command::Credit(command) => check::credit(&store, command).await,
        Command::Openapi | Command::Plugin(_) => Ok(()),
    }
}

/// Connects and migrates.
async fn open_store(cli: &Cli) -> Result<Store, CliError> {
    let options = ConnectOptions { url: cli.database_url.clone(), max_connections: cli.db_max_connections };
    let store = Store::connect(&options).await?;
    store.migrate().await?;
    Ok(store)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_line_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
