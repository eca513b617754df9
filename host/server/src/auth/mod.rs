//! Buyer authentication: password hashing, failed-login throttling, and the rules that decide
//! whether and as whom a buyer's session acts.

pub mod password;
pub mod session;
pub mod throttle;
