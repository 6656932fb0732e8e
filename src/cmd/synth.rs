//! `folio synth`: write a synthetic catalogue of any size for benchmarks and
//! scaling tests. Kept out of the main help; see `folio::synth`.

use std::process::ExitCode;
use std::time::Instant;

use folio::error::Result;
use folio::synth::{self, Options};

use super::Global;

/// Options of `folio synth`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many instruments to write.
    #[arg(long, value_name = "N")]
    pub count: usize,

    /// The seed: the same seed and count write the same files.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,

    /// Replace an existing `content/instruments/` folder.
    #[arg(long)]
    pub force: bool,
}

/// Write the catalogue into `--root`'s `content/`.
pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let start = Instant::now();
    let options = Options { count: args.count, seed: args.seed, replace: args.force };
    let summary = synth::write(&global.root, &options)?;

    if !global.quiet {
        eprintln!(
            "wrote {} instruments ({:.1} MB) into {} in {:.2} s",
            summary.instruments,
            summary.bytes as f64 / 1e6,
            global.root.join("content/instruments").display(),
            start.elapsed().as_secs_f64(),
        );
    }
    Ok(ExitCode::SUCCESS)
}
