//! `folio build`: validate, render and write the site.

use std::path::PathBuf;
use std::process::ExitCode;

use folio::error::Result;
use folio::pipeline::{self, Settings};

use super::progress::Bar;
use super::{Global, ReportArgs, finish, print_timings};

/// Options of `folio build`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the site (default: `public/` in the site folder).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// The address the site is published at; replaces `base_url` of site.yaml.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    #[command(flatten)]
    pub report: ReportArgs,
}

/// Run the build.
pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let settings = Settings {
        root: global.root.clone(),
        out: args.out.clone().unwrap_or_else(|| pipeline::default_out(&global.root)),
        base_url: args.base_url.clone(),
        deny_warnings: args.report.deny_warnings,
    };
    let bar = Bar::new(global);
    let outcome = pipeline::build_with(&settings, &bar)?;
    bar.clear();
    print_timings(&outcome, global);
    Ok(finish(&outcome, &args.report, global.quiet, Some(&settings.out)))
}
