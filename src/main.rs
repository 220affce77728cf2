//! The `lagesbild` command. All work is done by the library; this only parses the
//! command line, runs the subcommand and turns errors into messages and exit codes.

use std::process::ExitCode;

fn main() -> ExitCode {
    lagesbild::cli::main()
}
