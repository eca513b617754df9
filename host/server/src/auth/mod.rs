//! Buyer authentication: password hashing so far; sessions and login come with the
//! storefront's company endpoints.

pub mod password;
