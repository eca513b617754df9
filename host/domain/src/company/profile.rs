//! Free-text fields of a company's profile.

use crate::ValueError;
use crate::tenant::parse_name;

/// An optional one-line text: trimmed, empty allowed, at most `max` characters, no control
/// characters.
pub fn parse_optional_text(text: &str, max: usize) -> Result<String, ValueError> {
    if text.trim().is_empty() { Ok(String::new()) } else { parse_name(text, max) }
}

/// An ISO 3166-1 alpha-2 country code (`de` → `DE`), or empty.
pub fn parse_country(text: &str) -> Result<String, ValueError> {
    let code = text.trim().to_ascii_uppercase();
    if code.is_empty() || (code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())) {
        Ok(code)
    } else {
        Err(ValueError::new(format!("must be a two-letter country code (ISO 3166-1), got {text:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_texts_and_countries() {
        assert_eq!(parse_optional_text("  ", 10).unwrap(), "");
        assert_eq!(parse_optional_text(" GmbH ", 10).unwrap(), "GmbH");
        assert!(parse_optional_text("x".repeat(11).as_str(), 10).is_err());
        assert_eq!(parse_country(" de ").unwrap(), "DE");
        assert_eq!(parse_country("").unwrap(), "");
        for bad in ["DEU", "D", "1A"] {
            assert!(parse_country(bad).is_err(), "{bad}");
        }
    }
}
