//! Throughput of each cleaning stage on the shipped fixtures, in bytes per second.
//!
//! Run with `cargo bench --bench clean`.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pare::input::jsonl::Record;
use pare::text::detect::DetectMode;
use pare::{normalize, Cleaner, RuleSet};

/// The fixture inputs (all site styles and pages), repeated into a corpus of about 1 MiB.
fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/in");
    let mut paths = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                paths.push(path);
            }
        }
    }
    paths.sort();
    let docs: Vec<String> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let size: usize = docs.iter().map(String::len).sum();
    docs.iter()
        .cycle()
        .take(docs.len() * (1 << 20) / size.max(1))
        .cloned()
        .collect()
}

fn stages(c: &mut Criterion) {
    let corpus = corpus();
    let bytes: usize = corpus.iter().map(String::len).sum();
    let cleaner = Cleaner::new(RuleSet::default_rules());
    let detecting = Cleaner::new(RuleSet::default_rules()).with_detect(DetectMode::Standard);
    let normalized: Vec<String> = corpus.iter().map(|doc| normalize(doc)).collect();

    let mut group = c.benchmark_group("stages");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("normalize", |b| {
        b.iter(|| corpus.iter().map(|doc| normalize(doc).len()).sum::<usize>())
    });
    group.bench_function("strip_default_rules", |b| {
        b.iter(|| {
            (normalized.iter())
                .map(|doc| pare::text::strip::strip(cleaner.rules(), doc).0.len())
                .sum::<usize>()
        })
    });
    group.bench_function("clean_rules_only", |b| {
        b.iter(|| {
            corpus
                .iter()
                .map(|doc| cleaner.clean(doc).text().len())
                .sum::<usize>()
        })
    });
    group.bench_function("clean_with_detector", |b| {
        b.iter(|| {
            corpus
                .iter()
                .map(|doc| detecting.clean(doc).text().len())
                .sum::<usize>()
        })
    });
    group.finish();

    // JSONL: the same documents as records, parsed and spliced without cleaning (the format's
    // own cost), then cleaned.
    let lines: Vec<String> = (corpus.iter().enumerate())
        .map(|(i, doc)| serde_json::json!({"id": i, "url": "https://example.test/", "text": doc}).to_string())
        .collect();
    let jsonl_bytes: usize = lines.iter().map(String::len).sum();
    let mut group = c.benchmark_group("jsonl");
    group.throughput(Throughput::Bytes(jsonl_bytes as u64));
    group.bench_function("parse_and_splice", |b| {
        let mut out = Vec::with_capacity(jsonl_bytes);
        b.iter(|| {
            out.clear();
            for line in &lines {
                let record = Record::parse(line.as_bytes(), "text").unwrap();
                record.splice_into(&record.text, &mut out);
            }
            out.len()
        })
    });
    group.bench_function("parse_clean_splice", |b| {
        let mut out = Vec::with_capacity(jsonl_bytes);
        b.iter(|| {
            out.clear();
            for line in &lines {
                let record = Record::parse(line.as_bytes(), "text").unwrap();
                record.splice_into(detecting.clean(&record.text).text(), &mut out);
            }
            out.len()
        })
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
