//! Fingerprints the code that decides what cleaning writes (everything under `src/`: the
//! rules and profiles, the detector, its model and its phrase lists), so that outputs made by
//! one build are not taken as up to date by another that cleans differently, even when both
//! carry the same version number. Also lists the phrase files (`src/phrases/*.toml`), so
//! that adding a language is adding its file.

use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new("src");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(root, &mut files);
    files.sort();
    let mut hasher = DefaultHasher::new();
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        hasher.write(path.to_string_lossy().as_bytes());
        hasher.write(&std::fs::read(path).expect("a readable source file"));
    }
    println!("cargo:rustc-env=PARE_TEXT_FINGERPRINT={:016x}", hasher.finish());
    write_phrase_files(&root.join("phrases"));
}

/// Writes `$OUT_DIR/phrase_files.rs`: each language's phrase file, by its name, included.
fn write_phrase_files(dir: &Path) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a readable phrases folder")
        .map(|entry| entry.expect("a readable folder entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "toml"))
        .collect();
    files.sort();
    let mut list = String::from("&[\n");
    for path in files {
        let language = path.file_stem().expect("a file name").to_string_lossy();
        let full = std::fs::canonicalize(&path).expect("a phrase file");
        list.push_str(&format!(
            "    ({language:?}, include_str!({:?})),\n",
            full.display().to_string()
        ));
    }
    list.push_str("]\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("phrase_files.rs"), list).expect("a writable OUT_DIR");
}

/// Every file under `dir`.
fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable source folder") {
        let path = entry.expect("a readable folder entry").path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
