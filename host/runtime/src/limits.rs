//! Resource limits for one plugin call.
//!
//! The defaults follow Shopify Functions' tested checkout-path budget (11 million instructions,
//! 10 MB of memory, 128 kB in, 20 kB out for carts of up to 200 lines). B2B carts are larger, so
//! the instruction and size budgets scale with the number of lines, as Shopify's runner does, by
//! `lines / 200` clamped to 1-10: a 1,000-line cart gets five times the baseline.

use std::time::Duration;

/// Lines covered by the baseline budget.
const BASELINE_LINES: usize = 200;
/// The most the baseline is multiplied by.
const MAX_SCALE: u64 = 10;

/// What one plugin call may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Instruction budget (wasmtime fuel), reported back with every call.
    pub fuel: u64,
    /// Linear memory cap, bytes.
    pub memory_bytes: usize,
    /// How long the call may run: wall time while it runs, not while it waits to be resumed
    /// after yielding to other work.
    pub deadline: Duration,
    /// Largest input the host passes, bytes.
    pub max_input_bytes: usize,
    /// Largest output the host accepts, bytes.
    pub max_output_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            fuel: 11_000_000,
            memory_bytes: 10 * 1024 * 1024,
            deadline: Duration::from_millis(50),
            max_input_bytes: 128_000,
            max_output_bytes: 20_000,
        }
    }
}

impl Limits {
    /// These limits for a cart of `lines` lines: fuel, input and output scaled by
    /// `lines / 200` (rounded up), clamped to 1-10; memory and deadline unchanged.
    pub fn scaled_for_lines(self, lines: usize) -> Limits {
        let factor = (lines.div_ceil(BASELINE_LINES) as u64).clamp(1, MAX_SCALE);
        Limits {
            fuel: self.fuel.saturating_mul(factor),
            max_input_bytes: self.max_input_bytes.saturating_mul(factor as usize),
            max_output_bytes: self.max_output_bytes.saturating_mul(factor as usize),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_carts_get_the_baseline() {
        assert_eq!(Limits::default().scaled_for_lines(0), Limits::default());
        assert_eq!(Limits::default().scaled_for_lines(200), Limits::default());
    }

    #[test]
    fn large_carts_scale_up_to_ten_times() {
        let l = Limits::default().scaled_for_lines(1_000);
        assert_eq!(l.fuel, 55_000_000);
        assert_eq!(l.max_input_bytes, 640_000);
        assert_eq!(l.max_output_bytes, 100_000);
        assert_eq!(l.memory_bytes, Limits::default().memory_bytes);
        assert_eq!(Limits::default().scaled_for_lines(201).fuel, 22_000_000);
        assert_eq!(Limits::default().scaled_for_lines(1_000_000).fuel, 110_000_000);
    }
}
