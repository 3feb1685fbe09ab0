//! Replication lag samples pushed by monitoring (SPEC §8.3); the 95th
//! percentile of the last 7 days bounds an async link's data loss (§5.4).

use super::field::{FieldError, FieldErrors};
use super::inventory::replication::ReplicationMode;
use super::inventory::RecordKey;
use super::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

/// The most samples one push may carry.
pub const MAX_SAMPLES: usize = 10_000;

/// A push as the API receives it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LagPush {
    pub service: String,
    pub mode: String,
    pub source_site: String,
    pub target_site: String,
    pub samples: Vec<SampleInput>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SampleInput {
    /// RFC 3339; the time of the push when left out.
    pub at: Option<String>,
    pub lag_seconds: f64,
}

/// A checked push: the link it is about and its samples.
#[derive(Clone, Debug, PartialEq)]
pub struct LagSamples {
    pub service: RecordKey,
    pub mode: ReplicationMode,
    pub source_site: RecordKey,
    pub target_site: RecordKey,
    pub samples: Vec<(Timestamp, f64)>,
}

impl LagSamples {
    /// The identity of the link, as [`ReplicationLink::identity`](super::inventory::replication::ReplicationLink::identity) gives it.
    pub fn identity(&self) -> String {
        format!(
            "{} {} {} -> {}",
            self.service, self.mode, self.source_site, self.target_site
        )
    }

    /// Checks a push received at `now`: samples must be finite, not
    /// negative and not from the future.
    pub fn parse(push: &LagPush, now: Timestamp) -> Result<LagSamples, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let service = e.take(RecordKey::parse_field("service", &push.service));
        let mode = e.take(ReplicationMode::parse_field("mode", &push.mode));
        let source_site = e.take(RecordKey::parse_field("source_site", &push.source_site));
        let target_site = e.take(RecordKey::parse_field("target_site", &push.target_site));
        if push.samples.is_empty() || push.samples.len() > MAX_SAMPLES {
            e.push(FieldError::new(
                "samples",
                format!("must hold 1 to {MAX_SAMPLES} samples"),
            ));
        }
        let latest = now + time::Duration::minutes(5);
        let mut samples = Vec::new();
        for (i, s) in push.samples.iter().enumerate() {
            let field = format!("samples[{i}]");
            if !(s.lag_seconds.is_finite() && s.lag_seconds >= 0.0) {
                e.push(FieldError::new(
                    &field,
                    format!("lag_seconds {} is not a number of 0 or more", s.lag_seconds),
                ));
                continue;
            }
            let at = match &s.at {
                None => now,
                Some(text) => match Timestamp::parse(text) {
                    Ok(at) if at <= latest => at,
                    Ok(_) => {
                        e.push(FieldError::new(
                            &field,
                            format!("'{text}' is in the future"),
                        ));
                        continue;
                    }
                    Err(_) => {
                        e.push(FieldError::new(
                            &field,
                            format!("'{text}' is not an RFC 3339 time"),
                        ));
                        continue;
                    }
                },
            };
            samples.push((at, s.lag_seconds));
        }
        e.finish(|| {
            Some(LagSamples {
                service: service?,
                mode: mode?,
                source_site: source_site?,
                target_site: target_site?,
                samples,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn push(samples: Vec<SampleInput>) -> LagPush {
        LagPush {
            service: "PAY-DB".into(),
            mode: "async".into(),
            source_site: "DC-A".into(),
            target_site: "DC-B".into(),
            samples,
        }
    }

    #[test]
    fn samples_are_checked_and_default_to_now() {
        let now = Timestamp::new(datetime!(2026-11-25 12:00 UTC));
        let good = LagSamples::parse(
            &push(vec![
                SampleInput {
                    at: None,
                    lag_seconds: 3.5,
                },
                SampleInput {
                    at: Some("2026-11-25T11:00:00Z".into()),
                    lag_seconds: 0.0,
                },
            ]),
            now,
        )
        .unwrap();
        assert_eq!(good.samples[0], (now, 3.5));
        assert_eq!(good.identity(), "PAY-DB async DC-A -> DC-B");
        let bad = LagSamples::parse(
            &push(vec![
                SampleInput {
                    at: None,
                    lag_seconds: -1.0,
                },
                SampleInput {
                    at: Some("tomorrow".into()),
                    lag_seconds: 1.0,
                },
                SampleInput {
                    at: Some("2026-11-26T12:00:00Z".into()),
                    lag_seconds: 1.0,
                },
            ]),
            now,
        )
        .unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["samples[0]", "samples[1]", "samples[2]"]);
        assert!(LagSamples::parse(&push(Vec::new()), now).is_err());
    }
}
