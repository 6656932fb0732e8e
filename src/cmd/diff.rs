//! `folio diff`: what a change means for the catalogue, against a git
//! revision.

use std::process::ExitCode;

use folio::diff;
use folio::error::Result;

use super::{Global, print_stdout};

/// Options of `folio diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The revision to compare with (a commit, branch or tag).
    #[arg(value_name = "REV")]
    pub rev: String,

    /// A second revision to compare `REV` to, instead of the files on disk.
    #[arg(value_name = "NEW")]
    pub new: Option<String>,

    /// Print the comparison as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Compare and print.
pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let old = diff::load_revision(&global.root, &args.rev)?;
    let new = match &args.new {
        Some(rev) => diff::load_revision(&global.root, rev)?,
        None => diff::load_working_tree(&global.root)?,
    };

    let comparison = diff::compare(&old, &new);
    let text = if args.json {
        let json = serde_json::to_string_pretty(&comparison).expect("the diff serialises");
        format!("{json}\n")
    } else {
        diff::human(&comparison)
    };
    print_stdout(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
