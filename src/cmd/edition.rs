//! `folio edition`: the publisher's edition, as a single-page HTML file and,
//! in a build with the `edition` feature, a PDF, one of each per language.

use std::path::PathBuf;
use std::process::ExitCode;

use folio::edition::{self, Format, Settings};
use folio::error::Result;
use folio::pipeline;

use super::{Global, ReportArgs, finish};

/// Options of `folio edition`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site's output folder; the edition goes to its `edition/`
    /// (default: `public/` in the site folder).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Make only the edition in this language (default: the default language
    /// and every language with translated entries).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,

    /// Add a chapter of the instruments added, removed and changed since this
    /// git revision, or since this earlier `catalogue.json`.
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,

    #[command(flatten)]
    pub report: ReportArgs,
}

/// Make the edition.
pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let out = args.out.clone().unwrap_or_else(|| pipeline::default_out(&global.root));
    let mut settings = Settings::new(&global.root, &out, args.lang.clone());
    settings.since = args.since.clone();
    let report = edition::run(&settings)?;
    if report.written.is_empty() || report.outcome.failed(args.report.deny_warnings) {
        return Ok(finish(&report.outcome, &args.report, global.quiet, None));
    }

    let quiet = global.quiet;
    if !report.outcome.diagnostics.is_empty() && !quiet {
        finish(&report.outcome, &args.report, quiet, None);
    }
    for warning in &report.warnings {
        tracing::warn!("typst: {warning}");
    }
    if !quiet {
        for file in &report.written {
            let pages = file.pages.map_or_else(String::new, |n| format!(", {n} pages"));
            eprintln!(
                "wrote {} ({} KiB{pages}) in {:.2} s",
                file.path.display(),
                file.bytes.div_ceil(1024),
                file.elapsed.as_secs_f64(),
            );
        }
        if !report.written.iter().any(|f| f.format == Format::Pdf) {
            eprintln!(
                "note: this folio was built without the `edition` feature, so only the HTML \
                 edition was written; for the PDF run `cargo run --release --features edition \
                 -- edition`"
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
