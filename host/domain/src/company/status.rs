//! Company and company-user statuses, and what each lets the company's people do.

use std::fmt;

use crate::ValueError;

/// Where a company account stands with the merchant (Magento's `PENDING`, `APPROVED`,
/// `REJECTED`, `BLOCKED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompanyStatus {
    /// Registered, waiting for the merchant: nobody can log in.
    Pending,
    /// Approved: everything its roles allow.
    Active,
    /// Refused by the merchant (with a reason): nobody can log in.
    Rejected,
    /// Suspended: its people can log in and browse, but cannot check out or submit anything.
    Blocked,
}

impl CompanyStatus {
    /// Every status.
    pub const ALL: [CompanyStatus; 4] = [CompanyStatus::Pending, CompanyStatus::Active, CompanyStatus::Rejected, CompanyStatus::Blocked];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CompanyStatus::Pending => "pending",
            CompanyStatus::Active => "active",
            CompanyStatus::Rejected => "rejected",
            CompanyStatus::Blocked => "blocked",
        }
    }

    /// Parses the stored and wire name.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| ValueError::new(format!("must be one of pending, active, rejected, blocked; got {text:?}")))
    }

    /// Whether the company's users may log in.
    pub fn allows_login(self) -> bool {
        matches!(self, CompanyStatus::Active | CompanyStatus::Blocked)
    }

    /// Whether the company's users may check out, submit quotes or purchase orders, or change
    /// anything that commits the company.
    pub fn allows_transactions(self) -> bool {
        self == CompanyStatus::Active
    }
}

impl fmt::Display for CompanyStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a company user may log in at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserStatus {
    /// May log in.
    Active,
    /// May not log in; kept for the record.
    Inactive,
}

impl UserStatus {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Active => "active",
            UserStatus::Inactive => "inactive",
        }
    }

    /// Parses the stored and wire name.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        match text {
            "active" => Ok(UserStatus::Active),
            "inactive" => Ok(UserStatus::Inactive),
            _ => Err(ValueError::new(format!("must be active or inactive; got {text:?}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_decide_login_and_transactions() {
        let table = [
            (CompanyStatus::Pending, false, false),
            (CompanyStatus::Active, true, true),
            (CompanyStatus::Rejected, false, false),
            (CompanyStatus::Blocked, true, false),
        ];
        for (status, login, transact) in table {
            assert_eq!((status.allows_login(), status.allows_transactions()), (login, transact), "{status}");
            assert_eq!(CompanyStatus::parse(status.as_str()).unwrap(), status);
        }
        assert!(CompanyStatus::parse("approved").is_err());
        assert_eq!(UserStatus::parse("inactive").unwrap(), UserStatus::Inactive);
        assert!(UserStatus::parse("gone").is_err());
    }
}
