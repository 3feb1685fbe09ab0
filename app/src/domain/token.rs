//! API tokens: a secret shown once, kept only as its SHA-256. The secret
//! is long and random, so a fast hash is enough to make a stolen table
//! useless.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What every secret starts with, so that leaked tokens are easy to find.
pub const PREFIX: &str = "ct_";

/// The stored form of a secret.
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.trim().as_bytes()))
}

/// A secret from 32 random bytes.
pub fn secret_from(random: [u8; 32]) -> String {
    format!("{PREFIX}{}", hex::encode(random))
}

/// A token as the users page lists it: never the secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: i64,
    pub user_email: String,
    pub name: String,
    pub created_at: super::timestamp::Timestamp,
    pub revoked: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_prefixed_and_hashes_do_not_show_them() {
        let secret = secret_from([7; 32]);
        assert!(secret.starts_with("ct_") && secret.len() == 67);
        let h = hash(&secret);
        assert_eq!(h.len(), 64);
        assert!(!h.contains(&secret[3..]));
        assert_eq!(
            hash(&format!(" {secret}\n")),
            h,
            "surrounding blanks do not count"
        );
        assert_ne!(hash(&secret_from([8; 32])), h);
    }
}
