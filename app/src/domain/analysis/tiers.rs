//! Tiers (SPEC §5.1): how critical a service is, from its target RTO
//! unless set explicitly.

use serde::{Deserialize, Serialize};

/// The upper RTO bound of tiers 0 to 3 in minutes; above the last is
/// tier 4.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierTable {
    pub max_rto_minutes: [i64; 4],
}

pub const TIER_NAMES: [&str; 5] = [
    "Mission critical",
    "Business critical",
    "Essential",
    "Important",
    "Non-essential",
];

/// How much each tier weighs in the portfolio score (SPEC §5.7).
pub const TIER_WEIGHTS: [f64; 5] = [5.0, 4.0, 3.0, 2.0, 1.0];

impl Default for TierTable {
    fn default() -> Self {
        TierTable {
            max_rto_minutes: [60, 240, 1440, 4320],
        }
    }
}

impl TierTable {
    /// The tier of a service: `explicit` if set, else the first tier whose
    /// bound its target RTO meets, else 4.
    pub fn tier(&self, explicit: Option<u8>, target_rto: Option<i64>) -> u8 {
        explicit.unwrap_or_else(|| match target_rto {
            Some(rto) => self
                .max_rto_minutes
                .iter()
                .position(|max| rto <= *max)
                .map_or(4, |t| t as u8),
            None => 4,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_follow_the_target_rto_unless_set() {
        let t = TierTable::default();
        assert_eq!(t.tier(None, Some(60)), 0);
        assert_eq!(t.tier(None, Some(61)), 1);
        assert_eq!(t.tier(None, Some(-5)), 0);
        assert_eq!(t.tier(None, Some(4321)), 4);
        assert_eq!(t.tier(None, None), 4);
        assert_eq!(t.tier(Some(2), Some(10)), 2);
    }
}
