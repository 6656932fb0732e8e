//! `folio serve`: serve the built site and its search API; with `--watch`,
//! rebuild on every change and reload the open pages.

use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use folio::error::Result;
use folio::pipeline::{self, Settings};
use folio::serve::{self, Options, watch};

use super::{Global, ReportArgs, finish};

/// Options of `folio serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The built site to serve (default: `public/` in the site folder).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// The port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8080)]
    pub port: u16,

    /// The address to listen on. Anything but loopback makes the site
    /// reachable from other machines.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST), value_name = "ADDRESS")]
    pub bind: IpAddr,

    /// Rebuild when `content/`, `templates/` or `theme/` change, and reload
    /// the open pages.
    #[arg(long)]
    pub watch: bool,

    #[command(flatten)]
    pub report: ReportArgs,
}

/// Serve until interrupted.
pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let out = args.out.clone().unwrap_or_else(|| pipeline::default_out(&global.root));
    let watch = args.watch.then(|| watch_options(global, args, &out));
    let options =
        Options { out: out.clone(), address: SocketAddr::new(args.bind, args.port), watch };
    if !args.bind.is_loopback() {
        eprintln!("note: listening on {}, reachable from other machines", args.bind);
    }

    serve::run(options, |address| {
        // Scripts and tests read the address from this line.
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "serving {} at http://{address}/ (Ctrl-C stops)", out.display());
        let _ = stdout.flush();
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Rebuild settings and how each rebuild is reported in the terminal.
fn watch_options(global: &Global, args: &Args, out: &std::path::Path) -> watch::Options {
    let settings = Settings {
        root: global.root.clone(),
        out: out.to_path_buf(),
        base_url: None,
        deny_warnings: args.report.deny_warnings,
    };
    let report =
        ReportArgs { format: args.report.format, deny_warnings: args.report.deny_warnings };
    let (quiet, shown_out) = (global.quiet, out.to_path_buf());
    watch::Options {
        settings,
        on_outcome: Box::new(move |outcome| {
            let _ = finish(outcome, &report, quiet, Some(&shown_out));
        }),
        on_error: Box::new(|err| eprintln!("error: {err}")),
    }
}
