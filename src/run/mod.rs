//! The parallel driver: reads each input, decodes, cleans and hands the result to its
//! destination, keeping outcomes in input order whatever the number of threads.
//!
//! [`run`] takes inputs in batches; [`document`] cleans one text input, [`records`] one JSONL
//! input; each returns an [`Outcome`] that the caller adds to the
//! [`Report`](report::Report).

pub mod batches;
pub mod document;
pub mod failure;
pub mod options;
pub mod outcome;
pub mod records;
pub mod report;
pub mod review;

use std::io;

use crate::input::list::{Input, InputList};
use crate::run::batches::Batches;
use crate::run::failure::Failure;
use crate::run::options::{interrupted, Options};
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
    inputs: &InputList,
    cleaner: &Cleaner,
    options: &Options,
    on_done: &(dyn Fn(&Outcome) + Sync),
    mut on_outcome: impl FnMut(Outcome) -> io::Result<()>,
) -> io::Result<()> {
    let mut batches = Batches::new(BATCH, usize::MAX);
    let mut inputs = inputs.iter().peekable();
    while let Some(input) = inputs.next() {
        if !batches.push(input, 0) && inputs.peek().is_some() {
            continue;
        }
        let outcomes = batches.map(|input| {
            if options.stopped() {
                return None;
            }
            let outcome = process(input, cleaner, options);
            on_done(&outcome);
            Some(outcome)
        });
        for outcome in outcomes.into_iter().flatten() {
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
    if let Err(failure) = result {
        // Nothing was written for this input, so nothing of it is reported as removed either.
        outcome.status = if failure == Failure::Stopped {
            Status::Stopped
        } else {
            Status::Failed(failure)
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
fn without_panics(work: impl FnOnce() -> Result<(), Failure>) -> Result<(), Failure> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or(Err(Failure::Internal))
}

/// Cleans one input, text or JSONL, into its destination.
fn process_into(
    input: &Input,
    cleaner: &Cleaner,
    options: &Options,
    outcome: &mut Outcome,
) -> Result<(), Failure> {
    if options.reading.format.is_jsonl(input) {
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
        assert_eq!(result, Err(Failure::Internal));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        assert_eq!(without_panics(|| Err(Failure::Stopped)), Err(Failure::Stopped));
    }
}
