//! What can go wrong when loading or calling a plugin.

/// Why a component was refused at upload or load.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The bytes are not a WebAssembly component (a core module, garbage, truncated...).
    #[error("not a valid WebAssembly component: {0}")]
    NotAComponent(String),
    /// The component imports something the host does not offer.
    #[error("the component imports {0}, which Hanse does not offer to plugins (only hanse:plugin/log and WASI without files, network or environment)")]
    ForbiddenImport(String),
    /// The component does not export the world its manifest claims.
    #[error("the component does not implement the {kind} world: {detail}")]
    WrongWorld {
        /// The claimed kind.
        kind: &'static str,
        /// What is missing.
        detail: String,
    },
    /// The compiled-artifact cache could not be read or written.
    #[error("compiled component cache: {0}")]
    Cache(String),
}

/// Why a plugin call failed. The host stays up; the error names what happened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PluginError {
    /// The plugin trapped (a panic, an out-of-bounds access, a stack overflow...).
    #[error("the plugin trapped: {0}")]
    Trap(String),
    /// The plugin used its whole instruction budget.
    #[error("the plugin ran out of fuel after {0} instructions")]
    OutOfFuel(u64),
    /// The plugin ran past its deadline (time run, not time waiting to be resumed).
    #[error("the plugin ran past its deadline of {0} ms")]
    Timeout(u64),
    /// The plugin tried to grow its memory past the limit.
    #[error("the plugin tried to use more than {0} bytes of memory")]
    MemoryLimit(usize),
    /// The input is larger than the plugin may receive.
    #[error("the input of {size} bytes is over the limit of {limit} bytes")]
    InputTooLarge {
        /// Input size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The output is larger than the host accepts.
    #[error("the output of {size} bytes is over the limit of {limit} bytes")]
    OutputTooLarge {
        /// Output size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The plugin answered, but with something the host refuses (a negative price, an
    /// unknown line).
    #[error("the plugin returned invalid output: {0}")]
    InvalidOutput(String),
    /// The plugin itself reported an error (for example an unusable configuration).
    #[error("the plugin reported an error: {0}")]
    Reported(String),
    /// The plugin could not be instantiated (for example, the instance pool is exhausted).
    #[error("the plugin could not be started: {0}")]
    Instantiation(String),
}

impl PluginError {
    /// A stable code for APIs and execution records.
    pub fn code(&self) -> &'static str {
        match self {
            PluginError::Trap(_) => "plugin_trap",
            PluginError::OutOfFuel(_) => "plugin_out_of_fuel",
            PluginError::Timeout(_) => "plugin_timeout",
            PluginError::MemoryLimit(_) => "plugin_memory_limit",
            PluginError::InputTooLarge { .. } => "plugin_input_too_large",
            PluginError::OutputTooLarge { .. } => "plugin_output_too_large",
            PluginError::InvalidOutput(_) => "plugin_invalid_output",
            PluginError::Reported(_) => "plugin_error",
            PluginError::Instantiation(_) => "plugin_unavailable",
        }
    }
}
