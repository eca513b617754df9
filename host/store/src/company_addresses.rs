//! A company's address book: billing and shipping addresses, at most one default per kind.

use hanse_domain::company::AddressKind;
use hanse_domain::time::Timestamp;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::companies::Address;
use crate::ids::{new_id, now};
use crate::tenants::TenantId;
use crate::{Result, Store, StoreError, audit};

/// An entry of the address book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyAddress {
    /// Id (`adr_...`).
    pub id: String,
    /// Billing or shipping.
    pub kind: AddressKind,
    /// A name for it (`Main warehouse`).
    pub label: String,
    /// Who receives (person or department).
    pub recipient: String,
    /// The address.
    pub address: Address,
    /// Phone at the address.
    pub phone: String,
    /// The default of its kind.
    pub is_default: bool,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// An address to store.
#[derive(Debug, Clone)]
pub struct AddressInput {
    /// Billing or shipping.
    pub kind: AddressKind,
    /// A name for it.
    pub label: String,
    /// Who receives.
    pub recipient: String,
    /// The address.
    pub address: Address,
    /// Phone.
    pub phone: String,
    /// Make it the default of its kind (the first of a kind is the default anyway).
    pub is_default: bool,
}

/// The address book of one company.
pub struct CompanyAddresses<'a> {
    store: &'a Store,
    tenant: &'a TenantId,
    company_id: &'a str,
}

impl Store {
    /// The address book of `company_id` in `tenant`.
    pub fn company_addresses<'a>(&'a self, tenant: &'a TenantId, company_id: &'a str) -> CompanyAddresses<'a> {
        CompanyAddresses { store: self, tenant, company_id }
    }
}

const COLUMNS: &str = "id, kind, label, recipient, street, city, region, postcode, country, phone, is_default, created_at, updated_at";

impl CompanyAddresses<'_> {
    /// Every address: billing first, defaults first, then by label.
    pub async fn list(&self) -> Result<Vec<CompanyAddress>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM company_addresses WHERE tenant_id = $1 AND company_id = $2 ORDER BY kind, is_default DESC, label, id"
        )))
        .bind(self.tenant.as_str())
        .bind(self.company_id)
        .fetch_all(&self.store.pool)
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// One address.
    pub async fn get(&self, id: &str) -> Result<Option<CompanyAddress>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM company_addresses WHERE tenant_id = $1 AND company_id = $2 AND id = $3")))
            .bind(self.tenant.as_str())
            .bind(self.company_id)
            .bind(id)
            .fetch_optional(&self.store.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Adds an address; the first of its kind, or one marked default, becomes the default.
    pub async fn create(&self, input: &AddressInput, actor: &str) -> Result<CompanyAddress> {
        let mut tx = self.store.begin_write().await?;
        let id = new_id("adr_");
        let others: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM company_addresses WHERE tenant_id = $1 AND company_id = $2 AND kind = $3")
            .bind(self.tenant.as_str())
            .bind(self.company_id)
            .bind(input.kind.as_str())
            .fetch_one(&mut *tx)
            .await?;
        let is_default = input.is_default || others == 0;
        if is_default {
            self.clear_default(&mut tx, input.kind).await?;
        }
        let at = now().millis();
        let a = &input.address;
        sqlx::query(
            "INSERT INTO company_addresses (tenant_id, company_id, id, kind, label, recipient, street, city, region, postcode, country, phone,
                is_default, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)",
        )
        .bind(self.tenant.as_str())
        .bind(self.company_id)
        .bind(&id)
        .bind(input.kind.as_str())
        .bind(&input.label)
        .bind(&input.recipient)
        .bind(&a.street)
        .bind(&a.city)
        .bind(&a.region)
        .bind(&a.postcode)
        .bind(&a.country)
        .bind(&input.phone)
        .bind(i64::from(is_default))
        .bind(at)
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, self.tenant, self.company_id, actor, "address.created", &json!({"address": id, "kind": input.kind.as_str()})).await?;
        tx.commit().await?;
        self.get(&id).await?.ok_or(StoreError::NotFound("address"))
    }

    /// Replaces an address (its kind too); marking it default unmarks the previous default.
    pub async fn update(&self, id: &str, input: &AddressInput, actor: &str) -> Result<CompanyAddress> {
        let current = self.get(id).await?.ok_or(StoreError::NotFound("address"))?;
        let mut tx = self.store.begin_write().await?;
        let is_default = input.is_default || (current.is_default && current.kind == input.kind);
        if is_default {
            self.clear_default(&mut tx, input.kind).await?;
        }
        let a = &input.address;
        sqlx::query(
            "UPDATE company_addresses SET kind = $4, label = $5, recipient = $6, street = $7, city = $8, region = $9, postcode = $10,
                country = $11, phone = $12, is_default = $13, updated_at = $14
             WHERE tenant_id = $1 AND company_id = $2 AND id = $3",
        )
        .bind(self.tenant.as_str())
        .bind(self.company_id)
        .bind(id)
        .bind(input.kind.as_str())
        .bind(&input.label)
        .bind(&input.recipient)
        .bind(&a.street)
        .bind(&a.city)
        .bind(&a.region)
        .bind(&a.postcode)
        .bind(&a.country)
        .bind(&input.phone)
        .bind(i64::from(is_default))
        .bind(now().millis())
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, self.tenant, self.company_id, actor, "address.updated", &json!({"address": id})).await?;
        tx.commit().await?;
        self.get(id).await?.ok_or(StoreError::NotFound("address"))
    }

    /// Deletes an address.
    pub async fn delete(&self, id: &str, actor: &str) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        let done = sqlx::query("DELETE FROM company_addresses WHERE tenant_id = $1 AND company_id = $2 AND id = $3")
            .bind(self.tenant.as_str())
            .bind(self.company_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("address"));
        }
        audit::record(&mut tx, self.tenant, self.company_id, actor, "address.deleted", &json!({"address": id})).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn clear_default(&self, conn: &mut AnyConnection, kind: AddressKind) -> Result<()> {
        sqlx::query("UPDATE company_addresses SET is_default = 0 WHERE tenant_id = $1 AND company_id = $2 AND kind = $3")
            .bind(self.tenant.as_str())
            .bind(self.company_id)
            .bind(kind.as_str())
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}

fn from_row(row: &AnyRow) -> Result<CompanyAddress> {
    let kind: String = row.try_get("kind")?;
    Ok(CompanyAddress {
        id: row.try_get("id")?,
        kind: AddressKind::parse(&kind).map_err(|e| StoreError::corrupt("address kind", e))?,
        label: row.try_get("label")?,
        recipient: row.try_get("recipient")?,
        address: Address {
            street: row.try_get("street")?,
            city: row.try_get("city")?,
            region: row.try_get("region")?,
            postcode: row.try_get("postcode")?,
            country: row.try_get("country")?,
        },
        phone: row.try_get("phone")?,
        is_default: row.try_get::<i64, _>("is_default")? != 0,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
        updated_at: Timestamp::from_millis(row.try_get("updated_at")?),
    })
}
