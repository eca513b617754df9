//! The company permission tree: what a role may do on the storefront.
//!
//! The tree mirrors Magento B2B's `company_acl.xml` resources, each with its Magento id beside it
//! for merchants migrating. A role allows a set of resources; allowing a resource implies its
//! ancestors (a role that may see subordinates' orders may see orders), never its descendants.
//! The virtual Company Administrator role allows everything. Later features add their resources
//! here, and the storefront checks every protected action with [`Permissions::check`].

use std::collections::BTreeSet;
use std::fmt;

use crate::ValueError;

/// One node of the permission tree.
#[derive(Debug, PartialEq, Eq)]
pub struct Resource {
    /// Hanse's id: dotted lower-case (`sales.place_order`).
    pub id: &'static str,
    /// The matching Magento ACL resource (`Magento_Sales::place_order`), or `Hanse::...` for
    /// what Magento has no resource for.
    pub magento_id: &'static str,
    /// What it allows, in words a company admin reads.
    pub label: &'static str,
    /// The parent node's id; `None` at the top.
    pub parent: Option<&'static str>,
}

macro_rules! resources {
    ($($name:ident = ($id:literal, $magento:literal, $label:literal, $parent:expr);)*) => {
        $(
            #[doc = concat!("`", $id, "`: ", $label, " (`", $magento, "`).")]
            pub static $name: Resource = Resource { id: $id, magento_id: $magento, label: $label, parent: $parent };
        )*
        /// Every resource, parents before children.
        pub static TREE: &[&Resource] = &[$(&$name),*];
    };
}

resources! {
    SALES = ("sales", "Magento_Sales::all", "Sales", None);
    SALES_PLACE_ORDER = ("sales.place_order", "Magento_Sales::place_order", "Allow checkout", Some("sales"));
    SALES_PAYMENT_ACCOUNT = ("sales.payment_account", "Magento_Sales::payment_account", "Use Payment on Account", Some("sales.place_order"));
    SALES_VIEW_ORDERS = ("sales.view_orders", "Magento_Sales::view_orders", "View orders", Some("sales"));
    SALES_VIEW_ORDERS_SUBORDINATES = ("sales.view_orders.subordinates", "Magento_Sales::view_orders_sub", "View orders of subordinate users", Some("sales.view_orders"));
    QUOTES = ("quotes", "Magento_NegotiableQuote::all", "Quotes", None);
    QUOTES_VIEW = ("quotes.view", "Magento_NegotiableQuote::view_quotes", "View quotes", Some("quotes"));
    QUOTES_MANAGE = ("quotes.manage", "Magento_NegotiableQuote::manage", "Request, edit and delete quotes", Some("quotes.view"));
    QUOTES_CHECKOUT = ("quotes.checkout", "Magento_NegotiableQuote::checkout", "Check out with a quote", Some("quotes.view"));
    QUOTES_VIEW_SUBORDINATES = ("quotes.view.subordinates", "Magento_NegotiableQuote::view_quotes_sub", "View quotes of subordinate users", Some("quotes.view"));
    PURCHASE_ORDERS = ("purchase_orders", "Magento_PurchaseOrder::all", "Order approvals", None);
    PURCHASE_ORDERS_VIEW = ("purchase_orders.view", "Magento_PurchaseOrder::view_purchase_orders", "View purchase orders", Some("purchase_orders"));
    PURCHASE_ORDERS_VIEW_SUBORDINATES = ("purchase_orders.view.subordinates", "Magento_PurchaseOrder::view_purchase_orders_for_subordinates", "View purchase orders of subordinate users", Some("purchase_orders.view"));
    PURCHASE_ORDERS_VIEW_COMPANY = ("purchase_orders.view.company", "Magento_PurchaseOrder::view_purchase_orders_for_company", "View all purchase orders of the company", Some("purchase_orders.view"));
    PURCHASE_ORDERS_AUTO_APPROVE = ("purchase_orders.auto_approve", "Magento_PurchaseOrder::autoapprove_purchase_order", "Purchase orders created in this role are approved at once", Some("purchase_orders"));
    PURCHASE_ORDERS_APPROVE = ("purchase_orders.approve", "Magento_PurchaseOrderRule::super_approve_purchase_order", "Approve purchase orders without other approvals", Some("purchase_orders"));
    PURCHASE_ORDERS_RULES_VIEW = ("purchase_orders.rules.view", "Magento_PurchaseOrderRule::view_approval_rules", "View approval rules", Some("purchase_orders"));
    PURCHASE_ORDERS_RULES_MANAGE = ("purchase_orders.rules.manage", "Magento_PurchaseOrderRule::manage_approval_rules", "Create, edit and delete approval rules", Some("purchase_orders.rules.view"));
    COMPANY = ("company", "Magento_Company::view", "Company profile", None);
    COMPANY_ACCOUNT_VIEW = ("company.account.view", "Magento_Company::view_account", "View the company account", Some("company"));
    COMPANY_ACCOUNT_EDIT = ("company.account.edit", "Magento_Company::edit_account", "Edit the company account", Some("company.account.view"));
    COMPANY_ADDRESS_VIEW = ("company.address.view", "Magento_Company::view_address", "View the legal address and address book", Some("company"));
    COMPANY_ADDRESS_EDIT = ("company.address.edit", "Magento_Company::edit_address", "Edit the legal address and address book", Some("company.address.view"));
    COMPANY_CONTACTS = ("company.contacts", "Magento_Company::contacts", "View contacts", Some("company"));
    COMPANY_PAYMENT_INFORMATION = ("company.payment_information", "Magento_Company::payment_information", "View payment information", Some("company"));
    COMPANY_SHIPPING_INFORMATION = ("company.shipping_information", "Magento_Company::shipping_information", "View shipping information", Some("company"));
    COMPANY_USER_MANAGEMENT = ("company.user_management", "Magento_Company::user_management", "Company user management", None);
    COMPANY_ROLES_VIEW = ("company.roles.view", "Magento_Company::roles_view", "View roles and permissions", Some("company.user_management"));
    COMPANY_ROLES_EDIT = ("company.roles.edit", "Magento_Company::roles_edit", "Manage roles and permissions", Some("company.roles.view"));
    COMPANY_USERS_VIEW = ("company.users.view", "Magento_Company::users_view", "View users and teams", Some("company.user_management"));
    COMPANY_USERS_EDIT = ("company.users.edit", "Magento_Company::users_edit", "Manage users and teams", Some("company.users.view"));
    CREDIT = ("credit", "Magento_Company::credit", "Company credit", None);
    CREDIT_HISTORY = ("credit.history", "Magento_Company::credit_history", "View credit history", Some("credit"));
    REQUISITION_LISTS = ("requisition_lists", "Magento_RequisitionList::requisition_list", "Use own requisition lists and those shared in the company", None);
    REQUISITION_LISTS_MANAGE = ("requisition_lists.manage", "Hanse::requisition_lists_manage", "Create, edit and delete own requisition lists", Some("requisition_lists"));
    REQUISITION_LISTS_SHARE = ("requisition_lists.share", "Hanse::requisition_lists_share", "Share requisition lists with the company and edit shared lists", Some("requisition_lists.manage"));
}

/// Resources the `Default User` role of a new company allows (Magento's defaults), before
/// their ancestors are added.
pub static DEFAULT_USER: &[&Resource] =
    &[&COMPANY_ACCOUNT_VIEW, &COMPANY_ADDRESS_VIEW, &COMPANY_CONTACTS, &COMPANY_USERS_VIEW, &SALES_PLACE_ORDER, &SALES_VIEW_ORDERS, &REQUISITION_LISTS_MANAGE];

/// The resource with id `id`.
pub fn resource(id: &str) -> Option<&'static Resource> {
    TREE.iter().copied().find(|r| r.id == id)
}

/// The set of resources a role allows, closed under ancestors.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Permissions(BTreeSet<&'static str>);

impl Permissions {
    /// Everything: the Company Administrator.
    pub fn all() -> Self {
        Permissions(TREE.iter().map(|r| r.id).collect())
    }

    /// The resources `allowed` and their ancestors. An unknown id is refused, naming it.
    pub fn parse<S: AsRef<str>>(allowed: &[S]) -> Result<Self, ValueError> {
        let mut set = BTreeSet::new();
        for id in allowed {
            let mut node = resource(id.as_ref()).ok_or_else(|| ValueError::new(format!("{:?} is not a permission", id.as_ref())))?;
            loop {
                set.insert(node.id);
                match node.parent.and_then(resource) {
                    Some(parent) => node = parent,
                    None => break,
                }
            }
        }
        Ok(Permissions(set))
    }

    /// The `Default User` role's permissions.
    pub fn default_user() -> Self {
        let ids: Vec<&str> = DEFAULT_USER.iter().map(|r| r.id).collect();
        Self::parse(&ids).unwrap_or_default()
    }

    /// Whether `resource` is allowed.
    pub fn allows(&self, resource: &Resource) -> bool {
        self.0.contains(resource.id)
    }

    /// `Ok` when `resource` is allowed; the refusal to show the buyer otherwise.
    pub fn check(&self, resource: &'static Resource) -> Result<(), PermissionDenied> {
        if self.allows(resource) { Ok(()) } else { Err(PermissionDenied(resource)) }
    }

    /// The allowed ids, in tree order.
    pub fn ids(&self) -> Vec<&'static str> {
        TREE.iter().map(|r| r.id).filter(|id| self.0.contains(id)).collect()
    }
}

/// A role does not allow an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PermissionDenied(pub &'static Resource);

impl fmt::Display for PermissionDenied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "your role does not allow this ({}: {})", self.0.id, self.0.label)
    }
}

impl std::error::Error for PermissionDenied {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_is_well_formed() {
        let mut seen = BTreeSet::new();
        for node in TREE {
            assert!(seen.insert(node.id), "{} twice", node.id);
            assert!(node.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_'), "{}", node.id);
            assert!((node.magento_id.starts_with("Magento_") || node.magento_id.starts_with("Hanse::")) && node.magento_id.contains("::"), "{}", node.magento_id);
            if let Some(parent) = node.parent {
                assert!(seen.contains(parent), "{} comes before its parent {parent}", node.id);
            }
        }
        let magento: BTreeSet<_> = TREE.iter().map(|r| r.magento_id).collect();
        assert_eq!(magento.len(), TREE.len(), "one Magento id per resource");
    }

    #[test]
    fn allowing_a_resource_allows_its_ancestors_not_its_descendants() {
        let p = Permissions::parse(&["sales.view_orders.subordinates"]).unwrap();
        assert!(p.allows(&SALES_VIEW_ORDERS_SUBORDINATES) && p.allows(&SALES_VIEW_ORDERS) && p.allows(&SALES));
        assert!(!p.allows(&SALES_PLACE_ORDER));
        let p = Permissions::parse(&["sales"]).unwrap();
        assert!(!p.allows(&SALES_VIEW_ORDERS));
        assert_eq!(p.check(&SALES_PLACE_ORDER), Err(PermissionDenied(&SALES_PLACE_ORDER)));
        assert_eq!(p.ids(), ["sales"]);
    }

    #[test]
    fn unknown_ids_are_refused_by_name() {
        let error = Permissions::parse(&["company.users.view", "company.users.fly"]).unwrap_err();
        assert!(error.0.contains("company.users.fly"), "{error}");
        assert_eq!(Permissions::parse::<&str>(&[]).unwrap(), Permissions::default());
    }

    #[test]
    fn the_administrator_may_do_anything_and_default_users_what_magento_gives_them() {
        assert!(TREE.iter().all(|r| Permissions::all().allows(r)));
        let user = Permissions::default_user();
        for allowed in [&SALES_PLACE_ORDER, &SALES_VIEW_ORDERS, &COMPANY_USERS_VIEW, &COMPANY_USER_MANAGEMENT, &COMPANY, &SALES] {
            assert!(user.allows(allowed), "{}", allowed.id);
        }
        for denied in [&COMPANY_USERS_EDIT, &COMPANY_ROLES_VIEW, &SALES_PAYMENT_ACCOUNT, &QUOTES_MANAGE, &PURCHASE_ORDERS_APPROVE] {
            assert!(!user.allows(denied), "{}", denied.id);
        }
    }
}
