//! The host's log: at most 1,000 bytes per call are kept, with the call's execution record.

/// Writes an informational message.
pub fn info(message: &str) {
    write(Level::Info, message);
}

/// Writes a warning.
pub fn warn(message: &str) {
    write(Level::Warn, message);
}

/// Writes a debug message.
pub fn debug(message: &str) {
    write(Level::Debug, message);
}

/// Writes an error message.
pub fn error(message: &str) {
    write(Level::Error, message);
}

/// How much a message matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Details for the plugin's developer.
    Debug,
    /// Normal events.
    Info,
    /// Something looks wrong.
    Warn,
    /// Something failed.
    Error,
}

macro_rules! forward {
    ($feature:literal, $log:path, $level:ident, $message:ident) => {
        #[cfg(all(target_arch = "wasm32", feature = $feature))]
        {
            use $log as log;
            let level = match $level {
                Level::Debug => log::Level::Debug,
                Level::Info => log::Level::Info,
                Level::Warn => log::Level::Warn,
                Level::Error => log::Level::Error,
            };
            log::write(level, $message);
            return;
        }
    };
}

/// Writes a message at `level`. Outside WebAssembly (native unit tests) it goes to stderr.
#[allow(unreachable_code)]
pub fn write(level: Level, message: &str) {
    forward!("pricing", crate::pricing::bindings::hanse::plugin::log, level, message);
    forward!("approval", crate::approval::bindings::hanse::plugin::log, level, message);
    forward!("shipping", crate::shipping::bindings::hanse::plugin::log, level, message);
    forward!("payment", crate::payment::bindings::hanse::plugin::log, level, message);
    eprintln!("[{level:?}] {message}");
}
