//! Business impact analysis (SPEC §3, §6.1): per business process and
//! versioned, how badly an outage hurts over time, and the targets that
//! follow: MTPD, RTO, RPO and the minimum business continuity objective.

use super::approval::{self, next_version, Approval};
use super::field::{optional_text, FieldError, FieldErrors};
use super::inventory::service::parse_count;
use super::inventory::RecordKey;
use super::timestamp::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

named_enum!(ImpactCategory, "impact category" {
    Financial => "financial",
    Operational => "operational",
    LegalRegulatory => "legal_regulatory",
    Reputational => "reputational",
    Safety => "safety",
});

pub use super::approval::ApprovalStatus;

/// The moments an outage's impact is rated at, in minutes.
pub const HORIZONS: [(u32, &str); 5] = [
    (60, "1 h"),
    (240, "4 h"),
    (1440, "24 h"),
    (4320, "72 h"),
    (10080, "1 week"),
];

/// Ratings run from 0 (none) to 4 (severe).
pub const MAX_RATING: u8 = 4;

/// The ratings, by category then horizon.
pub type Impacts = [[u8; HORIZONS.len()]; ImpactCategory::ALL.len()];

/// The form name of one rating: `financial_60`.
pub fn impact_field(category: ImpactCategory, minutes: u32) -> String {
    format!("{category}_{minutes}")
}

/// The targets and ratings of one BIA version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BiaTargets {
    pub impacts: Impacts,
    pub mtpd_minutes: u32,
    pub rto_minutes: u32,
    pub rpo_minutes: u32,
    pub mbco: String,
}

/// A stored BIA version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bia {
    pub process: RecordKey,
    pub version: u32,
    pub targets: BiaTargets,
    pub status: ApprovalStatus,
    pub approval: Approval,
}

/// A BIA as typed in the grid form: each rating under its
/// [`impact_field`] name; missing ratings are 0.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BiaInput {
    pub mtpd_minutes: String,
    pub rto_minutes: String,
    pub rpo_minutes: String,
    pub mbco: String,
    pub impacts: BTreeMap<String, String>,
}

fn required_minutes(field: &str, raw: &str) -> Result<u32, FieldError> {
    if raw.trim().is_empty() {
        return Err(FieldError::new(field, "is required"));
    }
    parse_count(field, raw)
}

impl BiaTargets {
    /// Checks every field, and that the RTO fits within the MTPD.
    pub fn parse(input: &BiaInput) -> Result<BiaTargets, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let mtpd = e.take(required_minutes("mtpd_minutes", &input.mtpd_minutes));
        let rto = e.take(required_minutes("rto_minutes", &input.rto_minutes));
        let rpo = e.take(required_minutes("rpo_minutes", &input.rpo_minutes));
        let mbco = e.take(optional_text("mbco", &input.mbco, 2000));
        let mut impacts: Impacts = Default::default();
        for (c, category) in ImpactCategory::ALL.iter().enumerate() {
            for (h, (minutes, _)) in HORIZONS.iter().enumerate() {
                let name = impact_field(*category, *minutes);
                let raw = input.impacts.get(&name).map(|s| s.trim()).unwrap_or("");
                match raw.parse::<u8>() {
                    _ if raw.is_empty() => {}
                    Ok(r) if r <= MAX_RATING => impacts[c][h] = r,
                    _ => e.push(FieldError::new(
                        &name,
                        format!("'{raw}' is not a rating from 0 to {MAX_RATING}"),
                    )),
                }
            }
        }
        if let (Some(rto), Some(mtpd)) = (rto, mtpd) {
            if rto > mtpd {
                e.push(FieldError::new(
                    "rto_minutes",
                    format!("the RTO ({rto} min) must not exceed the MTPD ({mtpd} min)"),
                ));
            }
        }
        e.finish(|| {
            Some(BiaTargets {
                impacts,
                mtpd_minutes: mtpd?,
                rto_minutes: rto?,
                rpo_minutes: rpo?,
                mbco: mbco?,
            })
        })
    }

    pub fn to_input(&self) -> BiaInput {
        let mut impacts = BTreeMap::new();
        for (c, category) in ImpactCategory::ALL.iter().enumerate() {
            for (h, (minutes, _)) in HORIZONS.iter().enumerate() {
                impacts.insert(
                    impact_field(*category, *minutes),
                    self.impacts[c][h].to_string(),
                );
            }
        }
        BiaInput {
            mtpd_minutes: self.mtpd_minutes.to_string(),
            rto_minutes: self.rto_minutes.to_string(),
            rpo_minutes: self.rpo_minutes.to_string(),
            mbco: self.mbco.clone(),
            impacts,
        }
    }

    /// The ratings as stored: 25 digits, category by category.
    pub fn impacts_text(&self) -> String {
        self.impacts
            .iter()
            .flat_map(|row| row.iter().map(|r| char::from(b'0' + r)))
            .collect()
    }

    /// Reads [`impacts_text`](Self::impacts_text).
    pub fn parse_impacts(text: &str) -> Option<Impacts> {
        let digits: Vec<u8> = text.bytes().map(|b| b.wrapping_sub(b'0')).collect();
        if digits.len() != HORIZONS.len() * ImpactCategory::ALL.len()
            || digits.iter().any(|d| *d > MAX_RATING)
        {
            return None;
        }
        let mut impacts: Impacts = Default::default();
        for (i, d) in digits.into_iter().enumerate() {
            impacts[i / HORIZONS.len()][i % HORIZONS.len()] = d;
        }
        Some(impacts)
    }

    /// Named fields for the change history.
    pub fn fields(&self) -> crate::domain::history::Fields {
        vec![
            ("mtpd_minutes", self.mtpd_minutes.to_string()),
            ("rto_minutes", self.rto_minutes.to_string()),
            ("rpo_minutes", self.rpo_minutes.to_string()),
            ("mbco", self.mbco.clone()),
            ("impacts", self.impacts_text()),
        ]
    }

    /// The first horizon at which any category reaches `rating`: where the
    /// impact becomes that severe.
    pub fn first_reaching(&self, rating: u8) -> Option<u32> {
        HORIZONS
            .iter()
            .enumerate()
            .find(|(h, _)| self.impacts.iter().any(|row| row[*h] >= rating))
            .map(|(_, (minutes, _))| *minutes)
    }
}

/// A `bia.csv` row as read: text, not yet checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BiaRowInput {
    pub process: String,
    pub rto_minutes: String,
    pub rpo_minutes: String,
    pub mtpd_minutes: String,
    pub mbco: String,
    pub status: String,
}

/// A checked `bia.csv` row: the targets of a process's newest version.
/// The file carries no impact ratings; an import keeps the stored ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BiaLine {
    pub process: RecordKey,
    pub targets: BiaTargets,
    pub status: ApprovalStatus,
}

impl BiaLine {
    pub fn parse(row: &BiaRowInput) -> Result<BiaLine, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let process = e.take(RecordKey::parse_field("process", &row.process));
        let targets = e.take_all(BiaTargets::parse(&BiaInput {
            mtpd_minutes: row.mtpd_minutes.clone(),
            rto_minutes: row.rto_minutes.clone(),
            rpo_minutes: row.rpo_minutes.clone(),
            mbco: row.mbco.clone(),
            impacts: BTreeMap::new(),
        }));
        let status = e.take(match row.status.trim() {
            "" => Ok(ApprovalStatus::Draft),
            s => ApprovalStatus::parse_field("status", s),
        });
        e.finish(|| {
            Some(BiaLine {
                process: process?,
                targets: targets?,
                status: status?,
            })
        })
    }

    /// Whether `stored` already says what this row says.
    pub fn matches(&self, stored: &Bia) -> bool {
        let (a, b) = (&self.targets, &stored.targets);
        self.status == stored.status
            && (a.rto_minutes, a.rpo_minutes, a.mtpd_minutes, &a.mbco)
                == (b.rto_minutes, b.rpo_minutes, b.mtpd_minutes, &b.mbco)
    }
}

impl Bia {
    /// The version as a `bia.csv` row.
    pub fn to_row(&self) -> BiaRowInput {
        let t = &self.targets;
        BiaRowInput {
            process: self.process.to_string(),
            rto_minutes: t.rto_minutes.to_string(),
            rpo_minutes: t.rpo_minutes.to_string(),
            mtpd_minutes: t.mtpd_minutes.to_string(),
            mbco: t.mbco.clone(),
            status: self.status.to_string(),
        }
    }
}

/// The version that saving `targets` over `latest` stores: the draft
/// changed in place, or a new draft after an approved version.
pub fn saved(process: &RecordKey, latest: Option<&Bia>, targets: BiaTargets) -> Bia {
    Bia {
        process: process.clone(),
        version: next_version(latest.map(|b| (b.version, b.status))),
        targets,
        status: ApprovalStatus::Draft,
        approval: Approval::default(),
    }
}

/// `draft` approved by `by` at `at`, due for review a year later.
pub fn approved(draft: &Bia, by: &str, at: Timestamp) -> Bia {
    Bia {
        status: ApprovalStatus::Approved,
        approval: Approval::given(by, at),
        ..draft.clone()
    }
}

/// Whether an approved BIA's review is overdue on `today`.
pub fn review_overdue(bia: &Bia, today: time::Date) -> bool {
    approval::review_overdue(bia.status, bia.approval.next_review_due, today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn input() -> BiaInput {
        let mut impacts = BTreeMap::new();
        impacts.insert("financial_240".into(), "3".into());
        impacts.insert("safety_10080".into(), "1".into());
        BiaInput {
            mtpd_minutes: "480".into(),
            rto_minutes: "240".into(),
            rpo_minutes: "15".into(),
            mbco: "Card payments at 50 %".into(),
            impacts,
        }
    }

    #[test]
    fn the_grid_round_trips_and_missing_ratings_are_zero() {
        let t = BiaTargets::parse(&input()).unwrap();
        assert_eq!(t.impacts[0][1], 3);
        assert_eq!(t.impacts[4][4], 1);
        assert_eq!(t.impacts[2][2], 0);
        assert_eq!(BiaTargets::parse(&t.to_input()), Ok(t.clone()));
        assert_eq!(
            BiaTargets::parse_impacts(&t.impacts_text()),
            Some(t.impacts)
        );
        assert_eq!(t.first_reaching(3), Some(240));
        assert_eq!(t.first_reaching(4), None);
    }

    #[test]
    fn the_rto_must_fit_within_the_mtpd_and_ratings_are_0_to_4() {
        let mut bad = BiaInput {
            rto_minutes: "600".into(),
            rpo_minutes: "".into(),
            ..input()
        };
        bad.impacts.insert("reputational_60".into(), "7".into());
        let errors = BiaTargets::parse(&bad).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["rpo_minutes", "reputational_60", "rto_minutes"]);
        let over = BiaTargets::parse(&BiaInput {
            rto_minutes: "600".into(),
            ..input()
        })
        .unwrap_err();
        assert_eq!(over[0].field, "rto_minutes");
        assert!(over[0].message.contains("MTPD (480 min)"));
    }

    #[test]
    fn editing_an_approved_bia_makes_a_new_draft_version() {
        let process = RecordKey::parse("PAY").unwrap();
        let targets = BiaTargets::parse(&input()).unwrap();
        let draft = saved(&process, None, targets.clone());
        assert_eq!((draft.version, draft.status), (1, ApprovalStatus::Draft));
        let at = Timestamp::new(datetime!(2026-11-25 10:00 UTC));
        let approved = approved(&draft, "m", at);
        assert_eq!(
            approved.approval.next_review_due,
            Some(date!(2027 - 11 - 25))
        );
        assert_eq!(saved(&process, Some(&approved), targets.clone()).version, 2);
        assert_eq!(saved(&process, Some(&draft), targets).version, 1);
        assert!(review_overdue(&approved, date!(2027 - 11 - 26)));
        assert!(!review_overdue(&approved, date!(2027 - 11 - 25)));
        assert!(!review_overdue(&draft, date!(2028 - 01 - 01)));
    }
}
