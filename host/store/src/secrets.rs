//! Bearer secrets (operator and admin tokens): random, shown once, stored only as a hash.

use sha2::{Digest, Sha256};

/// A freshly generated bearer secret. Its text is shown once to whoever asked for it; the
/// store keeps only [`hash_secret`] of it.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// 32 random bytes, hex-encoded, after a short prefix that tells the token's kind at a glance
    /// (`hop_` operator, `hat_` tenant admin).
    pub fn generate(prefix: &str) -> Secret {
        let mut bytes = [0u8; 32];
        rand::fill(&mut bytes);
        Secret(format!("{prefix}{}", hex::encode(bytes)))
    }

    /// A secret chosen by the caller, such as the documented demo token.
    pub fn known(text: &str) -> Secret {
        Secret(text.to_owned())
    }

    /// The secret text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// SHA-256 of a secret, hex-encoded. Tokens carry 256 random bits, so a plain hash is enough:
/// a slow password hash would only slow down every request.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}
