//! The `hanse` binary. Everything lives in `hanse-server`; see `hanse --help`.

/// mimalloc instead of the system allocator: a checkout allocates and frees thousands of small
/// buffers across the request, database and plugin threads, and glibc's malloc took about a
/// tenth of the server's CPU under load (BENCHMARKS.md, Checkout).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    hanse_server::cli::run()
}
