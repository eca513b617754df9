//! B2B companies of one tenant. Creating one creates, in one transaction, its admin (a new
//! buyer), its `Default User` role and the root of its org chart. Every change is audited;
//! a status change is also queued to the company admin through the outbox.

use std::borrow::Cow;

use hanse_domain::company::{CompanyStatus, Email, Permissions, UserStatus};
use hanse_domain::time::Timestamp;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::ids::{new_id, now};
use crate::sql::{Batch, Bind};
use crate::tenants::TenantId;
use crate::{Result, Store, StoreError, audit, outbox, segments};
use hanse_domain::segment::{Facts, Field};

/// A postal address; empty fields are unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    /// Street and number.
    pub street: String,
    /// City.
    pub city: String,
    /// State, province or region.
    pub region: String,
    /// Postal code.
    pub postcode: String,
    /// ISO 3166-1 alpha-2 country code, or empty.
    pub country: String,
}

/// What a company says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompanyProfile {
    /// Display name.
    pub name: String,
    /// Registered legal name.
    pub legal_name: String,
    /// The company's e-mail address.
    pub email: String,
    /// VAT or tax id.
    pub vat_tax_id: String,
    /// Reseller id.
    pub reseller_id: String,
    /// Phone.
    pub phone: String,
    /// Legal address.
    pub address: Address,
}

/// How the merchant set a company up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanySettings {
    /// The merchant's staff member who looks after it.
    pub sales_rep: String,
    /// Its customer group.
    pub customer_group_id: Option<String>,
    /// May its buyers ask for quotes.
    pub quotes_enabled: bool,
    /// Do its orders go through purchase orders.
    pub purchase_orders_enabled: bool,
}

impl Default for CompanySettings {
    fn default() -> Self {
        CompanySettings { sales_rep: String::new(), customer_group_id: None, quotes_enabled: true, purchase_orders_enabled: false }
    }
}

/// A new buyer, password already hashed.
#[derive(Debug, Clone)]
pub struct NewBuyer {
    /// Their e-mail address, unique within the tenant.
    pub email: Email,
    /// The password hash (PHC string).
    pub password_hash: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Job title in the company.
    pub job_title: String,
    /// Phone.
    pub phone: String,
}

/// A company to create.
#[derive(Debug, Clone)]
pub struct NewCompany {
    /// Its profile.
    pub profile: CompanyProfile,
    /// The merchant's settings.
    pub settings: CompanySettings,
    /// Its starting status.
    pub status: CompanyStatus,
    /// Its admin.
    pub admin: NewBuyer,
}

/// A company account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Company {
    /// Id (`cmp_...`).
    pub id: String,
    /// Profile.
    pub profile: CompanyProfile,
    /// The merchant's settings.
    pub settings: CompanySettings,
    /// Status.
    pub status: CompanyStatus,
    /// Why it was rejected, while it is.
    pub reject_reason: Option<String>,
    /// When it was rejected, while it is.
    pub rejected_at: Option<Timestamp>,
    /// The company admin (a buyer id).
    pub admin_buyer_id: String,
    /// Orders placed and not canceled.
    pub order_count: i64,
    /// The sum of their grand totals, 1/10,000 units.
    pub order_total: i64,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// A change to a company; `None` leaves a part as it is.
#[derive(Debug, Clone, Default)]
pub struct CompanyChange {
    /// The new profile.
    pub profile: Option<CompanyProfile>,
    /// The new settings.
    pub settings: Option<CompanySettings>,
    /// A new status, with the reason when it is `rejected`.
    pub status: Option<(CompanyStatus, Option<String>)>,
}

/// Which companies to list.
#[derive(Debug, Clone, Default)]
pub struct CompanyFilter {
    /// Only this status.
    pub status: Option<CompanyStatus>,
    /// Only this customer group.
    pub customer_group_id: Option<String>,
    /// Ids after this one (the previous page's last id).
    pub after: Option<String>,
    /// At most this many.
    pub limit: i64,
}

/// The companies of one tenant.
pub struct Companies<'a> {
    store: &'a Store,
    tenant: &'a TenantId,
}

impl Store {
    /// The companies of `tenant`.
    pub fn companies<'a>(&'a self, tenant: &'a TenantId) -> Companies<'a> {
        Companies { store: self, tenant }
    }
}

const COLUMNS: &str = "id, name, legal_name, email, vat_tax_id, reseller_id, phone, street, city, region, postcode, country,
     sales_rep, customer_group_id, quotes_enabled, purchase_orders_enabled, status, reject_reason, rejected_at,
     admin_buyer_id, order_count, order_total, created_at, updated_at";

impl Companies<'_> {
    /// Creates a company with its admin, `Default User` role and org chart root. `actor` is
    /// who did it, for the audit log. An e-mail address already used in the tenant is refused
    /// (`email_taken`) and nothing is written.
    pub async fn create(&self, new: &NewCompany, actor: &str) -> Result<Company> {
        let mut tx = self.store.begin_write().await?;
        let at = now().millis();
        let admin_id = insert_buyer(&mut tx, self.tenant, &new.admin, at).await?;
        let id = new_id("cmp_");
        let (p, s) = (&new.profile, &new.settings);
        sqlx::query(
            "INSERT INTO companies (tenant_id, id, name, legal_name, email, vat_tax_id, reseller_id, phone, street, city, region,
                postcode, country, sales_rep, customer_group_id, quotes_enabled, purchase_orders_enabled, status, admin_buyer_id,
                created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20)",
        )
        .bind(self.tenant.as_str())
        .bind(&id)
        .bind(&p.name)
        .bind(&p.legal_name)
        .bind(&p.email)
        .bind(&p.vat_tax_id)
        .bind(&p.reseller_id)
        .bind(&p.phone)
        .bind(&p.address.street)
        .bind(&p.address.city)
        .bind(&p.address.region)
        .bind(&p.address.postcode)
        .bind(&p.address.country)
        .bind(&s.sales_rep)
        .bind(s.customer_group_id.as_deref())
        .bind(i64::from(s.quotes_enabled))
        .bind(i64::from(s.purchase_orders_enabled))
        .bind(new.status.as_str())
        .bind(&admin_id)
        .bind(at)
        .execute(&mut *tx)
        .await?;

        sqlx::query(
            "INSERT INTO company_roles (tenant_id, company_id, id, name, permissions, created_at, updated_at)
             VALUES ($1, $2, $3, 'Default User', $4, $5, $5)",
        )
        .bind(self.tenant.as_str())
        .bind(&id)
        .bind(new_id("rol_"))
        .bind(json!(Permissions::default_user().ids()).to_string())
        .bind(at)
        .execute(&mut *tx)
        .await?;
        insert_member(&mut tx, self.tenant, &id, &admin_id, None, &new.admin.job_title, &new.admin.phone, at).await?;
        let root = new_id("nod_");
        sqlx::query(
            "INSERT INTO company_structure (tenant_id, company_id, id, kind, buyer_id, parent_id, path, position)
             VALUES ($1, $2, $3, 'member', $4, NULL, $5, 0)",
        )
        .bind(self.tenant.as_str())
        .bind(&id)
        .bind(&root)
        .bind(&admin_id)
        .bind(format!("/{root}/"))
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, self.tenant, &id, actor, "company.created", &json!({"status": new.status.as_str(), "admin": new.admin.email.as_str()}))
            .await?;
        let company = get(&mut tx, self.tenant, &id).await?.ok_or(StoreError::NotFound("company"))?;
        segments::refresh_company(&mut tx, self.tenant, &company).await?;
        tx.commit().await?;
        Ok(company)
    }

    /// One company.
    pub async fn get(&self, id: &str) -> Result<Option<Company>> {
        let mut conn = self.store.pool.acquire().await?;
        get(&mut conn, self.tenant, id).await
    }

    /// Companies matching `filter`, oldest first.
    pub async fn list(&self, filter: &CompanyFilter) -> Result<Vec<Company>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM companies WHERE tenant_id = $1
               AND ($2 IS NULL OR status = $2) AND ($3 IS NULL OR customer_group_id = $3) AND ($4 IS NULL OR id > $4)
             ORDER BY id LIMIT $5"
        )))
        .bind(self.tenant.as_str())
        .bind(filter.status.map(|s| s.as_str()))
        .bind(filter.customer_group_id.as_deref())
        .bind(filter.after.as_deref())
        .bind(filter.limit)
        .fetch_all(&self.store.pool)
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// Applies `change`. A new status is audited and queued to the company admin; `rejected`
    /// keeps its reason and time until the status changes again.
    pub async fn update(&self, id: &str, change: &CompanyChange, actor: &str) -> Result<Company> {
        let mut tx = self.store.begin_write().await?;
        let current = get(&mut tx, self.tenant, id).await?.ok_or(StoreError::NotFound("company"))?;
        let profile = change.profile.clone().unwrap_or_else(|| current.profile.clone());
        let settings = change.settings.clone().unwrap_or_else(|| current.settings.clone());
        let (status, reject_reason, rejected_at) = match &change.status {
            Some((CompanyStatus::Rejected, reason)) if current.status == CompanyStatus::Rejected => {
                (CompanyStatus::Rejected, reason.clone().or(current.reject_reason.clone()), current.rejected_at.map(|t| t.millis()))
            }
            Some((CompanyStatus::Rejected, reason)) => (CompanyStatus::Rejected, reason.clone(), Some(now().millis())),
            Some((status, _)) => (*status, None, None),
            None => (current.status, current.reject_reason.clone(), current.rejected_at.map(|t| t.millis())),
        };
        sqlx::query(
            "UPDATE companies SET name = $3, legal_name = $4, email = $5, vat_tax_id = $6, reseller_id = $7, phone = $8, street = $9,
                city = $10, region = $11, postcode = $12, country = $13, sales_rep = $14, customer_group_id = $15,
                quotes_enabled = $16, purchase_orders_enabled = $17, status = $18, reject_reason = $19, rejected_at = $20,
                updated_at = $21
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(self.tenant.as_str())
        .bind(id)
        .bind(&profile.name)
        .bind(&profile.legal_name)
        .bind(&profile.email)
        .bind(&profile.vat_tax_id)
        .bind(&profile.reseller_id)
        .bind(&profile.phone)
        .bind(&profile.address.street)
        .bind(&profile.address.city)
        .bind(&profile.address.region)
        .bind(&profile.address.postcode)
        .bind(&profile.address.country)
        .bind(&settings.sales_rep)
        .bind(settings.customer_group_id.as_deref())
        .bind(i64::from(settings.quotes_enabled))
        .bind(i64::from(settings.purchase_orders_enabled))
        .bind(status.as_str())
        .bind(reject_reason.as_deref())
        .bind(rejected_at)
        .bind(now().millis())
        .execute(&mut *tx)
        .await?;
        if profile != current.profile || settings != current.settings {
            audit::record(&mut tx, self.tenant, id, actor, "company.updated", &json!({"profile": profile != current.profile, "settings": settings != current.settings}))
                .await?;
        }
        if status != current.status {
            let detail = json!({"company_id": id, "company": profile.name, "from": current.status.as_str(), "to": status.as_str(), "reason": reject_reason});
            audit::record(&mut tx, self.tenant, id, actor, "company.status_changed", &detail).await?;
            let admin_email: String = sqlx::query_scalar("SELECT email FROM buyers WHERE tenant_id = $1 AND id = $2")
                .bind(self.tenant.as_str())
                .bind(&current.admin_buyer_id)
                .fetch_one(&mut *tx)
                .await?;
            outbox::enqueue(&mut tx, self.tenant, "company.status_changed", &admin_email, &detail).await?;
        }
        let company = get(&mut tx, self.tenant, id).await?.ok_or(StoreError::NotFound("company"))?;
        segments::refresh_company(&mut tx, self.tenant, &company).await?;
        tx.commit().await?;
        Ok(company)
    }
}

/// Every company of the tenant.
pub(crate) async fn all(conn: &mut AnyConnection, tenant: &TenantId) -> Result<Vec<Company>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM companies WHERE tenant_id = $1 ORDER BY id")))
        .bind(tenant.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

impl Facts for Company {
    fn fact(&self, field: Field) -> Cow<'_, str> {
        let p = &self.profile;
        Cow::Borrowed(match field {
            Field::Name => &p.name,
            Field::Email => &p.email,
            Field::Country => &p.address.country,
            Field::Region => &p.address.region,
            Field::City => &p.address.city,
            Field::Postcode => &p.address.postcode,
            Field::CustomerGroup => self.settings.customer_group_id.as_deref().unwrap_or(""),
            Field::Status => self.status.as_str(),
            Field::SalesRep => &self.settings.sales_rep,
            Field::OrderCount => return Cow::Owned(self.order_count.to_string()),
            Field::OrderTotal => return Cow::Owned(rust_decimal::Decimal::new(self.order_total, 4).to_string()),
        })
    }
}

/// Counts an order placed (`orders` 1, `total` its grand total) or canceled (−1, −total) in
/// the company's order history, and re-evaluates the company's segments when any segment
/// looks at that history, in the caller's transaction.
pub(crate) async fn count_order(conn: &mut AnyConnection, tenant: &TenantId, id: &str, orders: i64, total: i64) -> Result<()> {
    let mut batch = Batch::default();
    count_order_in(&mut batch, tenant, id, orders, total);
    batch.run(conn).await?;
    order_history_counted(conn, tenant, id).await
}

/// Adds [`count_order`]'s change of the sums to `batch`: [`order_history_counted`] follows
/// once it ran.
pub(crate) fn count_order_in(batch: &mut Batch, tenant: &TenantId, id: &str, orders: i64, total: i64) {
    batch.push(
        "UPDATE companies SET order_count = order_count + $3, order_total = order_total + $4 WHERE tenant_id = $1 AND id = $2",
        vec![Bind::Text(tenant.as_str().to_owned()), Bind::Text(id.to_owned()), Bind::Int(orders), Bind::Int(total)],
    );
}

/// Refreshes the segments of a company whose order sums changed, when a segment looks at them.
pub(crate) async fn order_history_counted(conn: &mut AnyConnection, tenant: &TenantId, id: &str) -> Result<()> {
    if segments::any_on_order_history(conn, tenant).await? {
        refresh_segments(conn, tenant, id).await?;
    }
    Ok(())
}

/// Re-evaluates the segments of a company whose order sums changed, for a caller that already
/// knows a segment looks at them ([`segments::ON_ORDER_HISTORY`]).
pub(crate) async fn refresh_segments(conn: &mut AnyConnection, tenant: &TenantId, id: &str) -> Result<()> {
    let company = get(conn, tenant, id).await?.ok_or(StoreError::NotFound("company"))?;
    segments::refresh_company(conn, tenant, &company).await
}

/// Creates a buyer account (`email_taken` when the address has one); returns its id.
pub(crate) async fn insert_buyer(conn: &mut AnyConnection, tenant: &TenantId, buyer: &NewBuyer, at: i64) -> Result<String> {
    let id = new_id("byr_");
    sqlx::query(
        "INSERT INTO buyers (tenant_id, id, email, password_hash, first_name, last_name, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(tenant.as_str())
    .bind(&id)
    .bind(buyer.email.as_str())
    .bind(&buyer.password_hash)
    .bind(&buyer.first_name)
    .bind(&buyer.last_name)
    .bind(at)
    .execute(&mut *conn)
    .await
    .map_err(email_taken(&buyer.email))?;
    Ok(id)
}

/// Makes a buyer an active member of a company: its admin when `role_id` is `None`.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_member(
    conn: &mut AnyConnection,
    tenant: &TenantId,
    company_id: &str,
    buyer_id: &str,
    role_id: Option<&str>,
    job_title: &str,
    phone: &str,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO company_members (tenant_id, company_id, buyer_id, is_admin, role_id, status, job_title, phone, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(tenant.as_str())
    .bind(company_id)
    .bind(buyer_id)
    .bind(i64::from(role_id.is_none()))
    .bind(role_id)
    .bind(UserStatus::Active.as_str())
    .bind(job_title)
    .bind(phone)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Maps the unique e-mail index to `email_taken`.
fn email_taken(email: &Email) -> impl FnOnce(sqlx::Error) -> StoreError {
    let message = format!("{email} already has an account here");
    move |error| match error {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Refused("email_taken", message),
        other => other.into(),
    }
}

async fn get(conn: &mut AnyConnection, tenant: &TenantId, id: &str) -> Result<Option<Company>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM companies WHERE tenant_id = $1 AND id = $2")))
        .bind(tenant.as_str())
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

fn from_row(row: &AnyRow) -> Result<Company> {
    let status: String = row.try_get("status")?;
    Ok(Company {
        id: row.try_get("id")?,
        profile: CompanyProfile {
            name: row.try_get("name")?,
            legal_name: row.try_get("legal_name")?,
            email: row.try_get("email")?,
            vat_tax_id: row.try_get("vat_tax_id")?,
            reseller_id: row.try_get("reseller_id")?,
            phone: row.try_get("phone")?,
            address: Address {
                street: row.try_get("street")?,
                city: row.try_get("city")?,
                region: row.try_get("region")?,
                postcode: row.try_get("postcode")?,
                country: row.try_get("country")?,
            },
        },
        settings: CompanySettings {
            sales_rep: row.try_get("sales_rep")?,
            customer_group_id: row.try_get("customer_group_id")?,
            quotes_enabled: row.try_get::<i64, _>("quotes_enabled")? != 0,
            purchase_orders_enabled: row.try_get::<i64, _>("purchase_orders_enabled")? != 0,
        },
        status: CompanyStatus::parse(&status).map_err(|e| StoreError::corrupt("company status", e))?,
        reject_reason: row.try_get("reject_reason")?,
        rejected_at: row.try_get::<Option<i64>, _>("rejected_at")?.map(Timestamp::from_millis),
        admin_buyer_id: row.try_get("admin_buyer_id")?,
        order_count: row.try_get("order_count")?,
        order_total: row.try_get("order_total")?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
        updated_at: Timestamp::from_millis(row.try_get("updated_at")?),
    })
}
