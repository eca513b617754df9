//! Generated ids and the clock.

use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use hanse_domain::time::Timestamp;

/// The current time.
pub fn now() -> Timestamp {
    let millis = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
    Timestamp::from_millis(i64::try_from(millis).unwrap_or(i64::MAX))
}

const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// The last id's value, so ids made in the same millisecond still increase.
static LAST: Mutex<u128> = Mutex::new(0);

/// A new id: `prefix` + 16 characters of Crockford base32 (48 bits of milliseconds, then 32
/// bits that start random in each millisecond and count up within it). Ids sort by creation
/// time, strictly within one process (so records made in one millisecond keep their order),
/// contain only `[0-9a-z]`, and across processes collide only if two are made in the same
/// millisecond with the same 32 random bits.
pub(crate) fn new_id(prefix: &str) -> String {
    let millis = now().millis().max(0) as u128 & ((1 << 48) - 1);
    let fresh = (millis << 32) | u128::from(rand::random::<u32>());
    let value = match LAST.lock() {
        Ok(mut last) => {
            // Same millisecond (or a clock step back): one more than the last id.
            let value = if fresh > *last { fresh } else { *last + 1 };
            *last = value;
            value
        }
        Err(_) => fresh,
    };
    let mut id = String::with_capacity(prefix.len() + 16);
    id.push_str(prefix);
    for i in (0..16).rev() {
        id.push(ALPHABET[((value >> (i * 5)) & 31) as usize] as char);
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_prefixed_and_distinct() {
        let a = new_id("cat_");
        let b = new_id("cat_");
        assert!(a.starts_with("cat_") && a.len() == 20);
        assert!(a[4..].bytes().all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()));
        assert_ne!(a, b);
    }

    #[test]
    fn ids_made_in_a_row_increase() {
        let ids: Vec<String> = (0..10_000).map(|_| new_id("x_")).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
    }
}
