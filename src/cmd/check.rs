//! `folio check`: validate the content and its links, write nothing.

use std::process::ExitCode;

use folio::error::Result;
use folio::pipeline::{self, Settings};

use super::{Global, ReportArgs, finish, print_timings};

/// Options of `folio check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The address the site is published at; replaces `base_url` of site.yaml.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    #[command(flatten)]
    pub report: ReportArgs,
}

/// Run the check.
pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let settings = Settings {
        root: global.root.clone(),
        out: pipeline::default_out(&global.root),
        base_url: args.base_url.clone(),
        deny_warnings: args.report.deny_warnings,
    };
    let outcome = pipeline::check(&settings)?;
    print_timings(&outcome, global);
    Ok(finish(&outcome, &args.report, global.quiet, None))
}
