//! What the store's order tests share: a tenant with stock, a company with credit and a buyer,
//! and orders placed from its cart.

// Each test crate uses part of it.
#![allow(dead_code)]

use hanse_domain::company::{CompanyStatus, Email};
use hanse_domain::credit::CreditOperation;
use hanse_domain::currency::Currency;
use hanse_domain::inventory::Backorders;
use hanse_domain::product::{ProductDraft, ProductInput, Sku, StockQuantity};
use hanse_domain::tenant::TenantSlug;
use hanse_store::testing::fresh_store;
use hanse_store::{
    Begun, CompanyProfile, CompanySettings, CreditChange, NewBuyer, NewCompany, NewLine, NewOrder, NewTenant, Order, OrderAddress, PaymentOutcome, StockUpdate,
    Store, Tenant,
};
use serde_json::json;

/// A tenant `acme` with products A and B (5 on hand each, no backorders), and an active company
/// with its admin as buyer and 1,000.00 of credit.
pub struct Setup {
    pub store: Store,
    pub tenant: Tenant,
    pub company: String,
    pub buyer: String,
}

pub async fn setup() -> Setup {
    let store = fresh_store().await;
    let tenant = store
        .tenants()
        .create(&NewTenant { slug: TenantSlug::parse("acme").unwrap(), name: "Acme".into(), currency: Currency::parse("USD").unwrap(), domains: vec![] })
        .await
        .unwrap();
    let products = store.products(&tenant.id);
    for sku in ["A", "B"] {
        products.create(&ProductDraft::parse(ProductInput { sku, name: sku, price: "10.00", ..Default::default() }).unwrap(), &[], None).await.unwrap();
        let update = StockUpdate { quantity: Some(StockQuantity::new(5).unwrap()), backorders: Some(Backorders::No), ..StockUpdate::default() };
        store.stock(&tenant.id).update(&Sku::parse(sku).unwrap(), update).await.unwrap();
    }
    let company = store
        .companies(&tenant.id)
        .create(
            &NewCompany {
                profile: CompanyProfile { name: "Bolt".into(), email: "office@bolt.example".into(), ..Default::default() },
                settings: CompanySettings::default(),
                status: CompanyStatus::Active,
                admin: NewBuyer {
                    email: Email::parse("ann@bolt.example").unwrap(),
                    password_hash: "$argon2id$test".into(),
                    first_name: "Ann".into(),
                    last_name: "Lee".into(),
                    job_title: String::new(),
                    phone: String::new(),
                },
            },
            "merchant",
        )
        .await
        .unwrap();
    let buyer = store.company_users(&tenant.id, &company.id).list().await.unwrap().remove(0).id;
    store.credit(&tenant.id, &company.id).set(&CreditChange { limit: Some(10_000_000), ..CreditChange::default() }, "USD", "merchant").await.unwrap();
    Setup { store, tenant, company: company.id, buyer }
}

pub fn line(sku: &str, quantity: i64, line_total: i64) -> NewLine {
    NewLine { sku: sku.into(), name: sku.into(), quantity, list_price: 100_000, unit_price: 100_000, line_total, explanation: json!([]) }
}

impl Setup {
    pub async fn fill_cart(&self, lines: &[(&str, i64)]) {
        let lines: Vec<(String, i64)> = lines.iter().map(|(s, q)| ((*s).to_owned(), *q)).collect();
        self.store.cart(&self.tenant.id, &self.buyer, &self.company).add(&lines, |_, _| Ok::<(), ()>(())).await.unwrap();
    }

    pub fn order(&self, lines: Vec<NewLine>) -> NewOrder {
        let total = lines.iter().map(|l| l.line_total).sum();
        NewOrder {
            company_id: self.company.clone(),
            buyer_id: self.buyer.clone(),
            currency: Currency::parse("USD").unwrap(),
            subtotal: total,
            shipping: 0,
            tax: 0,
            grand_total: total,
            shipping_method: ("flat".into(), "Flat".into()),
            shipping_address: OrderAddress { country: "US".into(), ..OrderAddress::default() },
            payment_method: ("payment-on-account".into(), "On account".into()),
            on_account: true,
            po_number: String::new(),
            plugins: json!({}),
            idempotency_key: None,
            request_hash: None,
            lines,
            payment: None,
        }
    }

    /// Places `order` from a cart holding its lines, paid with `payment`.
    pub async fn place(&self, order: NewOrder, payment: PaymentOutcome) -> Order {
        let lines: Vec<(&str, i64)> = order.lines.iter().map(|l| (l.sku.as_str(), l.quantity)).collect();
        self.fill_cart(&lines).await;
        let Begun::Placing(mut placing) = self.store.orders(&self.tenant.id).begin(order).await.unwrap() else { panic!("new order") };
        placing.hold().await.unwrap().unwrap();
        placing.finish(payment).await.unwrap()
    }

    /// 2 × A (20.00) and 1 × B (10.00), 5.00 shipping and 2.50 tax: 37.50 on account.
    pub async fn place_on_account(&self) -> Order {
        let order = NewOrder { shipping: 50_000, tax: 25_000, grand_total: 375_000, ..self.order(vec![line("A", 2, 200_000), line("B", 1, 100_000)]) };
        self.place(order, PaymentOutcome::OnAccount("x".into())).await
    }

    /// (on hand, reserved) of a SKU.
    pub async fn stock_of(&self, sku: &str) -> (i64, i64) {
        let stock = self.store.stock(&self.tenant.id).get(&Sku::parse(sku).unwrap()).await.unwrap();
        stock.level.map(|l| (l.on_hand, l.reserved)).unwrap()
    }

    pub async fn balance(&self) -> i64 {
        self.store.credit(&self.tenant.id, &self.company).get().await.unwrap().unwrap().line.balance
    }

    pub async fn operations(&self) -> Vec<CreditOperation> {
        self.store.credit(&self.tenant.id, &self.company).history(50, None).await.unwrap().into_iter().map(|e| e.operation).collect()
    }

    pub async fn order_total(&self) -> (i64, i64) {
        let company = self.store.companies(&self.tenant.id).get(&self.company).await.unwrap().unwrap();
        (company.order_count, company.order_total)
    }

    pub async fn topics(&self) -> Vec<String> {
        let mut topics: Vec<String> = self.store.outbox(&self.tenant.id, 100).await.unwrap().into_iter().map(|m| m.topic).collect();
        topics.reverse();
        topics
    }

    pub async fn books_balance(&self) {
        assert_eq!(self.store.inventory_drift().await.unwrap(), vec![]);
        assert_eq!(self.store.credit_drift().await.unwrap(), vec![]);
    }
}
