//! Fingerprints the code that decides what cleaning writes (everything under `src/text/`: the
//! rules and profiles, the detector, its model and its phrase lists), so that outputs made by
//! one build are not taken as up to date by another that cleans differently, even when both
//! carry the same version number.

use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new("src/text");
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
