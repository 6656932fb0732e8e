//! One module per subcommand, and what they share: the global options,
//! logging, and printing a run's diagnostics with its summary.

pub mod build;
pub mod check;
pub mod completions;
pub mod diff;
pub mod edition;
pub mod man;
pub mod new;
pub mod progress;
pub mod schema;
pub mod search;
pub mod serve;
pub mod synth;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use folio::diagnostics::{self, Format, Severity};
use folio::pipeline::Outcome;

/// Options every subcommand takes.
#[derive(Debug, clap::Args)]
pub struct Global {
    /// The site folder, holding `content/`.
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,

    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print more: `-v` stage timings, `-vv` decisions, `-vvv` everything.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// How diagnostics are printed and judged.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Fail on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Print the diagnostics and a summary line; return the exit code.
pub fn finish(outcome: &Outcome, report: &ReportArgs, quiet: bool, out: Option<&Path>) -> ExitCode {
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
        let seconds = outcome.elapsed.as_secs_f64();
        let instruments = count(outcome.instruments, "instrument");
        let (errors, warnings) = (count(errors, "error"), count(warnings, "warning"));
        match (&outcome.written, out) {
            (Some(stats), Some(out)) => eprintln!(
                "built {instruments}, {} into {} in {seconds:.2} s ({warnings})",
                count(stats.pages, "page"),
                out.display(),
            ),
            _ if failed => {
                let nothing = if out.is_some() { "; nothing was written" } else { "" };
                eprintln!("{errors}, {warnings} in {instruments}{nothing}");
            }
            _ => eprintln!("checked {instruments}: no errors, {warnings}"),
        }
    }
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// With `-v`, a table of how long each stage took.
pub fn print_timings(outcome: &Outcome, global: &Global) {
    if global.verbose == 0 || global.quiet || outcome.timings.is_empty() {
        return;
    }
    let total = outcome.elapsed.as_secs_f64();
    eprintln!("{:<12} {:>10} {:>6}", "stage", "seconds", "share");
    for timing in &outcome.timings {
        let seconds = timing.elapsed.as_secs_f64();
        let share = if total > 0.0 { seconds / total * 100.0 } else { 0.0 };
        eprintln!("{:<12} {seconds:>10.3} {share:>5.1}%", timing.stage);
    }
    eprintln!("{:<12} {total:>10.3}  (render and index run side by side)", "wall time");
}

/// `1 warning`, `2 warnings`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// Log to stderr: warnings by default, stage timings with `-v`, decisions
/// with `-vv`; `FOLIO_LOG` takes a full filter.
pub fn init_logging(global: &Global) {
    let level = match (global.quiet, global.verbose) {
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

/// Write a command's result to standard output. A reader that stops early
/// (`folio schema | head`) is not a failure.
pub fn print_stdout(bytes: &[u8]) -> folio::error::Result<()> {
    use std::io::Write;

    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(folio::error::Error::io("write", "standard output")(err))
        }
        _ => Ok(()),
    }
}
