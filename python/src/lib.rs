//! The `pare._native` Python module: pare's `Cleaner` for Python, built once and reused, cleaning
//! one text, a batch in parallel without the GIL, or JSONL lines spliced exactly as
//! `pare clean --format jsonl` splices them. Everything here converts; the cleaning is the
//! library's.

use std::collections::{BTreeMap, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple};

use pare_text::detect::DetectMode;
use pare_text::html::{read_html, read_html_str};
use pare_text::record::{clean_record, Record, RecordFields};
use pare_text::rules::RuleError;
use pare_text::settings::CleanerSettings;
use pare_text::site::{group_of, url_host};

/// What a panic inside the library becomes: an exception, never a crash of the interpreter.
const INTERNAL: &str = "internal error while cleaning (please report it)";

fn value_error(err: RuleError) -> PyErr {
    PyValueError::new_err(err.to_string())
}

/// Runs `work`, turning a panic into a `RuntimeError`.
fn guarded<T>(work: impl FnOnce() -> T) -> PyResult<T> {
    catch_unwind(AssertUnwindSafe(work)).map_err(|_| PyRuntimeError::new_err(INTERNAL))
}

/// The `rules=` argument: the text of a rule file, said plainly when it is something else.
fn rules_text(rules: &Bound<'_, PyAny>) -> PyResult<String> {
    rules.extract::<String>().map_err(|_| {
        let kind = rules
            .get_type()
            .name()
            .map_or_else(|_| "value".to_string(), |name| name.to_string());
        PyTypeError::new_err(format!(
            "rules= takes the text of a rule file as one TOML string (such as \
             '[[rule]]\\nname = \"sponsor\"\\nprefix = \"Sponsored by \"'), not a {kind}; \
             give rule files as rules_files=[path, ...]"
        ))
    })
}

fn detect_mode(name: &str) -> PyResult<DetectMode> {
    name.parse()
        .map_err(|err: pare_text::detect::UnknownDetectMode| PyValueError::new_err(err.to_string()))
}

/// One removal: which line went (or which end of a line), by which rule, and why.
#[pyclass(frozen, get_all, skip_from_py_object, module = "pare")]
#[derive(Clone)]
struct Removal {
    /// 1-based line number in the normalised text.
    line: usize,
    /// The rule's name (`detect` for the body detector).
    rule: String,
    /// Why, beyond the rule's name (the detector explains each decision).
    reason: Option<String>,
    /// `line` (a whole line) or `suffix` (an end mark cut off a line).
    kind: &'static str,
    /// Byte range of the removed text in the normalised text.
    start: usize,
    end: usize,
    /// The removed text.
    text: String,
}

#[pymethods]
impl Removal {
    /// `(start, end)`: the removed text's byte range in the normalised text.
    #[getter]
    fn span(&self) -> (usize, usize) {
        (self.start, self.end)
    }

    fn __repr__(&self) -> String {
        format!(
            "Removal(line={}, rule={:?}, text={:?})",
            self.line, self.rule, self.text
        )
    }
}

/// A cleaned text and what was removed from it. The removals become Python objects only when
/// asked for: most pipelines want the text and a count.
#[pyclass(frozen, module = "pare")]
struct Cleaned {
    /// The cleaned text.
    #[pyo3(get)]
    text: String,
    /// Whether cleaning changed the text.
    #[pyo3(get)]
    changed: bool,
    removals: Vec<Removal>,
}

#[pymethods]
impl Cleaned {
    /// What was removed, in order.
    #[getter]
    fn removed(&self, py: Python<'_>) -> PyResult<Vec<Py<Removal>>> {
        (self.removals.iter().cloned())
            .map(|removal| Py::new(py, removal))
            .collect()
    }

    /// How many removals there were.
    #[getter]
    fn removed_count(&self) -> usize {
        self.removals.len()
    }

    /// How many removals each rule made.
    #[getter]
    fn removed_by_rule(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for removal in &self.removals {
            *counts.entry(removal.rule.clone()).or_default() += 1;
        }
        counts
    }

    fn __repr__(&self) -> String {
        format!(
            "Cleaned(changed={}, removed={}, text={:?})",
            self.changed,
            self.removals.len(),
            self.text
        )
    }
}

/// The parts of a cleaned text, made without the GIL; turned into Python objects after.
struct Plain {
    text: String,
    removed: Vec<Removal>,
    changed: bool,
}

impl Plain {
    fn of(cleaner: &pare_text::Cleaner, text: &str, group: Option<&str>) -> Plain {
        Plain::from_cleaned(cleaner.clean_in(text, group), text)
    }

    /// What became of `original` (the text the output is compared with).
    fn from_cleaned(cleaned: pare_text::Cleaned, original: &str) -> Plain {
        let removed = (cleaned.removals().iter())
            .map(|removal| Removal {
                line: removal.line,
                rule: removal.rule.to_string(),
                reason: removal.reason.clone(),
                kind: removal.kind.name(),
                start: removal.span.start,
                end: removal.span.end,
                text: cleaned.removed_text(removal).to_string(),
            })
            .collect();
        Plain {
            changed: cleaned.text() != original,
            text: cleaned.into_text(),
            removed,
        }
    }

    fn into_py(self) -> Cleaned {
        Cleaned {
            text: self.text,
            changed: self.changed,
            removals: self.removed,
        }
    }
}

/// The rayon pool of `threads` workers, made once per size; `None` is the global pool.
fn pool(threads: Option<usize>) -> PyResult<Option<Arc<rayon::ThreadPool>>> {
    static POOLS: OnceLock<Mutex<HashMap<usize, Arc<rayon::ThreadPool>>>> = OnceLock::new();
    let Some(threads) = threads else { return Ok(None) };
    if threads == 0 {
        return Err(PyValueError::new_err("threads must be at least 1"));
    }
    let mut pools = POOLS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(pool) = pools.get(&threads) {
        return Ok(Some(pool.clone()));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|err| PyRuntimeError::new_err(format!("cannot start worker threads: {err}")))?;
    let pool = Arc::new(pool);
    pools.insert(threads, pool.clone());
    Ok(Some(pool))
}

/// Runs `work` on the pool of `threads` workers (the global pool for `None`).
fn on_pool<T: Send>(threads: Option<usize>, work: impl FnOnce() -> T + Send) -> PyResult<T> {
    Ok(match pool(threads)? {
        Some(pool) => pool.install(work),
        None => work(),
    })
}

/// A cleaner: rules, profiles and the body detector, compiled once and reused.
#[pyclass(frozen, module = "pare")]
struct Cleaner {
    inner: pare_text::Cleaner,
    /// What it was made from: a pickled cleaner is made again from these (rule files are read
    /// again where it is unpickled).
    settings: CleanerSettings,
}

#[pymethods]
impl Cleaner {
    #[new]
    #[pyo3(signature = (*, profiles=Vec::new(), rules=None, rules_files=Vec::new(), profile_file=None, detect="standard", default_rules=true, reasons=true))]
    fn new(
        profiles: Vec<String>,
        rules: Option<&Bound<'_, PyAny>>,
        rules_files: Vec<PathBuf>,
        profile_file: Option<PathBuf>,
        detect: &str,
        default_rules: bool,
        reasons: bool,
    ) -> PyResult<Cleaner> {
        let settings = CleanerSettings {
            default_rules,
            profiles,
            rules_files,
            rules: rules.map(rules_text).transpose()?,
            profile_file,
            detect: detect_mode(detect)?,
            reasons,
        };
        let (inner, _) = settings.build().map_err(value_error)?;
        Ok(Cleaner { inner, settings })
    }

    /// Pickling: the keyword arguments that make this cleaner again.
    fn __getnewargs_ex__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyDict>)> {
        let settings = self.settings.clone();
        let kwargs = PyDict::new(py);
        kwargs.set_item("profiles", settings.profiles)?;
        kwargs.set_item("rules", settings.rules)?;
        kwargs.set_item("rules_files", settings.rules_files)?;
        kwargs.set_item("profile_file", settings.profile_file)?;
        kwargs.set_item("detect", settings.detect.name())?;
        kwargs.set_item("default_rules", settings.default_rules)?;
        kwargs.set_item("reasons", settings.reasons)?;
        Ok((PyTuple::empty(py), kwargs))
    }

    /// Cleans one text; `group` names the site whose profile rules apply.
    #[pyo3(signature = (text, group=None))]
    fn clean(&self, py: Python<'_>, text: &str, group: Option<&str>) -> PyResult<Cleaned> {
        let plain = py.detach(|| guarded(|| Plain::of(&self.inner, text, group)))?;
        Ok(plain.into_py())
    }

    /// Cleans the text of an HTML page, given as bytes (decoded by the character set the page
    /// names, or detected) or as a str; `group` names the site whose profile rules apply. The
    /// removals' line numbers count lines of the page's text.
    #[pyo3(signature = (html, group=None))]
    fn clean_html(&self, py: Python<'_>, html: &Bound<'_, PyAny>, group: Option<&str>) -> PyResult<Cleaned> {
        let page = if let Ok(bytes) = html.cast::<PyBytes>() {
            let bytes = bytes.as_bytes().to_vec();
            py.detach(|| guarded(|| read_html(&bytes)))?
        } else if let Ok(text) = html.extract::<String>() {
            py.detach(|| guarded(|| read_html_str(&text)))?
        } else {
            return Err(PyTypeError::new_err("html must be bytes or str"));
        };
        let page = page.map_err(|err| PyValueError::new_err(err.to_string()))?;
        let plain =
            py.detach(|| guarded(|| Plain::from_cleaned(self.inner.clean_page(&page, group), &page.text)))?;
        Ok(plain.into_py())
    }

    /// Cleans many texts in parallel without the GIL; results in input order. `groups`, when
    /// given, names each text's site (or `None`), so that a profile's group rules apply.
    #[pyo3(signature = (texts, groups=None, threads=None))]
    fn clean_batch(
        &self,
        py: Python<'_>,
        texts: Vec<String>,
        groups: Option<Vec<Option<String>>>,
        threads: Option<usize>,
    ) -> PyResult<Vec<Cleaned>> {
        use rayon::prelude::*;
        if let Some(groups) = &groups {
            if groups.len() != texts.len() {
                return Err(PyValueError::new_err(format!(
                    "groups has {} entries for {} texts: give one group (or None) per text",
                    groups.len(),
                    texts.len()
                )));
            }
        }
        let group_of = |index: usize| groups.as_ref().and_then(|groups| groups[index].as_deref());
        let plains = py.detach(|| {
            guarded(|| {
                on_pool(threads, || {
                    (texts.par_iter().enumerate())
                        .map(|(index, text)| Plain::of(&self.inner, text, group_of(index)))
                        .collect::<Vec<_>>()
                })
            })
        })??;
        Ok(plains.into_iter().map(Plain::into_py).collect())
    }

    /// Whether texts clean differently depending on the group (site) they are said to be of:
    /// a profile gave rules for some site, or a built-in profile recognises its site by host.
    #[getter]
    fn has_groups(&self) -> bool {
        self.inner.site_matters()
    }

    /// Cleans JSONL lines (each one JSON object, with or without its newline) as
    /// `pare clean --format jsonl` does: the `field` string is cleaned and spliced back, every
    /// other byte of the line kept, each record with its URL host's group rules. Blank lines
    /// pass unchanged; a line that is not a record is passed unchanged, dropped, or raises
    /// `ValueError` naming it, as `on_bad_record` says, and bad records passed or dropped are
    /// said in a warning. With `with_counts`, returns the lines and the counts. With
    /// `html_field`, each record's page is read from that field and its text written to `field`
    /// (added when the record has none), as `--html-field` does.
    #[pyo3(signature = (lines, field="text", threads=None, on_bad_record="pass", with_counts=false, html_field=None))]
    #[allow(clippy::too_many_arguments)]
    fn clean_records<'py>(
        &self,
        py: Python<'py>,
        lines: Vec<String>,
        field: &str,
        threads: Option<usize>,
        on_bad_record: &str,
        with_counts: bool,
        html_field: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        use rayon::prelude::*;
        let policy = match on_bad_record {
            "pass" | "drop" | "fail" => on_bad_record,
            other => {
                return Err(PyValueError::new_err(format!(
                    "on_bad_record must be pass, drop or fail, not {other:?}"
                )))
            }
        };
        let cleaner = &self.inner;
        let fields = RecordFields {
            text: field.to_string(),
            html: html_field,
        };
        let cleaned = py.detach(|| {
            guarded(|| {
                on_pool(threads, || {
                    (lines.par_iter())
                        .map(|line| clean_line(cleaner, line, &fields))
                        .collect::<Vec<_>>()
                })
            })
        })??;
        let (out, counts) = records_out(lines, cleaned, policy)?;
        if counts.bad > 0 {
            let (line, message) = &counts.first_bad;
            let what = if policy == "drop" {
                "dropped"
            } else {
                "passed unchanged"
            };
            let warning = format!(
                "{} line(s) are not records ({what}); the first, line {line}: {message}",
                counts.bad
            );
            py.import("warnings")?.call_method1("warn", (warning,))?;
        }
        if !with_counts {
            return out.into_pyobject(py).map(Bound::into_any);
        }
        let summary = PyDict::new(py);
        summary.set_item("seen", counts.seen)?;
        summary.set_item("cleaned", counts.cleaned)?;
        summary.set_item("unchanged", counts.unchanged)?;
        summary.set_item("bad", counts.bad)?;
        summary.set_item("dropped_bad", if policy == "drop" { counts.bad } else { 0 })?;
        (out, summary).into_pyobject(py).map(Bound::into_any)
    }

    fn __repr__(&self) -> String {
        let settings = &self.settings;
        format!(
            "Cleaner(profiles={:?}, rules_files={:?}, detect={:?}, {} rules)",
            settings.profiles,
            settings.rules_files,
            settings.detect.name(),
            self.inner.rules().rules().len()
        )
    }
}

/// What became of one JSONL line.
enum RecordLine {
    /// Blank: passed as it is.
    Blank,
    /// A record: its line, cleaned, and whether cleaning changed it.
    Record(String, bool),
    /// Not a record, and why.
    Bad(String),
}

/// What `clean_records` counts.
#[derive(Default)]
struct RecordTally {
    seen: u64,
    cleaned: u64,
    unchanged: u64,
    bad: u64,
    /// The first bad line's number (from 1) and what is wrong with it.
    first_bad: (usize, String),
}

/// The lines to return, in order, and the counts; fails on the first bad line under `fail`.
fn records_out(
    lines: Vec<String>,
    cleaned: Vec<RecordLine>,
    policy: &str,
) -> PyResult<(Vec<String>, RecordTally)> {
    let mut tally = RecordTally::default();
    let mut out = Vec::with_capacity(lines.len());
    for (index, (line, cleaned)) in lines.into_iter().zip(cleaned).enumerate() {
        match cleaned {
            RecordLine::Blank => out.push(line),
            RecordLine::Record(text, changed) => {
                tally.seen += 1;
                if changed {
                    tally.cleaned += 1;
                } else {
                    tally.unchanged += 1;
                }
                out.push(text);
            }
            RecordLine::Bad(message) => {
                tally.seen += 1;
                tally.bad += 1;
                if policy == "fail" {
                    return Err(PyValueError::new_err(format!(
                        "line {}: {message} (on_bad_record=\"fail\")",
                        index + 1
                    )));
                }
                if tally.bad == 1 {
                    tally.first_bad = (index + 1, message);
                }
                if policy == "pass" {
                    out.push(line);
                }
            }
        }
    }
    Ok((out, tally))
}

/// One JSONL line cleaned as the command line cleans it.
fn clean_line(cleaner: &pare_text::Cleaner, line: &str, fields: &RecordFields) -> RecordLine {
    let content = line.strip_suffix('\n').unwrap_or(line);
    // Blank as the command line sees it: nothing but ASCII white space.
    if content.bytes().all(|byte| byte.is_ascii_whitespace()) {
        return RecordLine::Blank;
    }
    // Grouped as `pare clean --format jsonl` groups records read from standard input.
    let group = |record: &Record<'_>| Some(group_of(record.host()));
    let done = match clean_record(content.as_bytes(), fields, cleaner, group) {
        Ok(done) => done,
        Err(failure) => return RecordLine::Bad(failure.to_string()),
    };
    if !done.changed() {
        return RecordLine::Record(line.to_string(), false);
    }
    let mut out = Vec::with_capacity(line.len());
    done.splice_into(&mut out);
    if line.ends_with('\n') {
        out.push(b'\n');
    }
    // Splicing a UTF-8 text into a UTF-8 line keeps it UTF-8.
    let out =
        String::from_utf8(out).unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned());
    RecordLine::Record(out, true)
}

/// The site a page's address is of, as pare groups JSONL records: its host without `www.`,
/// the archived page's host for an archive or cache address, or None.
#[pyfunction]
fn site_of(url: &str) -> Option<String> {
    url_host(url)
}

/// Word 4-gram scores of `predictions` against `gold` bodies (both by document id), as JSON: the
/// summary `pare eval --gold --json` prints. A missing prediction counts as empty.
#[pyfunction]
fn eval_gold<'py>(
    py: Python<'py>,
    predictions: BTreeMap<String, String>,
    gold: BTreeMap<String, String>,
) -> PyResult<Bound<'py, PyAny>> {
    let scores: Vec<_> = (gold.iter())
        .map(|(id, body)| match predictions.get(id) {
            Some(predicted) => pare_text::score::score_document(id, predicted, body),
            None => pare_text::score::score_missing(id, body),
        })
        .collect();
    to_python(py, serde_json::to_string(&pare_text::score::summarize(&scores)))
}

/// Snippet scores of `predictions` against `annotations` (by page id, each with `with` and
/// `without` phrases), as JSON: the summary `pare eval --snippets --json` prints.
#[pyfunction]
fn eval_snippets<'py>(
    py: Python<'py>,
    predictions: BTreeMap<String, String>,
    annotations: BTreeMap<String, (Vec<String>, Vec<String>)>,
) -> PyResult<Bound<'py, PyAny>> {
    let scores: Vec<_> = (annotations.into_iter())
        .map(|(id, (with, without))| {
            let snippets = pare_text::score::Snippets { with, without };
            pare_text::score::score_snippets(&id, predictions.get(&id).map_or("", String::as_str), &snippets)
        })
        .collect();
    to_python(
        py,
        serde_json::to_string(&pare_text::score::summarize_snippets(&scores)),
    )
}

/// A summary as the Python value its JSON reads as (a dict of numbers).
fn to_python(py: Python<'_>, json: serde_json::Result<String>) -> PyResult<Bound<'_, PyAny>> {
    let json = json.map_err(|err| PyRuntimeError::new_err(err.to_string()))?;
    py.import("json")?.call_method1("loads", (json,))
}

/// The names and one-line descriptions of the built-in profiles.
#[pyfunction]
fn builtin_profiles() -> Vec<(String, String)> {
    (pare_text::rules::builtin_profiles().into_iter())
        .map(|(name, description)| (name.to_string(), description.to_string()))
        .collect()
}

#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Cleaner>()?;
    module.add_class::<Cleaned>()?;
    module.add_class::<Removal>()?;
    module.add_function(wrap_pyfunction!(builtin_profiles, module)?)?;
    module.add_function(wrap_pyfunction!(site_of, module)?)?;
    module.add_function(wrap_pyfunction!(eval_gold, module)?)?;
    module.add_function(wrap_pyfunction!(eval_snippets, module)?)?;
    Ok(())
}
