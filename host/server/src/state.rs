//! What every handler can reach.

use crate::auth::throttle::LoginThrottle;
use std::sync::Arc;

use hanse_store::Store;

use crate::plugins::host::PluginHost;

/// Shared application state. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    operator_token_hash: String,
    plugins: Arc<PluginHost>,
    login_throttle: LoginThrottle,
}

impl AppState {
    /// State over `store` and `plugins`, accepting the operator token whose SHA-256 is
    /// `operator_token_hash`.
    pub fn new(store: Store, operator_token_hash: String, plugins: Arc<PluginHost>) -> Self {
        AppState { inner: Arc::new(Inner { store, operator_token_hash, plugins, login_throttle: LoginThrottle::default() }) }
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Failed logins by account.
    pub(crate) fn login_throttle(&self) -> &LoginThrottle {
        &self.inner.login_throttle
    }

    /// SHA-256 (hex) of the operator token.
    pub fn operator_token_hash(&self) -> &str {
        &self.inner.operator_token_hash
    }

    /// The plugin host.
    pub fn plugins(&self) -> &Arc<PluginHost> {
        &self.inner.plugins
    }
}
