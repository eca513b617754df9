//! Tenants: the merchants one Hanse instance hosts.

use std::fmt;

use crate::ValueError;

/// A tenant's URL-safe handle (`acme`, `nordic-tools`): 2–63 lower-case letters, digits and
/// hyphens, starting with a letter and not ending with a hyphen, so it also works as a DNS label.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TenantSlug(String);

impl TenantSlug {
    /// Parses a slug.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let ok_len = (2..=63).contains(&text.len());
        let ok_chars = text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let ok_ends = text.starts_with(|c: char| c.is_ascii_lowercase()) && !text.ends_with('-');
        if ok_len && ok_chars && ok_ends {
            Ok(TenantSlug(text.to_owned()))
        } else {
            Err(ValueError::new(format!(
                "must be 2-63 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen, got {text:?}"
            )))
        }
    }

    /// The slug text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TenantSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A display name: 1–200 characters after trimming.
pub fn parse_name(text: &str, max: usize) -> Result<String, ValueError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(ValueError::new("is required"));
    }
    if trimmed.chars().count() > max {
        return Err(ValueError::new(format!("must be at most {max} characters")));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(ValueError::new("must not contain control characters"));
    }
    Ok(trimmed.to_owned())
}

crate::named_enum! {
    /// Whether a tenant is serving.
    pub enum TenantStatus {
        /// Serving its admin and storefront APIs.
        Active = "active",
        /// Stopped by the operator: its admin and storefront APIs answer `tenant_suspended`; its
        /// data is kept untouched.
        Suspended = "suspended",
    }
}

/// A host name a tenant's storefront answers on (`shop.acme.com`), lower-cased, without port.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Domain(String);

impl Domain {
    /// Parses a DNS host name: dot-separated labels of letters, digits and hyphens.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let lower = text.trim_end_matches('.').to_ascii_lowercase();
        let label_ok = |l: &str| {
            (1..=63).contains(&l.len())
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        if lower.len() <= 253 && lower.split('.').all(label_ok) {
            Ok(Domain(lower))
        } else {
            Err(ValueError::new(format!("must be a DNS host name such as \"shop.acme.com\", got {text:?}")))
        }
    }

    /// The host name text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for ok in ["acme", "nordic-tools", "a1", "demo"] {
            assert!(TenantSlug::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["a", "Acme", "1acme", "acme-", "ac me", "acme_x", "", &"a".repeat(64)] {
            assert!(TenantSlug::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names() {
        assert_eq!(parse_name("  Acme  ", 200).unwrap(), "Acme");
        assert!(parse_name("   ", 200).is_err());
        assert!(parse_name(&"x".repeat(201), 200).is_err());
        assert!(parse_name("a\u{0}b", 200).is_err());
    }

    #[test]
    fn statuses_round_trip() {
        for s in [TenantStatus::Active, TenantStatus::Suspended] {
            assert_eq!(TenantStatus::parse(s.as_str()).unwrap(), s);
        }
        assert!(TenantStatus::parse("deleted").is_err());
    }

    #[test]
    fn domains() {
        assert_eq!(Domain::parse("Shop.Acme.com.").unwrap().as_str(), "shop.acme.com");
        assert!(Domain::parse("localhost").is_ok());
        for bad in ["", "a..b", "-a.com", "a_b.com", "shop.acme.com:8080"] {
            assert!(Domain::parse(bad).is_err(), "{bad}");
        }
    }
}
