//! Checkout: from a buyer's cart to a placed order.
//!
//! [`quote`] prices the cart through the whole pipeline; [`shipping`] asks every enabled
//! shipping plugin for rates; [`payment`] offers the payment plugins' methods and the built-in
//! payment on account, and authorizes the chosen one; [`place`] puts it together in one store
//! transaction that reserves the stock and charges the credit, so an order either exists with
//! all of it or not at all.

pub mod address;
pub mod payment;
pub mod place;
pub mod quote;
pub mod shipping;
