//! `pare learn`, and the first pass of `pare clean --learn`: counting lines across the inputs
//! into a learned profile.

use anyhow::Context;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use pare::input::discover::discover;
use pare::input::list::InputList;
use pare::input::reading::{GroupBy, UNGROUPED};
use pare::learn::{count_inputs, Counting, Counts, LearnedSummary, Thresholds};
use pare::output::checks::check_side_outputs;
use pare::output::destination::Destination;
use pare::output::write::{write_output, Links};

use super::args::{CleanArgs, LearnArgs};
use super::progress::Progress;
use super::{given, refuse, worker_pool, Exit};

/// `pare learn`.
pub(super) fn learn(args: LearnArgs) -> anyhow::Result<Exit> {
    anyhow::ensure!(
        !args.paths.is_empty() || !args.merge.is_empty(),
        "give documents to learn from, or --merge"
    );
    // With neither -o nor --counts-out, the profile goes to standard output.
    let output = match (&args.output, &args.counts_out) {
        (None, None) => Some(PathBuf::from("-")),
        (output, _) => output.clone(),
    };
    let mut counts = Counts::default();
    let mut failed = false;
    let mut not_taken = 0;
    if !args.paths.is_empty() {
        let found = discover(&args.paths, &args.read.selection(), None).context("bad path")?;
        not_taken = found.not_taken;
        warn_of_hosts_text_lacks(&args, &found.inputs);
        let side = given(&[("-o", &output), ("--counts-out", &args.counts_out)]);
        refuse(
            check_side_outputs(&found.inputs, &Destination::Check, &side),
            "nothing was written: pare writes over its inputs only with clean --in-place",
        )?;
        for (path, message) in &found.errors {
            eprintln!("pare: {path}: {message}");
            failed = true;
        }
        let mergeable = args.counts_out.is_some();
        let pool = worker_pool(args.threads)?;
        let (learned, errors) = count_showing_progress(&args, &found.inputs, &pool, mergeable);
        for (path, message) in &errors {
            eprintln!("pare: {path}: {message}");
        }
        failed |= !errors.is_empty();
        counts.merge(learned);
    }
    for path in &args.merge {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let part: Counts = serde_json::from_str(&text)
            .with_context(|| format!("{}: not counts written by --counts-out", path.display()))?;
        counts.merge(part);
    }
    if let Some(path) = &args.counts_out {
        let json = serde_json::to_vec(&counts)?;
        write_output(path, &json, Links::Split)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let thresholds = Thresholds {
        min_share: args.min_share,
        min_docs: args.min_docs,
        ..Thresholds::default()
    };
    if let Some(path) = &output {
        counts.prune();
        let profile = counts.profile(thresholds);
        write_output(path, profile.as_bytes(), Links::Split)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    report_learned(&counts.summary(thresholds), &args, not_taken);
    Ok(if failed { Exit::Error } else { Exit::Success })
}

/// Counts `inputs` with the progress display `--progress` asks for: bytes as they are read,
/// files as they are finished.
fn count_showing_progress(
    args: &LearnArgs,
    inputs: &InputList,
    pool: &rayon::ThreadPool,
    mergeable: bool,
) -> (Counts, Vec<(String, String)>) {
    let bytes = Arc::new(AtomicU64::new(0));
    let progress = Progress::start(args.progress, args.quiet, inputs, bytes.clone());
    let reading = args.read.reading();
    let counted = pool.install(|| {
        count_inputs(inputs, &reading, mergeable, &mut |event| match event {
            Counting::Read(read) => {
                bytes.fetch_add(read, Ordering::Relaxed);
            }
            Counting::InputDone => progress.file_done(),
        })
    });
    progress.finish();
    counted
}

/// Warns when documents are to be grouped by the host of their URL but some inputs are text
/// files, which have no URL: their documents all land in the group `_`.
fn warn_of_hosts_text_lacks(args: &LearnArgs, inputs: &InputList) {
    let reading = args.read.reading();
    let text_inputs = (inputs.iter())
        .filter(|input| !reading.format.is_jsonl(input))
        .count();
    if reading.group_by == GroupBy::Host && text_inputs > 0 {
        eprintln!(
            "pare: warning: --group-by host: {text_inputs} text input(s) have no URL; their documents \
             are learned together in the group `{UNGROUPED}` (--group-by dir groups them by folder)"
        );
    }
}

/// The summary line: what was learned, or why nothing was (printed even with `-q`, as a warning).
fn report_learned(summary: &LearnedSummary, args: &LearnArgs, not_taken: u64) {
    let why_nothing = if summary.documents == 0 {
        let skipped = if not_taken > 0 {
            format!(
                " ({not_taken} file(s) in the given folders were not taken: only .txt, .jsonl and \
                 .ndjson files are, plain or compressed; add others with -g)"
            )
        } else {
            String::new()
        };
        Some(format!("no documents were read{skipped}"))
    } else if summary.groups_learned == 0 {
        Some(format!(
            "no site has the {} documents --min-docs asks for (the largest has {})",
            args.min_docs, summary.largest_group
        ))
    } else if summary.rules == 0 {
        Some(format!(
            "no line repeats in {:.0}% of a site's documents (--min-share)",
            args.min_share * 100.0
        ))
    } else {
        None
    };
    match why_nothing {
        Some(why) => eprintln!("pare: warning: nothing learned: {why}"),
        None if !args.quiet => eprintln!(
            "pare: learned {} rule(s) for {} of {} site(s) from {} document(s)",
            summary.rules, summary.groups_learned, summary.groups, summary.documents
        ),
        None => {}
    }
}

/// Learns a profile (TOML) from `inputs` for `clean --learn`. Inputs that cannot be read are
/// left to the cleaning pass, which reports them.
pub(super) fn learn_profile_from(args: &CleanArgs, pool: &rayon::ThreadPool, inputs: &InputList) -> String {
    let reading = args.read.reading();
    let (mut counts, _) = pool.install(|| count_inputs(inputs, &reading, false, &mut |_| {}));
    counts.prune();
    counts.profile(Thresholds::default())
}
