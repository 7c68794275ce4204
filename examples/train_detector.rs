//! Trains the body detector's logistic model on a benchmark of scraped pages with hand-cleaned
//! bodies, reports cross-validated scores, and writes `src/detect/model.rs`.
//!
//! ```sh
//! cargo run --release --example train_detector -- ../shared/eval/articles-dev [--write]
//! ```
//!
//! The benchmark folder holds `input/<key>.txt` (scraped text) and `gold/<key>.txt` (clean
//! body). Each line left after the default rules is labelled body when most of its word
//! 4-grams occur in the gold body. Lines are weighted by length, and every document weighs the
//! same, as in the metric. Scores use the metric itself (`pare::eval`) on whole documents.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use pare::detect::features::{
    document_features, join_wrapped, ContextFeatures, Features, CONTEXT_FEATURES, CONTEXT_NAMES, FEATURES,
    FEATURE_NAMES,
};
use pare::detect::{Detector, Model};
use pare::eval::{score_document, summarize, tokens, Summary};
use pare::{normalize, Cleaner, RuleSet};

const FOLDS: usize = 5;
const L2: f32 = 1e-3;
const EPOCHS: usize = 3000;
const LEARNING_RATE: f32 = 2.0;
/// Candidate thresholds for the standard mode. Below 0.3 the body span and the gate decide
/// nearly alone, and the conservative mode (half the threshold) would keep nearly everything.
const THRESHOLDS: &[f32] = &[0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7];

struct Page {
    key: String,
    input: String,
    gold: String,
    samples: Vec<(Features, f32, f32)>,
    /// Non-blank line numbers, aligned with `samples`.
    lines: Vec<usize>,
}

fn shingle_set(text: &str) -> HashSet<Vec<String>> {
    let words: Vec<String> = tokens(text).into_iter().map(str::to_string).collect();
    if words.len() < 4 {
        return [words].into_iter().filter(|w| !w.is_empty()).collect();
    }
    words.windows(4).map(<[String]>::to_vec).collect()
}

fn load(dir: &Path) -> Vec<Page> {
    let rules_only = Cleaner::new(RuleSet::default_rules());
    let mut keys: Vec<PathBuf> = std::fs::read_dir(dir.join("input"))
        .expect("benchmark input/ folder")
        .map(|entry| entry.unwrap().path())
        .collect();
    keys.sort();
    keys.iter()
        .map(|path| {
            let key = path.file_stem().unwrap().to_string_lossy().into_owned();
            let input = std::fs::read_to_string(path).unwrap();
            let gold = std::fs::read_to_string(dir.join("gold").join(format!("{key}.txt"))).unwrap();
            let gold_shingles = shingle_set(&gold);
            let gold_text = format!(" {} ", tokens(&gold).join(" "));
            let cleaned = rules_only.clean(&input);
            let (joined, _) = join_wrapped(&cleaned.text().lines().collect::<Vec<_>>());
            let lines: Vec<&str> = joined.iter().map(|line| line.as_ref()).collect();
            let features = document_features(&lines);
            let total_words: f32 = features
                .iter()
                .map(|(i, _)| tokens(lines[*i]).len() as f32 + 1.0)
                .sum();
            let line_numbers = features.iter().map(|(index, _)| *index).collect();
            let samples = features
                .into_iter()
                .map(|(index, features)| {
                    let line = lines[index];
                    let words = tokens(line);
                    let label = if words.len() >= 4 {
                        let windows: Vec<Vec<String>> = words
                            .windows(4)
                            .map(|w| w.iter().map(|s| s.to_string()).collect())
                            .collect();
                        let hits = windows.iter().filter(|w| gold_shingles.contains(*w)).count();
                        f32::from(u8::from(hits * 2 > windows.len()))
                    } else {
                        f32::from(u8::from(
                            !words.is_empty() && gold_text.contains(&format!(" {} ", words.join(" "))),
                        ))
                    };
                    (features, label, (words.len() as f32 + 1.0) / total_words)
                })
                .collect();
            Page {
                key,
                input,
                gold,
                samples,
                lines: line_numbers,
            }
        })
        .collect()
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

/// Full-batch gradient descent on weighted logistic loss with L2 (bias not penalised).
fn train<const N: usize>(samples: &[([f32; N], f32, f32)]) -> [f32; N] {
    let mut weights = [0.0f32; N];
    let total_weight: f32 = samples.iter().map(|s| s.2).sum();
    for _ in 0..EPOCHS {
        let mut gradient = [0.0f32; N];
        for (x, y, w) in samples {
            let z: f32 = weights.iter().zip(x).map(|(a, b)| a * b).sum();
            let error = (sigmoid(z) - y) * w;
            for j in 0..N {
                gradient[j] += error * x[j];
            }
        }
        for j in 0..N {
            let penalty = if j == 0 { 0.0 } else { L2 * weights[j] };
            weights[j] -= LEARNING_RATE * (gradient[j] / total_weight + penalty);
        }
    }
    weights
}

/// Trains both stages: the line model, then the context model on the line model's
/// probabilities for the same pages.
fn train_model(pages: &[&Page]) -> Model {
    let line_samples: Vec<(Features, f32, f32)> = pages
        .iter()
        .flat_map(|page| page.samples.iter().copied())
        .collect();
    let line: Features = train(&line_samples);
    let mut reference = [0.0f32; FEATURES];
    let body: Vec<&Features> = line_samples.iter().filter(|s| s.1 > 0.5).map(|s| &s.0).collect();
    for features in &body {
        for j in 0..FEATURES {
            reference[j] += features[j] / body.len() as f32;
        }
    }
    let first = Detector::with_model(
        Model {
            line,
            context: [0.0; CONTEXT_FEATURES],
            reference,
        },
        0.5,
    );
    let mut context_samples: Vec<(ContextFeatures, f32, f32)> = Vec::new();
    for page in pages {
        let features: Vec<(usize, Features)> = page
            .lines
            .iter()
            .zip(&page.samples)
            .map(|(i, s)| (*i, s.0))
            .collect();
        for ((_, context), sample) in first.score(&features).into_iter().zip(&page.samples) {
            context_samples.push((context, sample.1, sample.2));
        }
    }
    let context: ContextFeatures = train(&context_samples);
    Model {
        line,
        context,
        reference,
    }
}

fn score(pages: &[&Page], detector: &Detector) -> Summary {
    let cleaner = Cleaner::new(RuleSet::default_rules()).with_detector(Some(detector.clone()));
    let scores: Vec<_> = pages
        .iter()
        .map(|page| {
            score_document(
                &page.key,
                cleaner.clean(&page.input).text(),
                &normalize(&page.gold),
            )
        })
        .collect();
    summarize(&scores)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "../shared/eval/articles-dev".into()),
    );
    let rest: Vec<String> = args.collect();
    let write = rest.iter().any(|arg| arg == "--write");
    let pages = load(&dir);
    if let Some(at) = rest.iter().position(|arg| arg == "--show") {
        // Prints each line of one page with its label and body probability.
        let key = &rest[at + 1];
        for page in pages
            .iter()
            .filter(|p| key == "all" || p.key.starts_with(key.as_str()))
        {
            println!("### {}", page.key);
            let detector = Detector::new(pare::detect::DetectMode::Standard).unwrap();
            let cleaned = Cleaner::new(RuleSet::default_rules()).clean(&page.input);
            let (joined, _) = join_wrapped(&cleaned.text().lines().collect::<Vec<_>>());
            let lines: Vec<&str> = joined.iter().map(|line| line.as_ref()).collect();
            let features = document_features(&lines);
            for (((index, _), (p, _)), (_, label, _)) in
                features.iter().zip(detector.score(&features)).zip(&page.samples)
            {
                let line: String = lines[*index].chars().take(110).collect();
                println!("{} {p:.2} {line}", if *label > 0.5 { 'B' } else { '.' });
            }
        }
        return;
    }
    println!(
        "{} pages, {} lines",
        pages.len(),
        pages.iter().map(|p| p.samples.len()).sum::<usize>()
    );

    // Cross-validation: pages are dealt into folds by sorted key; each fold is scored by a model
    // trained on the others.
    let held_out: Vec<Vec<(usize, Model)>> = (0..FOLDS)
        .map(|fold| {
            let train_pages: Vec<&Page> = pages
                .iter()
                .enumerate()
                .filter(|(i, _)| i % FOLDS != fold)
                .map(|(_, p)| p)
                .collect();
            let weights = train_model(&train_pages);
            (0..pages.len())
                .filter(|i| i % FOLDS == fold)
                .map(|i| (i, weights))
                .collect()
        })
        .collect();
    println!("threshold  held-out strict F1 / P / R        trained-on-all strict F1 / P / R   clean body kept (held-out)");
    let all: Vec<&Page> = pages.iter().collect();
    let weights = train_model(&all);
    let mut held_out_f1 = Vec::new();
    for &threshold in THRESHOLDS {
        let mut scores = Vec::new();
        let mut clean_scores = Vec::new();
        for fold in &held_out {
            for (i, fold_weights) in fold {
                let detector = Detector::with_model(*fold_weights, threshold);
                let cleaner = Cleaner::new(RuleSet::default_rules()).with_detector(Some(detector));
                let page = &pages[*i];
                scores.push(score_document(
                    &page.key,
                    cleaner.clean(&page.input).text(),
                    &page.gold,
                ));
                // The gold body is clean text: whatever the detector takes from it is lost.
                clean_scores.push(score_document(
                    &page.key,
                    cleaner.clean(&page.gold).text(),
                    &page.gold,
                ));
            }
        }
        let cv = summarize(&scores);
        let clean_kept = summarize(&clean_scores).recall;
        let full = score(&all, &Detector::with_model(weights, threshold));
        println!(
            "{threshold:.2}       {:.3} / {:.3} / {:.3}                {:.3} / {:.3} / {:.3}      {clean_kept:.3}",
            cv.strict_f1, cv.strict_precision, cv.recall, full.strict_f1, full.strict_precision, full.recall
        );
        held_out_f1.push(cv.strict_f1);
    }
    // The threshold is the centre of the best plateau: held-out F1 averaged with both
    // neighbours, so that one lucky threshold between two poor ones is not chosen.
    let smoothed = |i: usize| {
        let window = &held_out_f1[i.saturating_sub(1)..(i + 2).min(held_out_f1.len())];
        window.iter().sum::<f64>() / window.len() as f64
    };
    let chosen = (0..THRESHOLDS.len())
        .max_by(|&a, &b| smoothed(a).total_cmp(&smoothed(b)))
        .unwrap_or(0);
    println!(
        "chosen threshold {:.2} (held-out strict F1 {:.3}, {:.3} with its neighbours)",
        THRESHOLDS[chosen],
        held_out_f1[chosen],
        smoothed(chosen)
    );
    for (name, weight) in FEATURE_NAMES.iter().zip(weights.line) {
        println!("  {name:<24} {weight:+.3}");
    }
    for (name, weight) in CONTEXT_NAMES.iter().zip(weights.context) {
        println!("  context {name:<16} {weight:+.3}");
    }
    if write {
        let mut source = String::from(
            "//! Weights of the body detector's logistic model. Generated by\n\
             //! `cargo run --release --example train_detector -- BENCHMARK_DIR --write`; do not edit by hand.\n\n\
             use super::features::{ContextFeatures, Features};\n\n/// Weights in `FEATURE_NAMES` order.\n#[rustfmt::skip]\npub const WEIGHTS: Features = [\n",
        );
        for (name, weight) in FEATURE_NAMES.iter().zip(weights.line) {
            source.push_str(&format!("    {weight:?}, // {name}\n"));
        }
        source.push_str("];\n\n/// Second-stage weights in `CONTEXT_NAMES` order.\n#[rustfmt::skip]\npub const CONTEXT_WEIGHTS: ContextFeatures = [\n");
        for (name, weight) in CONTEXT_NAMES.iter().zip(weights.context) {
            source.push_str(&format!("    {weight:?}, // {name}\n"));
        }
        source.push_str("];\n\n/// Mean features of body lines, in `FEATURE_NAMES` order.\n#[rustfmt::skip]\npub const REFERENCE: Features = [\n");
        for (name, value) in FEATURE_NAMES.iter().zip(weights.reference) {
            source.push_str(&format!("    {value:?}, // {name}\n"));
        }
        source.push_str(&format!(
            "];\n\n/// Probability a line needs to stay in the standard mode.\npub const THRESHOLD: f32 = {:.2};\n",
            THRESHOLDS[chosen]
        ));
        std::fs::write(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("src/detect/model.rs"),
            source,
        )
        .unwrap();
        println!("wrote src/detect/model.rs");
    }
}
