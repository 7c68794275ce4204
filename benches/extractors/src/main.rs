//! Runs one of the HTML extractors on crates.io over a folder of pages, the way
//! `benches/extractors.sh` compares them with pare: each `<key>.html.gz` (or `.html`) of
//! `HTML_DIR` becomes `OUT_DIR/<key>.txt`, two pages at a time, and the pages, megabytes and
//! seconds of the extraction alone (reading, decompressing and writing left out) are printed
//! as one line of JSON.
//!
//! ```sh
//! cargo run --release -- dom_smoothie|rs-trafilatura|trafilatura HTML_DIR OUT_DIR
//! ```

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

/// What an extractor makes of one page: its text (empty when it finds none or fails).
type Extractor = fn(&str) -> String;

fn dom_smoothie(html: &str) -> String {
    let config = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    dom_smoothie::Readability::new(html, None, Some(config))
        .and_then(|mut readability| readability.parse())
        .map(|article| article.text_content.to_string())
        .unwrap_or_default()
}

fn rs_trafilatura(html: &str) -> String {
    rs_trafilatura::extract(html)
        .map(|result| result.content_text)
        .unwrap_or_default()
}

fn trafilatura(html: &str) -> String {
    trafilatura::extract(html, &trafilatura::Options::default())
        .map(|result| result.content_text)
        .unwrap_or_default()
}

/// The pages of `dir`, by key, decompressed and decoded as UTF-8 (lossily).
fn pages(dir: &Path) -> Vec<(String, String)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a readable HTML folder")
        .map(|entry| entry.expect("a folder entry").path())
        .collect();
    paths.sort();
    (paths.into_iter())
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?.to_string();
            let (key, gzipped) = match name.strip_suffix(".html.gz") {
                Some(key) => (key.to_string(), true),
                None => (name.strip_suffix(".html")?.to_string(), false),
            };
            let mut bytes = Vec::new();
            let file = std::fs::File::open(&path).ok()?;
            if gzipped {
                flate2::read::GzDecoder::new(file).read_to_end(&mut bytes).ok()?;
            } else {
                std::io::BufReader::new(file).read_to_end(&mut bytes).ok()?;
            }
            Some((key, String::from_utf8_lossy(&bytes).into_owned()))
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [name, html_dir, out_dir] = args.as_slice() else {
        eprintln!("usage: pare-extractor-baselines dom_smoothie|rs-trafilatura|trafilatura HTML_DIR OUT_DIR");
        std::process::exit(2);
    };
    let extract: Extractor = match name.as_str() {
        "dom_smoothie" => dom_smoothie,
        "rs-trafilatura" => rs_trafilatura,
        "trafilatura" => trafilatura,
        other => {
            eprintln!("no extractor {other}");
            std::process::exit(2);
        }
    };
    let pages = pages(Path::new(html_dir));
    let bytes: usize = pages.iter().map(|(_, html)| html.len()).sum();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("a thread pool");
    let started = Instant::now();
    let texts: Vec<String> = pool.install(|| {
        (pages.par_iter())
            .map(|(_, html)| {
                // A panic in an extractor costs that page its text, not the run.
                std::panic::catch_unwind(|| extract(html)).unwrap_or_default()
            })
            .collect()
    });
    let seconds = started.elapsed().as_secs_f64();
    std::fs::create_dir_all(out_dir).expect("a writable output folder");
    for ((key, _), text) in pages.iter().zip(&texts) {
        std::fs::write(Path::new(out_dir).join(format!("{key}.txt")), text).expect("a written text");
    }
    println!(
        "{{\"extractor\": \"{name}\", \"pages\": {}, \"bytes\": {bytes}, \"seconds\": {seconds:.3}}}",
        pages.len()
    );
}
