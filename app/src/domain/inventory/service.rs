//! Services (configuration items) and the dependencies between them.

use super::site::{parse_country, Resources};
use super::RecordKey;
use crate::domain::field::{list_cells, optional_text, parse_text, FieldError, FieldErrors};
use serde::{Deserialize, Serialize};

named_enum!(ServiceKind, "service kind" {
    Application => "application",
    Database => "database",
    Network => "network",
    Identity => "identity",
    Infrastructure => "infrastructure",
    ThirdParty => "third_party",
});

named_enum!(
    /// How a service survives the loss of its primary site (SPEC §5.5).
    Topology, "topology" {
    ActiveActive => "active_active",
    HotStandby => "hot_standby",
    WarmStandby => "warm_standby",
    PilotLight => "pilot_light",
    BackupRestore => "backup_restore",
    None => "none",
});

named_enum!(DependencyKind, "dependency kind" {
    Hard => "hard",
    Soft => "soft",
});

/// Tiers 0 (mission critical) to 4 (non-essential).
pub fn parse_tier(field: &str, raw: &str) -> Result<Option<u8>, FieldError> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u8>() {
        Ok(t) if t <= 4 => Ok(Some(t)),
        _ => Err(FieldError::new(
            field,
            format!("'{text}' is not a tier (0 to 4)"),
        )),
    }
}

/// Whole minutes or seconds, 0 or more; empty means 0.
pub fn parse_count(field: &str, raw: &str) -> Result<u32, FieldError> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(0);
    }
    text.parse::<u32>().map_err(|_| {
        FieldError::new(
            field,
            format!("'{text}' is not a whole number of 0 or more"),
        )
    })
}

/// Whole minutes or seconds, 0 or more; empty means not set.
pub fn optional_count(field: &str, raw: &str) -> Result<Option<u32>, FieldError> {
    match raw.trim() {
        "" => Ok(None),
        text => parse_count(field, text).map(Some),
    }
}

/// `true` or `false`; empty means false (SPEC §8.5).
pub fn parse_bool(field: &str, raw: &str) -> Result<bool, FieldError> {
    match raw.trim() {
        "true" => Ok(true),
        "false" | "" => Ok(false),
        other => Err(FieldError::new(
            field,
            format!("'{other}' is not true or false"),
        )),
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub key: RecordKey,
    pub name: String,
    pub kind: ServiceKind,
    pub description: String,
    pub owner_team: String,
    /// Set explicitly; otherwise derived from the target RTO (SPEC §5.1).
    pub tier: Option<u8>,
    pub primary_site: RecordKey,
    pub secondary_site: Option<RecordKey>,
    pub topology: Topology,
    pub recovery_minutes: u32,
    pub peak_load: Resources,
    pub dns_ttl_seconds: u32,
    pub data_classification: String,
    pub data_jurisdictions: Vec<String>,
    pub stateful: bool,
}

/// A service as typed in a form or a `services.csv` row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceInput {
    pub key: String,
    pub name: String,
    pub kind: String,
    pub description: String,
    pub owner_team: String,
    pub tier: String,
    pub primary_site: String,
    pub secondary_site: String,
    pub topology: String,
    pub recovery_minutes: String,
    pub cpu_cores: String,
    pub memory_gb: String,
    pub storage_tb: String,
    pub dns_ttl_seconds: String,
    pub data_classification: String,
    pub stateful: String,
    pub data_jurisdictions: String,
}

impl Service {
    /// Checks every field and reports every problem. Whether the sites
    /// exist is for the use case to check against the database.
    pub fn parse(input: &ServiceInput) -> Result<Service, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let key = e.take(RecordKey::parse(&input.key));
        let name = e.take(parse_text("name", &input.name, 200));
        let kind = e.take(ServiceKind::parse_field("kind", &input.kind));
        let description = e.take(optional_text("description", &input.description, 4000));
        let owner_team = e.take(optional_text("owner_team", &input.owner_team, 200));
        let tier = e.take(parse_tier("tier", &input.tier));
        let primary_site = e.take(RecordKey::parse_field("primary_site", &input.primary_site));
        let secondary_site = e.take(match input.secondary_site.trim() {
            "" => Ok(None),
            raw => RecordKey::parse_field("secondary_site", raw).map(Some),
        });
        let topology = e.take(match input.topology.trim() {
            "" => Ok(Topology::None),
            raw => Topology::parse_field("topology", raw),
        });
        let recovery_minutes = e.take(parse_count("recovery_minutes", &input.recovery_minutes));
        let dns_ttl_seconds = e.take(parse_count("dns_ttl_seconds", &input.dns_ttl_seconds));
        let data_classification = e.take(optional_text(
            "data_classification",
            &input.data_classification,
            100,
        ));
        let stateful = e.take(parse_bool("stateful", &input.stateful));
        let data_jurisdictions: Vec<_> = list_cells(&input.data_jurisdictions)
            .filter_map(|c| e.take(parse_country("data_jurisdictions", c)))
            .collect();
        let peak_load = e.take_all(Resources::parse(
            &input.cpu_cores,
            &input.memory_gb,
            &input.storage_tb,
        ));
        if primary_site.is_some() && primary_site == secondary_site.clone().flatten() {
            e.push(FieldError::new(
                "secondary_site",
                "must differ from the primary site",
            ));
        }
        e.finish(|| {
            Some(Service {
                key: key?,
                name: name?,
                kind: kind?,
                description: description?,
                owner_team: owner_team?,
                tier: tier?,
                primary_site: primary_site?,
                secondary_site: secondary_site?,
                topology: topology?,
                recovery_minutes: recovery_minutes?,
                peak_load: peak_load?,
                dns_ttl_seconds: dns_ttl_seconds?,
                data_classification: data_classification?,
                data_jurisdictions,
                stateful: stateful?,
            })
        })
    }
}

impl Service {
    /// This service as imported over `existing`: the fields
    /// `services.csv` does not carry stay as they were.
    pub fn merged_over(self, existing: &Service) -> Service {
        Service {
            description: existing.description.clone(),
            data_classification: existing.data_classification.clone(),
            ..self
        }
    }

    /// The service as the form and the CSV show it.
    pub fn to_input(&self) -> ServiceInput {
        ServiceInput {
            key: self.key.to_string(),
            name: self.name.clone(),
            kind: self.kind.as_str().to_string(),
            description: self.description.clone(),
            owner_team: self.owner_team.clone(),
            tier: self.tier.map(|t| t.to_string()).unwrap_or_default(),
            primary_site: self.primary_site.to_string(),
            secondary_site: self
                .secondary_site
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            topology: self.topology.as_str().to_string(),
            recovery_minutes: self.recovery_minutes.to_string(),
            cpu_cores: self.peak_load.cpu_cores.to_string(),
            memory_gb: self.peak_load.memory_gb.to_string(),
            storage_tb: self.peak_load.storage_tb.to_string(),
            dns_ttl_seconds: self.dns_ttl_seconds.to_string(),
            data_classification: self.data_classification.clone(),
            stateful: self.stateful.to_string(),
            data_jurisdictions: self.data_jurisdictions.join(";"),
        }
    }

    /// Named fields for the change history.
    pub fn fields(&self) -> crate::domain::history::Fields {
        let i = self.to_input();
        vec![
            ("key", i.key),
            ("name", i.name),
            ("kind", i.kind),
            ("description", i.description),
            ("owner_team", i.owner_team),
            ("tier", i.tier),
            ("primary_site", i.primary_site),
            ("secondary_site", i.secondary_site),
            ("topology", i.topology),
            ("recovery_minutes", i.recovery_minutes),
            ("cpu_cores", i.cpu_cores),
            ("memory_gb", i.memory_gb),
            ("storage_tb", i.storage_tb),
            ("dns_ttl_seconds", i.dns_ttl_seconds),
            ("data_classification", i.data_classification),
            ("stateful", i.stateful),
            ("data_jurisdictions", i.data_jurisdictions),
        ]
    }

    /// The sites this service runs on: primary first.
    pub fn sites(&self) -> impl Iterator<Item = &RecordKey> {
        std::iter::once(&self.primary_site).chain(self.secondary_site.as_ref())
    }
}

named_enum!(
    /// The columns the service list sorts by.
    ServiceSort, "sort column" {
    Key => "key",
    Name => "name",
    Kind => "kind",
    Tier => "tier",
    OwnerTeam => "owner_team",
    PrimarySite => "primary_site",
    Topology => "topology",
});

/// What the service list shows: filters (empty = any), sort and page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceQuery {
    /// Part of the key, name or owner team.
    pub q: String,
    pub kind: String,
    pub tier: String,
    /// Primary or secondary site.
    pub site: String,
    pub owner: String,
    pub topology: String,
    /// `incomplete`: only services without exactly one A in the RACI.
    pub raci: String,
    pub sort: String,
    /// `desc` for descending.
    pub dir: String,
    /// From 1.
    pub page: String,
}

/// A [`ServiceQuery`] checked: only known names reach the SQL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceFilter {
    pub search: String,
    pub kind: Option<ServiceKind>,
    pub tier: Option<u8>,
    pub site: Option<RecordKey>,
    pub owner: Option<String>,
    pub topology: Option<Topology>,
    pub raci_incomplete: bool,
    pub sort: ServiceSort,
    pub descending: bool,
    pub page: u32,
}

pub const SERVICE_PAGE_SIZE: u32 = 50;

/// A filter's value, or `None` when left empty.
fn optional(raw: &str) -> Option<&str> {
    Some(raw.trim()).filter(|t| !t.is_empty())
}

impl ServiceFilter {
    pub fn parse(q: &ServiceQuery) -> Result<ServiceFilter, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let kind = e.take(
            optional(&q.kind)
                .map(|k| ServiceKind::parse_field("kind", k))
                .transpose(),
        );
        let tier = e.take(parse_tier("tier", &q.tier));
        let site = e.take(
            optional(&q.site)
                .map(|s| RecordKey::parse_field("site", s))
                .transpose(),
        );
        let topology = e.take(
            optional(&q.topology)
                .map(|t| Topology::parse_field("topology", t))
                .transpose(),
        );
        let sort = e.take(match optional(&q.sort) {
            None => Ok(ServiceSort::Key),
            Some(s) => ServiceSort::parse_field("sort", s),
        });
        let page = e.take(match optional(&q.page) {
            None => Ok(1),
            Some(p) => p
                .parse::<u32>()
                .ok()
                .filter(|p| *p >= 1)
                .ok_or_else(|| FieldError::new("page", format!("'{p}' is not a page number"))),
        });
        e.finish(|| {
            Some(ServiceFilter {
                search: q.q.trim().to_string(),
                kind: kind?,
                tier: tier?,
                site: site?,
                owner: optional(&q.owner).map(str::to_string),
                topology: topology?,
                raci_incomplete: q.raci.trim() == "incomplete",
                sort: sort?,
                descending: q.dir.trim() == "desc",
                page: page?,
            })
        })
    }
}

/// A dependency of one service on another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dependency {
    pub service: RecordKey,
    pub depends_on: RecordKey,
    pub kind: DependencyKind,
    pub note: String,
}

impl Dependency {
    pub fn parse(
        service: &str,
        depends_on: &str,
        kind: &str,
        note: &str,
    ) -> Result<Dependency, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let service = e.take(RecordKey::parse_field("service", service));
        let depends_on = e.take(RecordKey::parse_field("depends_on", depends_on));
        let kind = e.take(DependencyKind::parse_field("kind", kind));
        let note = e.take(optional_text("note", note, 1000));
        if let (Some(s), Some(d)) = (&service, &depends_on) {
            if s == d {
                e.push(FieldError::new(
                    "depends_on",
                    format!("{s} cannot depend on itself"),
                ));
            }
        }
        e.finish(|| {
            Some(Dependency {
                service: service?,
                depends_on: depends_on?,
                kind: kind?,
                note: note?,
            })
        })
    }
}

impl Dependency {
    /// This dependency as imported over `existing`, keeping its note.
    pub fn merged_over(self, existing: &Dependency) -> Dependency {
        Dependency {
            note: existing.note.clone(),
            ..self
        }
    }

    /// How the dependency reads in its service's history: `hard` or
    /// `soft`, with the note after a colon.
    pub fn describe(&self) -> String {
        match self.note.as_str() {
            "" => self.kind.as_str().to_string(),
            note => format!("{}: {note}", self.kind),
        }
    }

    /// The history field under which a service keeps this dependency.
    pub fn history_field(&self) -> String {
        format!("depends_on {}", self.depends_on)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ServiceInput {
        ServiceInput {
            key: "PAY-API".into(),
            name: "Payments API".into(),
            kind: "application".into(),
            owner_team: "Payments".into(),
            tier: "0".into(),
            primary_site: "DC-FRA".into(),
            secondary_site: "DC-AMS".into(),
            topology: "hot_standby".into(),
            recovery_minutes: "20".into(),
            cpu_cores: "64".into(),
            dns_ttl_seconds: "60".into(),
            stateful: "false".into(),
            data_jurisdictions: "DE;NL".into(),
            ..ServiceInput::default()
        }
    }

    #[test]
    fn a_good_service_parses() {
        let s = Service::parse(&input()).unwrap();
        assert_eq!(s.tier, Some(0));
        assert_eq!(s.topology, Topology::HotStandby);
        assert_eq!(
            s.secondary_site.map(|k| k.to_string()),
            Some("DC-AMS".into())
        );
        assert_eq!(s.data_jurisdictions, vec!["DE", "NL"]);
        assert_eq!(s.peak_load.cpu_cores, 64.0);
    }

    #[test]
    fn a_service_round_trips_through_its_input() {
        let s = Service::parse(&input()).unwrap();
        assert_eq!(Service::parse(&s.to_input()), Ok(s.clone()));
        let sites: Vec<&str> = s.sites().map(|k| k.as_str()).collect();
        assert_eq!(sites, vec!["DC-FRA", "DC-AMS"]);
    }

    #[test]
    fn list_queries_are_checked() {
        let f = ServiceFilter::parse(&ServiceQuery {
            tier: "1".into(),
            sort: "name".into(),
            dir: "desc".into(),
            ..ServiceQuery::default()
        })
        .unwrap();
        assert_eq!(
            (f.tier, f.sort, f.descending, f.page),
            (Some(1), ServiceSort::Name, true, 1)
        );
        let errors = ServiceFilter::parse(&ServiceQuery {
            sort: "name; DROP TABLE services".into(),
            page: "0".into(),
            ..ServiceQuery::default()
        })
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["sort", "page"]);
    }

    #[test]
    fn optional_fields_default() {
        let s = Service::parse(&ServiceInput {
            tier: "".into(),
            secondary_site: "".into(),
            topology: "".into(),
            ..input()
        })
        .unwrap();
        assert_eq!(
            (s.tier, s.secondary_site, s.topology),
            (None, None, Topology::None)
        );
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = ServiceInput {
            kind: "mainframe".into(),
            tier: "5".into(),
            topology: "cold".into(),
            stateful: "yes".into(),
            recovery_minutes: "1.5".into(),
            ..input()
        };
        let fields: Vec<_> = Service::parse(&bad)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            vec!["kind", "tier", "topology", "recovery_minutes", "stateful"]
        );
    }

    #[test]
    fn the_secondary_site_must_differ() {
        let errors = Service::parse(&ServiceInput {
            secondary_site: "DC-FRA".into(),
            ..input()
        })
        .unwrap_err();
        assert_eq!(errors[0].field, "secondary_site");
    }

    #[test]
    fn enum_errors_list_the_choices() {
        let err = Topology::parse_field("topology", "cold").unwrap_err();
        assert!(
            err.message.contains("active_active, hot_standby"),
            "{}",
            err.message
        );
    }

    #[test]
    fn self_dependencies_are_refused() {
        let errors = Dependency::parse("PAY-API", "PAY-API", "hard", "").unwrap_err();
        assert_eq!(errors[0].field, "depends_on");
        assert!(errors[0].message.contains("cannot depend on itself"));
        assert!(Dependency::parse("PAY-API", "IDP", "soft", "login").is_ok());
        assert_eq!(
            Dependency::parse("PAY-API", "IDP", "weak", "").unwrap_err()[0].field,
            "kind"
        );
    }
}
