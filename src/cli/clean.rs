//! `pare clean`: everything that can be wrong with the command line, the rules or where
//! outputs go is found before any input is touched; then the run, printing as inputs finish;
//! then the ledger, the report and the summary.

use std::io;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::{bail, Context};

use pare::input::discover::{discover, Discovered};
use pare::input::list::{Input, InputList};
use pare::input::shard::Shard;
use pare::output::checks::{check_side_outputs, check_targets, OutputDir};
use pare::output::destination::Destination;
use pare::output::manifest::Manifest;
use pare::output::write::{resolve, write_to, Links, Target};
use pare::run::options::Options;
use pare::run::outcome::{Outcome, Status};
use pare::run::report::Report;
use pare::run::review::ReviewSample;
use pare::text::rules::{KeyedBy, Profile};
use pare::text::settings::CleanerSettings;
use pare::Cleaner;

use super::args::CleanArgs;
use super::destination::destination;
use super::learn::learn_profile_from;
use super::printer::{Ledger, Printer};
use super::profile_use::{warn_of_other_keys, warn_of_unmatched_groups};
use super::progress::{End, Progress};
use super::review_page;
use super::signals::Signals;
use super::{given, refuse, worker_pool, Exit};

/// Where the report, the review page and the ledger go, resolved before the run.
struct SideOutputs {
    report: Option<Target>,
    review_page: Option<Target>,
    ledger: Option<Target>,
}

impl SideOutputs {
    fn resolve(args: &CleanArgs, destination: &Destination) -> anyhow::Result<SideOutputs> {
        let resolve_one = |path: &Option<PathBuf>, what: &str| match path {
            Some(path) => resolve(path)
                .with_context(|| format!("cannot write {what} {}", path.display()))
                .map(Some),
            None => Ok(None),
        };
        let sides = SideOutputs {
            report: resolve_one(&args.report, "report")?,
            review_page: resolve_one(&args.report_html, "review page")?,
            ledger: resolve_one(&args.ledger, "ledger")?,
        };
        let on_stdout: Vec<&str> = [
            (&sides.report, "--report"),
            (&sides.review_page, "--report-html"),
            (&sides.ledger, "--ledger"),
        ]
        .into_iter()
        .filter(|(target, _)| **target == Some(Target::Stdout))
        .map(|(_, flag)| flag)
        .collect();
        if let [first, second, ..] = on_stdout.as_slice() {
            bail!("{first} - and {second} - would mix on standard output; give one of them a file");
        }
        if let (Some(flag), Destination::Stdout | Destination::Diff) = (on_stdout.first(), destination) {
            bail!("{flag} - would mix into the cleaned text on standard output; give it a file");
        }
        Ok(sides)
    }

    /// Whether one of them goes to standard output.
    fn any_on_stdout(&self) -> bool {
        [&self.report, &self.review_page, &self.ledger]
            .into_iter()
            .any(|target| *target == Some(Target::Stdout))
    }
}

/// A run, ready to start: everything checked, nothing read.
struct Run {
    cleaner: Cleaner,
    destination: Destination,
    sides: SideOutputs,
    inputs: InputList,
    options: Options,
    report: Report,
    pool: rayon::ThreadPool,
    signals: Signals,
    manifest: Option<Mutex<Manifest>>,
    ledger: Option<Ledger>,
    /// The documents kept for the review page (`--report-html`).
    review: ReviewSample,
}

/// How the loop over the inputs ended.
enum Ended {
    /// Every input was handled.
    Done,
    /// Stopped by a signal.
    Stopped,
    /// Standard output was closed by its reader.
    OutputClosed,
}

/// `pare clean`.
pub(super) fn clean(args: CleanArgs) -> anyhow::Result<Exit> {
    let (started_at, started) = (std::time::SystemTime::now(), std::time::Instant::now());
    let mut run = prepare(&args)?;
    run.report.started = Some(humantime::format_rfc3339_seconds(started_at).to_string());
    let (ended, printed) = execute(&args, &mut run)?;
    if matches!(ended, Ended::OutputClosed) {
        return Ok(Exit::Success);
    }
    let Run {
        destination,
        sides,
        inputs,
        mut report,
        signals,
        ledger,
        review,
        ..
    } = run;
    report.finish();
    // Milliseconds are as fine as a wall clock over a whole run means anything.
    report.elapsed_seconds = Some((started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0);
    report.interrupted |= matches!(ended, Ended::Stopped);
    if let Some(ledger) = ledger {
        ledger.finish()?;
    }
    if let (Some(target), Some(path)) = (&sides.report, &args.report) {
        write_to(target, report.to_json().as_bytes(), Links::Split)
            .with_context(|| format!("cannot write report {}", path.display()))?;
    }
    if let (Some(target), Some(path)) = (&sides.review_page, &args.report_html) {
        let ledger = (args.ledger.as_deref()).and_then(|ledger| review_page::ledger_link(path, ledger));
        let page = review_page::render(&report, &review, ledger.as_deref());
        write_to(target, page.as_bytes(), Links::Split)
            .with_context(|| format!("cannot write review page {}", path.display()))?;
    }
    if matches!(ended, Ended::Stopped) {
        eprintln!(
            "pare: stopped by a signal; finished outputs are complete (and in the ledger and report), \
             nothing is half-written"
        );
        return Ok(signals.exit());
    }
    let dry_run = matches!(destination, Destination::Check | Destination::Diff);
    // A filter (standard input to standard output) keeps quiet, as filters do.
    let filter = inputs.len() == 1 && inputs.has_stdin() && destination == Destination::Stdout;
    if !args.quiet && !filter {
        eprintln!("pare: {}", report.summary(dry_run));
    }
    Ok(if !report.errors.is_empty() || printed.skipped_named {
        Exit::Error
    } else if printed.would_change && dry_run {
        Exit::WouldChange
    } else {
        Exit::Success
    })
}

/// Checks everything that can be wrong before any input is read, and sets the run up.
fn prepare(args: &CleanArgs) -> anyhow::Result<Run> {
    let (mut cleaner, profile_keys) = build_cleaner(args)?;
    let destination = destination(args)?;
    let sides = SideOutputs::resolve(args, &destination)?;
    let selection = args.read.selection();
    let (output_dir, exclude_dir) = match &destination {
        Destination::Mirror(dir) => {
            let checked = OutputDir::check(dir, &args.paths, &selection)?;
            (Some(checked), Some(dir.as_path()))
        }
        _ => (None, None),
    };
    let found = discover(&args.paths, &selection, exclude_dir).context("bad --glob")?;
    // Without --report the report is only summed up: the changed inputs need not be named.
    let mut report = if args.report.is_some() {
        Report::default()
    } else {
        Report::counting_only()
    };
    report.files.not_taken = found.not_taken;
    report.files.not_taken_named = found.not_taken_named.clone();
    report.settings = (args.settings.iter())
        .map(|(key, value, source)| (key.clone(), serde_json::json!({"value": value, "source": source})))
        .collect();
    for (path, message) in &found.errors {
        eprintln!("pare: error: {path}: {message}");
        report.add_error(path, message);
    }
    check_record_filters(args, &found.inputs)?;
    let pool = worker_pool(args.threads)?;
    if args.learn {
        cleaner = with_learned_profile(cleaner, args, &pool, &found)?;
    }
    let signals = Signals::install()?;
    let mut options = options(args, destination.clone(), signals.stop.clone());
    if args.profile_file.is_some() {
        warn_of_unmatched_groups(&cleaner, &found.inputs, &options);
        warn_of_other_keys(profile_keys, &found.inputs, &options);
    }
    let inputs = take_shard(found.inputs, args.shard, &mut options)?;
    let side = given(&[
        ("--report", &args.report),
        ("--report-html", &args.report_html),
        ("--ledger", &args.ledger),
    ]);
    let mut problems = check_targets(&inputs, &destination);
    problems.extend(check_side_outputs(&inputs, &destination, &side));
    refuse(
        problems,
        "nothing was written: every output must belong to exactly one input and be no input",
    )?;
    if let Some(output_dir) = &output_dir {
        output_dir.create()?;
    }
    let manifest = open_manifest(args, &cleaner, &mut options)?.map(Mutex::new);
    let ledger = match (&sides.ledger, &args.ledger) {
        (Some(target), Some(path)) => Some(Ledger::create(target, path)?),
        _ => None,
    };
    Ok(Run {
        cleaner,
        destination,
        sides,
        inputs,
        options,
        report,
        pool,
        signals,
        manifest,
        ledger,
        review: ReviewSample::default(),
    })
}

/// What the printer saw of the outcomes, for the exit code.
struct Printed {
    would_change: bool,
    skipped_named: bool,
}

/// Cleans every input, printing and reporting each as it finishes.
fn execute(args: &CleanArgs, run: &mut Run) -> anyhow::Result<(Ended, Printed)> {
    let progress = Progress::start(
        args.progress,
        args.quiet,
        &run.inputs,
        run.options.bytes_read.clone(),
    );
    let manifest = run.manifest.as_ref();
    let on_done = |outcome: &Outcome| {
        record_in_manifest(manifest, outcome, &progress);
        progress.file_done();
    };
    let on_stdout = run.sides.any_on_stdout();
    let mut printer = Printer::new(args, &run.destination, on_stdout);
    let (report, ledger, review) = (&mut run.report, &mut run.ledger, &mut run.review);
    let mut on_outcome = |mut outcome: Outcome| -> io::Result<()> {
        if let Some(ledger) = ledger.as_mut() {
            ledger.write(&outcome.ledger)?;
        }
        review.merge(std::mem::take(&mut outcome.review));
        report.add(&outcome);
        printer.print(&outcome, &progress)
    };
    let (inputs, cleaner, options) = (&run.inputs, &run.cleaner, &run.options);
    let result = run
        .pool
        .install(|| pare::run::run(inputs, cleaner, options, &on_done, &mut on_outcome));
    progress.finish(if options.stopped() {
        End::Interrupted
    } else {
        End::Done
    });
    let ended = match result.and_then(|()| printer.flush()) {
        Ok(()) => Ended::Done,
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ended::OutputClosed,
        // Outputs already written are complete; the one in progress was discarded. The ledger
        // and the report still cover every finished input.
        Err(err) if err.kind() == io::ErrorKind::Interrupted => Ended::Stopped,
        Err(err) => return Err(err).context("cannot write the output"),
    };
    let printed = Printed {
        would_change: printer.would_change,
        skipped_named: printer.skipped_named,
    };
    Ok((ended, printed))
}

/// `--drop-empty` and `--min-words` drop JSONL records; a text file is written whatever it
/// holds. Refused when no input can hold records, and said when some inputs are text files.
fn check_record_filters(args: &CleanArgs, inputs: &InputList) -> anyhow::Result<()> {
    let flag = match (args.drop_empty, args.min_words) {
        (_, Some(_)) => "--min-words",
        (true, None) => "--drop-empty",
        (false, None) => return Ok(()),
    };
    let reading = args.read.reading();
    let text_files: Vec<String> = (inputs.iter())
        .filter(|input| *input != Input::Stdin && !reading.format.is_jsonl(input))
        .map(|input| input.display_name())
        .collect();
    let Some(first) = text_files.first() else {
        return Ok(());
    };
    if text_files.len() == inputs.len() {
        bail!(
            "{flag} drops JSONL records, but every input is a text file (such as {first}); \
             leave it out, or give --format jsonl for files of records"
        );
    }
    eprintln!(
        "pare: warning: {flag} drops JSONL records only; {} text file(s) such as {first} are \
         written whatever they hold",
        text_files.len()
    );
    Ok(())
}

/// The rules and profiles the command line names, compiled.
/// The cleaner, and how the groups of its profile (if any) are keyed.
fn build_cleaner(args: &CleanArgs) -> anyhow::Result<(Cleaner, Option<KeyedBy>)> {
    let settings = CleanerSettings {
        default_rules: !args.no_default_rules,
        profiles: args.profile.clone(),
        rules_files: args.rules.clone(),
        rules: None,
        profile_file: args.profile_file.clone(),
        detect: args.detect,
        // Only ledgers, annotated diffs and the review page show why the detector removed a line.
        reasons: args.ledger.is_some() || args.diff || args.report_html.is_some(),
    };
    Ok(settings.build()?)
}

/// `--learn`: the cleaner with a profile learned from the inputs themselves.
fn with_learned_profile(
    cleaner: Cleaner,
    args: &CleanArgs,
    pool: &rayon::ThreadPool,
    found: &Discovered,
) -> anyhow::Result<Cleaner> {
    if found.inputs.has_stdin() {
        bail!("--learn reads its inputs twice, so it needs files or directories, not standard input");
    }
    let learned = learn_profile_from(args, pool, &found.inputs)?;
    let profile = Profile::from_toml("learned profile", &learned)?;
    Ok(cleaner.with_profile(profile)?)
}

/// The run's options from the command line.
fn options(args: &CleanArgs, destination: Destination, stop: Arc<std::sync::atomic::AtomicBool>) -> Options {
    Options {
        lossy: args.lossy,
        reading: args.read.reading(),
        on_bad_record: args.on_bad_record,
        drop_empty: args.drop_empty,
        min_words: args.min_words,
        ledger: args.ledger.is_some(),
        // Only a written report lists the most removed lines.
        removed_texts: args.report.is_some(),
        annotate_diff: !args.no_annotate,
        review: args.report_html.is_some(),
        stop,
        ..Options::new(destination)
    }
}

/// Records a finished output in the manifest as soon as its file is in place, so a killed run
/// loses no finished work.
fn record_in_manifest(manifest: Option<&Mutex<Manifest>>, outcome: &Outcome, progress: &Progress) {
    let (Some(manifest), Some((key, hash))) = (manifest, &outcome.manifest_entry) else {
        return;
    };
    if matches!(outcome.status, Status::Changed | Status::Unchanged) && outcome.record_errors.is_empty() {
        let mut manifest = manifest.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Err(err) = manifest.record(key, hash) {
            progress.suspend(|| eprintln!("pare: error: cannot write the manifest: {err}"));
        }
    }
}

/// This worker's share of the inputs under `--shard`: one JSONL input is shared by its lines
/// (through `options`), several inputs are shared whole.
fn take_shard(inputs: InputList, shard: Option<Shard>, options: &mut Options) -> anyhow::Result<InputList> {
    let Some(shard) = shard else { return Ok(inputs) };
    if inputs.len() == 1
        && inputs
            .first()
            .is_some_and(|input| options.reading.format.is_jsonl(&input))
    {
        if options.destination == Destination::InPlace {
            bail!(
                "--in-place with --shard on one JSONL file would replace it with this worker's share of its \
                 records; write each share elsewhere with -o"
            );
        }
        if matches!(options.destination, Destination::Mirror(_)) {
            bail!(
                "--shard on one JSONL file gives each worker a share of its records, which need an output \
                 file of their own (-o part-K.jsonl), not a directory where every worker writes one name"
            );
        }
        options.record_shard = Some(shard);
        return Ok(inputs);
    }
    Ok((inputs.iter().enumerate())
        .filter(|(position, _)| shard.takes(*position))
        .map(|(_, input)| input)
        .collect())
}

/// Opens the output directory's manifest for `--skip-unchanged`, telling `options` what is
/// already done.
fn open_manifest(
    args: &CleanArgs,
    cleaner: &Cleaner,
    options: &mut Options,
) -> anyhow::Result<Option<Manifest>> {
    if !args.skip_unchanged {
        return Ok(None);
    }
    let Destination::Mirror(dir) = &options.destination else {
        bail!("--skip-unchanged needs an output directory (-o DIR)");
    };
    let settings = options.output_fingerprint(cleaner);
    // Workers sharing the files under --shard each keep a manifest of their own.
    let worker = args.shard.map(|shard| (shard.index, shard.count));
    let (manifest, done) = Manifest::open(dir, &settings, worker)
        .with_context(|| format!("cannot open the manifest in {}", dir.display()))?;
    options.up_to_date = Some(Arc::new(done));
    Ok(Some(manifest))
}
