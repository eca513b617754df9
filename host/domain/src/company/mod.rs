//! B2B company accounts: statuses, and the permission tree that decides what a company's
//! people may do.

pub mod permission;
pub mod person;
pub mod profile;
pub mod status;

pub use permission::{PermissionDenied, Permissions, Resource};
pub use person::{Email, Password};
pub use status::{AddressKind, CompanyStatus, UserStatus};
