//! Points in time, kept as milliseconds since the Unix epoch (UTC) and shown as RFC 3339.

use std::fmt;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::ValueError;

/// A point in time with millisecond precision, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// From milliseconds since the Unix epoch, as stored.
    pub const fn from_millis(millis: i64) -> Self {
        Timestamp(millis)
    }

    /// Milliseconds since the Unix epoch.
    pub fn millis(self) -> i64 {
        self.0
    }

    /// Parses RFC 3339 (`2026-11-27T12:00:00Z`, any offset); sub-millisecond digits are dropped.
    pub fn parse_rfc3339(text: &str) -> Result<Self, ValueError> {
        let at = OffsetDateTime::parse(text, &Rfc3339).map_err(|_| {
            ValueError::new(format!(
                "must be an RFC 3339 date-time such as \"2026-11-27T12:00:00Z\", got {text:?}"
            ))
        })?;
        let millis = at.unix_timestamp_nanos() / 1_000_000;
        i64::try_from(millis).map(Timestamp).map_err(|_| ValueError::new("is out of range"))
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC with milliseconds: `2026-11-27T12:00:00.000Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.0) * 1_000_000)
            .map_err(|_| fmt::Error)?;
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            at.year(),
            u8::from(at.month()),
            at.day(),
            at.hour(),
            at.minute(),
            at.second(),
            at.millisecond()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_rfc3339() {
        let t = Timestamp::parse_rfc3339("2026-11-27T12:34:56.789Z").unwrap();
        assert_eq!(t.to_string(), "2026-11-27T12:34:56.789Z");
        assert_eq!(Timestamp::parse_rfc3339(&t.to_string()).unwrap(), t);
        let offset = Timestamp::parse_rfc3339("2026-11-27T13:34:56.789+01:00").unwrap();
        assert_eq!(offset, t);
        assert_eq!(Timestamp::from_millis(0).to_string(), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn refuses_other_formats() {
        for text in ["2026-11-27", "yesterday", "", "2026-11-27 12:00:00"] {
            assert!(Timestamp::parse_rfc3339(text).is_err(), "{text}");
        }
    }
}
