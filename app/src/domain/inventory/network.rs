//! Site networks: subnets (CIDR) and VLAN ids, and the check that a
//! service's primary and secondary sites do not clash (curriculum module 2:
//! "establish VLAN and subnet alignment … to prevent IP conflicts").

use crate::domain::field::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// An IPv4 or IPv6 network in CIDR notation, normalised to its network
/// address (`10.1.2.3/16` is kept as `10.1.0.0/16`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn parse_field(field: &str, raw: &str) -> Result<Self, FieldError> {
        let text = raw.trim();
        let err = || {
            FieldError::new(
                field,
                format!("'{text}' is not a subnet like 10.20.0.0/16 or 2001:db8::/32"),
            )
        };
        let (addr, prefix) = text.split_once('/').ok_or_else(err)?;
        let addr = IpAddr::from_str(addr).map_err(|_| err())?;
        let prefix: u8 = prefix.parse().map_err(|_| err())?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        if prefix > max {
            return Err(FieldError::new(
                field,
                format!("'{text}': the prefix length must be at most {max}"),
            ));
        }
        Ok(Cidr {
            network: mask(addr, prefix),
            prefix,
        })
    }

    /// Whether the two networks share any address.
    pub fn overlaps(&self, other: &Cidr) -> bool {
        if self.network.is_ipv4() != other.network.is_ipv4() {
            return false;
        }
        let shorter = self.prefix.min(other.prefix);
        mask(self.network, shorter) == mask(other.network, shorter)
    }
}

fn mask(addr: IpAddr, prefix: u8) -> IpAddr {
    match addr {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4);
            let m = if prefix == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(prefix))
            };
            IpAddr::V4((bits & m).into())
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            let m = if prefix == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(prefix))
            };
            IpAddr::V6((bits & m).into())
        }
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

impl TryFrom<String> for Cidr {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, FieldError> {
        Cidr::parse_field("subnets", &s)
    }
}

impl From<Cidr> for String {
    fn from(c: Cidr) -> String {
        c.to_string()
    }
}

/// An IEEE 802.1Q VLAN id, 1–4094.
pub fn parse_vlan(field: &str, raw: &str) -> Result<u16, FieldError> {
    let text = raw.trim();
    match text.parse::<u16>() {
        Ok(id) if (1..=4094).contains(&id) => Ok(id),
        _ => Err(FieldError::new(
            field,
            format!("'{text}' is not a VLAN id (1 to 4094)"),
        )),
    }
}

/// A site's network, as the check needs it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteNetwork {
    pub site: String,
    pub subnets: Vec<Cidr>,
    pub vlans: Vec<u16>,
}

/// One clash between a primary site and a secondary site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NetworkClash {
    Subnet {
        primary: String,
        secondary: String,
        primary_subnet: Cidr,
        secondary_subnet: Cidr,
    },
    Vlan {
        primary: String,
        secondary: String,
        vlan: u16,
    },
}

impl fmt::Display for NetworkClash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetworkClash::Subnet {
                primary,
                secondary,
                primary_subnet,
                secondary_subnet,
            } => write!(
                f,
                "subnet {primary_subnet} at {primary} overlaps {secondary_subnet} at {secondary}"
            ),
            NetworkClash::Vlan {
                primary,
                secondary,
                vlan,
            } => {
                write!(f, "VLAN {vlan} is used at both {primary} and {secondary}")
            }
        }
    }
}

/// Clashes between a primary site and one of the secondary sites its
/// services fail over to; each pair of sites is checked once.
pub fn network_clashes(primary: &SiteNetwork, secondary: &SiteNetwork) -> Vec<NetworkClash> {
    let mut clashes = Vec::new();
    for p in &primary.subnets {
        for s in secondary.subnets.iter().filter(|s| p.overlaps(s)) {
            clashes.push(NetworkClash::Subnet {
                primary: primary.site.clone(),
                secondary: secondary.site.clone(),
                primary_subnet: *p,
                secondary_subnet: *s,
            });
        }
    }
    for vlan in primary.vlans.iter().filter(|v| secondary.vlans.contains(v)) {
        clashes.push(NetworkClash::Vlan {
            primary: primary.site.clone(),
            secondary: secondary.site.clone(),
            vlan: *vlan,
        });
    }
    clashes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cidr(s: &str) -> Cidr {
        Cidr::parse_field("subnets", s).unwrap()
    }

    #[test]
    fn cidrs_are_normalised_to_their_network() {
        assert_eq!(cidr("10.1.2.3/16").to_string(), "10.1.0.0/16");
        assert_eq!(cidr("2001:db8::1/32").to_string(), "2001:db8::/32");
        assert_eq!(cidr("0.0.0.0/0").to_string(), "0.0.0.0/0");
    }

    #[test]
    fn bad_cidrs_name_the_field() {
        for bad in [
            "10.0.0.0",
            "10.0.0.0/33",
            "10.0.0/8",
            "banana/8",
            "::/129",
            "",
        ] {
            let err = Cidr::parse_field("subnets", bad).expect_err(bad);
            assert_eq!(err.field, "subnets");
        }
    }

    #[test]
    fn overlap_is_symmetric_and_respects_prefixes() {
        assert!(cidr("10.0.0.0/8").overlaps(&cidr("10.20.0.0/16")));
        assert!(cidr("10.20.0.0/16").overlaps(&cidr("10.0.0.0/8")));
        assert!(!cidr("10.20.0.0/16").overlaps(&cidr("10.21.0.0/16")));
        assert!(
            !cidr("10.0.0.0/8").overlaps(&cidr("::/0")),
            "families never overlap"
        );
        assert!(cidr("2001:db8::/32").overlaps(&cidr("2001:db8:1::/48")));
    }

    #[test]
    fn vlan_ids_are_1_to_4094() {
        assert_eq!(parse_vlan("vlans", "100"), Ok(100));
        for bad in ["0", "4095", "-1", "ten"] {
            assert_eq!(
                parse_vlan("vlans", bad).map_err(|e| e.field),
                Err("vlans".into()),
                "{bad}"
            );
        }
    }

    #[test]
    fn clashes_list_every_overlap_and_shared_vlan() {
        let primary = SiteNetwork {
            site: "DC1".into(),
            subnets: vec![cidr("10.1.0.0/16"), cidr("10.2.0.0/16")],
            vlans: vec![10, 20],
        };
        let secondary = SiteNetwork {
            site: "DC2".into(),
            subnets: vec![cidr("10.1.128.0/17"), cidr("10.3.0.0/16")],
            vlans: vec![20, 30],
        };
        let clashes = network_clashes(&primary, &secondary);
        assert_eq!(clashes.len(), 2);
        assert_eq!(
            clashes[0].to_string(),
            "subnet 10.1.0.0/16 at DC1 overlaps 10.1.128.0/17 at DC2"
        );
        assert_eq!(
            clashes[1].to_string(),
            "VLAN 20 is used at both DC1 and DC2"
        );
        let clean = SiteNetwork {
            site: "DC3".into(),
            subnets: vec![cidr("172.16.0.0/12")],
            vlans: vec![99],
        };
        assert!(network_clashes(&primary, &clean).is_empty());
    }
}
