//! The tamper-evident audit chain (SPEC §6.5):
//! `hash = SHA-256(prev_hash || canonical JSON of the event)`.

use super::timestamp::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The hash that precedes the first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, before it has a place in the chain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewAuditEvent {
    pub actor: Actor,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub details: Value,
}

/// Who did it: a signed-in user, the command line, or nobody known (a
/// failed login names only what was typed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
}

impl Actor {
    pub fn user(id: i64, email: &str) -> Self {
        Actor {
            user_id: Some(id),
            name: email.to_string(),
        }
    }
    pub fn cli(os_user: &str) -> Self {
        Actor {
            user_id: None,
            name: format!("cli:{os_user}"),
        }
    }
    /// The server acting on its own: expiries, daily snapshots.
    pub fn system() -> Self {
        Actor {
            user_id: None,
            name: "system".to_string(),
        }
    }
    pub fn anonymous() -> Self {
        Actor {
            user_id: None,
            name: "anonymous".to_string(),
        }
    }
}

/// An event in its place in the chain, as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub seq: i64,
    pub at: Timestamp,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    /// Canonical JSON text, exactly as hashed.
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

impl NewAuditEvent {
    pub fn new(
        actor: Actor,
        action: &str,
        entity_type: &str,
        entity_id: Option<String>,
        details: Value,
    ) -> Self {
        NewAuditEvent {
            actor,
            action: action.into(),
            entity_type: entity_type.into(),
            entity_id,
            details,
        }
    }

    /// Gives the event its place after `prev` (sequence and hash of the
    /// chain's current head) and seals it.
    pub fn seal(self, seq: i64, at: Timestamp, prev_hash: &str) -> AuditEvent {
        let mut event = AuditEvent {
            seq,
            at,
            actor_id: self.actor.user_id,
            actor: self.actor.name,
            action: self.action,
            entity_type: self.entity_type,
            entity_id: self.entity_id,
            details: canonical_json(&self.details),
            prev_hash: prev_hash.to_string(),
            hash: String::new(),
        };
        event.hash = event.compute_hash();
        event
    }
}

impl AuditEvent {
    /// The canonical JSON of everything but the hashes: keys sorted, no
    /// white space.
    pub fn canonical(&self) -> String {
        let details: Value =
            serde_json::from_str(&self.details).unwrap_or(Value::String(self.details.clone()));
        canonical_json(&json!({
            "seq": self.seq,
            "at": self.at.to_string(),
            "actor_id": self.actor_id,
            "actor": self.actor,
            "action": self.action,
            "entity_type": self.entity_type,
            "entity_id": self.entity_id,
            "details": details,
        }))
    }

    pub fn compute_hash(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.prev_hash.as_bytes());
        hasher.update(self.canonical().as_bytes());
        hex::encode(hasher.finalize())
    }
}

/// serde_json's maps are ordered by key (no `preserve_order`), so its
/// compact form is canonical.
pub fn canonical_json(value: &Value) -> String {
    value.to_string()
}

/// Why a chain does not verify, naming the first bad event.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ChainBreak {
    #[error(
        "event {seq}: expected sequence number {expected} (an event was deleted or reordered)"
    )]
    Gap { seq: i64, expected: i64 },
    #[error("event {seq}: its previous hash does not match event {prev}'s hash (an event was deleted, inserted or reordered)")]
    Link { seq: i64, prev: i64 },
    #[error("event {seq}: its content does not match its hash (the event was edited)")]
    Content { seq: i64 },
}

impl ChainBreak {
    pub fn seq(&self) -> i64 {
        match self {
            ChainBreak::Gap { seq, .. }
            | ChainBreak::Link { seq, .. }
            | ChainBreak::Content { seq } => *seq,
        }
    }
}

/// The outcome of walking the whole chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainStatus {
    pub checked: u64,
    pub head_hash: String,
    pub broken: Option<ChainBreak>,
}

/// Walks the chain incrementally: feed events in sequence order.
#[derive(Clone, Debug)]
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
    /// Events checked so far.
    pub checked: u64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier {
            expected_seq: 1,
            prev_hash: GENESIS_HASH.to_string(),
            checked: 0,
        }
    }
}

impl ChainVerifier {
    pub fn check(&mut self, event: &AuditEvent) -> Result<(), ChainBreak> {
        if event.seq != self.expected_seq {
            return Err(ChainBreak::Gap {
                seq: event.seq,
                expected: self.expected_seq,
            });
        }
        if event.prev_hash != self.prev_hash {
            return Err(ChainBreak::Link {
                seq: event.seq,
                prev: event.seq - 1,
            });
        }
        if event.compute_hash() != event.hash {
            return Err(ChainBreak::Content { seq: event.seq });
        }
        self.expected_seq += 1;
        self.prev_hash = event.hash.clone();
        self.checked += 1;
        Ok(())
    }

    /// The head hash after the events checked so far.
    pub fn head(&self) -> &str {
        &self.prev_hash
    }
}

/// Verifies a whole chain held in memory.
pub fn verify_chain<'a>(
    events: impl IntoIterator<Item = &'a AuditEvent>,
) -> Result<u64, ChainBreak> {
    let mut verifier = ChainVerifier::default();
    for event in events {
        verifier.check(event)?;
    }
    Ok(verifier.checked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn chain(n: i64) -> Vec<AuditEvent> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let at =
                    Timestamp::new(datetime!(2026-11-25 10:00 UTC) + time::Duration::seconds(seq));
                let e = NewAuditEvent::new(
                    Actor::user(1, "a@example.com"),
                    "login",
                    "user",
                    Some("1".into()),
                    json!({"b": 2, "a": [1, seq]}),
                )
                .seal(seq, at, &prev);
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    #[test]
    fn canonical_json_sorts_keys_and_drops_spaces() {
        let v: Value = serde_json::from_str(r#"{ "b": 1, "a": {"d": 2, "c": 3} }"#).unwrap();
        assert_eq!(canonical_json(&v), r#"{"a":{"c":3,"d":2},"b":1}"#);
    }

    #[test]
    fn hash_follows_the_spec_formula() {
        let e = &chain(1)[0];
        let mut h = Sha256::new();
        h.update(GENESIS_HASH.as_bytes());
        h.update(e.canonical().as_bytes());
        assert_eq!(e.hash, hex::encode(h.finalize()));
        assert!(e
            .canonical()
            .starts_with(r#"{"action":"login","actor":"a@example.com""#));
    }

    #[test]
    fn an_untouched_chain_verifies() {
        assert_eq!(verify_chain(&chain(5)), Ok(5));
        assert_eq!(verify_chain(&[]), Ok(0));
    }

    #[test]
    fn an_edited_event_is_named() {
        let mut c = chain(5);
        c[2].details = r#"{"a":[1,99],"b":2}"#.into();
        assert_eq!(verify_chain(&c), Err(ChainBreak::Content { seq: 3 }));
    }

    #[test]
    fn an_edited_actor_is_named_even_with_a_recomputed_hash() {
        let mut c = chain(5);
        c[1].actor = "mallory@example.com".into();
        c[1].hash = c[1].compute_hash();
        assert_eq!(verify_chain(&c), Err(ChainBreak::Link { seq: 3, prev: 2 }));
    }

    #[test]
    fn a_deleted_event_is_named() {
        let mut c = chain(5);
        c.remove(3);
        assert_eq!(
            verify_chain(&c),
            Err(ChainBreak::Gap {
                seq: 5,
                expected: 4
            })
        );
    }

    #[test]
    fn reordered_events_are_named() {
        let mut c = chain(5);
        c.swap(1, 2);
        assert_eq!(verify_chain(&c).map_err(|e| e.seq()), Err(3));
    }

    #[test]
    fn a_renumbered_chain_still_fails_on_links() {
        let mut c = chain(5);
        c.remove(1);
        for (i, e) in c.iter_mut().enumerate() {
            e.seq = i as i64 + 1;
        }
        assert_eq!(verify_chain(&c).map_err(|e| e.seq()), Err(2));
    }
}
