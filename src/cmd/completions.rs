//! `folio completions SHELL`: the shell's completion script, generated from
//! the same clap definition that parses the arguments.

use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

use folio::error::Result;

use super::print_stdout;

/// Options of `folio completions`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Print the completion script to standard output.
pub fn run(args: &Args) -> Result<ExitCode> {
    let mut command = crate::Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "folio", &mut script);
    print_stdout(&script)?;
    Ok(ExitCode::SUCCESS)
}
