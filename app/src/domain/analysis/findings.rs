//! Findings (SPEC §5.4): what stands between each service and its
//! targets, each with a message that names the numbers.

use super::readiness::drill_window_days;
use super::recovery::Recovery;
use super::{nearest_rank, Indexed};
use crate::domain::bia::review_overdue;
use crate::domain::inventory::replication::{ReplicationLink, ReplicationMode};
use crate::domain::inventory::service::Topology;
use crate::domain::timestamp::format_date;
use serde::{Deserialize, Serialize};

named_enum!(FindingKind, "finding" {
    RtoGap => "rto_gap",
    RtoInversion => "rto_inversion",
    RpoGap => "rpo_gap",
    VendorGap => "vendor_gap",
    DnsTtl => "dns_ttl",
    Residency => "residency",
    SingleSite => "single_site",
    StaleBia => "stale_bia",
    StaleRunbook => "stale_runbook",
    Untested => "untested",
    RaciIncomplete => "raci_incomplete",
});

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub message: String,
    /// The size of the gap in minutes, where there is one.
    pub value: Option<f64>,
}

fn finding(kind: FindingKind, message: String, value: Option<f64>) -> Finding {
    Finding {
        kind,
        message,
        value,
    }
}

/// How much data a failover of a service may lose.
#[derive(Clone, Debug, PartialEq)]
pub enum RpoValue {
    /// A stateless service keeps no data.
    NotApplicable,
    /// A stateful service without replication loses everything.
    Unbounded,
    Minutes(f64),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rpo {
    pub value: RpoValue,
    pub reason: String,
}

impl Rpo {
    pub fn minutes(&self) -> Option<f64> {
        match self.value {
            RpoValue::Minutes(m) => Some(m),
            _ => None,
        }
    }
}

/// The data one link may lose, in minutes, and why.
fn link_rpo(ix: &Indexed, link: &ReplicationLink) -> (f64, String) {
    let to = &link.target_site;
    match link.mode {
        ReplicationMode::Sync => (0.0, format!("synchronous to {to}: no loss")),
        mode if mode.lags() => {
            let samples = ix.portfolio.lag_samples.get(&link.identity());
            match samples.and_then(|s| nearest_rank(s, 95.0)) {
                Some(p95) => (
                    p95 / 60.0,
                    format!("{mode} to {to}: 95th percentile lag of the last 7 days {p95} s"),
                ),
                None => {
                    let lag = f64::from(link.expected_lag_seconds.unwrap_or(0));
                    (
                        lag / 60.0,
                        format!("{mode} to {to}: expected lag {lag} s (no samples)"),
                    )
                }
            }
        }
        mode => {
            let interval = link.interval_minutes.unwrap_or(0);
            (
                f64::from(interval),
                format!("{mode} to {to} every {interval} min"),
            )
        }
    }
}

/// Each service's achievable RPO: the best of its links.
pub fn achievable_rpos(ix: &Indexed) -> Vec<Rpo> {
    ix.services
        .iter()
        .enumerate()
        .map(|(v, s)| {
            if !s.stateful {
                return Rpo {
                    value: RpoValue::NotApplicable,
                    reason: "stateless: no data to lose".into(),
                };
            }
            let best = ix.links[v]
                .iter()
                .map(|l| link_rpo(ix, l))
                .min_by(|a, b| a.0.total_cmp(&b.0));
            match best {
                Some((minutes, reason)) => Rpo {
                    value: RpoValue::Minutes(minutes),
                    reason,
                },
                None => Rpo {
                    value: RpoValue::Unbounded,
                    reason: "stateful without replication: all data since the last copy is lost"
                        .into(),
                },
            }
        })
        .collect()
}

fn minutes(m: f64) -> String {
    if m.fract() == 0.0 {
        format!("{m:.0} min")
    } else {
        format!("{m:.1} min")
    }
}

/// Every finding of service `v`.
pub fn findings(
    ix: &Indexed,
    r: &Recovery,
    rpo: &[Rpo],
    v: usize,
    tier: u8,
    today: time::Date,
) -> Vec<Finding> {
    let s = ix.services[v];
    let key = s.key.as_str();
    let process = |p: usize| ix.portfolio.processes[p].key.as_str();
    let target_rto = r.target_rto[v].map(|t| t.minutes);
    let target_rpo = r.target_rpo[v].map(|t| t.minutes);
    let mut out = Vec::new();
    if let (Some(a), Some(t)) = (r.achievable[v], target_rto) {
        if a as i64 > t {
            let gap = a as i64 - t;
            out.push(finding(
                FindingKind::RtoGap,
                format!(
                    "{key} can be back in {a} min but must be within {t} min: {gap} min too slow"
                ),
                Some(gap as f64),
            ));
        }
    }
    for &d in &ix.graph.deps[v] {
        if let (Some(dep), Some(own)) = (&r.bia_rto[d], &r.bia_rto[v]) {
            if dep.minutes > own.minutes {
                out.push(finding(
                    FindingKind::RtoInversion,
                    format!(
                        "{key} is promised {} min (BIA of {}) but needs {} (hard), promised only {} min (BIA of {})",
                        own.minutes, process(own.process), ix.key(d), dep.minutes, process(dep.process)
                    ),
                    Some((dep.minutes - own.minutes) as f64),
                ));
            }
        }
    }
    if let Some(t) = target_rpo {
        match rpo[v].value {
            RpoValue::Unbounded => out.push(finding(
                FindingKind::RpoGap,
                format!("{key} must lose at most {t} min of data but has no replication"),
                None,
            )),
            RpoValue::Minutes(m) if m > t as f64 => out.push(finding(
                FindingKind::RpoGap,
                format!(
                    "{key} may lose {} of data but at most {t} min is allowed ({})",
                    minutes(m),
                    rpo[v].reason
                ),
                Some(m - t as f64),
            )),
            _ => {}
        }
    }
    for vendor in &ix.vendors[v] {
        if let (Some(theirs), Some(t)) = (vendor.recovery_minutes, target_rto) {
            if i64::from(theirs) > t {
                out.push(finding(
                    FindingKind::VendorGap,
                    format!("{} is contracted to recover in {theirs} min; {key} must be back within {t} min", vendor.name),
                    Some((i64::from(theirs) - t) as f64),
                ));
            }
        }
        if let (Some(theirs), Some(t)) = (vendor.rpo_minutes, target_rpo) {
            if s.stateful && i64::from(theirs) > t {
                out.push(finding(
                    FindingKind::VendorGap,
                    format!("{} is contracted to lose up to {theirs} min of data; {key} may lose at most {t} min", vendor.name),
                    Some((i64::from(theirs) - t) as f64),
                ));
            }
        }
    }
    if let Some(t) = target_rto {
        let ttl = f64::from(s.dns_ttl_seconds) / 60.0;
        if ttl > 0.1 * t as f64 {
            out.push(finding(
                FindingKind::DnsTtl,
                format!(
                    "DNS TTL {} s is more than 10 % of the {t} min target: clients keep the old address for {}",
                    s.dns_ttl_seconds,
                    minutes(ttl)
                ),
                Some(ttl - 0.1 * t as f64),
            ));
        }
    }
    if !s.data_jurisdictions.is_empty() {
        for link in &ix.links[v] {
            let Some(site) = ix.sites.get(link.target_site.as_str()) else {
                continue;
            };
            if !s.data_jurisdictions.contains(&site.country) {
                out.push(finding(
                    FindingKind::Residency,
                    format!(
                        "{} replicates to {} in {}, outside {}",
                        key,
                        site.key,
                        site.country,
                        s.data_jurisdictions.join(", ")
                    ),
                    None,
                ));
            }
        }
    }
    if tier <= 1 && (s.secondary_site.is_none() || s.topology == Topology::None) {
        out.push(finding(
            FindingKind::SingleSite,
            format!("tier {tier} service {key} runs on one site only: it has no secondary site or no failover topology"),
            None,
        ));
    }
    for &p in &ix.processes[v] {
        if let Some(bia) = ix.bias.get(process(p)) {
            if review_overdue(bia, today) {
                out.push(finding(
                    FindingKind::StaleBia,
                    format!(
                        "the BIA of {} was due for review on {}",
                        process(p),
                        bia.approval.review_text()
                    ),
                    None,
                ));
            }
        }
    }
    if let Some(due) = ix.portfolio.runbook_review_due.get(&s.key) {
        if *due < today {
            out.push(finding(
                FindingKind::StaleRunbook,
                format!(
                    "the runbook of {key} was due for review on {}",
                    format_date(*due)
                ),
                None,
            ));
        }
    }
    let window = drill_window_days(tier);
    match ix.portfolio.last_passed_drill.get(&s.key) {
        Some(day) if (today - *day).whole_days() <= window => {}
        Some(day) => out.push(finding(
            FindingKind::Untested,
            format!(
                "{key} last passed a drill on {}, more than {window} days ago",
                format_date(*day)
            ),
            None,
        )),
        None => out.push(finding(
            FindingKind::Untested,
            format!("{key} has not passed a drill (tier {tier}: one every {window} days)"),
            None,
        )),
    }
    if !ix.portfolio.raci_complete.contains(&s.key) {
        out.push(finding(
            FindingKind::RaciIncomplete,
            format!("{key} does not have exactly one accountable (A) party"),
            None,
        ));
    }
    out
}
