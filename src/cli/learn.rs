//! `pare learn`, and the first pass of `pare clean --learn`: counting lines across the inputs
//! into a learned profile.

use anyhow::Context;

use pare::input::discover::{discover, Input, Selection};
use pare::learn::{count_inputs, Counts, Thresholds};
use pare::output::checks::check_side_outputs;
use pare::output::destination::Destination;
use pare::output::write::{write_output, Links};

use super::args::{CleanArgs, LearnArgs};
use super::{given, refuse, worker_pool, Exit};

/// `pare learn`.
pub(super) fn learn(args: LearnArgs) -> anyhow::Result<Exit> {
    anyhow::ensure!(
        args.output.is_some() || args.counts_out.is_some(),
        "say where the result goes: -o PROFILE and/or --counts-out COUNTS"
    );
    anyhow::ensure!(
        !args.paths.is_empty() || !args.merge.is_empty(),
        "give documents to learn from, or --merge"
    );
    let mut counts = Counts::default();
    let mut failed = false;
    if !args.paths.is_empty() {
        let found = discover(&args.paths, &Selection::default(), None).context("bad path")?;
        let side = given(&[("-o", &args.output), ("--counts-out", &args.counts_out)]);
        refuse(
            check_side_outputs(&found.inputs, &Destination::Check, &side),
            "nothing was written: pare writes over its inputs only with clean --in-place",
        )?;
        for (path, message) in &found.errors {
            eprintln!("pare: {path}: {message}");
            failed = true;
        }
        let reading = args.read.reading();
        let mergeable = args.counts_out.is_some();
        let pool = worker_pool(args.threads)?;
        let (learned, errors) = pool.install(|| count_inputs(&found.inputs, &reading, mergeable));
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
    if let Some(path) = &args.output {
        counts.prune();
        let thresholds = Thresholds {
            min_share: args.min_share,
            min_docs: args.min_docs,
            ..Thresholds::default()
        };
        let profile = counts.profile(thresholds);
        write_output(path, profile.as_bytes(), Links::Split)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(if failed { Exit::Error } else { Exit::Success })
}

/// Learns a profile (TOML) from `inputs` for `clean --learn`. Inputs that cannot be read are
/// left to the cleaning pass, which reports them.
pub(super) fn learn_profile_from(args: &CleanArgs, pool: &rayon::ThreadPool, inputs: &[Input]) -> String {
    let reading = args.read.reading();
    let (mut counts, _) = pool.install(|| count_inputs(inputs, &reading, false));
    counts.prune();
    counts.profile(Thresholds::default())
}
