//! Throughput of each cleaning stage on the shipped fixtures, in bytes per second.
//!
//! Run with `cargo bench --bench clean`.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pare::{normalize, Cleaner, RuleSet};

/// The fixture inputs, repeated into a corpus of about 1 MiB.
fn corpus() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/in");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
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
    let normalized: Vec<String> = corpus.iter().map(|doc| normalize(doc)).collect();

    let mut group = c.benchmark_group("stages");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("normalize", |b| {
        b.iter(|| corpus.iter().map(|doc| normalize(doc).len()).sum::<usize>())
    });
    group.bench_function("strip_default_rules", |b| {
        b.iter(|| {
            (normalized.iter())
                .map(|doc| pare::strip::strip(cleaner.rules(), doc).0.len())
                .sum::<usize>()
        })
    });
    group.bench_function("clean", |b| {
        b.iter(|| {
            corpus
                .iter()
                .map(|doc| cleaner.clean(doc).text().len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
