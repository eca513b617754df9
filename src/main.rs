//! The `hanse` binary. Everything lives in `hanse-server`; see `hanse --help`.

fn main() -> std::process::ExitCode {
    hanse_server::cli::run()
}
