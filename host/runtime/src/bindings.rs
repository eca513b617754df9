//! Host bindings of the `hanse:plugin` worlds: the one place that runs `bindgen!`.
//!
//! The `types` and `log` interfaces are generated once (with the pricing world) and shared by
//! the other worlds, so a `Context` is the same Rust type for every kind of plugin. Exports are
//! async: a call runs on the caller's task and yields to it while it runs long (`runtime.rs`).

/// The pricing world, with the shared `types` and `log` interfaces.
pub mod pricing {
    wasmtime::component::bindgen!({
        world: "pricing",
        path: "../../wit",
        additional_derives: [PartialEq],
        exports: { default: async },
    });
}

/// The approval world.
pub mod approval {
    wasmtime::component::bindgen!({
        world: "approval",
        path: "../../wit",
        additional_derives: [PartialEq],
        exports: { default: async },
        with: {
            "hanse:plugin/types": super::pricing::hanse::plugin::types,
            "hanse:plugin/log": super::pricing::hanse::plugin::log,
        },
    });
}

/// The shipping world.
pub mod shipping {
    wasmtime::component::bindgen!({
        world: "shipping",
        path: "../../wit",
        additional_derives: [PartialEq],
        exports: { default: async },
        with: {
            "hanse:plugin/types": super::pricing::hanse::plugin::types,
            "hanse:plugin/log": super::pricing::hanse::plugin::log,
        },
    });
}

/// The payment world.
pub mod payment {
    wasmtime::component::bindgen!({
        world: "payment",
        path: "../../wit",
        additional_derives: [PartialEq],
        exports: { default: async },
        with: {
            "hanse:plugin/types": super::pricing::hanse::plugin::types,
            "hanse:plugin/log": super::pricing::hanse::plugin::log,
        },
    });
}
