//! Company credit: the credit line of a company and the append-only history of every change
//! (Magento's `company_credit` and `company_credit_history`).
//!
//! Every change reads the line under its lock ([`Plan::Locked`]), decides with the domain's
//! [`CreditLine`], and writes the new balance, a history entry carrying the resulting balance
//! and available credit, and a `credit.changed` event, all in one transaction. Concurrent
//! orders on account therefore never take a company beyond its limit, and the balance always
//! equals the sum of its history ([`Store::credit_drift`]).

use hanse_domain::credit::{CreditLine, CreditOperation, InsufficientCredit, format_amount};
use hanse_domain::currency::Currency;
use hanse_domain::time::Timestamp;
use serde::Deserialize;
use serde_json::json;
use sqlx::AnyConnection;

use crate::ids::{new_id, now};
use crate::outbox;
use crate::rows::{Plan, fetch, fetch_planned};
use crate::sql::{Batch, Bind};
use crate::tenants::TenantId;
use crate::{Result, Store, StoreError};

/// A company's credit line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditAccount {
    /// The company.
    pub company_id: String,
    /// ISO 4217 code of the line.
    pub currency: String,
    /// Limit, balance and the allow-exceed flag.
    pub line: CreditLine,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// One entry of a company's credit history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditEntry {
    /// Id.
    pub id: String,
    /// What happened.
    pub operation: CreditOperation,
    /// Change of the balance (signed; 0 for a limit change).
    pub amount: i64,
    /// The line after it.
    pub line: CreditLine,
    /// Who: `merchant`, a buyer id, or `system`.
    pub actor: String,
    /// The order, for purchases and their reverts.
    pub order_id: Option<String>,
    /// A purchase order or custom reference number.
    pub reference: String,
    /// A comment.
    pub comment: String,
    /// When.
    pub created_at: Timestamp,
}

/// What a merchant changes about a credit line; `None` keeps the value.
#[derive(Debug, Clone, Default)]
pub struct CreditChange {
    /// New limit (≥ 0), 1/10,000 units.
    pub limit: Option<i64>,
    /// Whether orders may exceed it.
    pub allow_exceed: Option<bool>,
    /// Why, for the history.
    pub comment: String,
}

/// Who changed a line, and with what reference, for the history.
#[derive(Debug, Clone, Copy)]
pub struct CreditNote<'a> {
    /// `merchant`, a buyer id, or `system`.
    pub actor: &'a str,
    /// The order, if any.
    pub order_id: Option<&'a str>,
    /// A purchase order or custom reference number.
    pub reference: &'a str,
    /// A comment.
    pub comment: &'a str,
}

/// A company whose balance differs from the sum of its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditDrift {
    /// The tenant.
    pub tenant_id: String,
    /// The company.
    pub company_id: String,
    /// The stored balance.
    pub balance: i64,
    /// The sum of its history.
    pub ledger: i64,
}

const LINE_COLUMNS: &str = "company_id, currency, credit_limit, balance, allow_exceed, updated_at";

#[derive(Deserialize)]
struct LineRow {
    company_id: String,
    currency: String,
    credit_limit: i64,
    balance: i64,
    allow_exceed: i64,
    updated_at: i64,
}

impl From<LineRow> for CreditAccount {
    fn from(row: LineRow) -> Self {
        CreditAccount {
            company_id: row.company_id,
            currency: row.currency,
            line: CreditLine { limit: row.credit_limit, balance: row.balance, allow_exceed: row.allow_exceed == 1 },
            updated_at: Timestamp::from_millis(row.updated_at),
        }
    }
}

/// The credit line of `company`, locked until the transaction ends when `plan` says so.
async fn read(conn: &mut AnyConnection, tenant: &TenantId, company: &str, plan: Plan) -> Result<Option<CreditAccount>> {
    let rest = "FROM company_credits WHERE tenant_id = $1 AND company_id = $2";
    let binds = vec![Bind::Text(tenant.as_str().to_owned()), Bind::Text(company.to_owned())];
    let rows: Vec<LineRow> = fetch_planned(conn, plan, LINE_COLUMNS, rest, None, binds, "credit line").await?;
    Ok(rows.into_iter().next().map(CreditAccount::from))
}

/// Writes `after` as the company's line, with its history entry and event.
async fn write(conn: &mut AnyConnection, tenant: &TenantId, before: &CreditAccount, after: CreditLine, operation: CreditOperation, note: CreditNote<'_>) -> Result<CreditAccount> {
    // The line, its history entry and the event: one round trip.
    let mut batch = Batch::default();
    let account = write_in(&mut batch, tenant, before, after, operation, note)?;
    batch.run(conn).await?;
    Ok(account)
}

/// Adds [`write`]'s statements to `batch`, for the caller to run in the transaction that holds
/// the line's lock; answers the account as it will be.
fn write_in(batch: &mut Batch, tenant: &TenantId, before: &CreditAccount, after: CreditLine, operation: CreditOperation, note: CreditNote<'_>) -> Result<CreditAccount> {
    let at = now().millis();
    batch.push(
        "UPDATE company_credits SET credit_limit = $3, balance = $4, allow_exceed = $5, updated_at = $6 WHERE tenant_id = $1 AND company_id = $2",
        vec![
            Bind::Text(tenant.as_str().to_owned()),
            Bind::Text(before.company_id.clone()),
            Bind::Int(after.limit),
            Bind::Int(after.balance),
            Bind::Int(i64::from(after.allow_exceed)),
            Bind::Int(at),
        ],
    );
    let amount = after.balance - before.line.balance;
    history(batch, tenant, &before.company_id, operation, amount, after, note, at);
    changed(batch, tenant, &before.company_id, &before.currency, operation, amount, after, note.order_id)?;
    Ok(CreditAccount { line: after, updated_at: Timestamp::from_millis(at), ..before.clone() })
}

/// Adds the `credit.changed` event to `batch`, amounts in the line's currency.
#[allow(clippy::too_many_arguments)]
fn changed(batch: &mut Batch, tenant: &TenantId, company: &str, currency: &str, operation: CreditOperation, amount: i64, line: CreditLine, order_id: Option<&str>) -> Result<()> {
    let currency = Currency::parse(currency).map_err(|e| StoreError::corrupt("credit currency", e))?;
    let payload = json!({
        "company_id": company,
        "operation": operation.as_str(),
        "currency": currency.code(),
        "amount": format_amount(amount, currency),
        "balance": format_amount(line.balance, currency),
        "credit_limit": format_amount(line.limit, currency),
        "available": format_amount(line.available(), currency),
        "order_id": order_id,
    });
    outbox::event_in(batch, tenant, "credit.changed", &payload);
    Ok(())
}

/// Adds a history entry to `batch`.
#[allow(clippy::too_many_arguments)]
fn history(batch: &mut Batch, tenant: &TenantId, company: &str, operation: CreditOperation, amount: i64, line: CreditLine, note: CreditNote<'_>, at: i64) {
    batch.push(
        "INSERT INTO credit_history (tenant_id, id, company_id, operation, amount, balance, credit_limit, available, allow_exceed, actor, order_id, reference, comment, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        vec![
            Bind::Text(tenant.as_str().to_owned()),
            Bind::Text(new_id("crh_")),
            Bind::Text(company.to_owned()),
            Bind::Text(operation.as_str().to_owned()),
            Bind::Int(amount),
            Bind::Int(line.balance),
            Bind::Int(line.limit),
            Bind::Int(line.available()),
            Bind::Int(i64::from(line.allow_exceed)),
            Bind::Text(note.actor.to_owned()),
            Bind::OptText(note.order_id.map(str::to_owned)),
            Bind::Text(note.reference.to_owned()),
            Bind::Text(note.comment.to_owned()),
            Bind::Int(at),
        ],
    );
}

/// Pays `amount` on account for an order, inside the order's transaction: the line is read
/// under its lock, so concurrent orders queue and each sees the balance the previous one left.
/// `Ok(Err(..))` when the available credit does not cover it and exceeding is not allowed;
/// `no_credit_line` when the company has none. The writes go into `writes`, for the caller to
/// run in the same transaction.
pub(crate) async fn purchase(
    conn: &mut AnyConnection,
    writes: &mut Batch,
    tenant: &TenantId,
    company: &str,
    amount: i64,
    note: CreditNote<'_>,
) -> Result<std::result::Result<CreditAccount, InsufficientCredit>> {
    let Some(account) = read(conn, tenant, company, Plan::Locked).await? else {
        return Err(StoreError::Refused("no_credit_line", "the company has no credit line for payment on account".into()));
    };
    match account.line.purchase(amount) {
        Ok(after) => Ok(Ok(write_in(writes, tenant, &account, after, CreditOperation::Purchased, note)?)),
        Err(refused) => Ok(Err(refused)),
    }
}

/// Gives `amount` back to the company's line (a canceled or refunded order) inside the
/// caller's transaction.
pub(crate) async fn give_back(conn: &mut AnyConnection, tenant: &TenantId, company: &str, amount: i64, operation: CreditOperation, note: CreditNote<'_>) -> Result<CreditAccount> {
    let account = read(conn, tenant, company, Plan::Locked)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("company {company} paid on account but has no credit line")))?;
    write(conn, tenant, &account, account.line.credit(amount), operation, note).await
}

/// The credit of one company.
pub struct CompanyCredit<'a> {
    store: &'a Store,
    tenant: &'a TenantId,
    company: &'a str,
}

impl Store {
    /// The credit of `company` in `tenant`.
    pub fn credit<'a>(&'a self, tenant: &'a TenantId, company: &'a str) -> CompanyCredit<'a> {
        CompanyCredit { store: self, tenant, company }
    }

    /// Every company, in every tenant, whose balance differs from the sum of its history.
    pub async fn credit_drift(&self) -> Result<Vec<CreditDrift>> {
        let mut conn = self.pool.acquire().await?;
        let rest = "FROM (SELECT c.tenant_id, c.company_id, c.balance,
                     CAST(COALESCE((SELECT SUM(h.amount) FROM credit_history h WHERE h.tenant_id = c.tenant_id AND h.company_id = c.company_id), 0) AS BIGINT) AS ledger
                 FROM company_credits c) d WHERE balance <> ledger";
        let rows: Vec<(String, String, i64, i64)> =
            fetch(&mut conn, "tenant_id, company_id, balance, ledger", rest, Some("tenant_id, company_id"), Vec::new(), "credit drift").await?;
        Ok(rows.into_iter().map(|(tenant_id, company_id, balance, ledger)| CreditDrift { tenant_id, company_id, balance, ledger }).collect())
    }
}

impl CompanyCredit<'_> {
    async fn company_exists(&self, conn: &mut AnyConnection) -> Result<()> {
        let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM companies WHERE tenant_id = $1 AND id = $2")
            .bind(self.tenant.as_str())
            .bind(self.company)
            .fetch_optional(&mut *conn)
            .await?;
        found.map(|_| ()).ok_or(StoreError::NotFound("company"))
    }

    /// The line of a company known to exist (the buyer's own); `None` when it has none.
    pub async fn line(&self) -> Result<Option<CreditAccount>> {
        let mut conn = self.store.pool.acquire().await?;
        read(&mut conn, self.tenant, self.company, Plan::Kept).await
    }

    /// The line; `None` when the company has none (`not found` when there is no company).
    pub async fn get(&self) -> Result<Option<CreditAccount>> {
        let mut conn = self.store.pool.acquire().await?;
        self.company_exists(&mut conn).await?;
        read(&mut conn, self.tenant, self.company, Plan::Kept).await
    }

    /// Sets the limit or the allow-exceed flag. The first time allocates the line in
    /// `currency` (history `allocated`); later changes are `updated`.
    pub async fn set(&self, change: &CreditChange, currency: &str, actor: &str) -> Result<CreditAccount> {
        let mut tx = self.store.begin_write().await?;
        self.company_exists(&mut tx).await?;
        let note = CreditNote { actor, order_id: None, reference: "", comment: &change.comment };
        let account = match read(&mut tx, self.tenant, self.company, Plan::Locked).await? {
            Some(account) => {
                let after = CreditLine {
                    limit: change.limit.unwrap_or(account.line.limit),
                    allow_exceed: change.allow_exceed.unwrap_or(account.line.allow_exceed),
                    ..account.line
                };
                if after == account.line {
                    return Ok(account);
                }
                write(&mut tx, self.tenant, &account, after, CreditOperation::Updated, note).await?
            }
            None => {
                let at = now().millis();
                let line = CreditLine { limit: change.limit.unwrap_or(0), balance: 0, allow_exceed: change.allow_exceed.unwrap_or(false) };
                sqlx::query(
                    "INSERT INTO company_credits (tenant_id, company_id, currency, credit_limit, balance, allow_exceed, updated_at) VALUES ($1, $2, $3, $4, 0, $5, $6)",
                )
                .bind(self.tenant.as_str())
                .bind(self.company)
                .bind(currency)
                .bind(line.limit)
                .bind(i64::from(line.allow_exceed))
                .bind(at)
                .execute(&mut *tx)
                .await?;
                let empty = CreditAccount { company_id: self.company.to_owned(), currency: currency.to_owned(), line, updated_at: Timestamp::from_millis(at) };
                let mut batch = Batch::default();
                history(&mut batch, self.tenant, self.company, CreditOperation::Allocated, 0, line, note, at);
                changed(&mut batch, self.tenant, self.company, currency, CreditOperation::Allocated, 0, line, None)?;
                batch.run(&mut tx).await?;
                empty
            }
        };
        tx.commit().await?;
        Ok(account)
    }

    /// Records a payment received from the company (or, negative, a correction): the balance
    /// moves by `amount`. `no_credit_line` when the company has none.
    pub async fn reimburse(&self, amount: i64, note: CreditNote<'_>) -> Result<CreditAccount> {
        let mut tx = self.store.begin_write().await?;
        self.company_exists(&mut tx).await?;
        let Some(account) = read(&mut tx, self.tenant, self.company, Plan::Locked).await? else {
            return Err(StoreError::Refused("no_credit_line", "the company has no credit line".into()));
        };
        let account = write(&mut tx, self.tenant, &account, account.line.credit(amount), CreditOperation::Reimbursed, note).await?;
        tx.commit().await?;
        Ok(account)
    }

    /// The history, newest first: at most `limit` entries older than the entry `before`, if
    /// given.
    pub async fn history(&self, limit: i64, before: Option<&str>) -> Result<Vec<CreditEntry>> {
        let mut conn = self.store.pool.acquire().await?;
        self.company_exists(&mut conn).await?;
        let rows: Vec<(String, String, i64, i64, i64, i64, String, Option<String>, String, String, i64)> = sqlx::query_as(
            "SELECT id, operation, amount, balance, credit_limit, allow_exceed, actor, order_id, reference, comment, created_at
             FROM credit_history WHERE tenant_id = $1 AND company_id = $2 AND ($3 = '' OR id < $3) ORDER BY id DESC LIMIT $4",
        )
        .bind(self.tenant.as_str())
        .bind(self.company)
        .bind(before.unwrap_or(""))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
        rows.into_iter()
            .map(|(id, operation, amount, balance, limit, allow_exceed, actor, order_id, reference, comment, created_at)| {
                Ok(CreditEntry {
                    id,
                    operation: CreditOperation::parse(&operation).map_err(|e| StoreError::corrupt("credit operation", e))?,
                    amount,
                    line: CreditLine { limit, balance, allow_exceed: allow_exceed == 1 },
                    actor,
                    order_id,
                    reference,
                    comment,
                    created_at: Timestamp::from_millis(created_at),
                })
            })
            .collect()
    }
}
