//! Sites: data centres, cloud regions and colocation halls, with their
//! capacity and network.

use super::network::{network_clashes, parse_vlan, Cidr, NetworkClash, SiteNetwork};
use super::RecordKey;
use crate::domain::field::{list_cells, optional_text, parse_text, FieldError, FieldErrors};
use serde::{Deserialize, Serialize};

named_enum!(SiteKind, "site kind" {
    Datacenter => "datacenter",
    CloudRegion => "cloud_region",
    Colocation => "colocation",
});

/// Compute, memory and storage: a site's capacity or a service's peak load.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Resources {
    pub cpu_cores: f64,
    pub memory_gb: f64,
    pub storage_tb: f64,
}

/// A non-negative, finite amount; empty means 0.
pub fn parse_amount(field: &str, raw: &str) -> Result<f64, FieldError> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(0.0);
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(FieldError::new(
            field,
            format!("'{text}' is not a number of 0 or more"),
        )),
    }
}

impl Resources {
    pub fn parse(cpu: &str, memory: &str, storage: &str) -> Result<Self, Vec<FieldError>> {
        let (c, m, s) = (
            parse_amount("cpu_cores", cpu),
            parse_amount("memory_gb", memory),
            parse_amount("storage_tb", storage),
        );
        match (c, m, s) {
            (Ok(cpu_cores), Ok(memory_gb), Ok(storage_tb)) => Ok(Resources {
                cpu_cores,
                memory_gb,
                storage_tb,
            }),
            (c, m, s) => Err([c.err(), m.err(), s.err()].into_iter().flatten().collect()),
        }
    }
}

/// ISO 3166-1 alpha-2, officially assigned codes.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// An ISO 3166-1 alpha-2 country code, upper case.
pub fn parse_country(field: &str, raw: &str) -> Result<String, FieldError> {
    let code = raw.trim().to_ascii_uppercase();
    if code.len() == 2 && COUNTRIES.split(' ').any(|c| c == code) {
        Ok(code)
    } else {
        Err(FieldError::new(
            field,
            format!(
                "'{}' is not an ISO 3166 country code such as DE or US",
                raw.trim()
            ),
        ))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Site {
    pub key: RecordKey,
    pub name: String,
    pub region: String,
    pub country: String,
    pub kind: SiteKind,
    pub capacity: Resources,
    pub subnets: Vec<Cidr>,
    pub vlans: Vec<u16>,
}

/// A site as typed in a form or a CSV row: text, not yet checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SiteInput {
    pub key: String,
    pub name: String,
    pub region: String,
    pub country: String,
    pub kind: String,
    pub cpu_cores: String,
    pub memory_gb: String,
    pub storage_tb: String,
    /// `;`-separated CIDRs.
    pub subnets: String,
    /// `;`-separated VLAN ids.
    pub vlans: String,
}

impl Site {
    /// Checks every field and reports every problem, not just the first.
    pub fn parse(input: &SiteInput) -> Result<Site, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let key = e.take(RecordKey::parse(&input.key));
        let name = e.take(parse_text("name", &input.name, 200));
        let region = e.take(optional_text("region", &input.region, 100));
        let country = e.take(parse_country("country", &input.country));
        let kind = e.take(SiteKind::parse_field("kind", &input.kind));
        let subnets: Vec<_> = list_cells(&input.subnets)
            .filter_map(|c| e.take(Cidr::parse_field("subnets", c)))
            .collect();
        let vlans: Vec<_> = list_cells(&input.vlans)
            .filter_map(|c| e.take(parse_vlan("vlans", c)))
            .collect();
        let capacity = e.take_all(Resources::parse(
            &input.cpu_cores,
            &input.memory_gb,
            &input.storage_tb,
        ));
        e.finish(|| {
            Some(Site {
                key: key?,
                name: name?,
                region: region?,
                country: country?,
                kind: kind?,
                capacity: capacity?,
                subnets,
                vlans,
            })
        })
    }
}

impl Site {
    /// This site as imported over `existing`: the network, which
    /// `sites.csv` does not carry, stays as it was.
    pub fn merged_over(self, existing: &Site) -> Site {
        Site {
            subnets: existing.subnets.clone(),
            vlans: existing.vlans.clone(),
            ..self
        }
    }

    /// The site as the form and the CSV show it.
    pub fn to_input(&self) -> SiteInput {
        let join = |items: Vec<String>| items.join(";");
        SiteInput {
            key: self.key.to_string(),
            name: self.name.clone(),
            region: self.region.clone(),
            country: self.country.clone(),
            kind: self.kind.as_str().to_string(),
            cpu_cores: self.capacity.cpu_cores.to_string(),
            memory_gb: self.capacity.memory_gb.to_string(),
            storage_tb: self.capacity.storage_tb.to_string(),
            subnets: join(self.subnets.iter().map(|c| c.to_string()).collect()),
            vlans: join(self.vlans.iter().map(|v| v.to_string()).collect()),
        }
    }

    /// Named fields for the change history.
    pub fn fields(&self) -> crate::domain::history::Fields {
        let i = self.to_input();
        vec![
            ("key", i.key),
            ("name", i.name),
            ("region", i.region),
            ("country", i.country),
            ("kind", i.kind),
            ("cpu_cores", i.cpu_cores),
            ("memory_gb", i.memory_gb),
            ("storage_tb", i.storage_tb),
            ("subnets", i.subnets),
            ("vlans", i.vlans),
        ]
    }
}

/// Clashes between each pair of sites that services fail over between
/// (primary, secondary), each pair once, in pair order (seed module 2:
/// "prevent IP conflicts").
pub fn network_check(sites: &[Site], pairs: &[(String, String)]) -> Vec<NetworkClash> {
    let network = |key: &str| {
        sites
            .iter()
            .find(|s| s.key.as_str() == key)
            .map(|s| SiteNetwork {
                site: key.to_string(),
                subnets: s.subnets.clone(),
                vlans: s.vlans.clone(),
            })
    };
    let mut seen = std::collections::BTreeSet::new();
    pairs
        .iter()
        .filter(|pair| seen.insert((*pair).clone()))
        .filter_map(|(p, s)| Some(network_clashes(&network(p)?, &network(s)?)))
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> SiteInput {
        SiteInput {
            key: "DC-FRA".into(),
            name: "Frankfurt 1".into(),
            region: "eu-central".into(),
            country: "de".into(),
            kind: "datacenter".into(),
            cpu_cores: "2048".into(),
            memory_gb: "16384".into(),
            storage_tb: "900.5".into(),
            subnets: "10.1.0.0/16; 10.2.0.0/16".into(),
            vlans: "100;200".into(),
        }
    }

    #[test]
    fn a_good_site_parses() {
        let site = Site::parse(&input()).unwrap();
        assert_eq!(site.country, "DE");
        assert_eq!(site.capacity.storage_tb, 900.5);
        assert_eq!(site.subnets.len(), 2);
        assert_eq!(site.vlans, vec![100, 200]);
    }

    #[test]
    fn every_bad_field_is_reported() {
        let bad = SiteInput {
            key: "dc".into(),
            country: "XX".into(),
            kind: "basement".into(),
            cpu_cores: "-1".into(),
            vlans: "5000".into(),
            ..input()
        };
        let fields: Vec<_> = Site::parse(&bad)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["key", "country", "kind", "vlans", "cpu_cores"]);
    }

    #[test]
    fn a_site_round_trips_through_its_input() {
        let site = Site::parse(&input()).unwrap();
        assert_eq!(Site::parse(&site.to_input()), Ok(site));
    }

    #[test]
    fn the_network_check_compares_failover_pairs_only() {
        let fra = Site::parse(&input()).unwrap();
        let ams = Site::parse(&SiteInput {
            key: "DC-AMS".into(),
            subnets: "10.1.128.0/17".into(),
            vlans: "200;300".into(),
            ..input()
        })
        .unwrap();
        let other = Site::parse(&SiteInput {
            key: "DC-X".into(),
            ..input()
        })
        .unwrap();
        let sites = [fra, ams, other];
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        let clashes = network_check(
            &sites,
            &[pair("DC-FRA", "DC-AMS"), pair("DC-FRA", "DC-AMS")],
        );
        let text: Vec<String> = clashes.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            vec![
                "subnet 10.1.0.0/16 at DC-FRA overlaps 10.1.128.0/17 at DC-AMS",
                "VLAN 200 is used at both DC-FRA and DC-AMS"
            ]
        );
        assert!(network_check(&sites, &[pair("DC-AMS", "NOPE")]).is_empty());
    }

    #[test]
    fn a_name_is_required() {
        let errors = Site::parse(&SiteInput {
            name: "  ".into(),
            ..input()
        })
        .unwrap_err();
        assert_eq!(errors[0].field, "name");
        assert_eq!(errors[0].message, "is required");
    }

    #[test]
    fn countries_are_real_iso_codes() {
        assert_eq!(parse_country("country", " us "), Ok("US".into()));
        assert!(
            parse_country("country", "UK").is_err(),
            "the ISO code is GB"
        );
        assert!(parse_country("country", "USA").is_err());
    }
}
