//! The `folio` command: parses arguments, sets up logging, runs the library
//! and maps the outcome to an exit code (0 success, 1 content errors,
//! 2 usage errors, 3 I/O or internal failures).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use folio::diagnostics::{self, Format, Severity};
use folio::pipeline::{self, Outcome, Settings};

/// Build and check a published guidelines catalogue.
#[derive(Debug, Parser)]
#[command(name = "folio", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,

    /// The site folder, holding `content/`.
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    root: PathBuf,

    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,

    /// Print more: `-v` stage timings, `-vv` decisions, `-vvv` everything.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate the content, render the site and write it.
    Build(BuildArgs),
    /// Validate the content and its links; write nothing.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
struct BuildArgs {
    /// Where to write the site (default: `public/` in the site folder).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// The address the site is published at; replaces `base_url` of site.yaml.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,

    #[command(flatten)]
    report: ReportArgs,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// The address the site is published at; replaces `base_url` of site.yaml.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,

    #[command(flatten)]
    report: ReportArgs,
}

#[derive(Debug, Args)]
struct ReportArgs {
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// Fail on warnings too.
    #[arg(long)]
    deny_warnings: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.quiet, cli.verbose);

    let result = match &cli.command {
        Command::Build(args) => {
            let settings = Settings {
                root: cli.root.clone(),
                out: args.out.clone().unwrap_or_else(|| pipeline::default_out(&cli.root)),
                base_url: args.base_url.clone(),
                deny_warnings: args.report.deny_warnings,
            };
            pipeline::build(&settings)
                .map(|outcome| finish(&outcome, &args.report, cli.quiet, Some(&settings.out)))
        }
        Command::Check(args) => {
            let settings = Settings {
                root: cli.root.clone(),
                out: pipeline::default_out(&cli.root),
                base_url: args.base_url.clone(),
                deny_warnings: args.report.deny_warnings,
            };
            pipeline::check(&settings)
                .map(|outcome| finish(&outcome, &args.report, cli.quiet, None))
        }
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}

/// Print the diagnostics and a summary; return the exit code.
fn finish(outcome: &Outcome, report: &ReportArgs, quiet: bool, out: Option<&PathBuf>) -> ExitCode {
    let color = report.format == Format::Human
        && std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let shown: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| !quiet || d.severity == Severity::Error)
        .cloned()
        .collect();
    let text = diagnostics::render(&shown, report.format, color);
    match report.format {
        Format::Json | Format::Github => print!("{text}"),
        Format::Human | Format::Short => eprint!("{text}"),
    }

    let errors = outcome.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = outcome.diagnostics.len() - errors;
    let failed = outcome.failed(report.deny_warnings);
    if !quiet && matches!(report.format, Format::Human | Format::Short) {
        let total: f64 = outcome.timings.iter().map(|t| t.elapsed.as_secs_f64()).sum();
        match (&outcome.written, out) {
            (Some(stats), Some(out)) => eprintln!(
                "built {} instruments, {} pages into {} in {:.2} s ({} warnings)",
                outcome.instruments,
                stats.pages,
                out.display(),
                total,
                warnings
            ),
            _ if failed => eprintln!(
                "{errors} errors, {warnings} warnings in {} instruments{}",
                outcome.instruments,
                if out.is_some() { "; nothing was written" } else { "" }
            ),
            _ => eprintln!(
                "checked {} instruments: no errors, {warnings} warnings",
                outcome.instruments
            ),
        }
    }
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn init_logging(quiet: bool, verbose: u8) {
    let level = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "folio=info",
        (false, 2) => "folio=debug",
        (false, _) => "folio=trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("FOLIO_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .without_time()
        .with_target(false)
        .init();
}
