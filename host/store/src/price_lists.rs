//! Price lists of one tenant: entries per SKU (a fixed unit price or a percent off the list
//! price, from a quantity on, within validity dates), applied to whoever their targets name —
//! shared catalogs, customer groups, segments, single companies. Read at request time: a change
//! counts on the next request.

use std::collections::{HashMap, HashSet};

use hanse_domain::money::Price;
use hanse_domain::price_rules::{EntryRule, ListEntry, PercentOff};
use hanse_domain::time::Timestamp;
use rust_decimal::Decimal;
use serde::Deserialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::ids::{new_id, now};
use crate::shared_catalogs::existing_skus;
use crate::rows::{Dialect, fetch, key_set};
use crate::sql::{Bind, placeholders, values_rows};
use crate::tenants::TenantId;
use crate::{Result, Store, StoreError};

const CHUNK: usize = 100;

/// Whom a price list applies to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Targets {
    /// Everyone who sees one of these shared catalogs.
    pub shared_catalogs: Vec<String>,
    /// Companies in one of these customer groups.
    pub customer_groups: Vec<String>,
    /// Companies in one of these segments.
    pub segments: Vec<String>,
    /// These companies.
    pub companies: Vec<String>,
}

impl Targets {
    fn pairs(&self) -> Vec<(&'static str, &str)> {
        let mut pairs = Vec::new();
        for (kind, ids) in [
            ("shared_catalog", &self.shared_catalogs),
            ("customer_group", &self.customer_groups),
            ("segment", &self.segments),
            ("company", &self.companies),
        ] {
            let mut ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            ids.sort_unstable();
            ids.dedup();
            pairs.extend(ids.into_iter().map(|id| (kind, id)));
        }
        pairs
    }
}

/// A price list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceList {
    /// `pl_...`.
    pub id: String,
    /// Unique within the tenant.
    pub name: String,
    /// Free text.
    pub description: String,
    /// Higher wins a tie between equal prices.
    pub priority: i64,
    /// Whom it applies to.
    pub targets: Targets,
    /// Entries it holds.
    pub entry_count: i64,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it or its entries last changed.
    pub updated_at: Timestamp,
}

/// One entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The product.
    pub sku: String,
    /// From this quantity on (1: every quantity).
    pub min_quantity: i64,
    /// What it sets.
    pub rule: EntryRule,
    /// Valid from (inclusive).
    pub valid_from: Option<Timestamp>,
    /// Valid until (exclusive).
    pub valid_to: Option<Timestamp>,
}

/// What a write of entries did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EntriesOutcome {
    /// Entries that did not exist.
    pub created: u64,
    /// Entries that existed and changed.
    pub updated: u64,
    /// Entries that existed exactly as given.
    pub unchanged: u64,
    /// Entries removed (by a replace).
    pub removed: u64,
}

/// Who is asking for prices: what the applicable lists are matched against.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Audience {
    /// The shared catalog they see.
    pub catalog: String,
    /// Their company, if signed in.
    pub company: Option<String>,
    /// Their company's customer group.
    pub customer_group: Option<String>,
    /// Their company's segments.
    pub segments: Vec<String>,
}

/// The price lists of one tenant.
pub struct PriceLists<'a> {
    store: &'a Store,
    tenant: &'a TenantId,
}

impl Store {
    /// The price lists of `tenant`.
    pub fn price_lists<'a>(&'a self, tenant: &'a TenantId) -> PriceLists<'a> {
        PriceLists { store: self, tenant }
    }
}

fn taken(name: &str) -> String {
    format!("a price list named {name:?} exists already")
}

const SELECT: &str = "SELECT l.id, l.name, l.description, l.priority, l.created_at, l.updated_at,
        (SELECT COUNT(*) FROM price_list_entries e WHERE e.tenant_id = l.tenant_id AND e.list_id = l.id) AS entry_count
    FROM price_lists l";

impl PriceLists<'_> {
    /// Every list, by name.
    pub async fn list(&self) -> Result<Vec<PriceList>> {
        let sql = format!("{SELECT} WHERE l.tenant_id = $1 ORDER BY l.name, l.id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(self.tenant.as_str()).fetch_all(&self.store.pool).await?;
        let mut targets = self.all_targets(None).await?;
        rows.iter()
            .map(|row| {
                let mut list = from_row(row)?;
                list.targets = targets.remove(&list.id).unwrap_or_default();
                Ok(list)
            })
            .collect()
    }

    /// One list.
    pub async fn get(&self, id: &str) -> Result<Option<PriceList>> {
        let sql = format!("{SELECT} WHERE l.tenant_id = $1 AND l.id = $2");
        let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(self.tenant.as_str()).bind(id).fetch_optional(&self.store.pool).await? else {
            return Ok(None);
        };
        let mut list = from_row(&row)?;
        list.targets = self.all_targets(Some(id)).await?.remove(id).unwrap_or_default();
        Ok(Some(list))
    }

    async fn all_targets(&self, only: Option<&str>) -> Result<HashMap<String, Targets>> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT list_id, kind, target_id FROM price_list_targets WHERE tenant_id = $1 AND ($2 = '' OR list_id = $2) ORDER BY target_id",
        )
        .bind(self.tenant.as_str())
        .bind(only.unwrap_or(""))
        .fetch_all(&self.store.pool)
        .await?;
        let mut by_list: HashMap<String, Targets> = HashMap::new();
        for (list, kind, target) in rows {
            let targets = by_list.entry(list).or_default();
            match kind.as_str() {
                "shared_catalog" => targets.shared_catalogs.push(target),
                "customer_group" => targets.customer_groups.push(target),
                "segment" => targets.segments.push(target),
                "company" => targets.companies.push(target),
                other => return Err(StoreError::corrupt("price list target kind", other)),
            }
        }
        Ok(by_list)
    }

    /// Creates a list with its targets and entries, all or nothing.
    pub async fn create(&self, name: &str, description: &str, priority: i64, targets: &Targets, entries: &[Entry]) -> Result<PriceList> {
        let id = new_id("pl_");
        let mut tx = self.store.begin_write().await?;
        sqlx::query(
            "INSERT INTO price_lists (tenant_id, id, name, description, priority, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(self.tenant.as_str())
        .bind(&id)
        .bind(name)
        .bind(description)
        .bind(priority)
        .bind(now().millis())
        .execute(&mut *tx)
        .await
        .map_err(StoreError::on_unique(taken(name)))?;
        set_targets(&mut tx, self.tenant, &id, targets).await?;
        write_entries(&mut tx, self.tenant, &id, entries, false).await?;
        tx.commit().await?;
        if entries.len() >= crate::shared_catalogs::BULK {
            self.store.analyze(&["price_list_entries"]).await?;
        }
        self.get(&id).await?.ok_or(StoreError::NotFound("price list"))
    }

    /// Changes name, description, priority and, when given, replaces the targets.
    pub async fn update(&self, id: &str, name: Option<&str>, description: Option<&str>, priority: Option<i64>, targets: Option<&Targets>) -> Result<PriceList> {
        let current = self.get(id).await?.ok_or(StoreError::NotFound("price list"))?;
        let name = name.unwrap_or(&current.name);
        let mut tx = self.store.begin_write().await?;
        sqlx::query("UPDATE price_lists SET name = $3, description = $4, priority = $5, updated_at = $6 WHERE tenant_id = $1 AND id = $2")
            .bind(self.tenant.as_str())
            .bind(id)
            .bind(name)
            .bind(description.unwrap_or(&current.description))
            .bind(priority.unwrap_or(current.priority))
            .bind(now().millis())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::on_unique(taken(name)))?;
        if let Some(targets) = targets {
            set_targets(&mut tx, self.tenant, id, targets).await?;
        }
        tx.commit().await?;
        self.get(id).await?.ok_or(StoreError::NotFound("price list"))
    }

    /// Deletes a list with its entries and targets.
    pub async fn delete(&self, id: &str) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        for table in ["price_list_entries", "price_list_targets"] {
            let sql = format!("DELETE FROM {table} WHERE tenant_id = $1 AND list_id = $2");
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(self.tenant.as_str()).bind(id).execute(&mut *tx).await?;
        }
        let done = sqlx::query("DELETE FROM price_lists WHERE tenant_id = $1 AND id = $2").bind(self.tenant.as_str()).bind(id).execute(&mut *tx).await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("price list"));
        }
        tx.commit().await?;
        Ok(())
    }

    /// Writes entries: with `replace`, the list ends holding exactly `entries`; without, they are
    /// added or overwritten and the rest stay. Entries identical to the stored ones write
    /// nothing, so running the same import twice changes nothing the second time. A (SKU,
    /// quantity) pair given twice ends as its last occurrence says.
    pub async fn write_entries(&self, id: &str, entries: &[Entry], replace: bool) -> Result<EntriesOutcome> {
        let mut tx = self.store.begin_write().await?;
        let done = sqlx::query("UPDATE price_lists SET updated_at = $3 WHERE tenant_id = $1 AND id = $2")
            .bind(self.tenant.as_str())
            .bind(id)
            .bind(now().millis())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("price list"));
        }
        let outcome = write_entries(&mut tx, self.tenant, id, entries, replace).await?;
        tx.commit().await?;
        if entries.len() >= crate::shared_catalogs::BULK {
            self.store.analyze(&["price_list_entries"]).await?;
        }
        Ok(outcome)
    }

    /// Removes every entry of these SKUs; answers how many went.
    pub async fn remove_entries(&self, id: &str, skus: &[String]) -> Result<u64> {
        let mut tx = self.store.begin_write().await?;
        let mut removed = 0;
        for chunk in skus.chunks(CHUNK) {
            let sql = format!("DELETE FROM price_list_entries WHERE tenant_id = $1 AND list_id = $2 AND sku IN ({})", placeholders(3, chunk.len()));
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false).bind(self.tenant.as_str()).bind(id);
            for sku in chunk {
                query = query.bind(sku.as_str());
            }
            removed += query.execute(&mut *tx).await?.rows_affected();
        }
        sqlx::query("UPDATE price_lists SET updated_at = $3 WHERE tenant_id = $1 AND id = $2")
            .bind(self.tenant.as_str())
            .bind(id)
            .bind(now().millis())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(removed)
    }

    /// A page of a list's entries by SKU and quantity; `after` is the last SKU of the previous
    /// page (a page never splits one SKU's tiers).
    pub async fn entries(&self, id: &str, after: Option<&str>, limit: u32) -> Result<(Vec<Entry>, Option<String>)> {
        let rows = sqlx::query(
            "SELECT sku, min_quantity, price, percent_off, valid_from, valid_to FROM price_list_entries
             WHERE tenant_id = $1 AND list_id = $2 AND sku IN (
                 SELECT DISTINCT sku FROM price_list_entries WHERE tenant_id = $1 AND list_id = $2 AND sku > $3 ORDER BY sku LIMIT $4)
             ORDER BY sku, min_quantity",
        )
        .bind(self.tenant.as_str())
        .bind(id)
        .bind(after.unwrap_or(""))
        .bind(i64::from(limit) + 1)
        .fetch_all(&self.store.pool)
        .await?;
        let mut entries = rows.iter().map(entry_from_row).collect::<Result<Vec<_>>>()?;
        let mut skus: Vec<&str> = entries.iter().map(|e| e.sku.as_str()).collect();
        skus.dedup();
        let next = if skus.len() > limit as usize {
            let last = skus[limit as usize - 1].to_owned();
            entries.retain(|e| e.sku <= last);
            Some(last)
        } else {
            None
        };
        Ok((entries, next))
    }

    /// Every entry of the lists that apply to `audience`, for these SKUs, by SKU (entries of
    /// other lists, or of SKUs not asked for, are absent).
    pub async fn entries_for(&self, audience: &Audience, skus: &[&str]) -> Result<HashMap<String, Vec<ListEntry>>> {
        let mut conn = self.store.pool.acquire().await?;
        let lists = applicable_lists(&mut conn, self.tenant, audience).await?;
        let mut by_sku: HashMap<String, Vec<ListEntry>> = HashMap::new();
        if lists.is_empty() || skus.is_empty() {
            return Ok(by_sku);
        }
        let dialect = Dialect::of(&conn);
        let rest = format!(
            "FROM price_list_entries e JOIN price_lists l ON l.tenant_id = e.tenant_id AND l.id = e.list_id
             WHERE e.tenant_id = $1 AND {} AND {}",
            dialect.in_set("e.list_id", 2),
            dialect.in_set("e.sku", 3)
        );
        let binds = vec![Bind::Text(self.tenant.as_str().to_owned()), Bind::Text(key_set(&lists)), Bind::Text(key_set(skus))];
        let columns = "e.sku, e.list_id, l.name, l.priority, e.min_quantity, e.price, e.percent_off, e.valid_from, e.valid_to";
        let rows: Vec<ApplicableRow> = fetch(&mut conn, columns, &rest, None, binds, "price list entries").await?;
        for row in rows {
            by_sku.entry(row.sku).or_default().push(ListEntry {
                list_id: row.list_id,
                list_name: row.list_name,
                priority: row.priority,
                min_quantity: row.min_quantity,
                rule: rule_of(row.price, row.percent_off)?,
                valid_from: row.valid_from.map(Timestamp::from_millis),
                valid_to: row.valid_to.map(Timestamp::from_millis),
            });
        }
        Ok(by_sku)
    }
}

async fn applicable_lists(conn: &mut AnyConnection, tenant: &TenantId, audience: &Audience) -> Result<Vec<String>> {
    let mut sql = "SELECT DISTINCT list_id FROM price_list_targets WHERE tenant_id = $1 AND ((kind = 'shared_catalog' AND target_id = $2)".to_owned();
    let mut binds: Vec<&str> = vec![tenant.as_str(), &audience.catalog];
    if let Some(group) = &audience.customer_group {
        binds.push(group);
        sql += &format!(" OR (kind = 'customer_group' AND target_id = ${})", binds.len());
    }
    if let Some(company) = &audience.company {
        binds.push(company);
        sql += &format!(" OR (kind = 'company' AND target_id = ${})", binds.len());
    }
    if !audience.segments.is_empty() {
        sql += &format!(" OR (kind = 'segment' AND target_id IN ({}))", placeholders(binds.len() + 1, audience.segments.len()));
        binds.extend(audience.segments.iter().map(String::as_str));
    }
    sql += ") ORDER BY list_id";
    let mut query = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql));
    for bind in binds {
        query = query.bind(bind);
    }
    Ok(query.fetch_all(&mut *conn).await?)
}

async fn set_targets(conn: &mut AnyConnection, tenant: &TenantId, id: &str, targets: &Targets) -> Result<()> {
    let pairs = targets.pairs();
    let mut unknown = Vec::new();
    for (kind, table) in [("shared_catalog", "shared_catalogs"), ("customer_group", "customer_groups"), ("segment", "segments"), ("company", "companies")] {
        let ids: Vec<&str> = pairs.iter().filter(|(k, _)| *k == kind).map(|(_, id)| *id).collect();
        for chunk in ids.chunks(CHUNK) {
            let sql = format!("SELECT id FROM {table} WHERE tenant_id = $1 AND id IN ({})", placeholders(2, chunk.len()));
            let mut query = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql)).persistent(false).bind(tenant.as_str());
            for target in chunk {
                query = query.bind(*target);
            }
            let found: HashSet<String> = query.fetch_all(&mut *conn).await?.into_iter().collect();
            unknown.extend(chunk.iter().filter(|t| !found.contains(**t)).map(|t| format!("{kind} {t}")));
        }
    }
    if !unknown.is_empty() {
        return Err(StoreError::Refused("unknown_target", format!("no such targets: {}", unknown.join(", "))));
    }
    sqlx::query("DELETE FROM price_list_targets WHERE tenant_id = $1 AND list_id = $2").bind(tenant.as_str()).bind(id).execute(&mut *conn).await?;
    for chunk in pairs.chunks(CHUNK) {
        let sql = format!("INSERT INTO price_list_targets (tenant_id, list_id, kind, target_id) VALUES {}", values_rows(chunk.len(), 4));
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false);
        for (kind, target) in chunk {
            query = query.bind(tenant.as_str()).bind(id).bind(*kind).bind(*target);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Stored form of a rule: `(price, percent_off)`, each in 1/10,000.
fn rule_columns(rule: EntryRule) -> (Option<i64>, Option<i64>) {
    match rule {
        EntryRule::Fixed(price) => (Some(price.units()), None),
        EntryRule::PercentOff(percent) => {
            let units = (percent.value() * Decimal::from(10_000)).trunc();
            (None, Some(i64::try_from(units).unwrap_or(1_000_000)))
        }
    }
}

async fn write_entries(conn: &mut AnyConnection, tenant: &TenantId, id: &str, entries: &[Entry], replace: bool) -> Result<EntriesOutcome> {
    // Last occurrence of a (SKU, quantity) pair wins.
    let mut wanted: HashMap<(&str, i64), &Entry> = HashMap::with_capacity(entries.len());
    for entry in entries {
        wanted.insert((entry.sku.as_str(), entry.min_quantity), entry);
    }
    let mut skus: Vec<&str> = wanted.keys().map(|(sku, _)| *sku).collect();
    skus.sort_unstable();
    skus.dedup();
    let known = existing_skus(conn, tenant, &skus).await?;
    let unknown: Vec<&str> = skus.iter().copied().filter(|s| !known.contains(*s)).take(20).collect();
    if !unknown.is_empty() {
        return Err(StoreError::Refused("unknown_sku", format!("no such products: {}", unknown.join(", "))));
    }
    let mut stored: HashMap<(String, i64), Entry> = HashMap::new();
    if replace {
        let rows = sqlx::query("SELECT sku, min_quantity, price, percent_off, valid_from, valid_to FROM price_list_entries WHERE tenant_id = $1 AND list_id = $2")
            .bind(tenant.as_str())
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
        for row in &rows {
            let entry = entry_from_row(row)?;
            stored.insert((entry.sku.clone(), entry.min_quantity), entry);
        }
    } else {
        for chunk in skus.chunks(500) {
            let sql = format!(
                "SELECT sku, min_quantity, price, percent_off, valid_from, valid_to FROM price_list_entries WHERE tenant_id = $1 AND list_id = $2 AND sku IN ({})",
                placeholders(3, chunk.len())
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false).bind(tenant.as_str()).bind(id);
            for sku in chunk {
                query = query.bind(*sku);
            }
            for row in query.fetch_all(&mut *conn).await? {
                let entry = entry_from_row(&row)?;
                stored.insert((entry.sku.clone(), entry.min_quantity), entry);
            }
        }
    }
    let mut outcome = EntriesOutcome::default();
    let mut changed: Vec<&Entry> = Vec::new();
    for ((sku, quantity), entry) in &wanted {
        match stored.remove(&((*sku).to_owned(), *quantity)) {
            None => {
                outcome.created += 1;
                changed.push(entry);
            }
            Some(before) if before == **entry => outcome.unchanged += 1,
            Some(_) => {
                outcome.updated += 1;
                changed.push(entry);
            }
        }
    }
    if replace {
        // What is left in `stored` was not asked for.
        let gone: Vec<(String, i64)> = stored.into_keys().collect();
        outcome.removed = gone.len() as u64;
        for chunk in gone.chunks(CHUNK) {
            let condition = (0..chunk.len()).map(|i| format!("(sku = ${} AND min_quantity = ${})", 3 + 2 * i, 4 + 2 * i)).collect::<Vec<_>>().join(" OR ");
            let sql = format!("DELETE FROM price_list_entries WHERE tenant_id = $1 AND list_id = $2 AND ({condition})");
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false).bind(tenant.as_str()).bind(id);
            for (sku, quantity) in chunk {
                query = query.bind(sku.as_str()).bind(*quantity);
            }
            query.execute(&mut *conn).await?;
        }
    }
    changed.sort_by(|a, b| (&a.sku, a.min_quantity).cmp(&(&b.sku, b.min_quantity)));
    for chunk in changed.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO price_list_entries (tenant_id, list_id, sku, min_quantity, price, percent_off, valid_from, valid_to) VALUES {}
             ON CONFLICT (tenant_id, list_id, sku, min_quantity) DO UPDATE SET price = excluded.price, percent_off = excluded.percent_off,
                 valid_from = excluded.valid_from, valid_to = excluded.valid_to",
            values_rows(chunk.len(), 8)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false);
        for entry in chunk {
            let (price, percent) = rule_columns(entry.rule);
            query = query
                .bind(tenant.as_str())
                .bind(id)
                .bind(entry.sku.as_str())
                .bind(entry.min_quantity)
                .bind(price)
                .bind(percent)
                .bind(entry.valid_from.map(Timestamp::millis))
                .bind(entry.valid_to.map(Timestamp::millis));
        }
        query.execute(&mut *conn).await?;
    }
    Ok(outcome)
}

/// An entry of an applicable list, as [`PriceLists::entries_for`] reads it.
#[derive(Deserialize)]
struct ApplicableRow {
    sku: String,
    list_id: String,
    list_name: String,
    priority: i64,
    min_quantity: i64,
    price: Option<i64>,
    percent_off: Option<i64>,
    valid_from: Option<i64>,
    valid_to: Option<i64>,
}

/// An entry's rule from its stored columns: exactly one of a price and a percentage.
fn rule_of(price: Option<i64>, percent: Option<i64>) -> Result<EntryRule> {
    Ok(match (price, percent) {
        (Some(units), None) => EntryRule::Fixed(Price::from_units(units).map_err(|e| StoreError::corrupt("price list price", e))?),
        (None, Some(units)) => EntryRule::PercentOff(
            PercentOff::parse(&Decimal::new(units, 4).to_string()).map_err(|e| StoreError::corrupt("price list percent", e))?,
        ),
        _ => return Err(StoreError::corrupt("price list entry", "needs exactly one of price and percent_off")),
    })
}

fn entry_from_row(row: &AnyRow) -> Result<Entry> {
    Ok(Entry {
        sku: row.try_get("sku")?,
        min_quantity: row.try_get("min_quantity")?,
        rule: rule_of(row.try_get("price")?, row.try_get("percent_off")?)?,
        valid_from: row.try_get::<Option<i64>, _>("valid_from")?.map(Timestamp::from_millis),
        valid_to: row.try_get::<Option<i64>, _>("valid_to")?.map(Timestamp::from_millis),
    })
}

fn from_row(row: &AnyRow) -> Result<PriceList> {
    Ok(PriceList {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        priority: row.try_get("priority")?,
        targets: Targets::default(),
        entry_count: row.try_get("entry_count")?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
        updated_at: Timestamp::from_millis(row.try_get("updated_at")?),
    })
}

impl Store {
    /// Who `company` is for pricing and visibility (its catalog, customer group and segments);
    /// `None` is a guest, who sees the public catalog.
    pub async fn audience(&self, tenant: &TenantId, company: Option<&str>) -> Result<Audience> {
        let Some(company) = company else {
            return Ok(Audience { catalog: crate::PUBLIC_CATALOG.to_owned(), ..Audience::default() });
        };
        // One statement: the segments come along as a JSON array.
        let segments = segments_json(self.backend(), "m.tenant_id", "m.id");
        let sql = format!(
            "SELECT m.customer_group_id, a.catalog_id, {segments} FROM companies m
             LEFT JOIN shared_catalog_companies a ON a.tenant_id = m.tenant_id AND a.company_id = m.id
             WHERE m.tenant_id = $1 AND m.id = $2"
        );
        let row = sqlx::query_as::<_, (Option<String>, Option<String>, String)>(sqlx::AssertSqlSafe(sql))
            .bind(tenant.as_str())
            .bind(company)
            .fetch_optional(&self.pool)
            .await?;
        let (customer_group, catalog, segments) = row.ok_or(StoreError::NotFound("company"))?;
        company_audience(company, customer_group, catalog, &segments)
    }
}

/// A SQL expression for the segments of the company `company` (a column) of `tenant` (a
/// column), as a JSON array text ordered by id.
pub(crate) fn segments_json(backend: crate::Backend, tenant: &str, company: &str) -> String {
    match backend {
        crate::Backend::Sqlite => format!(
            "(SELECT json_group_array(s.segment_id ORDER BY s.segment_id) FROM segment_companies s WHERE s.tenant_id = {tenant} AND s.company_id = {company})"
        ),
        crate::Backend::Postgres => format!(
            "(SELECT COALESCE(json_agg(s.segment_id ORDER BY s.segment_id), '[]'::json)::text FROM segment_companies s WHERE s.tenant_id = {tenant} AND s.company_id = {company})"
        ),
    }
}

/// The audience of `company` from its group, its shared catalog (`None`: the public one) and
/// its segments as [`segments_json`] gives them.
pub(crate) fn company_audience(company: &str, customer_group: Option<String>, catalog: Option<String>, segments: &str) -> Result<Audience> {
    let segments: Vec<String> = serde_json::from_str(segments).map_err(|e| StoreError::corrupt("company segments", e))?;
    Ok(Audience {
        catalog: catalog.unwrap_or_else(|| crate::PUBLIC_CATALOG.to_owned()),
        company: Some(company.to_owned()),
        customer_group,
        segments,
    })
}
