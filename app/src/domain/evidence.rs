//! The audit evidence pack's manifest (SPEC §7): the SHA-256 of every
//! artefact, signed with the server's Ed25519 key, and the check that
//! says which file changed. Pure: it works on bytes, the archive is read
//! and written elsewhere. Server-only, so the browser build carries no
//! signature code.

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

pub const MANIFEST: &str = "manifest.json";
pub const SIGNATURE: &str = "manifest.sig";
const FORMAT: &str = "continuity-evidence/1";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub name: String,
    pub sha256: String,
    pub bytes: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub generated_at: String,
    /// The period covered, inclusive, as `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
    /// Hex of the Ed25519 key that signs it.
    pub public_key: String,
    pub files: Vec<Entry>,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A key's public half as hex, as the portal shows it.
pub fn public_hex(key: &SigningKey) -> String {
    hex::encode(key.verifying_key().as_bytes())
}

/// The manifest of `files` and its signature, both as the bytes that go
/// into the archive.
pub fn seal(
    files: &[(String, Vec<u8>)],
    from: time::Date,
    to: time::Date,
    generated_at: &str,
    key: &SigningKey,
) -> (Vec<u8>, Vec<u8>) {
    let manifest = Manifest {
        format: FORMAT.into(),
        generated_at: generated_at.into(),
        from: super::timestamp::format_date(from),
        to: super::timestamp::format_date(to),
        public_key: public_hex(key),
        files: files
            .iter()
            .map(|(name, bytes)| Entry {
                name: name.clone(),
                sha256: sha256_hex(bytes),
                bytes: bytes.len(),
            })
            .collect(),
    };
    let json = serde_json::to_vec_pretty(&manifest).expect("a manifest serialises");
    let signature = hex::encode(key.sign(&json).to_bytes()).into_bytes();
    (json, signature)
}

/// What checking an archive found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub manifest: Manifest,
    pub files: usize,
}

fn key_from_hex(text: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = hex::decode(text.trim()).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// Reads a public key given as hex; the error names what is wrong.
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, String> {
    key_from_hex(text).ok_or_else(|| "not an Ed25519 public key (64 hex digits)".to_string())
}

/// Checks every file of an archive against its manifest and the
/// manifest's signature against `trusted` (the installation's key;
/// without one, the key the manifest names). Every problem names its
/// file.
pub fn verify(
    files: &BTreeMap<String, Vec<u8>>,
    trusted: Option<&VerifyingKey>,
) -> Result<Verified, Vec<String>> {
    let Some(json) = files.get(MANIFEST) else {
        return Err(vec![format!("{MANIFEST}: missing from the archive")]);
    };
    let manifest: Manifest = serde_json::from_slice(json)
        .map_err(|e| vec![format!("{MANIFEST}: does not read ({e})")])?;
    let mut problems = Vec::new();
    match signature_problem(&manifest, json, files.get(SIGNATURE), trusted) {
        Some(problem) => problems.push(problem),
        None if manifest.format != FORMAT => {
            problems.push(format!("{MANIFEST}: unknown format '{}'", manifest.format))
        }
        None => {}
    }
    for entry in &manifest.files {
        match files.get(&entry.name) {
            None => problems.push(format!(
                "{}: listed in the manifest but missing from the archive",
                entry.name
            )),
            Some(bytes) => {
                let actual = sha256_hex(bytes);
                if actual != entry.sha256 {
                    problems.push(format!(
                        "{}: changed after signing (SHA-256 {actual}, the manifest says {})",
                        entry.name, entry.sha256
                    ));
                }
            }
        }
    }
    for name in files.keys() {
        let listed = manifest.files.iter().any(|e| &e.name == name);
        if !listed && name != MANIFEST && name != SIGNATURE {
            problems.push(format!("{name}: in the archive but not in the manifest"));
        }
    }
    if problems.is_empty() {
        Ok(Verified {
            files: manifest.files.len(),
            manifest,
        })
    } else {
        Err(problems)
    }
}

fn signature_problem(
    manifest: &Manifest,
    json: &[u8],
    signature: Option<&Vec<u8>>,
    trusted: Option<&VerifyingKey>,
) -> Option<String> {
    let Some(signature) = signature else {
        return Some(format!("{SIGNATURE}: missing from the archive"));
    };
    let named = key_from_hex(&manifest.public_key);
    let key = match (trusted, named) {
        (Some(t), Some(n)) if t != &n => {
            return Some(format!(
                "{MANIFEST}: signed by key {}, not by this installation's key {}",
                manifest.public_key,
                hex::encode(t.as_bytes())
            ))
        }
        (Some(t), _) => *t,
        (None, Some(n)) => n,
        (None, None) => return Some(format!("{MANIFEST}: public_key is not an Ed25519 key")),
    };
    let bytes: Option<[u8; 64]> = std::str::from_utf8(signature)
        .ok()
        .and_then(|s| hex::decode(s.trim()).ok())
        .and_then(|b| b.try_into().ok());
    let Some(bytes) = bytes else {
        return Some(format!("{SIGNATURE}: not an Ed25519 signature"));
    };
    key.verify_strict(json, &Signature::from_bytes(&bytes))
        .err()
        .map(|_| {
            format!(
                "{MANIFEST}: the signature does not match (the manifest was changed after signing)"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn archive(k: &SigningKey) -> BTreeMap<String, Vec<u8>> {
        let files = vec![
            ("drills.json".to_string(), b"[1, 2]".to_vec()),
            ("users.csv".to_string(), b"email,role\n".to_vec()),
        ];
        let (manifest, signature) = seal(
            &files,
            date!(2026 - 07 - 01),
            date!(2026 - 09 - 30),
            "2026-11-26T10:00:00Z",
            k,
        );
        let mut all: BTreeMap<String, Vec<u8>> = files.into_iter().collect();
        all.insert(MANIFEST.into(), manifest);
        all.insert(SIGNATURE.into(), signature);
        all
    }

    #[test]
    fn a_sealed_archive_verifies() {
        let k = key(1);
        let v = verify(&archive(&k), Some(&k.verifying_key())).unwrap();
        assert_eq!(v.files, 2);
        assert_eq!(v.manifest.from, "2026-07-01");
        assert!(verify(&archive(&k), None).is_ok());
    }

    #[test]
    fn a_changed_byte_names_its_file() {
        let k = key(1);
        let mut a = archive(&k);
        a.get_mut("users.csv").unwrap()[0] ^= 1;
        let problems = verify(&a, Some(&k.verifying_key())).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("users.csv: changed after signing"));
    }

    #[test]
    fn missing_extra_and_resigned_files_are_named() {
        let k = key(1);
        let mut a = archive(&k);
        a.remove("drills.json");
        a.insert("extra.txt".into(), vec![]);
        let problems = verify(&a, Some(&k.verifying_key())).unwrap_err();
        assert!(problems[0].starts_with("drills.json: listed in the manifest but missing"));
        assert!(problems[1].starts_with("extra.txt: in the archive but not"));

        let forged = archive(&key(2));
        let problems = verify(&forged, Some(&k.verifying_key())).unwrap_err();
        assert!(problems[0].contains("not by this installation's key"));
    }

    #[test]
    fn an_edited_manifest_breaks_the_signature() {
        let k = key(1);
        let mut a = archive(&k);
        let text = String::from_utf8(a[MANIFEST].clone()).unwrap();
        a.insert(
            MANIFEST.into(),
            text.replace("2026-07-01", "2026-06-01").into_bytes(),
        );
        let problems = verify(&a, Some(&k.verifying_key())).unwrap_err();
        assert!(problems[0].starts_with("manifest.json: the signature does not match"));
        assert!(parse_public_key("abc").is_err());
    }
}
