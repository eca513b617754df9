//! The request threads' scheduling priority.
//!
//! Every statement on SQLite runs on its connection's own thread, and a write transaction
//! holds the database's one write lock from its first statement to its commit. When that
//! thread wakes with the next statement while both cores are busy pricing carts and encoding
//! JSON on the request threads, the kernel lets it wait for a time slice, and the lock stays
//! held meanwhile: at 850 checkouts a second on two cores, 30 % of the CPU stayed idle
//! while checkouts queued for the lock. With the request threads (the async runtime's workers,
//! where plugins run, and its blocking pool) at a lower priority than the database threads,
//! the database threads get a core as soon as they wake, and the lock is held for less time.
//! Raising the database threads instead would need a privilege (`CAP_SYS_NICE`) that a server
//! should not ask for. Off by default (`hanse serve --request-nice`): plugins run on the request
//! threads against deadlines in wall time, and on a host shared with busy processes (a test run
//! with many servers at once) a lowered server missed them.

/// Lowers the calling thread's priority by `increment` (0 to 19; 0 leaves it). Linux only:
/// elsewhere `setpriority` would lower the whole process, database threads included. A
/// refusal is ignored: the thread then runs as it would have.
pub fn lower_this_thread(increment: i32) {
    #[cfg(target_os = "linux")]
    if increment > 0 {
        // SAFETY: `gettid` and `setpriority` take and return plain integers; on Linux,
        // `PRIO_PROCESS` with a thread id changes that thread only.
        unsafe {
            let thread = libc::gettid() as libc::id_t;
            let current = libc::getpriority(libc::PRIO_PROCESS, thread);
            let _ = libc::setpriority(libc::PRIO_PROCESS, thread, current.saturating_add(increment).min(19));
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = increment;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn lowers_only_the_calling_thread() {
        let nice_of = |thread: libc::pid_t| {
            // SAFETY: as above.
            unsafe { libc::getpriority(libc::PRIO_PROCESS, thread as libc::id_t) }
        };
        // SAFETY: as above.
        let main = unsafe { libc::gettid() };
        let before = nice_of(main);
        let (lowered, own) = std::thread::spawn(move || {
            lower_this_thread(5);
            // SAFETY: as above.
            let me = unsafe { libc::gettid() };
            (nice_of(me), nice_of(main))
        })
        .join()
        .unwrap();
        assert_eq!(lowered, (before + 5).min(19));
        assert_eq!(own, before);
    }
}
