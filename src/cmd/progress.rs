//! The progress bar of long runs: a spinner naming the stage, and a bar
//! counting pages while they render. Drawn only on a terminal, never with
//! `--quiet`, and cleared when the run ends so the summary stands alone.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use folio::progress::Progress;

use super::Global;

/// A progress bar on stderr, or nothing when nobody would see it.
pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    /// A bar for this run: hidden with `--quiet` or when stderr is not a terminal.
    pub fn new(global: &Global) -> Self {
        let target = if global.quiet || !std::io::stderr().is_terminal() {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_style(spinner_style());
        bar.enable_steady_tick(Duration::from_millis(100));
        Self { bar }
    }

    /// Remove the bar from the terminal.
    pub fn clear(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for Bar {
    fn stage(&self, name: &'static str, total: Option<u64>) {
        self.bar.set_message(name);
        match total {
            Some(total) => {
                self.bar.set_style(bar_style());
                self.bar.set_length(total);
                self.bar.set_position(0);
            }
            None => {
                self.bar.set_style(spinner_style());
                self.bar.unset_length();
            }
        }
    }

    fn advance(&self, steps: u64) {
        self.bar.inc(steps);
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.clear();
    }
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("the template is valid")
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} pages, {eta} left")
        .expect("the template is valid")
        .progress_chars("=> ")
}
