//! Failed-login throttling per account: after [`MAX_FAILURES`] wrong passwords for one
//! (tenant, e-mail address) within [`WINDOW`], further attempts are refused until the oldest
//! failure leaves the window. Kept in this process's memory: each replica counts its own.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed within [`WINDOW`].
pub const MAX_FAILURES: usize = 5;
/// How far back failures count.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Accounts tracked at most; the quietest are forgotten first beyond it.
const MAX_TRACKED: usize = 100_000;

/// Recent failed logins by account.
#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<(String, String), Vec<Instant>>>,
}

impl LoginThrottle {
    /// `Some(wait)` when the account must wait before trying again.
    pub fn blocked(&self, tenant: &str, email: &str) -> Option<Duration> {
        let now = Instant::now();
        let mut failures = self.failures.lock().ok()?;
        let recent = failures.get_mut(&(tenant.to_owned(), email.to_owned()))?;
        recent.retain(|at| now.duration_since(*at) < WINDOW);
        (recent.len() >= MAX_FAILURES).then(|| recent.first().map_or(Duration::ZERO, |oldest| WINDOW.saturating_sub(now.duration_since(*oldest))))
    }

    /// Notes a failed attempt.
    pub fn failed(&self, tenant: &str, email: &str) {
        let now = Instant::now();
        let Ok(mut failures) = self.failures.lock() else { return };
        if failures.len() >= MAX_TRACKED {
            failures.retain(|_, recent| recent.last().is_some_and(|at| now.duration_since(*at) < WINDOW));
        }
        let recent = failures.entry((tenant.to_owned(), email.to_owned())).or_default();
        recent.retain(|at| now.duration_since(*at) < WINDOW);
        recent.push(now);
    }

    /// Forgets an account's failures (after a successful login).
    pub fn succeeded(&self, tenant: &str, email: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&(tenant.to_owned(), email.to_owned()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_block_the_account_only() {
        let throttle = LoginThrottle::default();
        for _ in 0..MAX_FAILURES - 1 {
            throttle.failed("t", "ann@x.example");
        }
        assert_eq!(throttle.blocked("t", "ann@x.example"), None);
        throttle.failed("t", "ann@x.example");
        assert!(throttle.blocked("t", "ann@x.example").is_some_and(|wait| wait > Duration::from_secs(14 * 60)));
        assert_eq!(throttle.blocked("t", "bob@x.example"), None);
        assert_eq!(throttle.blocked("u", "ann@x.example"), None, "another tenant's account");
        throttle.succeeded("t", "ann@x.example");
        assert_eq!(throttle.blocked("t", "ann@x.example"), None);
    }
}
