//! Progress of a `pare clean` run: bytes read of the bytes to read (files are listed first, a
//! JSONL input counts as it is read), files done, the rate and the time left. On a terminal a
//! bar redrawn in place; elsewhere (`--progress always` into a log) a plain line at the start,
//! every few seconds, and at the end.

use std::io::{self, IsTerminal};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{HumanBytes, HumanDuration, ProgressBar, ProgressDrawTarget, ProgressStyle};

use pare::input::compress::Compression;
use pare::input::list::{Input, InputList};

use super::args::ProgressWhen;

/// How often the bar is brought up to date.
const REDRAW: Duration = Duration::from_millis(100);
/// How often a progress line is printed when standard error is not a terminal.
const LINE_EVERY: Duration = Duration::from_secs(5);

/// What the display reads: updated by the run, read by the drawing thread.
struct Counts {
    bytes: Arc<AtomicU64>,
    /// Bytes to read, when known: every input a plain file (compressed inputs are read as more
    /// bytes than they hold on disk, and standard input has no size).
    total_bytes: Option<u64>,
    files: AtomicU64,
    total_files: u64,
    started: Instant,
}

impl Counts {
    /// `pare: progress: 1.2 GiB of 3.4 GiB (35%), 4213 of 12000 files, 58.3 MiB/s, 40s left`;
    /// the last line says how the run ended instead of the time left.
    fn line(&self, end: Option<End>) -> String {
        let bytes = self.bytes.load(Ordering::Relaxed);
        let files = self.files.load(Ordering::Relaxed);
        let elapsed = self.started.elapsed().as_secs_f64();
        let rate = if elapsed > 0.0 {
            bytes as f64 / elapsed
        } else {
            0.0
        };
        let mut line = format!("pare: progress: {}", HumanBytes(bytes));
        if let Some(total) = self.total_bytes {
            let percent = (bytes as f64 * 100.0 / total.max(1) as f64).min(100.0);
            line += &format!(" of {} ({percent:.0}%)", HumanBytes(total));
        }
        line += &format!(
            ", {files} of {} files, {}/s",
            self.total_files,
            HumanBytes(rate as u64)
        );
        let took = HumanDuration(self.started.elapsed());
        match self.total_bytes {
            _ if end == Some(End::Done) => line += &format!(", done in {took}"),
            _ if end == Some(End::Interrupted) => line += &format!(", interrupted after {took}"),
            Some(total) if rate > 0.0 && total > bytes => {
                let left = Duration::from_secs_f64((total - bytes) as f64 / rate);
                line += &format!(", {} left", HumanDuration(left));
            }
            _ => {}
        }
        line
    }
}

/// How a run ended, for the last progress line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum End {
    Done,
    Interrupted,
}

/// The progress display of one run.
pub(super) struct Progress {
    bar: ProgressBar,
    counts: Arc<Counts>,
    done: Arc<AtomicBool>,
    drawing: Option<JoinHandle<()>>,
    lines: bool,
}

impl Progress {
    /// Starts the display `when` asks for (by default on a terminal unless `quiet`), reading
    /// the run's byte count from `bytes`.
    pub(super) fn start(
        when: ProgressWhen,
        quiet: bool,
        inputs: &InputList,
        bytes: Arc<AtomicU64>,
    ) -> Progress {
        let terminal = io::stderr().is_terminal();
        let show = match when {
            ProgressWhen::Always => true,
            ProgressWhen::Never => false,
            ProgressWhen::Auto => !quiet && terminal,
        };
        let counts = Arc::new(Counts {
            bytes,
            total_bytes: if show { total_bytes(inputs) } else { None },
            files: AtomicU64::new(0),
            total_files: inputs.len() as u64,
            started: Instant::now(),
        });
        let mut progress = Progress {
            bar: ProgressBar::hidden(),
            counts,
            done: Arc::default(),
            drawing: None,
            lines: show && !terminal,
        };
        if show && terminal {
            progress.bar = bar(&progress.counts);
            progress
                .bar
                .set_message(format!("0/{} files", progress.counts.total_files));
        }
        if show {
            progress.drawing = Some(progress.draw_in_background());
        }
        progress
    }

    fn draw_in_background(&self) -> JoinHandle<()> {
        let (bar, counts, done, lines) = (
            self.bar.clone(),
            self.counts.clone(),
            self.done.clone(),
            self.lines,
        );
        if lines {
            eprintln!("{}", counts.line(None));
        }
        std::thread::spawn(move || {
            let mut last_line = Instant::now();
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(REDRAW);
                if lines && last_line.elapsed() >= LINE_EVERY {
                    eprintln!("{}", counts.line(None));
                    last_line = Instant::now();
                } else if !lines {
                    bar.set_position(counts.bytes.load(Ordering::Relaxed));
                    bar.set_message(format!(
                        "{}/{} files",
                        counts.files.load(Ordering::Relaxed),
                        counts.total_files
                    ));
                }
            }
        })
    }

    /// Counts one more input finished.
    pub(super) fn file_done(&self) {
        self.counts.files.fetch_add(1, Ordering::Relaxed);
    }

    /// Prints with the bar out of the way.
    pub(super) fn suspend<R>(&self, print: impl FnOnce() -> R) -> R {
        self.bar.suspend(print)
    }

    /// Stops the display: the bar is cleared; in a log, a last line says how it went.
    pub(super) fn finish(mut self, end: End) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(drawing) = self.drawing.take() {
            let _ = drawing.join();
        }
        self.bar.finish_and_clear();
        if self.lines {
            eprintln!("{}", self.counts.line(Some(end)));
        }
    }
}

/// The bar on a terminal: bytes of the total with rate and time left, or bytes and rate alone
/// when the total is not known.
fn bar(counts: &Counts) -> ProgressBar {
    let (length, template) = match counts.total_bytes {
        Some(total) => (
            Some(total),
            "{bytes}/{total_bytes}  {binary_bytes_per_sec}  {eta} left  {msg}  {wide_bar}",
        ),
        None => (None, "{spinner} {bytes}  {binary_bytes_per_sec}  {msg}"),
    };
    let bar = ProgressBar::with_draw_target(length, ProgressDrawTarget::stderr());
    bar.set_style(ProgressStyle::with_template(template).expect("the progress templates are valid"));
    bar
}

/// The bytes the inputs hold, when every one is a plain file.
fn total_bytes(inputs: &InputList) -> Option<u64> {
    inputs.iter().try_fold(0u64, |total, input| match input {
        Input::File { path, .. } if Compression::of(&path) == Compression::None => {
            Some(total + std::fs::metadata(&path).ok()?.len())
        }
        _ => None,
    })
}
