//! Losing a site (SPEC §5.5): what keeps running, what fails over and how
//! long it takes, what goes down, whether the surviving sites can carry
//! the load, the order to start things in, and the processes affected.

use super::recovery::Recovery;
use super::tiers::TierTable;
use super::{Indexed, Portfolio};
use crate::domain::inventory::service::{ServiceKind, Topology};
use crate::domain::inventory::site::Resources;
use serde::{Deserialize, Serialize};

named_enum!(ServiceState, "service state" {
    Down => "down",
    FailedOver => "failed_over",
    Impaired => "impaired",
    Running => "running",
});

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceOutcome {
    pub key: String,
    pub name: String,
    pub tier: u8,
    pub state: ServiceState,
    /// How long until it serves again; `None` when down.
    pub downtime_minutes: Option<u64>,
    pub target_rto_minutes: Option<i64>,
    pub breaches_rto: bool,
    /// The smallest MTPD of the processes that use it.
    pub mtpd_minutes: Option<i64>,
    pub breaches_mtpd: bool,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceLoad {
    pub resource: String,
    pub capacity: f64,
    pub load: f64,
    pub headroom: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiteCapacity {
    pub site: String,
    pub resources: Vec<ResourceLoad>,
    /// The services moving in, when any resource is over.
    pub at_risk: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiteLoss {
    pub site: String,
    /// Every service, by key.
    pub services: Vec<ServiceOutcome>,
    /// The failing-over services in startup order, wave by wave.
    pub waves: Vec<Vec<String>>,
    /// Failing-over identity services: user access waits until every one
    /// is verified.
    pub identity_services: Vec<String>,
    pub capacity: Vec<SiteCapacity>,
    pub processes_affected: Vec<String>,
}

/// What losing the primary site does to a service before dependencies
/// are considered.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Start {
    Unaffected,
    /// Active-active: keeps running at its secondary site.
    Continues,
    FailsOver,
    Down,
}

fn start(ix: &Indexed, v: usize, site: &str) -> Start {
    let s = ix.services[v];
    if s.primary_site.as_str() != site {
        return Start::Unaffected;
    }
    match (s.topology, &s.secondary_site) {
        (_, None) | (Topology::None, _) => Start::Down,
        (Topology::ActiveActive, Some(_)) => Start::Continues,
        (_, Some(_)) => Start::FailsOver,
    }
}

/// The loss of `site` as of the portfolio's state.
pub fn simulate_site_loss(portfolio: &Portfolio, tiers: &TierTable, site: &str) -> SiteLoss {
    let ix = Indexed::new(portfolio);
    let r = Recovery::compute(&ix);
    let g = &ix.graph;
    let n = ix.services.len();
    let starts: Vec<Start> = (0..n).map(|v| start(&ix, v, site)).collect();
    // `None` is down; otherwise the minutes until it serves again.
    let mut downtime: Vec<Option<u64>> = vec![Some(0); n];
    let mut reason: Vec<String> = vec![String::new(); n];
    for component in &g.components {
        let outside = |v: usize| {
            g.deps[v]
                .iter()
                .copied()
                .filter(move |&d| g.component[d] != g.component[v])
        };
        let down_dep = component
            .iter()
            .flat_map(|&v| outside(v))
            .find(|&d| downtime[d].is_none());
        let waiting = component
            .iter()
            .flat_map(|&v| outside(v))
            .filter_map(|d| downtime[d])
            .max()
            .unwrap_or(0);
        let cycle = component.len() > 1;
        for &v in component {
            let s = ix.key(v);
            (downtime[v], reason[v]) = match (starts[v], down_dep) {
                (_, Some(d)) => (None, format!("needs {} (hard), which is down", ix.key(d))),
                (Start::Down, _) => (None, format!("runs only at {site}")),
                (Start::FailsOver, _) if cycle || r.blocked_by[v].is_some() => {
                    (None, format!("{s} must fail over but is caught in a hard-dependency cycle"))
                }
                (Start::FailsOver, _) => (
                    Some(u64::from(r.recovery[v]) + waiting),
                    format!("fails over: {} min of its own after {waiting} min waiting for dependencies", r.recovery[v]),
                ),
                (_, None) if waiting > 0 => (Some(waiting), format!("waits {waiting} min for its dependencies")),
                (Start::Continues, None) => (Some(0), "keeps running at its secondary site".into()),
                (Start::Unaffected, None) => (Some(0), "not affected".into()),
            };
        }
        if cycle && component.iter().any(|&v| downtime[v].is_none()) {
            for &v in component {
                if downtime[v].is_some() {
                    downtime[v] = None;
                    reason[v] = "in a hard-dependency cycle with a service that is down".into();
                }
            }
        }
    }
    let states: Vec<ServiceState> = (0..n)
        .map(|v| match (downtime[v], starts[v]) {
            (None, _) => ServiceState::Down,
            (Some(_), Start::FailsOver) => ServiceState::FailedOver,
            (Some(d), _) if d > 0 => ServiceState::Impaired,
            _ => ServiceState::Running,
        })
        .collect();
    let services = (0..n)
        .map(|v| {
            let s = ix.services[v];
            let target = r.target_rto[v].map(|t| t.minutes);
            let mtpd = r.bia_mtpd[v].map(|f| f.minutes);
            let breaches = |limit: Option<i64>| {
                limit.is_some_and(|l| downtime[v].is_none_or(|d| d as i64 > l))
            };
            ServiceOutcome {
                key: s.key.to_string(),
                name: s.name.clone(),
                tier: tiers.tier(s.tier, target),
                state: states[v],
                downtime_minutes: downtime[v],
                target_rto_minutes: target,
                breaches_rto: breaches(target),
                mtpd_minutes: mtpd,
                breaches_mtpd: breaches(mtpd),
                reason: reason[v].clone(),
            }
        })
        .collect::<Vec<_>>();
    let waves = order_waves(
        &ix,
        |v| states[v] == ServiceState::FailedOver,
        |v| services[v].tier,
    );
    let identity_services = (0..n)
        .filter(|&v| {
            states[v] == ServiceState::FailedOver && ix.services[v].kind == ServiceKind::Identity
        })
        .map(|v| ix.key(v).to_string())
        .collect();
    let capacity = capacity(&ix, &starts, site);
    let mut processes_affected: Vec<String> = portfolio
        .processes
        .iter()
        .filter(|p| {
            p.services.iter().any(|s| {
                ix.index
                    .get(s.as_str())
                    .is_some_and(|&v| states[v] != ServiceState::Running)
            })
        })
        .map(|p| p.key.to_string())
        .collect();
    processes_affected.sort();
    SiteLoss {
        site: site.to_string(),
        services,
        waves,
        identity_services,
        capacity,
        processes_affected,
    }
}

/// Startup waves of the services `in_scope` picks by key (SPEC §5.5):
/// dependencies outside them count as up; services in a hard cycle are
/// left out, having no wave.
pub fn startup_waves(
    portfolio: &Portfolio,
    tiers: &TierTable,
    in_scope: impl Fn(&str) -> bool,
) -> Vec<Vec<String>> {
    let ix = Indexed::new(portfolio);
    let r = Recovery::compute(&ix);
    let tier = |v: usize| tiers.tier(ix.services[v].tier, r.target_rto[v].map(|t| t.minutes));
    order_waves(&ix, |v| in_scope(ix.key(v)), tier)
}

/// Startup waves of the services `moving` picks: dependencies outside
/// that set count as up; inside a wave by tier, then key.
fn order_waves(
    ix: &Indexed,
    moving: impl Fn(usize) -> bool,
    tier: impl Fn(usize) -> u8,
) -> Vec<Vec<String>> {
    let g = &ix.graph;
    let mut wave: Vec<Option<usize>> = vec![None; ix.services.len()];
    let mut waves: Vec<Vec<usize>> = Vec::new();
    for component in &g.components {
        let &[v] = component.as_slice() else { continue };
        if !moving(v) {
            continue;
        }
        let w = g.deps[v]
            .iter()
            .filter(|&&d| moving(d))
            .filter_map(|&d| wave[d])
            .max()
            .map_or(0, |w| w + 1);
        wave[v] = Some(w);
        if waves.len() <= w {
            waves.resize(w + 1, Vec::new());
        }
        waves[w].push(v);
    }
    waves
        .into_iter()
        .map(|mut members| {
            members.sort_by_key(|&v| (tier(v), ix.key(v)));
            members.into_iter().map(|v| ix.key(v).to_string()).collect()
        })
        .collect()
}

/// Each surviving site's capacity against the load it carries after the
/// loss: its own services and those moving in.
fn capacity(ix: &Indexed, starts: &[Start], lost: &str) -> Vec<SiteCapacity> {
    let mut sites: Vec<_> = ix
        .portfolio
        .sites
        .iter()
        .filter(|s| s.key.as_str() != lost)
        .collect();
    sites.sort_by(|a, b| a.key.cmp(&b.key));
    sites
        .into_iter()
        .map(|site| {
            let key = site.key.as_str();
            let mut load = Resources::default();
            let mut moving = Vec::new();
            for (v, s) in ix.services.iter().enumerate() {
                let moves_here = matches!(starts[v], Start::FailsOver | Start::Continues)
                    && s.secondary_site.as_ref().is_some_and(|k| k.as_str() == key);
                if s.primary_site.as_str() == key || moves_here {
                    load.cpu_cores += s.peak_load.cpu_cores;
                    load.memory_gb += s.peak_load.memory_gb;
                    load.storage_tb += s.peak_load.storage_tb;
                }
                if moves_here {
                    moving.push(s.key.to_string());
                }
            }
            let c = site.capacity;
            let resources: Vec<ResourceLoad> = [
                ("cpu_cores", c.cpu_cores, load.cpu_cores),
                ("memory_gb", c.memory_gb, load.memory_gb),
                ("storage_tb", c.storage_tb, load.storage_tb),
            ]
            .into_iter()
            .map(|(resource, capacity, load)| ResourceLoad {
                resource: resource.into(),
                capacity,
                load,
                headroom: capacity - load,
            })
            .collect();
            let over = resources.iter().any(|r| r.headroom < 0.0);
            SiteCapacity {
                site: key.to_string(),
                resources,
                at_risk: if over { moving } else { Vec::new() },
            }
        })
        .collect()
}
