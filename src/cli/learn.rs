//! `pare learn`, and the first pass of `pare clean --learn`: counting lines across the inputs
//! into a learned profile.

use anyhow::Context;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use pare::input::discover::discover;
use pare::input::list::InputList;
use pare::input::reading::{GroupBy, Reading};
use pare::learn::{count_inputs, measure_profile, Counting};
use pare::output::checks::check_side_outputs;
use pare::output::destination::Destination;
use pare::output::write::{write_output, Links};
use pare::text::learn::{Counts, LearnedSummary, Thresholds};
use pare::text::rules::{KeyedBy, Profile};
use pare::text::site::UNGROUPED;

use super::args::{CleanArgs, LearnArgs};
use super::progress::{End, Progress};
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
    let mut inputs = InputList::new();
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
            eprintln!("pare: error: {path}: {message}");
            failed = true;
        }
        let mergeable = args.counts_out.is_some();
        let pool = worker_pool(args.threads)?;
        let (learned, errors) = count_showing_progress(&args, &found.inputs, &pool, mergeable);
        for (path, message) in &errors {
            eprintln!("pare: error: {path}: {message}");
        }
        failed |= !errors.is_empty();
        counts.merge(learned);
        inputs = found.inputs;
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
        let reading = args.read.reading();
        // A profile merged with counts made elsewhere cannot be measured on these inputs alone.
        let measure_on = args.merge.is_empty().then_some(&inputs);
        let keyed_by = if args.merge.is_empty() {
            keyed_by(&reading, &inputs)
        } else {
            None
        };
        let profile = learned_profile(&counts, thresholds, keyed_by, measure_on, &reading)?;
        write_output(path, profile.as_bytes(), Links::Split)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    warn_of_groups_not_sites(&counts, thresholds);
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
    progress.finish(End::Done);
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
             stay in the group `{UNGROUPED}` of documents without a site, which learns nothing \
             (--group-by dir groups them by folder)"
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
pub(super) fn learn_profile_from(
    args: &CleanArgs,
    pool: &rayon::ThreadPool,
    inputs: &InputList,
) -> anyhow::Result<String> {
    let reading = args.read.reading();
    pool.install(|| {
        let (mut counts, _) = count_inputs(inputs, &reading, false, &mut |_| {});
        counts.prune();
        warn_of_groups_not_sites(&counts, Thresholds::default());
        let keyed_by = keyed_by(&reading, inputs);
        learned_profile(&counts, Thresholds::default(), keyed_by, Some(inputs), &reading)
    })
}

/// The profile of `counts`; measured on `inputs` when given (what applying it to them removes),
/// else with the estimate the counts give.
fn learned_profile(
    counts: &Counts,
    thresholds: Thresholds,
    keyed_by: Option<KeyedBy>,
    inputs: Option<&InputList>,
    reading: &Reading,
) -> anyhow::Result<String> {
    let estimated = counts.profile(thresholds, keyed_by, None);
    let Some(inputs) = inputs else {
        return Ok(estimated);
    };
    let profile = Profile::from_toml("learned profile", &estimated)?;
    let measured = measure_profile(&profile, inputs, reading)?;
    Ok(counts.profile(thresholds, keyed_by, Some(&measured)))
}

/// How the groups of documents read as `reading` says are keyed: by host or by folder, or
/// neither when inputs of both kinds are grouped each their own way.
pub(super) fn keyed_by(reading: &Reading, inputs: &InputList) -> Option<KeyedBy> {
    match reading.group_by {
        GroupBy::Host => Some(KeyedBy::Host),
        GroupBy::Dir => Some(KeyedBy::Folder),
        GroupBy::None => None,
        GroupBy::Auto => {
            let records = inputs
                .iter()
                .filter(|input| reading.format.is_jsonl(input))
                .count();
            match records {
                0 => Some(KeyedBy::Folder),
                all if all == inputs.len() => Some(KeyedBy::Host),
                _ => None,
            }
        }
    }
}

/// Names each group that learned nothing for not being one site's pages, and why.
fn warn_of_groups_not_sites(counts: &Counts, thresholds: Thresholds) {
    for (name, why) in counts.not_sites(thresholds) {
        eprintln!("pare: warning: group `{name}` learns nothing: {why}");
    }
}
