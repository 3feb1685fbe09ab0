//! RACI assignments (SPEC §3): who is Responsible, Accountable, Consulted
//! and Informed for each service and business process. A record is
//! complete only with exactly one A.

use super::RecordKey;
use crate::domain::field::{parse_text, FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

named_enum!(RaciLetter, "RACI letter" {
    R => "R",
    A => "A",
    C => "C",
    I => "I",
});

named_enum!(
    /// The kinds of record that carry RACI assignments.
    RaciSubject, "record type" {
    Service => "service",
    Process => "process",
});

impl RaciSubject {
    /// The page of the record `key`.
    pub fn page(self, key: &RecordKey) -> String {
        match self {
            RaciSubject::Service => format!("/services/{key}"),
            RaciSubject::Process => format!("/processes/{key}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaciAssignment {
    pub subject: RaciSubject,
    pub key: RecordKey,
    /// A user's e-mail or display name, or a team's name.
    pub party: String,
    pub letter: RaciLetter,
}

impl RaciAssignment {
    pub fn parse(
        subject: &str,
        key: &str,
        party: &str,
        letter: &str,
    ) -> Result<RaciAssignment, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let subject = e.take(RaciSubject::parse_field("subject", subject));
        let key = e.take(RecordKey::parse(key));
        let party = e.take(parse_text("party", party, 200));
        let letter = e.take(RaciLetter::parse_field(
            "letter",
            &letter.trim().to_ascii_uppercase(),
        ));
        e.finish(|| {
            Some(RaciAssignment {
                subject: subject?,
                key: key?,
                party: party?,
                letter: letter?,
            })
        })
    }

    /// Whether this assignment makes `party` an owner: R or A (SPEC §4).
    pub fn owns(&self) -> bool {
        matches!(self.letter, RaciLetter::R | RaciLetter::A)
    }
}

/// Why a record's assignments are incomplete, if they are.
pub fn accountability_gap(letters: impl IntoIterator<Item = RaciLetter>) -> Option<String> {
    match letters.into_iter().filter(|l| *l == RaciLetter::A).count() {
        1 => None,
        0 => Some("no one is accountable (A)".into()),
        n => Some(format!(
            "{n} parties are accountable; exactly one A is required"
        )),
    }
}

/// One record's row of the matrix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaciRow {
    pub subject: RaciSubject,
    pub key: RecordKey,
    pub name: String,
    /// The letters each party holds, in the order of [`RaciMatrix::parties`].
    pub cells: Vec<String>,
    pub gap: Option<String>,
}

/// Records × parties, with the letters in the cells.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaciMatrix {
    pub parties: Vec<String>,
    pub rows: Vec<RaciRow>,
}

impl RaciMatrix {
    /// Lays out `records` (subject, key, name) in the order given, with
    /// one column per party holding any letter on them, by name.
    pub fn build(
        records: Vec<(RaciSubject, RecordKey, String)>,
        assignments: &[RaciAssignment],
    ) -> RaciMatrix {
        let mut by_record: BTreeMap<(RaciSubject, &RecordKey), BTreeMap<&str, Vec<RaciLetter>>> =
            BTreeMap::new();
        for a in assignments {
            by_record
                .entry((a.subject, &a.key))
                .or_default()
                .entry(a.party.as_str())
                .or_default()
                .push(a.letter);
        }
        let mut parties: Vec<String> = by_record
            .values()
            .flat_map(|p| p.keys().map(|s| s.to_string()))
            .collect();
        parties.sort_by_key(|p| p.to_lowercase());
        parties.dedup();
        let rows = records
            .into_iter()
            .map(|(subject, key, name)| {
                let held = by_record.get(&(subject, &key));
                let letters_of = |party: &str| {
                    let mut letters = held.and_then(|h| h.get(party)).cloned().unwrap_or_default();
                    letters.sort();
                    letters.iter().map(|l| l.as_str()).collect::<String>()
                };
                let cells = parties.iter().map(|p| letters_of(p)).collect();
                let gap = accountability_gap(
                    held.into_iter().flat_map(|h| h.values().flatten().copied()),
                );
                RaciRow {
                    subject,
                    key,
                    name,
                    cells,
                    gap,
                }
            })
            .collect();
        RaciMatrix { parties, rows }
    }

    /// How many records lack exactly one A.
    pub fn incomplete(&self) -> usize {
        self.rows.iter().filter(|r| r.gap.is_some()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assign(key: &str, party: &str, letter: &str) -> RaciAssignment {
        RaciAssignment::parse("service", key, party, letter).unwrap()
    }

    fn key(k: &str) -> RecordKey {
        RecordKey::parse(k).unwrap()
    }

    #[test]
    fn exactly_one_a_is_complete() {
        use RaciLetter::*;
        assert_eq!(accountability_gap([R, A, C]), None);
        assert_eq!(
            accountability_gap([R, C]),
            Some("no one is accountable (A)".into())
        );
        assert!(accountability_gap([A, A]).unwrap().contains("2 parties"));
    }

    #[test]
    fn the_matrix_has_a_column_per_party_and_counts_gaps() {
        let assignments = vec![
            assign("PAY-API", "payments-team", "r"),
            assign("PAY-API", "alice@example.com", "A"),
            assign("PAY-API", "payments-team", "C"),
            assign("IDP", "Bob", "R"),
        ];
        let records = vec![
            (RaciSubject::Service, key("IDP"), "Identity".into()),
            (RaciSubject::Service, key("PAY-API"), "Payments".into()),
            (RaciSubject::Service, key("WIKI"), "Wiki".into()),
        ];
        let m = RaciMatrix::build(records, &assignments);
        assert_eq!(m.parties, vec!["alice@example.com", "Bob", "payments-team"]);
        assert_eq!(m.rows[1].cells, vec!["A", "", "RC"]);
        assert_eq!(m.rows[1].gap, None);
        assert_eq!(m.rows[0].cells, vec!["", "R", ""]);
        assert_eq!(m.incomplete(), 2, "IDP has no A, WIKI has nobody");
    }

    #[test]
    fn bad_assignments_name_their_fields() {
        let errors = RaciAssignment::parse("vendor", "pay api", " ", "X").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["subject", "key", "party", "letter"]);
        assert!(assign("PAY-API", "Alice", "R").owns());
        assert_eq!(RaciSubject::Process.page(&key("HIRE")), "/processes/HIRE");
        assert!(!assign("PAY-API", "Alice", "I").owns());
    }
}
