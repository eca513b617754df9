//! Builds the plugin crates in `plugins/` as WebAssembly components (`wasm32-wasip2`) so the
//! runtime can embed the first-party plugins and the tests can load the hostile ones. It runs a
//! nested `cargo build` with a target directory of its own (the outer build holds the lock on
//! the main one), and installs the wasm32-wasip2 target through rustup when it is missing, so a
//! fresh machine needs nothing but `cargo`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// (crate name, file name of its component).
const PLUGINS: &[(&str, &str)] = &[
    ("tier-pricing", "tier_pricing.wasm"),
    ("flat-rate-shipping", "flat_rate_shipping.wasm"),
    ("payment-on-account", "payment_on_account.wasm"),
    ("approval-threshold", "approval_threshold.wasm"),
    ("table-rate-shipping", "table_rate_shipping.wasm"),
    ("purchase-order-number", "purchase_order_number.wasm"),
    ("net-terms", "net_terms.wasm"),
    ("hostile-plugin", "hostile_plugin.wasm"),
    ("hostile-payment-plugin", "hostile_payment_plugin.wasm"),
    ("hostile-shipping-plugin", "hostile_shipping_plugin.wasm"),
];
const TARGET: &str = "wasm32-wasip2";

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = manifest_dir.join("../..");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    for watched in ["plugins", "wit", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={}", root.join(watched).display());
    }

    ensure_target();
    // <target>/<profile>/build/<crate>-<hash>/out -> <target>/wasm-plugins
    let target_dir = out_dir.ancestors().nth(4).map_or_else(|| out_dir.join("wasm-plugins"), |t| t.join("wasm-plugins"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(&root)
        .args(["build", "--release", "--target", TARGET, "--target-dir"])
        .arg(&target_dir)
        // Components are shipped: no debug info, symbols stripped.
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_STRIP", "debuginfo")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "3");
    // The outer build's flags are for the host, not for wasm32-wasip2.
    for variable in ["CARGO_ENCODED_RUSTFLAGS", "RUSTFLAGS", "CARGO_BUILD_TARGET", "CARGO_TARGET_DIR", "RUSTC_WORKSPACE_WRAPPER"] {
        command.env_remove(variable);
    }
    for (name, _) in PLUGINS {
        command.args(["-p", name]);
    }
    let status = command.status().unwrap_or_else(|e| panic!("cannot run cargo to build the plugins: {e}"));
    assert!(status.success(), "building the plugins for {TARGET} failed (see the output above)");

    for (_, file) in PLUGINS {
        let built = target_dir.join(TARGET).join("release").join(file);
        let copied = out_dir.join(file);
        std::fs::copy(&built, &copied).unwrap_or_else(|e| panic!("cannot copy {}: {e}", built.display()));
    }
}

/// Installs the wasm32-wasip2 standard library through rustup when the toolchain lacks it
/// (rustup installs targets from rust-toolchain.toml only with a new toolchain).
fn ensure_target() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let sysroot = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    let installed = sysroot.as_deref().is_some_and(|s| Path::new(s).join("lib/rustlib").join(TARGET).is_dir());
    if installed {
        return;
    }
    let mut rustup = Command::new("rustup");
    rustup.args(["target", "add", TARGET]);
    if let Ok(toolchain) = std::env::var("RUSTUP_TOOLCHAIN") {
        rustup.args(["--toolchain", &toolchain]);
    }
    let status = rustup.status().unwrap_or_else(|e| panic!("the {TARGET} target is missing and rustup cannot be run: {e}"));
    assert!(status.success(), "`rustup target add {TARGET}` failed");
}
