//! Replication links: how a service's data reaches another site (seed
//! module 3), which bounds the data a failover loses (SPEC §5.4). A link
//! belongs to its service and is kept in the service's history.

use super::service::{optional_count, parse_bool};
use super::RecordKey;
use crate::domain::field::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use std::fmt;

named_enum!(ReplicationMode, "replication mode" {
    Sync => "sync",
    Async => "async",
    LogShipping => "log_shipping",
    Cdc => "cdc",
    Snapshot => "snapshot",
    Backup => "backup",
});

impl ReplicationMode {
    /// Modes that copy on a schedule, every `interval_minutes`.
    pub fn is_periodic(self) -> bool {
        matches!(self, ReplicationMode::Snapshot | ReplicationMode::Backup)
    }

    /// Modes that trail the source by a lag.
    pub fn lags(self) -> bool {
        matches!(
            self,
            ReplicationMode::Async | ReplicationMode::LogShipping | ReplicationMode::Cdc
        )
    }
}

/// A daily window in UTC, `HH:MM-HH:MM`; it may run past midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyWindow {
    /// Minutes after midnight.
    pub start: u16,
    pub end: u16,
}

const DAY_MINUTES: u16 = 24 * 60;

impl DailyWindow {
    pub fn parse_field(field: &str, raw: &str) -> Result<DailyWindow, FieldError> {
        let bad = || {
            FieldError::new(
                field,
                format!("'{}' is not a window like 01:00-03:30 (UTC)", raw.trim()),
            )
        };
        let minutes = |hhmm: &str| -> Option<u16> {
            let (h, m) = hhmm.trim().split_once(':')?;
            let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
            (h < 24 && m < 60).then_some(h * 60 + m)
        };
        let (start, end) = raw.split_once('-').ok_or_else(bad)?;
        let (start, end) = (
            minutes(start).ok_or_else(bad)?,
            minutes(end).ok_or_else(bad)?,
        );
        if start == end {
            return Err(FieldError::new(
                field,
                "must not start and end at the same time",
            ));
        }
        Ok(DailyWindow { start, end })
    }

    /// The minutes of the day it covers, as ranges within one day.
    fn spans(self) -> Vec<(u16, u16)> {
        if self.start < self.end {
            vec![(self.start, self.end)]
        } else {
            vec![(self.start, DAY_MINUTES), (0, self.end)]
        }
    }

    /// Whether the two windows share any minute of the day.
    pub fn overlaps(self, other: DailyWindow) -> bool {
        self.spans()
            .iter()
            .any(|a| other.spans().iter().any(|b| a.0 < b.1 && b.0 < a.1))
    }
}

impl fmt::Display for DailyWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hhmm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
        write!(f, "{}-{}", hhmm(self.start), hhmm(self.end))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplicationLink {
    pub service: RecordKey,
    pub mode: ReplicationMode,
    pub source_site: RecordKey,
    pub target_site: RecordKey,
    /// How often a snapshot or backup is taken.
    pub interval_minutes: Option<u32>,
    /// How far an async, log-shipping or CDC copy usually trails.
    pub expected_lag_seconds: Option<u32>,
    pub encrypted_in_transit: bool,
    pub encrypted_at_rest: bool,
    /// When backups run, so that drills and other jobs can avoid it.
    pub backup_window: Option<DailyWindow>,
}

/// A link as typed in a form or a `replication.csv` row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReplicationInput {
    pub service: String,
    pub mode: String,
    pub source_site: String,
    pub target_site: String,
    pub interval_minutes: String,
    pub expected_lag_seconds: String,
    pub encrypted_in_transit: String,
    pub encrypted_at_rest: String,
    pub backup_window: String,
}

impl ReplicationLink {
    /// Checks every field and reports every problem. Whether the service
    /// and sites exist is for the use case to check.
    pub fn parse(input: &ReplicationInput) -> Result<ReplicationLink, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let service = e.take(RecordKey::parse_field("service", &input.service));
        let mode = e.take(ReplicationMode::parse_field("mode", &input.mode));
        let source_site = e.take(RecordKey::parse_field("source_site", &input.source_site));
        let target_site = e.take(RecordKey::parse_field("target_site", &input.target_site));
        let interval_minutes = e.take(optional_count("interval_minutes", &input.interval_minutes));
        let expected_lag_seconds = e.take(optional_count(
            "expected_lag_seconds",
            &input.expected_lag_seconds,
        ));
        let encrypted_in_transit = e.take(parse_bool(
            "encrypted_in_transit",
            &input.encrypted_in_transit,
        ));
        let encrypted_at_rest = e.take(parse_bool("encrypted_at_rest", &input.encrypted_at_rest));
        let backup_window = e.take(match input.backup_window.trim() {
            "" => Ok(None),
            raw => DailyWindow::parse_field("backup_window", raw).map(Some),
        });
        if source_site.is_some() && source_site == target_site {
            e.push(FieldError::new(
                "target_site",
                "must differ from the source site",
            ));
        }
        if let (Some(mode), Some(interval), Some(lag)) =
            (mode, interval_minutes, expected_lag_seconds)
        {
            for error in mode_errors(mode, interval, lag) {
                e.push(error);
            }
        }
        e.finish(|| {
            Some(ReplicationLink {
                service: service?,
                mode: mode?,
                source_site: source_site?,
                target_site: target_site?,
                interval_minutes: interval_minutes?,
                expected_lag_seconds: expected_lag_seconds?,
                encrypted_in_transit: encrypted_in_transit?,
                encrypted_at_rest: encrypted_at_rest?,
                backup_window: backup_window?,
            })
        })
    }
}

/// What each mode needs for its achievable RPO to be known (SPEC §5.4),
/// and refuses what it cannot use.
fn mode_errors(mode: ReplicationMode, interval: Option<u32>, lag: Option<u32>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    match (mode.is_periodic(), interval) {
        (true, None | Some(0)) => errors.push(FieldError::new(
            "interval_minutes",
            format!("a {mode} link needs how many minutes apart copies are taken"),
        )),
        (false, Some(_)) => errors.push(FieldError::new(
            "interval_minutes",
            format!("only snapshot and backup links have an interval, not {mode}"),
        )),
        _ => {}
    }
    match (mode.lags(), lag) {
        (true, None) => errors.push(FieldError::new(
            "expected_lag_seconds",
            format!("a {mode} link needs its expected lag"),
        )),
        (false, Some(_)) => errors.push(FieldError::new(
            "expected_lag_seconds",
            format!("only async, log_shipping and cdc links have a lag, not {mode}"),
        )),
        _ => {}
    }
    errors
}

impl ReplicationLink {
    /// What makes a link this one: its service, mode and the two sites.
    pub fn identity(&self) -> String {
        format!(
            "{} {} {} -> {}",
            self.service, self.mode, self.source_site, self.target_site
        )
    }

    /// This link as imported over `existing`, keeping its backup window,
    /// which `replication.csv` does not carry.
    pub fn merged_over(self, existing: &ReplicationLink) -> ReplicationLink {
        ReplicationLink {
            backup_window: existing.backup_window,
            ..self
        }
    }

    pub fn to_input(&self) -> ReplicationInput {
        let number = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
        ReplicationInput {
            service: self.service.to_string(),
            mode: self.mode.to_string(),
            source_site: self.source_site.to_string(),
            target_site: self.target_site.to_string(),
            interval_minutes: number(self.interval_minutes),
            expected_lag_seconds: number(self.expected_lag_seconds),
            encrypted_in_transit: self.encrypted_in_transit.to_string(),
            encrypted_at_rest: self.encrypted_at_rest.to_string(),
            backup_window: self
                .backup_window
                .map(|w| w.to_string())
                .unwrap_or_default(),
        }
    }

    /// The history field under which its service keeps this link.
    pub fn history_field(&self) -> String {
        format!(
            "replication {} {} -> {}",
            self.mode, self.source_site, self.target_site
        )
    }

    /// How the link reads in its service's history and page.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(m) = self.interval_minutes {
            parts.push(format!("every {m} min"));
        }
        if let Some(s) = self.expected_lag_seconds {
            parts.push(format!("lag {s} s"));
        }
        let encryption = match (self.encrypted_in_transit, self.encrypted_at_rest) {
            (true, true) => "encrypted in transit and at rest",
            (true, false) => "encrypted in transit only",
            (false, true) => "encrypted at rest only",
            (false, false) => "not encrypted",
        };
        parts.push(encryption.to_string());
        if let Some(w) = self.backup_window {
            parts.push(format!("backups {w} UTC"));
        }
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(mode: &str) -> ReplicationInput {
        ReplicationInput {
            service: "PAY-DB".into(),
            mode: mode.into(),
            source_site: "DC-FRA".into(),
            target_site: "DC-AMS".into(),
            encrypted_in_transit: "true".into(),
            encrypted_at_rest: "false".into(),
            ..ReplicationInput::default()
        }
    }

    fn fields(input: &ReplicationInput) -> Vec<String> {
        ReplicationLink::parse(input)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn each_mode_needs_what_bounds_its_data_loss() {
        assert!(ReplicationLink::parse(&input("sync")).is_ok());
        assert_eq!(fields(&input("async")), ["expected_lag_seconds"]);
        assert_eq!(fields(&input("backup")), ["interval_minutes"]);
        let backup = ReplicationInput {
            interval_minutes: "1440".into(),
            backup_window: "23:00-02:00".into(),
            ..input("backup")
        };
        let link = ReplicationLink::parse(&backup).unwrap();
        assert_eq!(
            link.describe(),
            "every 1440 min, encrypted in transit only, backups 23:00-02:00 UTC"
        );
        let sync_with_interval = ReplicationInput {
            interval_minutes: "5".into(),
            ..input("sync")
        };
        assert_eq!(fields(&sync_with_interval), ["interval_minutes"]);
    }

    #[test]
    fn every_bad_field_is_reported() {
        let bad = ReplicationInput {
            mode: "carrier_pigeon".into(),
            target_site: "DC-FRA".into(),
            encrypted_at_rest: "yes".into(),
            backup_window: "25:00-01:00".into(),
            ..input("sync")
        };
        assert_eq!(
            fields(&bad),
            ["mode", "encrypted_at_rest", "backup_window", "target_site"]
        );
    }

    #[test]
    fn a_link_round_trips_and_an_import_keeps_its_backup_window() {
        let stored = ReplicationLink::parse(&ReplicationInput {
            expected_lag_seconds: "30".into(),
            backup_window: "01:00-03:00".into(),
            ..input("cdc")
        })
        .unwrap();
        assert_eq!(
            ReplicationLink::parse(&stored.to_input()),
            Ok(stored.clone())
        );
        let row = ReplicationLink::parse(&ReplicationInput {
            expected_lag_seconds: "45".into(),
            ..input("cdc")
        })
        .unwrap();
        let merged = row.merged_over(&stored);
        assert_eq!(merged.expected_lag_seconds, Some(45));
        assert_eq!(merged.backup_window, stored.backup_window);
    }

    #[test]
    fn windows_overlap_across_midnight() {
        let w = |s: &str| DailyWindow::parse_field("w", s).unwrap();
        assert!(w("23:00-02:00").overlaps(w("01:00-01:30")));
        assert!(w("01:00-03:00").overlaps(w("02:59-04:00")));
        assert!(!w("01:00-03:00").overlaps(w("03:00-04:00")));
        assert!(!w("22:00-23:00").overlaps(w("23:30-00:30")));
        assert_eq!(w("7:05-9:00").to_string(), "07:05-09:00");
        assert!(DailyWindow::parse_field("w", "01:00-01:00").is_err());
        assert!(DailyWindow::parse_field("w", "1am-3am").is_err());
    }
}
