//! Buyer passwords: Argon2id hashes in PHC strings (RustCrypto defaults, m=19 MiB, t=2, p=1,
//! OWASP's recommended floor), computed off the async threads.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use hanse_domain::company::Password;

use crate::error::ApiError;

/// Hashes a new password.
pub async fn hash(password: &Password) -> Result<String, ApiError> {
    let password = password.expose().to_owned();
    tokio::task::spawn_blocking(move || Argon2::default().hash_password(password.as_bytes()).map(|hash| hash.to_string()))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}

/// Whether `password` matches `hash`. A hash that cannot be read never matches. Without a hash
/// (no such account) a stand-in is checked, so the answer takes as long either way and does not
/// tell which addresses have accounts.
pub async fn verify(password: &str, hash: Option<&str>) -> Result<bool, ApiError> {
    let password = password.to_owned();
    let hash = hash.map(str::to_owned);
    tokio::task::spawn_blocking(move || {
        static STAND_IN: OnceLock<String> = OnceLock::new();
        let stand_in = STAND_IN.get_or_init(|| Argon2::default().hash_password(b"no account has this password").map(|h| h.to_string()).unwrap_or_default());
        let checked = hash.as_deref().unwrap_or(stand_in);
        let matches = PasswordHash::new(checked).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok());
        matches && hash.is_some()
    })
    .await
    .map_err(ApiError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_only_their_password() {
        let password = Password::parse("correct horse 1").unwrap();
        let hash = hash(&password).await.unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify("correct horse 1", Some(&hash)).await.unwrap());
        assert!(!verify("correct horse 2", Some(&hash)).await.unwrap());
        assert!(!verify("correct horse 1", Some("not a hash")).await.unwrap());
        assert!(!verify("no account has this password", None).await.unwrap());
        assert_ne!(hash, super::hash(&password).await.unwrap(), "salted");
    }
}
