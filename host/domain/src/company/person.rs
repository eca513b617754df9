//! The people of a company: e-mail addresses, names, passwords.

use std::fmt;

use crate::ValueError;

/// An e-mail address, trimmed and lower-cased (one person per address and tenant): a local part
/// and a domain with a dot, no spaces, at most 254 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    /// Parses an address.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let email = text.trim().to_lowercase();
        let valid = email.len() <= 254
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && local.len() <= 64
                    && !domain.contains('@')
                    && domain.contains('.')
                    && domain.split('.').all(|label| !label.is_empty())
            });
        if valid { Ok(Email(email)) } else { Err(ValueError::new(format!("{text:?} is not an e-mail address"))) }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted (hashing cost grows with it).
pub const MAX_PASSWORD_BYTES: usize = 256;

/// A password as typed, checked for length only (NIST SP 800-63B: length over composition
/// rules). It never leaves the process except as a hash, and prints as `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Checks a new password.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        if text.chars().count() < MIN_PASSWORD_CHARS {
            return Err(ValueError::new(format!("must be at least {MIN_PASSWORD_CHARS} characters")));
        }
        if text.len() > MAX_PASSWORD_BYTES {
            return Err(ValueError::new(format!("must be at most {MAX_PASSWORD_BYTES} bytes")));
        }
        Ok(Password(text.to_owned()))
    }

    /// The password, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(Email::parse("  Ann@Bolt.Example ").unwrap().as_str(), "ann@bolt.example");
        for bad in ["", "ann", "ann@", "@bolt.example", "ann@bolt", "ann@@bolt.example", "a nn@bolt.example", "ann@bolt..example"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_need_length_and_never_print() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse(&"x".repeat(300)).is_err());
        let password = Password::parse("correct horse 1").unwrap();
        assert_eq!(password.expose(), "correct horse 1");
        assert_eq!(format!("{password:?}"), "Password(***)");
    }
}
