//! Buyer passwords: Argon2id hashes in PHC strings (RustCrypto defaults, m=19 MiB, t=2, p=1,
//! OWASP's recommended floor), computed off the async threads. Verification comes with login.

use argon2::Argon2;
use argon2::password_hash::PasswordHasher;
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

#[cfg(test)]
mod tests {
    use argon2::password_hash::PasswordVerifier;
    use argon2::password_hash::phc::PasswordHash;

    use super::*;

    fn verify(password: &str, hash: &str) -> bool {
        PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    }

    #[tokio::test]
    async fn hashes_verify_only_their_password() {
        let password = Password::parse("correct horse 1").unwrap();
        let hash = hash(&password).await.unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify("correct horse 1", &hash));
        assert!(!verify("correct horse 2", &hash));
        assert!(!verify("correct horse 1", "not a hash"));
        assert_ne!(hash, super::hash(&password).await.unwrap(), "salted");
    }
}
