//! The floor for cleaning JSONL: what any cleaner must at least do to each record, and nothing
//! more. Parses each line, splits its text into lines, joins them back and writes the record,
//! in batches on `THREADS` threads, in input order. `benches/throughput.sh` times it beside
//! `pare clean`, so "how far from the floor" is a measured ratio.
//!
//! ```sh
//! cargo run --release --example floor -- IN.jsonl OUT.jsonl [THREADS]
//! ```

use std::io::{BufRead, BufReader, BufWriter, Write};

use rayon::prelude::*;
use serde_json::{Map, Value};

/// Lines handed to the threads at once.
const BATCH: usize = 1024;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: floor IN.jsonl OUT.jsonl [THREADS]";
    let input = args.next().expect(usage);
    let output = args.next().expect(usage);
    let threads: usize = args.next().map_or(1, |n| n.parse().expect("THREADS is a number"));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    let mut lines = BufReader::new(std::fs::File::open(input)?).lines();
    let mut out = BufWriter::new(std::fs::File::create(output)?);
    loop {
        let batch: Vec<String> = lines.by_ref().take(BATCH).collect::<Result<_, _>>()?;
        if batch.is_empty() {
            break;
        }
        let records: Vec<Vec<u8>> = pool.install(|| batch.par_iter().map(|line| rewrite(line)).collect());
        for record in records {
            out.write_all(&record)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()
}

/// One record, parsed, its text split into lines and joined again, written back.
fn rewrite(line: &str) -> Vec<u8> {
    let mut record: Map<String, Value> = serde_json::from_str(line).expect("a JSON object per line");
    if let Some(Value::String(text)) = record.get_mut("text") {
        let lines: Vec<&str> = text.split('\n').collect();
        *text = lines.join("\n");
    }
    serde_json::to_vec(&record).expect("a record serialises")
}
