//! Running the server: operator token, optional demo data, listening, graceful shutdown.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use hanse_runtime::bundled::FIRST_PARTY;
use hanse_runtime::{Runtime, RuntimeOptions};
use hanse_store::{Store, hash_secret};
use tokio::net::TcpListener;

use crate::cli::CliError;
use crate::plugins::host::PluginHost;
use crate::plugins::manifest;
use crate::state::AppState;
use crate::{api, demo, telemetry};

/// The environment variable holding the operator token.
pub const OPERATOR_TOKEN_ENV: &str = "HANSE_OPERATOR_TOKEN";

/// Options of `hanse serve`.
pub struct ServeOptions {
    /// Address to listen on; port 0 picks a free port.
    pub bind: SocketAddr,
    /// Seed the demo tenant and use the demo tokens.
    pub demo: bool,
    /// Folder for compiled plugin components, reused across restarts.
    pub plugin_cache_dir: PathBuf,
}

/// Serves until SIGINT or SIGTERM, then finishes the requests in flight and closes the pool.
pub async fn serve(store: Store, options: ServeOptions) -> Result<(), CliError> {
    let env_token = std::env::var(OPERATOR_TOKEN_ENV).ok().filter(|t| !t.trim().is_empty());
    let operator_hash = match (env_token, options.demo) {
        (Some(token), _) => hash_secret(token.trim()),
        (None, true) => {
            tracing::warn!("demo mode: the operator token is {:?}; never expose this instance", demo::OPERATOR_TOKEN);
            hash_secret(demo::OPERATOR_TOKEN)
        }
        (None, false) => operator_token_from_store(&store).await?,
    };
    if options.demo {
        demo::seed(&store).await?;
    }
    telemetry::start_metrics();
    let runtime = Runtime::new(RuntimeOptions { cache_dir: Some(options.plugin_cache_dir.clone()) })
        .map_err(|e| CliError::Io(format!("cannot start the plugin runtime: {e}")))?;
    let plugins = Arc::new(PluginHost::new(runtime));
    register_first_party(&store, &plugins).await?;
    plugins.start_flushing(store.clone(), Duration::from_millis(500));
    let listener = TcpListener::bind(options.bind)
        .await
        .map_err(|e| CliError::Io(format!("cannot listen on {}: {e}", options.bind)))?;
    let local = listener.local_addr().map_err(|e| CliError::Io(e.to_string()))?;
    tracing::info!(address = %local, backend = ?store.backend(), "listening");
    // A plain line on stdout too: scripts and tests read the port from it when binding port 0.
    println!("hanse listening on http://{local}");
    let app = api::app(AppState::new(store.clone(), operator_hash, plugins.clone()));
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| CliError::Io(e.to_string()))?;
    tracing::info!("shutting down");
    if let Err(e) = plugins.flush(&store).await {
        tracing::warn!(error = ?e, "execution records lost at shutdown");
    }
    store.close().await;
    Ok(())
}

/// The stored operator token's hash, generating the token (and printing it, this once) on the
/// first start.
async fn operator_token_from_store(store: &Store) -> Result<String, CliError> {
    if let Some(secret) = store.settings().ensure_operator_token().await? {
        println!();
        println!("  Generated the operator token. It is shown only now; store it safely:");
        println!();
        println!("    {}", secret.expose());
        println!();
        println!("  Use it as `Authorization: Bearer <token>` on /operator/v1, or set {OPERATOR_TOKEN_ENV}.");
        println!();
    }
    store
        .settings()
        .operator_token_hash()
        .await?
        .ok_or_else(|| CliError::Io("the operator token could not be stored".into()))
}

/// Publishes the plugins shipped in the binary to the platform registry (once per version).
async fn register_first_party(store: &Store, plugins: &Arc<PluginHost>) -> Result<(), CliError> {
    for bundled in FIRST_PARTY {
        let manifest = manifest::parse(bundled.manifest).map_err(|e| CliError::Io(format!("bundled plugin manifest: {e:?}")))?;
        plugins
            .prepare_bytes(manifest.kind, bundled.component.to_vec())
            .await
            .map_err(|e| CliError::Io(format!("bundled plugin {}: {e:?}", manifest.id)))?;
        let package = manifest.into_package(bundled.component, None);
        if let Err(e) = store.registry().publish(&package, bundled.component).await {
            tracing::error!(plugin = %package.id, version = %package.version, error = %e, "bundled plugin not registered");
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
