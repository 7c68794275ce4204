//! Throughput of each cleaning stage on the shipped fixtures, in bytes per second, and of
//! single documents of growing size: cleaning time is linear in a document's size when the
//! bytes per second stay level from the smallest to the largest.
//!
//! Run with `cargo bench --bench clean` (`cargo bench --bench clean -- one_document` for the
//! sizes only).

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pare::text::detect::DetectMode;
use pare::text::record::Record;
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

/// One document of each shape that could cost more than its size, at 1, 8 and 64 times a
/// base size (from about 24 KiB to 1.5 MiB): a news page repeated, as a site that prints a
/// whole archive on one page; lines of a menu; running text with no blank line; one line with
/// no line break; and an HTML page, read from its markup.
fn one_document(c: &mut Criterion) {
    let page =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/in/daily-news.txt"))
            .unwrap();
    let sentence =
        "The council said on Tuesday that it would meet again to discuss the plans for the bridge.\n";
    type Shape<'a> = (&'a str, Box<dyn Fn(usize) -> String + 'a>);
    let shapes: [Shape; 4] = [
        ("repeated_page", Box::new(|n| format!("{page}\n").repeat(25 * n))),
        (
            "menu_lines",
            Box::new(|n| (0..2_000 * n).map(|i| format!("Menu item {i}\n")).collect()),
        ),
        ("running_text", Box::new(|n| sentence.repeat(270 * n))),
        (
            "one_line",
            Box::new(|n| format!("{}.", "word ".repeat(5_000 * n))),
        ),
    ];
    let detecting = Cleaner::new(RuleSet::default_rules()).with_detect(DetectMode::Standard);
    // An HTML page: read from its markup, then cleaned.
    let html_page = |n: usize| {
        let block = format!(
            "<nav><a>Home</a></nav><script>var x = '<div>';</script><h2>Bridge</h2><p>{}</p><aside>More</aside>",
            sentence.repeat(3)
        );
        format!(
            "<html><head><title>Gazette</title></head><body>{}</body></html>",
            block.repeat(80 * n)
        )
    };
    let mut group = c.benchmark_group("one_document/html_page");
    group.sample_size(10);
    for times in [1, 8, 64] {
        let page = html_page(times);
        group.throughput(Throughput::Bytes(page.len() as u64));
        group.bench_function(format!("x{times}"), |b| {
            b.iter(|| {
                let read = pare::text::html::read_html(page.as_bytes()).unwrap();
                detecting.clean_page(&read, None).text().len()
            })
        });
    }
    group.finish();
    for (shape, make) in &shapes {
        let mut group = c.benchmark_group(format!("one_document/{shape}"));
        group.sample_size(10);
        for times in [1, 8, 64] {
            let document = make(times);
            group.throughput(Throughput::Bytes(document.len() as u64));
            group.bench_function(format!("x{times}"), |b| {
                b.iter(|| detecting.clean(&document).text().len())
            });
        }
        group.finish();
    }
}

criterion_group!(benches, stages, one_document);
criterion_main!(benches);
