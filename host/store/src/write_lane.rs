//! The write lane: one thread of this process that drives SQLite write transactions which hold
//! the write lock across several statements, such as placing an order.
//!
//! A transaction holds SQLite's one write lock from its first statement to its commit, and
//! between two statements its task has to be polled again. On the request runtime that poll
//! waits until a worker thread is free: on a busy machine the workers are pricing carts in Wasm
//! and encoding JSON, and the lock stays held, unused, meanwhile. At 850 checkouts a second on
//! two cores, 30 % of the CPU stayed idle while checkouts queued for the lock. On the lane only
//! such transactions run, so each is polled as soon as its statement's answer is back, and the
//! next writer in line starts as soon as the lock is free. Together with request threads that
//! run at a lower priority than the database threads (`hanse serve --request-nice`), the lock
//! was held 0.71 ms per order instead of 0.94 ms, and `bench/checkout.sh 3000 8` placed 1,040
//! and 1,048 orders a second against 783 and 900 with the lower priority alone.

use std::future::Future;
use std::sync::OnceLock;

use tracing::Instrument;

use crate::{Backend, Result, Store, StoreError};

/// The lane's runtime, built on first use; `None` when it could not be (then work runs where
/// it is awaited, as it would without the lane).
static LANE: OnceLock<Option<tokio::runtime::Runtime>> = OnceLock::new();

fn lane() -> Option<&'static tokio::runtime::Runtime> {
    LANE.get_or_init(|| {
        let built = tokio::runtime::Builder::new_multi_thread().worker_threads(1).thread_name("hanse-write-lane").enable_all().build();
        match built {
            Ok(runtime) => Some(runtime),
            Err(error) => {
                tracing::warn!(%error, "the write lane could not start; write transactions run on the request threads");
                None
            }
        }
    })
    .as_ref()
}

impl Store {
    /// Runs `work`, a write transaction of this store from its start to its commit, on the
    /// write lane (SQLite), and answers its output. The work runs to its end even when the
    /// caller stops waiting (a client that hangs up mid-checkout): a transaction then commits
    /// or rolls back as a whole, never halfway. A panic in `work` resumes in the caller.
    ///
    /// On PostgreSQL the work runs where it is awaited: writers there lock rows, not the
    /// database, and one thread for every transaction's statements left a core idle (8 %
    /// idle against 4 %, `bench/checkout.sh 3000 8`).
    pub async fn on_write_lane<T: Send + 'static>(&self, work: impl Future<Output = T> + Send + 'static) -> Result<T> {
        match self.backend() {
            Backend::Sqlite => drive(work).await,
            Backend::Postgres => Ok(work.await),
        }
    }
}

async fn drive<T: Send + 'static>(work: impl Future<Output = T> + Send + 'static) -> Result<T> {
    let work = work.instrument(tracing::Span::current());
    let Some(lane) = lane() else { return Ok(work.await) };
    match lane.spawn(work).await {
        Ok(output) => Ok(output),
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        // Only a runtime shutting down cancels its tasks, and this one lives as long as the
        // process.
        Err(_) => Err(StoreError::Unavailable(sqlx::Error::WorkerCrashed)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_runs_on_the_lane_thread_and_answers() {
        let caller = std::thread::current().id();
        let (thread, name) = drive(async { (std::thread::current().id(), std::thread::current().name().map(str::to_owned)) }).await.unwrap();
        assert_ne!(thread, caller);
        assert_eq!(name.as_deref(), Some("hanse-write-lane"));
    }

    #[tokio::test]
    async fn a_panic_on_the_lane_resumes_in_the_caller() {
        let outcome = tokio::spawn(drive(async {
            if 1 + 1 == 2 {
                panic!("boom");
            }
            0u8
        })).await;
        let panic = outcome.err().map(|e| e.into_panic());
        assert_eq!(panic.and_then(|p| p.downcast_ref::<&str>().map(|s| s.to_string())).as_deref(), Some("boom"));
    }
}
