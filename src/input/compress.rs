//! Compressed files: gzip and zstd, chosen by file extension, in both directions.

use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::Path;

/// The compression a path's extension asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Plain bytes.
    None,
    /// `.gz`
    Gzip,
    /// `.zst`
    Zstd,
}

impl Compression {
    /// From the last extension of `path`.
    pub fn of(path: &Path) -> Compression {
        match path.extension().and_then(|ext| ext.to_str()) {
            Some("gz") => Compression::Gzip,
            Some("zst") => Compression::Zstd,
            _ => Compression::None,
        }
    }
}

/// The name of `path` with a compression extension removed (`a.jsonl.gz` → `a.jsonl`).
pub fn strip_compression(name: &str) -> &str {
    name.strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".zst"))
        .unwrap_or(name)
}

/// Wraps a reader in the decompressor `compression` needs.
pub fn decompress<'a>(
    reader: impl Read + Send + 'a,
    compression: Compression,
) -> io::Result<Box<dyn Read + Send + 'a>> {
    Ok(match compression {
        Compression::None => Box::new(reader),
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(reader))),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::new(reader)?),
    })
}

/// Opens a file for reading, decompressing by its extension.
pub fn open(path: &Path) -> io::Result<Box<dyn Read + Send>> {
    decompress(File::open(path)?, Compression::of(path))
}

/// A writer that compresses into `inner`; [`Encoder::finish`] must be called to complete the
/// stream.
pub enum Encoder<W: Write> {
    /// No compression.
    Plain(W),
    /// gzip.
    Gzip(flate2::write::GzEncoder<W>),
    /// zstd.
    Zstd(zstd::stream::write::Encoder<'static, W>),
}

impl<W: Write> Encoder<W> {
    /// Starts a stream of the given compression.
    pub fn new(inner: W, compression: Compression) -> io::Result<Encoder<W>> {
        Ok(match compression {
            Compression::None => Encoder::Plain(inner),
            Compression::Gzip => Encoder::Gzip(flate2::write::GzEncoder::new(
                inner,
                flate2::Compression::default(),
            )),
            Compression::Zstd => Encoder::Zstd(zstd::stream::write::Encoder::new(inner, 3)?),
        })
    }

    /// Completes the stream and returns the inner writer, flushed.
    pub fn finish(self) -> io::Result<W> {
        let mut inner = match self {
            Encoder::Plain(inner) => inner,
            Encoder::Gzip(encoder) => encoder.finish()?,
            Encoder::Zstd(encoder) => encoder.finish()?,
        };
        inner.flush()?;
        Ok(inner)
    }
}

impl<W: Write> Write for Encoder<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Encoder::Plain(inner) => inner.write(buf),
            Encoder::Gzip(encoder) => encoder.write(buf),
            Encoder::Zstd(encoder) => encoder.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Encoder::Plain(inner) => inner.flush(),
            Encoder::Gzip(encoder) => encoder.flush(),
            Encoder::Zstd(encoder) => encoder.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_compressions_round_trip() {
        for compression in [Compression::None, Compression::Gzip, Compression::Zstd] {
            let mut encoder = Encoder::new(Vec::new(), compression).unwrap();
            encoder.write_all(b"hello\nworld\n").unwrap();
            let bytes = encoder.finish().unwrap();
            let mut text = String::new();
            decompress(bytes.as_slice(), compression)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            assert_eq!(text, "hello\nworld\n", "{compression:?}");
        }
    }

    #[test]
    fn compression_follows_the_last_extension() {
        assert_eq!(Compression::of(Path::new("a.jsonl.gz")), Compression::Gzip);
        assert_eq!(Compression::of(Path::new("a.txt.zst")), Compression::Zstd);
        assert_eq!(Compression::of(Path::new("a.gz.txt")), Compression::None);
        assert_eq!(strip_compression("a.jsonl.zst"), "a.jsonl");
    }
}
