//! What importing a file does to the records already stored (SPEC §8.5):
//! rows match stored records by key and update them, the rest are
//! created; fields the file does not carry keep their stored values.

use super::process::Process;
use super::replication::ReplicationLink;
use super::service::{Dependency, Service};
use super::site::Site;
use super::vendor::Vendor;
use std::collections::HashMap;

/// A record that exchange files carry.
pub trait Exchanged: Clone + PartialEq {
    /// What matches a row to a stored record.
    fn exchange_key(&self) -> String;
    /// The row applied over the stored record.
    fn merged_over(self, stored: &Self) -> Self;
}

/// Implements [`Exchanged`] with the record's own `merged_over`.
macro_rules! exchanged {
    ($record:ty, |$r:ident| $key:expr) => {
        impl Exchanged for $record {
            fn exchange_key(&self) -> String {
                let $r = self;
                $key
            }
            fn merged_over(self, stored: &Self) -> Self {
                <$record>::merged_over(self, stored)
            }
        }
    };
}

exchanged!(Site, |s| s.key.to_string());
exchanged!(Service, |s| s.key.to_string());
exchanged!(Dependency, |d| format!("{} -> {}", d.service, d.depends_on));
exchanged!(Process, |p| p.key.to_string());
exchanged!(ReplicationLink, |l| l.identity());
exchanged!(Vendor, |v| v.name.to_string());

/// What importing one file did.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportSummary {
    pub file: String,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// What one imported row does.
#[derive(Clone, Debug, PartialEq)]
pub enum Step<T> {
    Create(T),
    Update { before: T, after: T },
    Unchanged,
}

/// The step of each imported row, in the file's order.
pub fn plan<T: Exchanged>(stored: &[T], imported: Vec<T>) -> Vec<Step<T>> {
    let by_key: HashMap<String, &T> = stored.iter().map(|r| (r.exchange_key(), r)).collect();
    imported
        .into_iter()
        .map(|row| match by_key.get(&row.exchange_key()) {
            None => Step::Create(row),
            Some(before) => {
                let after = row.merged_over(before);
                if &after == *before {
                    Step::Unchanged
                } else {
                    Step::Update {
                        before: (*before).clone(),
                        after,
                    }
                }
            }
        })
        .collect()
}

/// How many rows created, updated and left unchanged records.
pub fn tally<T>(steps: &[Step<T>]) -> (usize, usize, usize) {
    steps.iter().fold((0, 0, 0), |(c, u, n), s| match s {
        Step::Create(_) => (c + 1, u, n),
        Step::Update { .. } => (c, u + 1, n),
        Step::Unchanged => (c, u, n + 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::inventory::site::SiteInput;

    fn site(key: &str, name: &str, subnets: &str) -> Site {
        Site::parse(&SiteInput {
            key: key.into(),
            name: name.into(),
            country: "DE".into(),
            kind: "datacenter".into(),
            subnets: subnets.into(),
            ..SiteInput::default()
        })
        .unwrap()
    }

    #[test]
    fn rows_create_update_or_leave_alone_and_keep_what_the_file_lacks() {
        let stored = vec![site("A", "Alpha", "10.0.0.0/8"), site("B", "Beta", "")];
        let imported = vec![
            site("A", "Alpha 2", ""),
            site("B", "Beta", ""),
            site("C", "Gamma", ""),
        ];
        let steps = plan(&stored, imported);
        assert_eq!(tally(&steps), (1, 1, 1));
        match &steps[0] {
            Step::Update { after, .. } => {
                assert_eq!(after.name, "Alpha 2");
                assert_eq!(after.subnets.len(), 1, "the stored network stays");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(steps[1], Step::Unchanged);
        assert!(matches!(&steps[2], Step::Create(s) if s.name == "Gamma"));
    }

    #[test]
    fn dependencies_match_on_both_ends_and_keep_their_note() {
        let stored = vec![Dependency::parse("A", "B", "hard", "login").unwrap()];
        let imported = vec![
            Dependency::parse("A", "B", "soft", "").unwrap(),
            Dependency::parse("B", "A", "hard", "").unwrap(),
        ];
        let steps = plan(&stored, imported);
        match &steps[0] {
            Step::Update { after, .. } => assert_eq!(
                (after.kind.as_str(), after.note.as_str()),
                ("soft", "login")
            ),
            other => panic!("{other:?}"),
        }
        assert!(matches!(steps[1], Step::Create(_)));
    }
}
