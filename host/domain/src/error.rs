//! Validation errors: why a value was refused, and which field it came from.

use std::collections::BTreeMap;

/// Why a single value was refused. The message is meant for the person who sent it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ValueError(pub String);

impl ValueError {
    /// A refusal with the given explanation.
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

/// The refused fields of one input, by field name (dotted paths for nested fields).
///
/// Collects every problem at once, so a caller fixing a request sees all of them in one answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that `field` was refused for `error`.
    pub fn add(&mut self, field: impl Into<String>, error: impl std::fmt::Display) {
        self.0.insert(field.into(), error.to_string());
    }

    /// Parses one field, recording its error and returning `None` when it is refused.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, ValueError>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(field, error);
                None
            }
        }
    }

    /// True when nothing was refused.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The refused fields and why, sorted by field name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// `Ok(value)` when nothing was refused; the errors otherwise.
    ///
    /// `value` is only built when every field parsed, so it may unwrap the `Option`s that
    /// [`FieldErrors::check`] returned.
    pub fn finish<T>(self, value: impl FnOnce() -> Option<T>) -> Result<T, FieldErrors> {
        if !self.is_empty() {
            return Err(self);
        }
        value().ok_or(self)
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut first = true;
        for (field, error) in &self.0 {
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            write!(f, "{field}: {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FieldErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finish_builds_the_value_only_without_errors() {
        let mut errors = FieldErrors::new();
        let a = errors.check("a", Ok::<_, ValueError>(1));
        assert_eq!(errors.finish(|| a), Ok(1));

        let mut errors = FieldErrors::new();
        let b: Option<i32> = errors.check("b", Err(ValueError::new("too big")));
        let err = errors.finish(|| b).unwrap_err();
        assert_eq!(err.to_string(), "b: too big");
    }
}
