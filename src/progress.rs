//! How a long run tells its caller how far it has got. The library only
//! reports; the command line decides whether and how to show it.

/// Receives a run's progress. Called from many threads at once.
pub trait Progress: Sync {
    /// A stage begins; `total` is how many steps it has, when that is known.
    fn stage(&self, name: &'static str, total: Option<u64>) {
        let _ = (name, total);
    }

    /// `steps` more steps of the current stage are done.
    fn advance(&self, steps: u64) {
        let _ = steps;
    }
}

/// Progress that nobody watches.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {}
