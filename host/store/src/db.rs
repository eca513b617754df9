//! Connecting, migrating, and transactions that behave the same on both backends.

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor, Transaction};

use crate::{Result, StoreError};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A single-file embedded database: the default.
    Sqlite,
    /// A PostgreSQL server: production and several replicas.
    Postgres,
}

/// How to connect.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// `sqlite://path/to/file.db` or `postgres://user@host/db`.
    pub url: String,
    /// Pool size; `None` picks a default per backend. On SQLite write transactions have one
    /// more connection of their own.
    pub max_connections: Option<u32>,
}

impl ConnectOptions {
    /// Defaults for `url`.
    pub fn new(url: impl Into<String>) -> Self {
        ConnectOptions { url: url.into(), max_connections: None }
    }
}

/// A connection pool and the repositories on it. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: AnyPool,
    /// SQLite: the one connection write transactions run on ([`Store::begin_write`]); `None`
    /// on PostgreSQL and for an in-memory SQLite database (each connection would be a database
    /// of its own).
    writes: Option<AnyPool>,
    backend: Backend,
    /// SQLite's one writer, taken in this process before the database's own lock (see
    /// [`Store::begin_write`]).
    writer: Arc<tokio::sync::Mutex<()>>,
}

/// A write transaction: on SQLite it also holds this process's writer lock until it ends.
/// Dereferences to the connection, like a `sqlx::Transaction`.
pub(crate) struct WriteTx {
    tx: Transaction<'static, sqlx::Any>,
    _writer: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteTx {
    /// Commits (and lets the next writer in).
    pub(crate) async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }
}

impl std::ops::Deref for WriteTx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

impl Store {
    /// Connects, creating the SQLite file and its folder when missing. Does not migrate.
    pub async fn connect(options: &ConnectOptions) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = backend_of(&options.url)?;
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(&options.url)?,
            Backend::Postgres => options.url.clone(),
        };
        let connect = AnyConnectOptions::from_str(&url).map_err(StoreError::Database)?;
        let size = options.max_connections.unwrap_or(match backend {
            Backend::Sqlite => sqlite_pool_size(),
            Backend::Postgres => 16,
        });
        let pool = pool_options(backend, size).connect_with(connect.clone()).await?;
        let writes = match backend {
            // Write transactions get a connection of their own. Its page cache stays valid from
            // one transaction to the next (no other connection of this process commits), where
            // a pool connection drops its cache whenever another one has committed; and a
            // writer never waits for a connection behind readers while it holds the write lock.
            Backend::Sqlite if !url.contains(":memory:") => Some(pool_options(backend, 1).connect_with(connect).await?),
            _ => None,
        };
        // A SQLite file database (the one case with a writer connection).
        if writes.is_some() {
            open_all(&pool, size).await?;
        }
        let writer: Arc<tokio::sync::Mutex<()>> = Arc::default();
        if backend == Backend::Sqlite {
            tokio::spawn(checkpoints(pool.clone(), Arc::downgrade(&writer)));
        }
        Ok(Store { pool, writes, backend, writer })
    }

    /// Applies pending migrations. Safe to run on every start and from several replicas.
    pub async fn migrate(&self) -> Result<()> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    /// Refreshes the planner's statistics of `tables` after a bulk write (PostgreSQL only).
    /// Without them, a table filled in one go still looks empty to the planner until
    /// autovacuum (which may be off) gets to it, and lookups by key turn into scans of the whole
    /// tenant. SQLite plans from its indexes without statistics.
    pub async fn analyze(&self, tables: &[&str]) -> Result<()> {
        if self.backend == Backend::Postgres {
            for table in tables {
                // Table names come from the code, never from input.
                sqlx::query(sqlx::AssertSqlSafe(format!("ANALYZE {table}"))).execute(&self.pool).await?;
            }
        }
        Ok(())
    }

    /// Where a write outside a [`WriteTx`] (one autocommit statement) goes: on SQLite the
    /// writer connection, so that it queues there instead of in SQLite's busy wait and leaves
    /// the writer's page cache valid; elsewhere the pool. Never call it while this task holds
    /// a [`WriteTx`]: on SQLite that is the same connection.
    pub(crate) fn writes(&self) -> &AnyPool {
        self.writes.as_ref().unwrap_or(&self.pool)
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// True when the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// Closes the pool, waiting for connections in use to be returned.
    pub async fn close(&self) {
        if let Some(writes) = &self.writes {
            writes.close().await;
        }
        self.pool.close().await;
    }

    /// Begins a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a deferred transaction that reads first and writes later fails with
    /// "database is locked" when another writer got in between, instead of waiting its turn.
    /// Writers of this process first queue on an async lock, in order: SQLite's own busy wait
    /// sleeps in steps of up to 100 ms, so under contention a writer slept long after the lock
    /// was free (a checkout's p99 was 0.77 s at 16 concurrent). They then run on the writer
    /// connection ([`Store::writes`]). Another process on the same file still waits through
    /// SQLite's lock.
    pub(crate) async fn begin_write(&self) -> Result<WriteTx> {
        Ok(match self.backend {
            Backend::Sqlite => {
                let writer = self.writer.clone().lock_owned().await;
                WriteTx { tx: self.writes().begin_with("BEGIN IMMEDIATE").await?, _writer: Some(writer) }
            }
            Backend::Postgres => WriteTx { tx: self.pool.begin().await?, _writer: None },
        })
    }
}

/// Opens all `size` connections of a SQLite pool now, on the thread that connects. sqlx runs
/// each SQLite connection on a thread of its own, and a new thread starts with the scheduling
/// priority of the thread that made it: opened later, from a request thread that `hanse serve`
/// runs at a lower priority, the database's threads would be as low as the request threads,
/// and would no longer get a core first when they wake. The connections are then kept (no idle
/// timeout or lifetime, [`pool_options`]); only one that fails is replaced.
async fn open_all(pool: &AnyPool, size: u32) -> Result<()> {
    let mut open = Vec::with_capacity(size as usize);
    for _ in 0..size {
        open.push(pool.acquire().await?);
    }
    Ok(())
}

/// A pool of `size` connections to `backend`, each set up as the backend needs.
fn pool_options(backend: Backend, size: u32) -> AnyPoolOptions {
    let options = match backend {
        // Kept for the life of the process: see `open_all`.
        Backend::Sqlite => AnyPoolOptions::new().idle_timeout(None).max_lifetime(None),
        Backend::Postgres => AnyPoolOptions::new(),
    };
    options
        .max_connections(size)
        .acquire_timeout(Duration::from_secs(10))
        // No ping on every acquire: a round trip per statement group is a large share of a
        // checkout. A connection that died is reported by the statement that uses it, and the
        // pool replaces it.
        .test_before_acquire(false)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // WAL lets readers run beside the one writer; busy_timeout makes writers
                    // queue instead of failing; foreign keys are off by default in SQLite.
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    // No memory mapping of the file (SQLite's default, `mmap_size = 0`):
                    // a connection that finds the database changed by another one drops
                    // its mapping with its page cache, and under a steady stream of commits
                    // the unmapping, its TLB shootdowns and the page faults that refill the
                    // mapping cost more than reading the pages it needs again
                    // (ARCHITECTURE.md, Decisions).
                    // Statement journals (kept while a statement inside a transaction may
                    // still fail, e.g. a multi-row insert) in memory: in a temporary file
                    // they cost an open, writes, a close and an unlink per transaction.
                    conn.execute("PRAGMA temp_store = MEMORY").await?;
                    // Checkpoints run beside the writers (see `checkpoints`); this one stays
                    // only as a cap on the log's growth should they fall behind.
                    conn.execute("PRAGMA wal_autocheckpoint = 10000").await?;
                }
                Ok(())
            })
        })
}

/// SQLite's default pool size: two connections per core, 4 to 16. Each SQLite connection
/// runs on a thread of its own and every statement is a hop to it; connections beyond what the
/// cores can run only add switching between them (on 2 cores, 4 connections placed 12 % more
/// checkouts per second than 8: BENCHMARKS.md).
fn sqlite_pool_size() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    u32::try_from(cores * 2).unwrap_or(16).clamp(4, 16)
}

/// How often SQLite's write-ahead log is copied back into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// Copies SQLite's write-ahead log into the database file every [`CHECKPOINT_EVERY`] until the
/// pool closes or the last clone of its store is dropped (`alive` stops upgrading). SQLite's own checkpoint runs inside the commit that crosses its threshold, so
/// that commit (and, through the write lock, every writer queued behind it) paid for copying
/// and syncing a thousand pages: a commit took 0.47 ms on average and up to 6.7 ms at the
/// checkout benchmark. A passive checkpoint takes no write lock and runs beside the writers
/// (0.32 ms and at most 4.4 ms, same run).
async fn checkpoints(pool: AnyPool, alive: std::sync::Weak<tokio::sync::Mutex<()>>) {
    let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if pool.is_closed() || alive.strong_count() == 0 {
            return;
        }
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await {
            if pool.is_closed() {
                return;
            }
            tracing::warn!(error = %e, "SQLite checkpoint failed; the next one retries");
        }
    }
}

fn backend_of(url: &str) -> Result<Backend> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(StoreError::Database(sqlx::Error::Configuration(
            format!("unsupported database URL {url:?}: use sqlite://FILE or postgres://...").into(),
        )))
    }
}

/// Makes `sqlite:` URLs create their file (`mode=rwc`) and its parent folder.
fn prepare_sqlite_url(url: &str) -> Result<String> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:" && !path.is_empty() {
        if let Some(parent) = Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                StoreError::Database(sqlx::Error::Configuration(
                    format!("cannot create the database folder {}: {e}", parent.display()).into(),
                ))
            })?;
        }
    }
    let query = if query.contains("mode=") {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_backends() {
        assert_eq!(backend_of("sqlite://x.db").unwrap(), Backend::Sqlite);
        assert_eq!(backend_of("sqlite:x.db").unwrap(), Backend::Sqlite);
        assert_eq!(backend_of("postgres://u@h/d").unwrap(), Backend::Postgres);
        assert!(backend_of("mysql://u@h/d").is_err());
    }

    #[test]
    fn sqlite_urls_create_their_file() {
        assert_eq!(prepare_sqlite_url("sqlite::memory:").unwrap(), "sqlite://:memory:?mode=rwc");
        let dir = std::env::temp_dir().join(format!("hanse-url-{}", std::process::id()));
        let url = format!("sqlite://{}/sub/x.db", dir.display());
        assert!(prepare_sqlite_url(&url).unwrap().ends_with("/sub/x.db?mode=rwc"));
        assert!(dir.join("sub").is_dir());
        assert!(prepare_sqlite_url("sqlite://y.db?mode=ro").unwrap().ends_with("?mode=ro"));
    }

    /// Every connection of a SQLite file database is open once `connect` returns (so that
    /// their threads start with the priority of the thread that connects), and stays open.
    #[tokio::test]
    async fn sqlite_connections_open_at_connect() {
        let dir = std::env::temp_dir().join(format!("hanse-open-all-{}", std::process::id()));
        let url = format!("sqlite://{}/o.db", dir.display());
        let store = Store::connect(&ConnectOptions { url, max_connections: Some(3) }).await.unwrap();
        assert_eq!(store.pool.size(), 3);
        assert_eq!(store.writes().size(), 1);
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A write transaction on SQLite runs on the writer connection: it neither waits for a
    /// pool connection held by a reader nor shares one, and what it commits is what the pool
    /// reads next.
    #[tokio::test]
    async fn sqlite_writes_do_not_wait_for_the_pool() {
        let dir = std::env::temp_dir().join(format!("hanse-writer-{}", std::process::id()));
        let url = format!("sqlite://{}/w.db", dir.display());
        let store = Store::connect(&ConnectOptions { url, max_connections: Some(1) }).await.unwrap();
        let mut reader = store.pool.acquire().await.unwrap();
        let mut tx = tokio::time::timeout(Duration::from_secs(2), store.begin_write()).await.expect("the writer waited for the pool").unwrap();
        sqlx::query("CREATE TABLE t (x BIGINT)").execute(&mut *tx).await.unwrap();
        sqlx::query("INSERT INTO t (x) VALUES (7)").execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        sqlx::query("INSERT INTO t (x) VALUES (8)").execute(store.writes()).await.unwrap();
        let sum: i64 = sqlx::query_scalar("SELECT CAST(SUM(x) AS BIGINT) FROM t").fetch_one(&mut *reader).await.unwrap();
        assert_eq!(sum, 15);
        drop(reader);
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
