//! The `whosaid` command: a thin shell over the library (all flag handling lives in `cli/`).

#![deny(clippy::unwrap_used)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
