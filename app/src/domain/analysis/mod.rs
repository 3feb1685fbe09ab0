//! Recovery analysis (SPEC §5): pure functions over the inventory that
//! compute tiers, target and achievable RTO and RPO with their reasons,
//! the critical path, cycles, findings, startup waves, readiness and the
//! loss of a site. No I/O and no clock: the caller passes `today`.

pub mod findings;
pub mod graph;
pub mod readiness;
pub mod recovery;
pub mod simulation;
pub mod tiers;

use crate::domain::bia::Bia;
use crate::domain::inventory::process::Process;
use crate::domain::inventory::replication::ReplicationLink;
use crate::domain::inventory::service::{Dependency, DependencyKind, Service};
use crate::domain::inventory::site::Site;
use crate::domain::inventory::vendor::Vendor;
use crate::domain::inventory::RecordKey;
use findings::Finding;
use graph::HardGraph;
use readiness::Readiness;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use tiers::TierTable;

/// Everything the analysis reads.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Portfolio {
    pub services: Vec<Service>,
    pub dependencies: Vec<Dependency>,
    pub processes: Vec<Process>,
    /// The latest approved BIA of each process that has one.
    pub bias: Vec<Bia>,
    pub replication: Vec<ReplicationLink>,
    /// Each link's lag samples of the last 7 days in seconds, by
    /// [`ReplicationLink::identity`].
    pub lag_samples: HashMap<String, Vec<f64>>,
    pub vendors: Vec<Vendor>,
    pub sites: Vec<Site>,
    /// Measured recovery minutes in each service's latest completed drill
    /// or failover (the mean when measured several times).
    pub demonstrated_minutes: HashMap<RecordKey, u32>,
    /// Services with exactly one accountable party.
    pub raci_complete: HashSet<RecordKey>,
    /// The review date of each service's latest approved runbook.
    pub runbook_review_due: HashMap<RecordKey, time::Date>,
    /// The day of each service's latest passed drill.
    pub last_passed_drill: HashMap<RecordKey, time::Date>,
}

named_enum!(
    /// Where a service's recovery minutes come from (SPEC §5.3).
    RecoverySource, "recovery source" {
    Declared => "declared",
    Demonstrated => "demonstrated",
});

/// One service's numbers with their reasons; minutes are `None` where
/// undefined or unbounded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceAnalysis {
    pub key: String,
    pub name: String,
    pub owner_team: String,
    pub tier: u8,
    pub target_rto_minutes: Option<i64>,
    /// Which BIA or dependant sets the target RTO.
    pub target_rto_reason: Option<String>,
    pub target_rpo_minutes: Option<i64>,
    pub target_rpo_reason: Option<String>,
    pub recovery_minutes: u32,
    pub recovery_source: RecoverySource,
    pub achievable_rto_minutes: Option<u64>,
    /// The service, its slowest hard dependency, that one's, and so on.
    pub critical_path: Vec<Arc<str>>,
    /// The recovery minutes of each step of the critical path.
    pub critical_path_minutes: Vec<u32>,
    pub wave: Option<u32>,
    pub cycle: Option<Vec<Arc<str>>>,
    pub achievable_rpo_minutes: Option<f64>,
    pub achievable_rpo_reason: String,
    pub findings: Vec<Finding>,
    pub readiness: Readiness,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// By key.
    pub services: Vec<ServiceAnalysis>,
    /// Every hard-dependency cycle, its members by key.
    pub cycles: Vec<Vec<String>>,
    /// The readiness scores averaged with the tier weights; `None` with no
    /// services.
    pub portfolio_score: Option<f64>,
}

impl ServiceAnalysis {
    /// `A(PAY-API) = 95 min: PAY-API 20 + PAY-DB 45 + IDP 30`, or why
    /// there is no such number.
    pub fn achievable_rto_reason(&self) -> String {
        let key = &self.key;
        match (self.achievable_rto_minutes, &self.cycle) {
            (Some(minutes), _) => {
                let mut text = format!("A({key}) = {minutes} min: ");
                for (i, (step, m)) in self
                    .critical_path
                    .iter()
                    .zip(&self.critical_path_minutes)
                    .enumerate()
                {
                    let sep = if i == 0 { "" } else { " + " };
                    text.push_str(&format!("{sep}{step} {m}"));
                }
                text
            }
            (None, Some(cycle)) => {
                let members = cycle.join(" → ");
                if cycle.iter().any(|k| **k == **key) {
                    format!("{key} is in the hard-dependency cycle {members}: none of them can start first")
                } else {
                    format!(
                        "{key} depends on the hard-dependency cycle {members}, which cannot start"
                    )
                }
            }
            (None, None) => format!("{key} has no achievable RTO"),
        }
    }
}

impl Analysis {
    pub fn service(&self, key: &str) -> Option<&ServiceAnalysis> {
        self.services
            .binary_search_by(|s| s.key.as_str().cmp(key))
            .ok()
            .map(|i| &self.services[i])
    }
}

/// The portfolio's services by index, with the hard-dependency graph.
pub struct Indexed<'a> {
    pub portfolio: &'a Portfolio,
    /// By key.
    pub services: Vec<&'a Service>,
    pub index: HashMap<&'a str, usize>,
    pub graph: HardGraph,
    /// The keys, shared by every list that names services.
    pub keys: Vec<Arc<str>>,
    /// Each service's replication links, vendors and the processes (by
    /// index) that use it directly.
    pub links: Vec<Vec<&'a ReplicationLink>>,
    pub vendors: Vec<Vec<&'a Vendor>>,
    pub processes: Vec<Vec<usize>>,
    /// Each process's latest approved BIA.
    pub bias: HashMap<&'a str, &'a Bia>,
    pub sites: HashMap<&'a str, &'a Site>,
}

impl<'a> Indexed<'a> {
    pub fn new(portfolio: &'a Portfolio) -> Indexed<'a> {
        let mut services: Vec<&Service> = portfolio.services.iter().collect();
        services.sort_by(|a, b| a.key.cmp(&b.key));
        let index: HashMap<&str, usize> = services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.key.as_str(), i))
            .collect();
        let edges = portfolio
            .dependencies
            .iter()
            .filter(|d| d.kind == DependencyKind::Hard)
            .filter_map(|d| {
                Some((
                    *index.get(d.service.as_str())?,
                    *index.get(d.depends_on.as_str())?,
                ))
            });
        let graph = HardGraph::new(services.len(), edges);
        let n = services.len();
        let mut links = vec![Vec::new(); n];
        for l in &portfolio.replication {
            if let Some(&v) = index.get(l.service.as_str()) {
                links[v].push(l);
            }
        }
        let mut vendors = vec![Vec::new(); n];
        for vendor in &portfolio.vendors {
            for v in vendor.services.iter().filter_map(|s| index.get(s.as_str())) {
                vendors[*v].push(vendor);
            }
        }
        let mut processes = vec![Vec::new(); n];
        for (i, p) in portfolio.processes.iter().enumerate() {
            for v in p.services.iter().filter_map(|s| index.get(s.as_str())) {
                processes[*v].push(i);
            }
        }
        Indexed {
            keys: services.iter().map(|s| Arc::from(s.key.as_str())).collect(),
            portfolio,
            services,
            index,
            graph,
            links,
            vendors,
            processes,
            bias: portfolio
                .bias
                .iter()
                .map(|b| (b.process.as_str(), b))
                .collect(),
            sites: portfolio
                .sites
                .iter()
                .map(|s| (s.key.as_str(), s))
                .collect(),
        }
    }

    pub fn key(&self, v: usize) -> &'a str {
        self.services[v].key.as_str()
    }
}

/// The whole analysis of `portfolio` as of `today`.
pub fn analyze(portfolio: &Portfolio, tiers: &TierTable, today: time::Date) -> Analysis {
    let ix = Indexed::new(portfolio);
    let r = recovery::Recovery::compute(&ix);
    let rpo = findings::achievable_rpos(&ix);
    let services: Vec<ServiceAnalysis> = (0..ix.services.len())
        .map(|v| {
            let s = ix.services[v];
            let path = r.critical_path(v);
            let tier = tiers.tier(s.tier, r.target_rto[v].map(|t| t.minutes));
            let findings = findings::findings(&ix, &r, &rpo, v, tier, today);
            let readiness = readiness::score(&ix, &r, &rpo[v], &findings, v, tier, today);
            ServiceAnalysis {
                key: s.key.to_string(),
                name: s.name.clone(),
                owner_team: s.owner_team.clone(),
                tier,
                target_rto_minutes: r.target_rto[v].map(|t| t.minutes),
                target_rto_reason: r.target_rto[v].map(|t| t.reason(&ix, "RTO")),
                target_rpo_minutes: r.target_rpo[v].map(|t| t.minutes),
                target_rpo_reason: r.target_rpo[v].map(|t| t.reason(&ix, "RPO")),
                recovery_minutes: r.recovery[v],
                recovery_source: r.source[v],
                achievable_rto_minutes: r.achievable[v],
                critical_path: path.iter().map(|&u| ix.keys[u].clone()).collect(),
                critical_path_minutes: path.iter().map(|&u| r.recovery[u]).collect(),
                wave: r.wave[v],
                cycle: r.cycle_of(&ix, v),
                achievable_rpo_minutes: rpo[v].minutes(),
                achievable_rpo_reason: rpo[v].reason.clone(),
                findings,
                readiness,
            }
        })
        .collect();
    let cycles = ix
        .graph
        .components
        .iter()
        .filter(|c| c.len() > 1)
        .map(|c| c.iter().map(|&v| ix.key(v).to_string()).collect())
        .collect();
    let portfolio_score =
        readiness::portfolio(services.iter().map(|s| (s.tier, s.readiness.score)));
    Analysis {
        services,
        cycles,
        portfolio_score,
    }
}

/// The nearest-rank percentile `p` (0–100) of `samples`; `None` when
/// there are none.
pub fn nearest_rank(samples: &[f64], p: f64) -> Option<f64> {
    if samples.is_empty() {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    Some(sorted[rank.min(sorted.len()) - 1])
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod percentile_tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let samples: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(nearest_rank(&samples, 95.0), Some(19.0));
        assert_eq!(nearest_rank(&samples, 100.0), Some(20.0));
        assert_eq!(nearest_rank(&[7.0], 95.0), Some(7.0));
        assert_eq!(nearest_rank(&[], 95.0), None);
    }
}
