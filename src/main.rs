//! The `folio` command: parses arguments, sets up logging, hands each
//! subcommand to its module in `cmd/`, and maps the outcome to an exit code
//! (0 success, 1 content errors, 2 usage errors, 3 I/O or internal failures).

mod cmd;

/// See the note on `mimalloc` in Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Build and check a published guidelines catalogue.
#[derive(Debug, Parser)]
#[command(name = "folio", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,

    #[command(flatten)]
    global: cmd::Global,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate the content, render the site and write it.
    Build(cmd::build::Args),
    /// Validate the content and its links; write nothing.
    Check(cmd::check::Args),
    /// Write the publisher's edition: single-page HTML and (with the `edition` feature) PDF.
    Edition(cmd::edition::Args),
    /// Write a new instrument file from the classification.
    New(cmd::new::Args),
    /// Print the JSON Schema of instrument front matter, for editors.
    Schema(cmd::schema::Args),
    /// Show what a change means for the catalogue, against a git revision.
    Diff(cmd::diff::Args),
    /// Serve the built site and its search API; `--watch` rebuilds and reloads.
    Serve(cmd::serve::Args),
    /// Search the built site's index.
    Search(cmd::search::Args),
    /// Print a shell completion script.
    Completions(cmd::completions::Args),
    /// Print the manual page.
    Man(cmd::man::Args),
    /// Write a synthetic catalogue for benchmarks.
    #[command(hide = true)]
    Synth(cmd::synth::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    cmd::init_logging(&cli.global);

    let result = match &cli.command {
        Command::Build(args) => cmd::build::run(&cli.global, args),
        Command::Check(args) => cmd::check::run(&cli.global, args),
        Command::Edition(args) => cmd::edition::run(&cli.global, args),
        Command::New(args) => cmd::new::run(&cli.global, args),
        Command::Schema(args) => cmd::schema::run(&cli.global, args),
        Command::Diff(args) => cmd::diff::run(&cli.global, args),
        Command::Serve(args) => cmd::serve::run(&cli.global, args),
        Command::Search(args) => cmd::search::run(&cli.global, args),
        Command::Completions(args) => cmd::completions::run(args),
        Command::Man(args) => cmd::man::run(args),
        Command::Synth(args) => cmd::synth::run(&cli.global, args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}
