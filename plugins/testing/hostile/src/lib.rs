//! A pricing plugin that misbehaves on purpose, for the runtime's sandbox tests. Its
//! configuration names what to do: `{"mode": "loop"}` and so on (see [`Mode`]).

use hanse_plugin_sdk::Decimal;
use hanse_plugin_sdk::pricing::{PriceChange, PriceRequest, Pricing};
use serde::Deserialize;

/// The plugin.
pub struct Hostile;

/// What to do.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "mode")]
enum Mode {
    /// Behave: 1.00 off every line's unit price (floored at 0).
    Behave,
    /// Spin forever.
    Loop,
    /// Allocate until memory runs out.
    Memory,
    /// Recurse until the stack runs out.
    Recursion,
    /// Return a reason of `bytes` bytes.
    HugeOutput { bytes: usize },
    /// Panic (a trap).
    Trap,
    /// Return a negative price.
    NegativePrice,
    /// Return a change for a line that does not exist.
    UnknownLine,
    /// Try to read a file; returns what it got as the error.
    ReadFile,
    /// Try to read the environment.
    ReadEnv,
    /// Try to open a network connection.
    OpenSocket,
    /// Report the clock it sees.
    ReadClock,
    /// Log more than the host keeps.
    LogFlood,
    /// Sleep for ten seconds (a wait that neither fuel nor the deadline would stop).
    Sleep,
}

#[inline(never)]
#[allow(unconditional_recursion)]
fn recurse(depth: u64, trail: &mut [u8; 256]) -> u64 {
    trail[(depth % 256) as usize] = depth as u8;
    // Keeps every frame alive: the sum depends on the deeper call.
    recurse(depth + 1, trail).wrapping_add(u64::from(trail[(depth % 7) as usize]))
}

impl Pricing for Hostile {
    fn price(request: &PriceRequest) -> Result<Vec<PriceChange>, String> {
        let mode: Mode = request.context.config_as()?;
        match mode {
            Mode::Behave => Ok(request
                .lines
                .iter()
                .map(|l| PriceChange {
                    line_id: l.line_id,
                    unit_price: (l.unit_price - Decimal::ONE).max(Decimal::ZERO),
                    reason: "1.00 off".into(),
                })
                .collect()),
            Mode::Loop => {
                let mut n: u64 = 0;
                loop {
                    n = std::hint::black_box(n.wrapping_add(1));
                }
            }
            Mode::Memory => {
                let mut hoard: Vec<Vec<u8>> = Vec::new();
                loop {
                    hoard.push(vec![1u8; 1 << 20]);
                    std::hint::black_box(&hoard);
                }
            }
            Mode::Recursion => {
                let mut trail = [0u8; 256];
                Err(format!("{}", recurse(0, &mut trail)))
            }
            Mode::HugeOutput { bytes } => Ok(vec![PriceChange {
                line_id: request.lines.first().map_or(0, |l| l.line_id),
                unit_price: Decimal::ONE,
                reason: "x".repeat(bytes),
            }]),
            Mode::Trap => panic!("the hostile plugin panics on purpose"),
            // Answered on the wire in `Guest::price` below: the SDK would refuse it first.
            Mode::NegativePrice => Err("unreachable: handled on the wire".into()),
            Mode::UnknownLine => Ok(vec![PriceChange { line_id: 9_999, unit_price: Decimal::ONE, reason: "ghost".into() }]),
            Mode::ReadFile => match std::fs::read_to_string("/etc/passwd") {
                Ok(text) => Ok(vec![PriceChange { line_id: 0, unit_price: Decimal::ONE, reason: text }]),
                Err(e) => Err(format!("file: {e}")),
            },
            Mode::ReadEnv => {
                let vars: Vec<String> = std::env::vars().map(|(k, _)| k).collect();
                Err(format!("env: {} variables {vars:?}", vars.len()))
            }
            Mode::OpenSocket => match std::net::TcpStream::connect("127.0.0.1:5432") {
                Ok(_) => Ok(vec![PriceChange { line_id: 0, unit_price: Decimal::ONE, reason: "connected".into() }]),
                Err(e) => Err(format!("socket: {e}")),
            },
            Mode::ReadClock => {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_millis())
                    .unwrap_or(0);
                Err(format!("clock: {now}"))
            }
            Mode::Sleep => {
                std::thread::sleep(std::time::Duration::from_secs(10));
                Ok(vec![])
            }
            Mode::LogFlood => {
                for i in 0..1_000 {
                    hanse_plugin_sdk::log::info(&format!("line {i} of a log flood"));
                }
                Ok(vec![])
            }
        }
    }
}

use hanse_plugin_sdk::pricing::bindings::exports::hanse::plugin::pricer as wire;

/// Exported by hand rather than with `export_pricing!`, so that it can also answer what the SDK
/// would never let through: a negative price must be caught by the host.
pub struct HostileExport;

impl wire::Guest for HostileExport {
    fn price(request: wire::PriceRequest) -> Result<Vec<wire::PriceChange>, String> {
        if request.context.config.contains("negative-price") {
            let line_id = request.lines.first().map_or(0, |l| l.line_id);
            return Ok(vec![wire::PriceChange { line_id, unit_price: -10_000, reason: "negative".into() }]);
        }
        hanse_plugin_sdk::pricing::run::<Hostile>(request)
    }
}

#[cfg(target_arch = "wasm32")]
hanse_plugin_sdk::pricing::bindings::__export_pricing_bindings!(HostileExport with_types_in hanse_plugin_sdk::pricing::bindings);
