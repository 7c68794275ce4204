//! The parallel driver: reads each input, decodes, cleans and hands the result to its
//! destination, keeping outcomes in input order whatever the number of threads.
//!
//! [`run`] takes inputs in batches; [`document`] cleans one text input, [`records`] one JSONL
//! input; each returns an [`Outcome`] that the caller adds to the
//! [`Report`](report::Report).

pub mod document;
pub mod options;
pub mod outcome;
pub mod records;
pub mod report;

use std::io;

use rayon::prelude::*;

use crate::input::discover::Input;
use crate::run::options::{interrupted, Options, STOPPED};
use crate::run::outcome::{Outcome, RemovedLines, Status};
use crate::text::clean::Cleaner;

/// How many inputs are processed between two flushes of standard output; bounds the memory
/// held for diffs and keeps output flowing.
const BATCH: usize = 512;

/// Processes `inputs` in parallel on the current rayon pool. `on_done` is called on the worker
/// thread as each input finishes (for progress); `on_outcome` is called for each outcome in
/// input order. Stops early when `on_outcome` returns an error (a closed pipe), or with
/// [`interrupted`] when [`Options::stop`] is set.
pub fn run(
    inputs: &[Input],
    cleaner: &Cleaner,
    options: &Options,
    on_done: &(dyn Fn(&Outcome) + Sync),
    mut on_outcome: impl FnMut(Outcome) -> io::Result<()>,
) -> io::Result<()> {
    for batch in inputs.chunks(BATCH) {
        let outcomes: Vec<Outcome> = batch
            .par_iter()
            .filter_map(|input| {
                if options.stopped() {
                    return None;
                }
                let outcome = process(input, cleaner, options);
                on_done(&outcome);
                Some(outcome)
            })
            .collect();
        for outcome in outcomes {
            if outcome.output_closed {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
            on_outcome(outcome)?;
        }
        if options.stopped() {
            return Err(interrupted());
        }
    }
    Ok(())
}

/// Processes one input. Never panics on any input bytes; every failure becomes
/// [`Status::Failed`] with a message.
pub fn process(input: &Input, cleaner: &Cleaner, options: &Options) -> Outcome {
    let mut outcome = Outcome::new(input);
    let result = without_panics(|| process_into(input, cleaner, options, &mut outcome));
    if let Err(message) = result {
        // Nothing was written for this input, so nothing of it is reported as removed either.
        outcome.status = if options.stopped() && message == STOPPED {
            Status::Stopped
        } else {
            Status::Failed(message)
        };
        outcome.stdout = None;
        outcome.ledger.clear();
        outcome.removed_lines = RemovedLines::default();
        outcome.records = None;
        outcome.bytes_out = 0;
        outcome.left_empty = false;
    }
    outcome
}

/// Runs `work`, turning a panic into an error: a bug must cost one input, not the run. Whatever
/// `work` had in hand is dropped on the way out, so a temporary output file is removed.
fn without_panics(work: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
        .unwrap_or_else(|_| Err("internal error while cleaning this input (please report it)".to_string()))
}

/// Cleans one input, text or JSONL, into its destination.
fn process_into(
    input: &Input,
    cleaner: &Cleaner,
    options: &Options,
    outcome: &mut Outcome,
) -> Result<(), String> {
    if options.format.is_jsonl(input) {
        records::process_jsonl(input, cleaner, options, outcome)
    } else {
        document::process_text(input, cleaner, options, outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_fails_the_input_and_drops_its_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let result = without_panics(|| {
            let _partial = tempfile::NamedTempFile::new_in(dir.path()).unwrap();
            panic!("a bug while cleaning");
        });
        assert!(result
            .unwrap_err()
            .starts_with("internal error while cleaning this input"));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        assert_eq!(without_panics(|| Err("plain".into())), Err("plain".to_string()));
    }
}
