//! The evidence pack as one zip archive: written from named files, and
//! read back into them for verification.

use std::collections::BTreeMap;
use std::io::{Cursor, Read as _, Write as _};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// The files, in order, as a zip archive.
pub fn write(files: &[(String, Vec<u8>)]) -> anyhow::Result<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(name.as_str(), options)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// What an archive holds.
pub struct Contents {
    /// The files that read back, by name.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Entries that did not (a changed byte breaks their checksum): the
    /// name and why.
    pub damaged: Vec<(String, String)>,
}

/// The archive's files by name, and the entries that do not read back.
pub fn read(bytes: &[u8]) -> Result<Contents, String> {
    let mut zip =
        ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("not a zip archive ({e})"))?;
    let mut files = BTreeMap::new();
    let mut damaged = Vec::new();
    for i in 0..zip.len() {
        let mut entry = match zip.by_index(i) {
            Ok(entry) => entry,
            Err(e) => {
                damaged.push((format!("entry {i}"), format!("does not read ({e})")));
                continue;
            }
        };
        let name = entry.name().to_string();
        let mut content = Vec::new();
        match entry.read_to_end(&mut content) {
            Ok(_) => {
                files.insert(name, content);
            }
            Err(e) => damaged.push((name, format!("damaged in the archive ({e})"))),
        }
    }
    Ok(Contents { files, damaged })
}

#[cfg(test)]
mod tests {
    #[test]
    fn files_survive_the_round_trip_and_a_flipped_byte_is_named() {
        let text = "seq,action\n".repeat(50);
        let files = vec![
            ("a.csv".to_string(), text.clone().into_bytes()),
            ("b.json".to_string(), b"{}".to_vec()),
        ];
        let mut bytes = super::write(&files).unwrap();
        let read = super::read(&bytes).unwrap();
        assert!(read.damaged.is_empty());
        assert_eq!(read.files["a.csv"], text.as_bytes());
        // The first entry's data starts after its 30-byte header and name.
        bytes[30 + "a.csv".len() + 2] ^= 0xff;
        let damaged = super::read(&bytes).unwrap().damaged;
        assert_eq!(damaged[0].0, "a.csv", "{damaged:?}");
        assert!(damaged[0].1.starts_with("damaged in the archive"));
        assert!(super::read(b"not a zip").is_err());
    }
}
