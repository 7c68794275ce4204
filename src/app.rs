//! The `pare` binary's glue: turns parsed arguments into a rule set, inputs and a destination,
//! runs the pipeline, and owns everything that prints and the exit code.

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::CommandFactory;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use pare::input::discover::{discover, Selection};
use pare::output::destination::Destination;
use pare::output::write::{resolve, write_output, write_to, Links, Output, Target};
use pare::run::options::Options;
use pare::run::outcome::{Outcome, Status};
use pare::run::report::Report;
use pare::{Cleaner, RuleSet};

use crate::cli::{CleanArgs, Cli, ColorWhen, Command, EvalArgs, LearnArgs, ProgressWhen};

/// How many of the worst documents a failed `pare eval --min-f1` names.
const WORST_SHOWN: usize = 5;

/// How many bad records of one input are printed before the rest are counted.
const RECORD_ERRORS_SHOWN: usize = 5;

/// How a run ended. Higher variants outrank lower ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Everything is clean, or was cleaned.
    Success = 0,
    /// `--check` or `--diff` found inputs that would change.
    WouldChange = 1,
    /// A usage error, a bad rule file, or an input that failed.
    Error = 2,
    /// Stopped by SIGINT (128 + 2).
    Interrupted = 130,
    /// Stopped by SIGTERM (128 + 15).
    Terminated = 143,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Exit {
    let result = match cli.command {
        Command::Clean(args) => clean(args),
        Command::Learn(args) => learn(args),
        Command::Eval(args) => evaluate(args),
        Command::Profiles => list_profiles(),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "pare", &mut io::stdout());
            Ok(Exit::Success)
        }
    };
    result.unwrap_or_else(|err| {
        if is_broken_pipe(&err) {
            return Exit::Success;
        }
        eprintln!("pare: error: {err:#}");
        Exit::Error
    })
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|cause| cause.downcast_ref::<io::Error>())
        .any(|err| err.kind() == io::ErrorKind::BrokenPipe)
}

fn evaluate(args: EvalArgs) -> anyhow::Result<Exit> {
    use pare::eval::{load_texts, score_document, summarize};
    if let Some(annotations) = &args.snippets {
        return evaluate_snippets(&args, annotations);
    }
    let gold_dir = args
        .gold
        .as_deref()
        .context("give --gold DIR or --snippets FILE")?;
    let gold = load_texts(gold_dir, &args.id_field, &args.field)?;
    anyhow::ensure!(
        !gold.is_empty(),
        "no gold bodies (*.txt) in {}",
        gold_dir.display()
    );
    let mut results = Vec::new();
    let mut below = false;
    let mut out = io::stdout().lock();
    for path in &args.predictions {
        let predictions = load_texts(path, &args.id_field, &args.field)?;
        let missing = gold.keys().filter(|id| !predictions.contains_key(*id)).count();
        if missing > 0 {
            eprintln!(
                "pare: {}: no prediction for {missing} gold documents; scored as empty",
                path.display()
            );
        }
        let mut scores: Vec<_> = (gold.iter())
            .map(|(id, body)| score_document(id, predictions.get(id).map_or("", String::as_str), body))
            .collect();
        let summary = summarize(&scores);
        scores.sort_by(|a, b| a.f1.total_cmp(&b.f1).then_with(|| a.id.cmp(&b.id)));
        if let Some(min) = args.min_f1.filter(|min| summary.strict_f1 < *min) {
            below = true;
            let worst: Vec<String> = (scores.iter().take(WORST_SHOWN))
                .map(|score| format!("{} ({:.3})", score.id, score.f1))
                .collect();
            eprintln!(
                "pare: {}: strict F1 {:.3} is below --min-f1 {min}; worst documents: {}",
                path.display(),
                summary.strict_f1,
                worst.join(", ")
            );
        }
        if args.json {
            let per_doc = if args.per_doc { Some(&scores) } else { None };
            let entry = serde_json::json!({"predictions": path, "summary": summary, "documents": per_doc});
            results.push(entry);
            continue;
        }
        writeln!(
            out,
            "{}: {} docs  F1 {:.3}  strict F1 {:.3}  precision {:.3}  strict precision {:.3}  recall {:.3}  accuracy {:.3}  emptied {}",
            path.display(),
            summary.documents,
            summary.f1,
            summary.strict_f1,
            summary.precision,
            summary.strict_precision,
            summary.recall,
            summary.accuracy,
            summary.emptied
        )?;
        if args.per_doc {
            writeln!(out, "  F1     precision  recall  document (worst first)")?;
            for score in &scores {
                let show = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.3}"));
                writeln!(
                    out,
                    "  {:.3}  {:<9}  {:<6}  {}",
                    score.f1,
                    show(score.precision),
                    show(score.recall),
                    score.id
                )?;
            }
        }
    }
    if args.json {
        serde_json::to_writer_pretty(&mut out, &results)?;
        writeln!(out)?;
    }
    Ok(if below { Exit::WouldChange } else { Exit::Success })
}

/// `pare eval --snippets`: each prediction scored by the phrases its pages must and must not
/// hold.
fn evaluate_snippets(args: &EvalArgs, annotations: &Path) -> anyhow::Result<Exit> {
    use pare::eval::{load_snippets, load_texts, score_snippets, summarize_snippets};
    let pages = load_snippets(annotations)?;
    anyhow::ensure!(
        !pages.is_empty(),
        "no annotated pages in {}",
        annotations.display()
    );
    let mut results = Vec::new();
    let mut below = false;
    let mut out = io::stdout().lock();
    for path in &args.predictions {
        let predictions = load_texts(path, &args.id_field, &args.field)?;
        let missing = pages.keys().filter(|id| !predictions.contains_key(*id)).count();
        if missing > 0 {
            eprintln!(
                "pare: {}: no prediction for {missing} annotated pages; scored as empty",
                path.display()
            );
        }
        let mut scores: Vec<_> = (pages.iter())
            .map(|(id, snippets)| {
                score_snippets(id, predictions.get(id).map_or("", String::as_str), snippets)
            })
            .collect();
        let summary = summarize_snippets(&scores);
        // Worst first: pages that lost their article, then by share of `with` phrases kept.
        let kept = |s: &pare::eval::SnippetScore| s.with_found as f64 / s.with.max(1) as f64;
        scores.sort_by(|a, b| kept(a).total_cmp(&kept(b)).then_with(|| a.id.cmp(&b.id)));
        if let Some(min) = args.min_f1.filter(|min| summary.f1 < *min) {
            below = true;
            let worst: Vec<String> = (scores.iter().take(WORST_SHOWN))
                .map(|score| format!("{} ({}/{} kept)", score.id, score.with_found, score.with))
                .collect();
            eprintln!(
                "pare: {}: F1 {:.3} is below --min-f1 {min}; worst pages: {}",
                path.display(),
                summary.f1,
                worst.join(", ")
            );
        }
        if args.json {
            let per_doc = if args.per_doc { Some(&scores) } else { None };
            results.push(serde_json::json!({"predictions": path, "summary": summary, "documents": per_doc}));
            continue;
        }
        writeln!(
            out,
            "{}: {} pages  F1 {:.3}  precision {:.3}  recall {:.3}  accuracy {:.3}  lost every with-snippet {}",
            path.display(),
            summary.documents,
            summary.f1,
            summary.precision,
            summary.recall,
            summary.accuracy,
            summary.lost_all
        )?;
        if args.per_doc {
            for score in &scores {
                writeln!(
                    out,
                    "  with {}/{}  without {}/{}  {}",
                    score.with_found, score.with, score.without_found, score.without, score.id
                )?;
            }
        }
    }
    if args.json {
        serde_json::to_writer_pretty(&mut out, &results)?;
        writeln!(out)?;
    }
    Ok(if below { Exit::WouldChange } else { Exit::Success })
}

fn learn(args: LearnArgs) -> anyhow::Result<Exit> {
    use pare::learn::{count_inputs, Counts, Reading, Thresholds};
    anyhow::ensure!(
        args.output.is_some() || args.counts_out.is_some(),
        "say where the result goes: -o PROFILE and/or --counts-out COUNTS"
    );
    anyhow::ensure!(
        !args.paths.is_empty() || !args.merge.is_empty(),
        "give documents to learn from, or --merge"
    );
    let pool = worker_pool(args.threads)?;
    let mut counts = Counts::default();
    let mut failed = false;
    if !args.paths.is_empty() {
        let found = discover(&args.paths, &Selection::default(), None).context("bad path")?;
        let side = given(&[("-o", &args.output), ("--counts-out", &args.counts_out)]);
        refuse(
            pare::output::checks::check_side_outputs(&found.inputs, &Destination::Check, &side),
            "nothing was written: pare writes over its inputs only with clean --in-place",
        )?;
        for (path, message) in &found.errors {
            eprintln!("pare: {path}: {message}");
            failed = true;
        }
        let mergeable = args.counts_out.is_some();
        let (learned, errors) = pool.install(|| {
            let reading = Reading {
                format: args.format.into(),
                field: args.field.clone(),
                group_by: args.group_by.into(),
                max_doc_bytes: args.max_doc_bytes,
            };
            count_inputs(&found.inputs, &reading, mergeable)
        });
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

fn list_profiles() -> anyhow::Result<Exit> {
    let mut out = io::stdout().lock();
    for (name, description) in pare::text::rules::builtin_profiles() {
        writeln!(out, "{name:<12} {description}")?;
    }
    Ok(Exit::Success)
}

fn build_rules(args: &CleanArgs) -> anyhow::Result<RuleSet> {
    let mut rules = if args.no_default_rules {
        RuleSet::empty()
    } else {
        RuleSet::default_rules()
    };
    for name in &args.profile {
        rules.extend(RuleSet::builtin(name)?)?;
    }
    for path in &args.rules {
        (rules.extend(RuleSet::from_file(path)?))
            .map_err(|err| anyhow::anyhow!("{}: {}", path.display(), err.message))?;
    }
    Ok(rules)
}

/// The output-file options that were given, each with its flag.
fn given<'a>(options: &[(&'a str, &'a Option<std::path::PathBuf>)]) -> Vec<(&'a str, &'a Path)> {
    (options.iter())
        .filter_map(|(flag, path)| Some((*flag, path.as_deref()?)))
        .collect()
}

/// Prints each problem found with a run's outputs and fails with `why`, when there is one.
fn refuse(problems: Vec<String>, why: &str) -> anyhow::Result<()> {
    for problem in &problems {
        eprintln!("pare: error: {problem}");
    }
    anyhow::ensure!(problems.is_empty(), "{why}");
    Ok(())
}

/// Whether `path` is named as the text or JSONL files pare writes are (compressed or not).
fn looks_like_an_output_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy())
        .unwrap_or_default();
    let plain = pare::input::compress::strip_compression(&name);
    plain.len() < name.len()
        || [".txt", ".jsonl", ".ndjson"]
            .iter()
            .any(|ext| plain.ends_with(ext))
}

/// Chooses where output goes from the flags and the shape of the inputs, refusing an output
/// path whose kind does not fit them.
fn destination(args: &CleanArgs) -> anyhow::Result<Destination> {
    if args.in_place {
        return Ok(Destination::InPlace);
    }
    if args.check {
        return Ok(Destination::Check);
    }
    if args.diff {
        return Ok(Destination::Diff);
    }
    let several = args.paths.len() > 1 || args.paths.iter().any(|path| path.is_dir());
    let Some(out) = &args.output else {
        if several {
            bail!("directories and several inputs need -o DIR, --in-place, --check or --diff");
        }
        return Ok(Destination::Stdout);
    };
    if out.is_dir() {
        return Ok(Destination::Mirror(out.clone()));
    }
    if !several {
        return Ok(
            match resolve(out).with_context(|| format!("cannot write to {}", out.display()))? {
                Target::Stdout => Destination::Stdout,
                Target::File(_) | Target::Stream(_) => Destination::File(out.clone()),
            },
        );
    }
    let what = if args.paths.iter().any(|path| path.is_dir()) {
        "a directory input needs"
    } else {
        "several inputs need"
    };
    if out.as_os_str() == "-" || std::fs::symlink_metadata(out).is_ok() {
        bail!(
            "-o {} is not a directory, but {what} an output directory",
            out.display()
        );
    }
    // A directory that does not exist yet is made, unless its name is that of a file pare
    // writes (a mistyped single output, say): `-o two.txt` is refused, `-o two.txt/` is not.
    let says_dir = out.as_os_str().as_encoded_bytes().ends_with(b"/");
    if !says_dir && looks_like_an_output_file(out) {
        bail!(
            "-o {} does not exist and is named like a file, but {what} an output directory; \
             write -o {}/ to make a directory of that name",
            out.display(),
            out.display()
        );
    }
    Ok(Destination::Mirror(out.clone()))
}

fn progress_bar(args: &CleanArgs, inputs: usize) -> ProgressBar {
    let show = match args.progress {
        ProgressWhen::Always => true,
        ProgressWhen::Never => false,
        ProgressWhen::Auto => !args.quiet && io::stderr().is_terminal(),
    };
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(inputs as u64), ProgressDrawTarget::stderr());
    let style =
        ProgressStyle::with_template("{bar:30} {pos}/{len} files  {msg}  [{elapsed_precise}, {per_sec}]")
            .expect("the progress template is valid");
    bar.set_style(style);
    bar
}

fn clean(args: CleanArgs) -> anyhow::Result<Exit> {
    // Everything that can be wrong with the command line, the rules or where outputs go is
    // found before any input is touched.
    let mut cleaner = Cleaner::new(build_rules(&args)?).with_detect(args.detect.into());
    if let Some(path) = &args.profile_file {
        cleaner = cleaner
            .with_profile(pare::text::rules::Profile::from_file(path)?)
            .map_err(|err| anyhow::anyhow!("{}: {}", path.display(), err.message))?;
    }
    let destination = destination(&args)?;
    let report_target = match &args.report {
        Some(path) => Some(resolve(path).with_context(|| format!("cannot write report {}", path.display()))?),
        None => None,
    };
    let ledger_target = match &args.ledger {
        Some(path) => Some(resolve(path).with_context(|| format!("cannot write ledger {}", path.display()))?),
        None => None,
    };
    let to_stdout = |target: &Option<Target>| target.as_ref() == Some(&Target::Stdout);
    if to_stdout(&report_target) && to_stdout(&ledger_target) {
        bail!("--report - and --ledger - would mix on standard output; give one of them a file");
    }
    for (target, flag) in [(&report_target, "--report"), (&ledger_target, "--ledger")] {
        if to_stdout(target) && matches!(destination, Destination::Stdout | Destination::Diff) {
            bail!("{flag} - would mix into the cleaned text on standard output; give it a file");
        }
    }
    let selection = Selection {
        globs: args.glob.clone(),
        hidden: args.hidden,
    };
    let (output_dir, exclude_dir) = match &destination {
        Destination::Mirror(dir) => {
            let checked = pare::output::checks::OutputDir::check(dir, &args.paths, &selection)
                .map_err(anyhow::Error::msg)?;
            (Some(checked), Some(dir.as_path()))
        }
        _ => (None, None),
    };
    let found = discover(&args.paths, &selection, exclude_dir).context("bad --glob")?;

    let mut report = Report::default();
    report.files.not_taken = found.not_taken;
    for (path, message) in &found.errors {
        eprintln!("pare: {path}: {message}");
        report.add_error(path, message);
    }

    let pool = worker_pool(args.threads)?;
    if args.learn {
        if found.inputs.contains(&pare::input::discover::Input::Stdin) {
            bail!("--learn reads its inputs twice, so it needs files or directories, not standard input");
        }
        // First pass: learn each site's chrome from the inputs themselves.
        let learned = learn_profile_from(&args, &pool, &found.inputs)?;
        let profile = pare::text::rules::Profile::from_toml("learned profile", &learned)?;
        cleaner = cleaner.with_profile(profile)?;
    }
    let signals = Signals::install()?;
    let mut options = Options {
        lossy: args.lossy,
        format: args.format.into(),
        field: args.field.clone(),
        on_bad_record: args.on_bad_record.into(),
        drop_empty: args.drop_empty,
        min_words: args.min_words,
        ledger: args.ledger.is_some(),
        annotate_diff: !args.no_annotate,
        max_doc_bytes: args.max_doc_bytes,
        group_by: args.group_by.into(),
        stop: signals.stop.clone(),
        ..Options::new(destination.clone())
    };
    let inputs = take_shard(found.inputs, args.shard, &mut options)?;
    let side = given(&[("--report", &args.report), ("--ledger", &args.ledger)]);
    let mut problems = pare::output::checks::check_targets(&inputs, &destination);
    problems.extend(pare::output::checks::check_side_outputs(
        &inputs,
        &destination,
        &side,
    ));
    refuse(
        problems,
        "nothing was written: every output must belong to exactly one input and be no input",
    )?;
    if let Some(output_dir) = &output_dir {
        output_dir.create().map_err(anyhow::Error::msg)?;
    }
    let manifest = open_manifest(&args, &cleaner, &mut options)?;
    let mut ledger = match (&ledger_target, &args.ledger) {
        (Some(target), Some(path)) => Some(Ledger::create(target, path)?),
        _ => None,
    };
    let bar = progress_bar(&args, inputs.len());
    let manifest = manifest.map(std::sync::Mutex::new);
    let on_done = |outcome: &Outcome| {
        // An output goes into the manifest as soon as its file is in place, so a killed run
        // loses no finished work.
        if let (Some(manifest), Some((key, hash))) = (&manifest, &outcome.manifest_entry) {
            if matches!(outcome.status, Status::Changed | Status::Unchanged)
                && outcome.record_errors.is_empty()
            {
                let mut manifest = manifest.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                if let Err(err) = manifest.record(key, hash) {
                    bar.suspend(|| eprintln!("pare: cannot write the manifest: {err}"));
                }
            }
        }
        bar.inc(1);
        if !bar.is_hidden() {
            bar.set_message(format!("{} read", indicatif::HumanBytes(outcome.bytes_in)));
        }
    };
    let color_diff = colors(args.color, io::stdout().is_terminal());
    let color_errors = colors(args.color, io::stderr().is_terminal());
    let error_prefix = if color_errors {
        "\x1b[1;31merror\x1b[0m"
    } else {
        "error"
    };
    let mut would_change = false;
    let dry_run = matches!(destination, Destination::Check | Destination::Diff);
    // A report or ledger on standard output already lists the inputs; names there would spoil it.
    let name_changes =
        destination == Destination::Check && !to_stdout(&report_target) && !to_stdout(&ledger_target);
    let mut stdout = io::BufWriter::new(io::stdout());
    let mut on_outcome = |outcome: Outcome| -> io::Result<()> {
        if let Status::Failed(message) = &outcome.status {
            bar.suspend(|| eprintln!("pare: {error_prefix}: {}: {message}", outcome.name));
        }
        for warning in &outcome.warnings {
            bar.suspend(|| eprintln!("pare: warning: {}: {warning}", outcome.name));
        }
        // A wrong --field makes every record bad: the first few say why, then a count.
        for error in outcome.record_errors.iter().take(RECORD_ERRORS_SHOWN) {
            bar.suspend(|| eprintln!("pare: {error_prefix}: {}: {error}", outcome.name));
        }
        if let Some(more) = outcome
            .record_errors
            .len()
            .checked_sub(RECORD_ERRORS_SHOWN)
            .filter(|n| *n > 0)
        {
            bar.suspend(|| {
                eprintln!(
                    "pare: {error_prefix}: {}: {more} more bad records (all are listed by --report)",
                    outcome.name
                )
            });
        }
        if let Some(ledger) = &mut ledger {
            ledger.write(&outcome.ledger)?;
        }
        would_change |= outcome.status == Status::Changed;
        if name_changes && outcome.status == Status::Changed {
            // What a CI log must show: which input to fix. Listed as the inputs finish, in
            // input order, on standard output (which --check otherwise leaves empty).
            writeln!(stdout, "would change: {}", outcome.name)?;
        }
        report.add(&outcome);
        match (&outcome.stdout, color_diff && destination == Destination::Diff) {
            (Some(diff), true) => stdout.write_all(&colorize_diff(diff)),
            _ => pare::run::outcome::write_stdout(&mut stdout, &outcome),
        }
    };
    let result = pool.install(|| pare::run::run(&inputs, &cleaner, &options, &on_done, &mut on_outcome));
    bar.finish_and_clear();
    let stopped = match result.and_then(|()| stdout.flush()) {
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => return Ok(Exit::Success),
        // Outputs already written are complete; the one in progress was discarded. The ledger
        // and the report still cover every finished input.
        Err(err) if err.kind() == io::ErrorKind::Interrupted => true,
        other => {
            other.context("cannot write the output")?;
            false
        }
    };
    drop(stdout);

    report.finish();
    report.interrupted |= stopped;
    if let Some(ledger) = ledger {
        ledger.finish()?;
    }
    if let (Some(target), Some(path)) = (&report_target, &args.report) {
        write_to(target, report.to_json().as_bytes(), Links::Split)
            .with_context(|| format!("cannot write report {}", path.display()))?;
    }
    if stopped {
        eprintln!(
            "pare: stopped by a signal; finished outputs are complete (and in the ledger and report), \
             nothing is half-written"
        );
        return Ok(signals.exit());
    }
    // A filter (standard input to standard output) keeps quiet, as filters do.
    let filter = inputs == [pare::input::discover::Input::Stdin] && destination == Destination::Stdout;
    if !args.quiet && !filter {
        eprintln!("pare: {}", report.summary(dry_run));
    }
    Ok(if !report.errors.is_empty() {
        Exit::Error
    } else if would_change && matches!(destination, Destination::Check | Destination::Diff) {
        Exit::WouldChange
    } else {
        Exit::Success
    })
}

/// Whether to colour a stream: asked for, or `auto` on a terminal without `NO_COLOR` set (to
/// anything but the empty string).
fn colors(when: ColorWhen, terminal: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty()),
    }
}

/// A unified diff with ANSI colours: file headers bold, hunk headers cyan, removed lines red
/// (their rule note dimmed), added lines green.
fn colorize_diff(diff: &[u8]) -> Vec<u8> {
    const RESET: &[u8] = b"\x1b[0m";
    let mut out = Vec::with_capacity(diff.len() + diff.len() / 4);
    for line in diff.split_inclusive(|&byte| byte == b'\n') {
        let (text, newline) = match line.strip_suffix(b"\n") {
            Some(text) => (text, &b"\n"[..]),
            None => (line, &b""[..]),
        };
        let colour: &[u8] = if text.starts_with(b"---") || text.starts_with(b"+++") {
            b"\x1b[1m"
        } else if text.starts_with(b"@@") {
            b"\x1b[36m"
        } else if text.starts_with(b"-") {
            b"\x1b[31m"
        } else if text.starts_with(b"+") {
            b"\x1b[32m"
        } else {
            b""
        };
        if colour.is_empty() {
            out.extend_from_slice(line);
            continue;
        }
        out.extend_from_slice(colour);
        match text.windows(8).position(|window| window == b"\t# rule:") {
            Some(at) if colour == b"\x1b[31m" => {
                out.extend_from_slice(&text[..at]);
                out.extend_from_slice(RESET);
                out.extend_from_slice(b"\x1b[2m");
                out.extend_from_slice(&text[at..]);
            }
            _ => out.extend_from_slice(text),
        }
        out.extend_from_slice(RESET);
        out.extend_from_slice(newline);
    }
    out
}

/// Learns a profile (TOML) from `inputs` for `clean --learn`. Inputs that cannot be read are
/// left to the cleaning pass, which reports them.
/// The rayon pool every parallel stage runs on: `threads` workers, or one per core.
fn worker_pool(threads: Option<usize>) -> anyhow::Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")
}

fn learn_profile_from(
    args: &CleanArgs,
    pool: &rayon::ThreadPool,
    inputs: &[pare::input::discover::Input],
) -> anyhow::Result<String> {
    let (mut counts, _) = pool.install(|| {
        let reading = pare::learn::Reading {
            format: args.format.into(),
            field: args.field.clone(),
            group_by: args.group_by.into(),
            max_doc_bytes: args.max_doc_bytes,
        };
        pare::learn::count_inputs(inputs, &reading, false)
    });
    counts.prune();
    Ok(counts.profile(pare::learn::Thresholds::default()))
}

/// This worker's share of the inputs under `--shard`: one JSONL input is shared by its lines
/// (through `options`), several inputs are shared whole.
fn take_shard(
    inputs: Vec<pare::input::discover::Input>,
    shard: Option<pare::input::shard::Shard>,
    options: &mut Options,
) -> anyhow::Result<Vec<pare::input::discover::Input>> {
    let Some(shard) = shard else { return Ok(inputs) };
    if inputs.len() == 1 && options.format.is_jsonl(&inputs[0]) {
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
    Ok((inputs.into_iter().enumerate())
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
) -> anyhow::Result<Option<pare::output::manifest::Manifest>> {
    if !args.skip_unchanged {
        return Ok(None);
    }
    let Destination::Mirror(dir) = &options.destination else {
        bail!("--skip-unchanged needs an output directory (-o DIR)");
    };
    let settings = settings_fingerprint(cleaner, options);
    // Workers sharing the files under --shard each keep a manifest of their own.
    let worker = args.shard.map(|shard| (shard.index, shard.count));
    let (manifest, done) = pare::output::manifest::Manifest::open(dir, &settings, worker)
        .with_context(|| format!("cannot open the manifest in {}", dir.display()))?;
    options.up_to_date = Some(std::sync::Arc::new(done));
    Ok(Some(manifest))
}

/// SIGINT and SIGTERM handling: the first signal asks the run to stop cleanly (no new inputs,
/// temporary files removed); a second SIGINT ends the process at once.
struct Signals {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    terminated: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Signals {
    fn install() -> anyhow::Result<Signals> {
        use signal_hook::consts::{SIGINT, SIGTERM};
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
        signal_hook::flag::register(signal_hook::consts::SIGXFSZ, Default::default())?;
        Ok(signals)
    }

    fn exit(&self) -> Exit {
        if self.terminated.load(std::sync::atomic::Ordering::Relaxed) {
            Exit::Terminated
        } else {
            Exit::Interrupted
        }
    }
}

/// A fingerprint of everything that decides an output besides its input: pare's version, the
/// compiled rules and detector, and the options that change what is written.
fn settings_fingerprint(cleaner: &Cleaner, options: &Options) -> String {
    let description = format!(
        "{} {} {:?} {:?} {} {:?} {} {:?} {} {:?}",
        env!("CARGO_PKG_VERSION"),
        cleaner.description(),
        options.group_by,
        options.format,
        options.field,
        options.on_bad_record,
        options.drop_empty,
        options.min_words,
        options.lossy,
        options.record_shard,
    );
    pare::output::manifest::content_hash(description.as_bytes())
}

/// The removal ledger: JSON lines written in input order; a file takes the ledger's name when
/// the run ends (also after a signal, covering every finished input).
struct Ledger {
    path: std::path::PathBuf,
    writer: io::BufWriter<Output>,
}

impl Ledger {
    fn create(target: &Target, path: &Path) -> anyhow::Result<Ledger> {
        let output = Output::create(target, Links::Split)
            .with_context(|| format!("cannot create ledger {}", path.display()))?;
        Ok(Ledger {
            path: path.to_path_buf(),
            writer: io::BufWriter::new(output),
        })
    }

    fn write(&mut self, lines: &[String]) -> io::Result<()> {
        for line in lines {
            self.writer.write_all(line.as_bytes())?;
            self.writer.write_all(b"\n")?;
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<()> {
        let output = self.writer.into_inner().map_err(|err| err.into_error());
        output
            .and_then(Output::finish)
            .with_context(|| format!("cannot write ledger {}", self.path.display()))
    }
}
