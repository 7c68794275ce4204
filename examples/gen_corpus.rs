//! Generates a deterministic synthetic corpus of scraped articles (see `tests/support/synth.rs`) for
//! benchmarks: a tree of text files, the same documents as one JSONL file, and the expected
//! clean body of each document.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- OUT_DIR [DOCS] [SEED] [--sections]
//! ```
//!
//! With `--sections`, blogs whose posts end in comments, author boxes and related posts are
//! mixed in with the news sites.
//!
//! Writes `OUT_DIR/tree/<site>/<year>/<month>/<id>.txt`, `OUT_DIR/corpus.jsonl` (fields `id`,
//! `url`, `text`) and `OUT_DIR/expected/<site>/<year>/<month>/<id>.txt`.

use std::io::Write as _;
use std::path::Path;

#[path = "../tests/support/synth.rs"]
mod synth;

fn main() -> std::io::Result<()> {
    let (flags, positional): (Vec<String>, Vec<String>) =
        std::env::args().skip(1).partition(|arg| arg.starts_with("--"));
    let sections = flags.iter().any(|flag| flag == "--sections");
    let mut args = positional.into_iter();
    let out = args
        .next()
        .expect("usage: gen_corpus OUT_DIR [DOCS] [SEED] [--sections]");
    let docs: usize = args.next().map_or(1000, |n| n.parse().expect("DOCS is a number"));
    let seed: u64 = args.next().map_or(1, |n| n.parse().expect("SEED is a number"));
    let out = Path::new(&out);
    std::fs::create_dir_all(out)?;
    let mut jsonl = std::io::BufWriter::new(std::fs::File::create(out.join("corpus.jsonl"))?);
    let corpus = if sections {
        synth::generate_with_sections(docs, seed)
    } else {
        synth::generate(docs, seed)
    };
    for doc in corpus {
        for (folder, text) in [("tree", &doc.raw), ("expected", &doc.expected)] {
            let path = out.join(folder).join(&doc.path);
            std::fs::create_dir_all(path.parent().unwrap())?;
            std::fs::write(path, text)?;
        }
        writeln!(
            jsonl,
            "{}",
            serde_json::json!({"id": doc.id, "url": doc.url, "text": doc.raw})
        )?;
    }
    jsonl.flush()
}
