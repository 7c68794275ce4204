//! SIGINT and SIGTERM: the first signal asks the run to stop cleanly (no new inputs, temporary
//! files removed); a second SIGINT ends the process at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use signal_hook::consts::{SIGINT, SIGTERM, SIGXFSZ};

use super::Exit;

/// The flags the signal handlers set.
pub(super) struct Signals {
    /// Set by SIGINT or SIGTERM: the run stops between inputs.
    pub(super) stop: Arc<AtomicBool>,
    terminated: Arc<AtomicBool>,
}

impl Signals {
    pub(super) fn install() -> anyhow::Result<Signals> {
        let signals = Signals {
            stop: Default::default(),
            terminated: Default::default(),
        };
        signal_hook::flag::register_conditional_shutdown(SIGINT, 130, signals.stop.clone())?;
        signal_hook::flag::register(SIGINT, signals.stop.clone())?;
        signal_hook::flag::register(SIGTERM, signals.stop.clone())?;
        signal_hook::flag::register(SIGTERM, signals.terminated.clone())?;
        // Past a file-size limit (`ulimit -f`), a write should fail with an error that names the
        // file, not kill the process and leave a temporary file behind.
        signal_hook::flag::register(SIGXFSZ, Default::default())?;
        Ok(signals)
    }

    /// The exit code of a run stopped by a signal.
    pub(super) fn exit(&self) -> Exit {
        if self.terminated.load(Ordering::Relaxed) {
            Exit::Terminated
        } else {
            Exit::Interrupted
        }
    }
}
