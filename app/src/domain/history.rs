//! Field-level change history (SPEC §6.6): what a change did to each field.

use serde::{Deserialize, Serialize};

/// One field's value before and after; `None` where the record did not
/// exist (created, deleted).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A record as named fields with their display values, in a fixed order.
pub type Fields = Vec<(&'static str, String)>;

/// The fields that differ between two versions of a record; a missing
/// version (creation or deletion) lists every field of the other.
pub fn diff(before: Option<&Fields>, after: Option<&Fields>) -> Vec<FieldChange> {
    let empty = Fields::new();
    let (b, a) = (before.unwrap_or(&empty), after.unwrap_or(&empty));
    let names = if a.is_empty() { b } else { a };
    names
        .iter()
        .map(|(name, _)| {
            let find = |fields: &Fields| {
                fields
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
            };
            FieldChange {
                field: name.to_string(),
                before: before.and_then(|_| find(b)),
                after: after.and_then(|_| find(a)),
            }
        })
        // Absent and empty read the same: creating a record lists only the
        // fields it sets.
        .filter(|c| {
            c.before.as_deref().unwrap_or_default() != c.after.as_deref().unwrap_or_default()
        })
        .collect()
}

/// An entry of a record's history, as shown on its page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub change: String,
    pub actor: String,
    pub at: super::timestamp::Timestamp,
    pub fields: Vec<FieldChange>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(name: &str, region: &str) -> Fields {
        vec![("name", name.to_string()), ("region", region.to_string())]
    }

    #[test]
    fn an_update_lists_only_what_changed() {
        let changes = diff(Some(&fields("A", "eu")), Some(&fields("B", "eu")));
        assert_eq!(
            changes,
            vec![FieldChange {
                field: "name".into(),
                before: Some("A".into()),
                after: Some("B".into())
            }]
        );
    }

    #[test]
    fn creation_and_deletion_list_every_field() {
        let created = diff(None, Some(&fields("A", "eu")));
        assert_eq!(created.len(), 2);
        assert!(created.iter().all(|c| c.before.is_none()));
        let deleted = diff(Some(&fields("A", "eu")), None);
        assert!(deleted.iter().all(|c| c.after.is_none()));
    }

    #[test]
    fn creation_skips_empty_fields() {
        let created = diff(None, Some(&fields("A", "")));
        assert_eq!(created.len(), 1);
        assert_eq!(created[0].field, "name");
    }

    #[test]
    fn no_change_means_no_entry() {
        assert!(diff(Some(&fields("A", "eu")), Some(&fields("A", "eu"))).is_empty());
    }
}
