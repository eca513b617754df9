//! Company and company-user statuses, and what each lets the company's people do.

crate::named_enum! {
    /// Where a company account stands with the merchant (Magento's `PENDING`, `APPROVED`,
    /// `REJECTED`, `BLOCKED`).
    pub enum CompanyStatus {
        /// Registered, waiting for the merchant: nobody can log in.
        Pending = "pending",
        /// Approved: everything its roles allow.
        Active = "active",
        /// Refused by the merchant (with a reason): nobody can log in.
        Rejected = "rejected",
        /// Suspended: its people can log in and browse, but cannot check out or submit anything.
        Blocked = "blocked",
    }
}

impl CompanyStatus {
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

crate::named_enum! {
    /// What an entry of a company's address book is for.
    pub enum AddressKind {
        /// Where invoices go.
        Billing = "billing",
        /// Where goods go.
        Shipping = "shipping",
    }
}

crate::named_enum! {
    /// Whether a company user may log in at all.
    pub enum UserStatus {
        /// May log in.
        Active = "active",
        /// May not log in; kept for the record.
        Inactive = "inactive",
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
