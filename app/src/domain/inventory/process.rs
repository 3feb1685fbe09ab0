//! Business processes: what the business does, who owns it, how critical
//! it is, and the services it uses (SPEC §3). Their BIAs give services
//! their recovery targets.

use super::key::{join_keys, parse_keys};
use super::RecordKey;
use crate::domain::field::{optional_text, parse_text, FieldError, FieldErrors};
use serde::{Deserialize, Serialize};

named_enum!(Criticality, "criticality" {
    Critical => "critical",
    High => "high",
    Medium => "medium",
    Low => "low",
});

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Process {
    pub key: RecordKey,
    pub name: String,
    pub description: String,
    /// The person or team that owns the process.
    pub owner: String,
    pub criticality: Criticality,
    /// The services it uses directly, by key, each once.
    pub services: Vec<RecordKey>,
}

/// A process as typed in a form or a `processes.csv` row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProcessInput {
    pub key: String,
    pub name: String,
    pub description: String,
    pub owner: String,
    pub criticality: String,
    /// `;`-separated service keys.
    pub services: String,
}

impl Process {
    /// Checks every field and reports every problem. Whether the services
    /// exist is for the use case to check against the database.
    pub fn parse(input: &ProcessInput) -> Result<Process, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let key = e.take(RecordKey::parse(&input.key));
        let name = e.take(parse_text("name", &input.name, 200));
        let description = e.take(optional_text("description", &input.description, 4000));
        let owner = e.take(optional_text("owner", &input.owner, 200));
        let criticality = e.take(Criticality::parse_field("criticality", &input.criticality));
        let services = parse_keys(&mut e, "services", &input.services);
        e.finish(|| {
            Some(Process {
                key: key?,
                name: name?,
                description: description?,
                owner: owner?,
                criticality: criticality?,
                services,
            })
        })
    }

    /// This process as imported over `existing`: the description, which
    /// `processes.csv` does not carry, stays as it was.
    pub fn merged_over(self, existing: &Process) -> Process {
        Process {
            description: existing.description.clone(),
            ..self
        }
    }

    /// The process as the form and the CSV show it.
    pub fn to_input(&self) -> ProcessInput {
        ProcessInput {
            key: self.key.to_string(),
            name: self.name.clone(),
            description: self.description.clone(),
            owner: self.owner.clone(),
            criticality: self.criticality.as_str().to_string(),
            services: join_keys(&self.services),
        }
    }

    /// Named fields for the change history.
    pub fn fields(&self) -> crate::domain::history::Fields {
        let i = self.to_input();
        vec![
            ("key", i.key),
            ("name", i.name),
            ("description", i.description),
            ("owner", i.owner),
            ("criticality", i.criticality),
            ("services", i.services),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ProcessInput {
        ProcessInput {
            key: "ORDER".into(),
            name: "Order to cash".into(),
            description: "Take and bill orders".into(),
            owner: "Head of Sales".into(),
            criticality: "critical".into(),
            services: "PAY-API; ERP;PAY-API".into(),
        }
    }

    #[test]
    fn services_are_sorted_and_listed_once() {
        let p = Process::parse(&input()).unwrap();
        let keys: Vec<&str> = p.services.iter().map(RecordKey::as_str).collect();
        assert_eq!(keys, ["ERP", "PAY-API"]);
        assert_eq!(p.to_input().services, "ERP;PAY-API");
    }

    #[test]
    fn every_bad_field_is_reported() {
        let bad = ProcessInput {
            key: "order".into(),
            name: "".into(),
            criticality: "vital".into(),
            services: "PAY-API;pay db".into(),
            ..input()
        };
        let errors = Process::parse(&bad).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["key", "name", "criticality", "services"]);
        assert!(errors[2].message.contains("critical, high, medium, low"));
    }

    #[test]
    fn a_process_round_trips_through_its_input_and_an_import_keeps_the_description() {
        let p = Process::parse(&input()).unwrap();
        assert_eq!(Process::parse(&p.to_input()), Ok(p.clone()));
        let row = Process::parse(&ProcessInput {
            description: String::new(),
            owner: "CFO".into(),
            ..input()
        })
        .unwrap();
        let merged = row.merged_over(&p);
        assert_eq!(
            (merged.description.as_str(), merged.owner.as_str()),
            ("Take and bill orders", "CFO")
        );
    }
}
