//! `folio man`: the manual page, generated from the clap definition.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::CommandFactory;

use folio::error::{Error, Result};

use super::print_stdout;

/// Options of `folio man`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write `folio.1` and a page per subcommand (`folio-build.1`, …) into
    /// this folder instead of printing `folio.1`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Print or write the manual pages.
pub fn run(args: &Args) -> Result<ExitCode> {
    let command = crate::Cli::command();
    match &args.out {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(Error::io("create", dir))?;
            clap_mangen::generate_to(command, dir).map_err(Error::io("write", dir))?;
        }
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command).render(&mut page).expect("a Vec takes every byte");
            print_stdout(&page)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
