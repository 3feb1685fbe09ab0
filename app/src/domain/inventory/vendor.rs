//! Vendors: the third parties services rely on, with what their contracts
//! promise (seed module 1: "map third-party vendor services into the
//! criticality assessment, including SLAs"). `vendors.csv` names a vendor
//! by its name, so the name is its key.

use super::key::{join_keys, parse_keys};
use super::service::optional_count;
use super::RecordKey;
use crate::domain::field::{optional_text, parse_text, FieldError, FieldErrors};
use crate::domain::timestamp::{format_date, parse_date};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A vendor's name: required, one line, at most 100 characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct VendorName(String);

impl VendorName {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        parse_text("name", raw, 100).map(VendorName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for VendorName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for VendorName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for VendorName {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, FieldError> {
        VendorName::parse(&s)
    }
}

impl From<VendorName> for String {
    fn from(name: VendorName) -> String {
        name.0
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Vendor {
    pub name: VendorName,
    pub contact: String,
    /// Contracted availability, in percent.
    pub availability_percent: Option<f64>,
    /// Contracted time to respond to an incident.
    pub response_minutes: Option<u32>,
    /// Contracted time to recover: the vendor's RTO.
    pub recovery_minutes: Option<u32>,
    /// Contracted data loss: the vendor's RPO.
    pub rpo_minutes: Option<u32>,
    pub contract_end: Option<time::Date>,
    /// The services that rely on it, by key, each once.
    pub services: Vec<RecordKey>,
}

/// A vendor as typed in a form or a `vendors.csv` row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VendorInput {
    pub name: String,
    pub contact: String,
    pub availability_percent: String,
    pub response_minutes: String,
    pub recovery_minutes: String,
    pub rpo_minutes: String,
    pub contract_end: String,
    /// `;`-separated service keys.
    pub services: String,
}

fn parse_percent(field: &str, raw: &str) -> Result<Option<f64>, FieldError> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.trim_end_matches('%').trim().parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 100.0 => Ok(Some(v)),
        _ => Err(FieldError::new(
            field,
            format!("'{text}' is not a percentage above 0 and at most 100"),
        )),
    }
}

impl Vendor {
    /// Checks every field and reports every problem. Whether the services
    /// exist is for the use case to check against the database.
    pub fn parse(input: &VendorInput) -> Result<Vendor, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let name = e.take(VendorName::parse(&input.name));
        let contact = e.take(optional_text("contact", &input.contact, 200));
        let availability_percent = e.take(parse_percent(
            "availability_percent",
            &input.availability_percent,
        ));
        let response_minutes = e.take(optional_count("response_minutes", &input.response_minutes));
        let recovery_minutes = e.take(optional_count("recovery_minutes", &input.recovery_minutes));
        let rpo_minutes = e.take(optional_count("rpo_minutes", &input.rpo_minutes));
        let contract_end = e.take(match input.contract_end.trim() {
            "" => Ok(None),
            text => parse_date("contract_end", text).map(Some),
        });
        let services = parse_keys(&mut e, "services", &input.services);
        e.finish(|| {
            Some(Vendor {
                name: name?,
                contact: contact?,
                availability_percent: availability_percent?,
                response_minutes: response_minutes?,
                recovery_minutes: recovery_minutes?,
                rpo_minutes: rpo_minutes?,
                contract_end: contract_end?,
                services,
            })
        })
    }

    /// This vendor as imported over `existing`: the contact, which
    /// `vendors.csv` does not carry, stays as it was.
    pub fn merged_over(self, existing: &Vendor) -> Vendor {
        Vendor {
            contact: existing.contact.clone(),
            ..self
        }
    }

    /// The vendor as the form and the CSV show it.
    pub fn to_input(&self) -> VendorInput {
        let number = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
        VendorInput {
            name: self.name.to_string(),
            contact: self.contact.clone(),
            availability_percent: self
                .availability_percent
                .map(|v| v.to_string())
                .unwrap_or_default(),
            response_minutes: number(self.response_minutes),
            recovery_minutes: number(self.recovery_minutes),
            rpo_minutes: number(self.rpo_minutes),
            contract_end: self.contract_end.map(format_date).unwrap_or_default(),
            services: join_keys(&self.services),
        }
    }

    /// Named fields for the change history.
    pub fn fields(&self) -> crate::domain::history::Fields {
        let i = self.to_input();
        vec![
            ("name", i.name),
            ("contact", i.contact),
            ("availability_percent", i.availability_percent),
            ("response_minutes", i.response_minutes),
            ("recovery_minutes", i.recovery_minutes),
            ("rpo_minutes", i.rpo_minutes),
            ("contract_end", i.contract_end),
            ("services", i.services),
        ]
    }
}

/// How many days before its end a contract is flagged for renewal.
pub const RENEWAL_NOTICE_DAYS: i64 = 90;

/// Whether the contract has ended or ends soon, as of `today`.
pub fn contract_warning(end: Option<time::Date>, today: time::Date) -> Option<String> {
    let end = end?;
    let days = (end - today).whole_days();
    match days {
        d if d < 0 => Some(format!("the contract ended on {}", format_date(end))),
        d if d <= RENEWAL_NOTICE_DAYS => Some(format!(
            "the contract ends on {} (in {d} days)",
            format_date(end)
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input() -> VendorInput {
        VendorInput {
            name: "Acme Cloud & Co".into(),
            contact: "noc@acme.example".into(),
            availability_percent: "99.95".into(),
            response_minutes: "15".into(),
            recovery_minutes: "240".into(),
            rpo_minutes: "60".into(),
            contract_end: "2027-03-31".into(),
            services: "PAY-GW;CRM".into(),
        }
    }

    #[test]
    fn a_vendor_round_trips_through_its_input() {
        let v = Vendor::parse(&input()).unwrap();
        assert_eq!(v.contract_end, Some(date!(2027 - 03 - 31)));
        assert_eq!(v.to_input().services, "CRM;PAY-GW");
        assert_eq!(Vendor::parse(&v.to_input()), Ok(v));
    }

    #[test]
    fn contract_figures_are_optional_but_checked() {
        let empty = Vendor::parse(&VendorInput {
            name: "Tiny".into(),
            ..VendorInput::default()
        })
        .unwrap();
        assert_eq!((empty.recovery_minutes, empty.contract_end), (None, None));
        let bad = VendorInput {
            name: " ".into(),
            availability_percent: "101".into(),
            recovery_minutes: "-5".into(),
            contract_end: "31/03/2027".into(),
            ..input()
        };
        let fields: Vec<String> = Vendor::parse(&bad)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "name",
                "availability_percent",
                "recovery_minutes",
                "contract_end"
            ]
        );
    }

    #[test]
    fn contracts_that_ended_or_end_soon_are_flagged() {
        let today = date!(2026 - 11 - 25);
        assert_eq!(contract_warning(None, today), None);
        assert_eq!(contract_warning(Some(date!(2027 - 06 - 01)), today), None);
        assert_eq!(
            contract_warning(Some(date!(2027 - 01 - 01)), today).as_deref(),
            Some("the contract ends on 2027-01-01 (in 37 days)")
        );
        assert_eq!(
            contract_warning(Some(date!(2026 - 11 - 24)), today).as_deref(),
            Some("the contract ended on 2026-11-24")
        );
    }
}
