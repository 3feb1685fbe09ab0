//! Target and achievable recovery over the hard-dependency graph (SPEC
//! §5.2, §5.3, §5.5 waves), with the reasons the pages spell out.

use super::{Indexed, RecoverySource};
use std::sync::Arc;

/// What sets a target.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Source {
    /// The BIA of a process (by its index in the portfolio).
    Bia { process: usize },
    /// A service that depends on this one hard: its target less its own
    /// recovery.
    Dependant {
        service: usize,
        target: i64,
        recovery: u32,
    },
}

/// A target and what sets it; the reason is written out only for the
/// answer, not for every candidate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Target {
    pub minutes: i64,
    pub source: Source,
}

impl Target {
    /// `BIA of SHOP: RTO 60 min`, or which dependant needs it first.
    pub fn reason(&self, ix: &Indexed, what: &str) -> String {
        match self.source {
            Source::Bia { process } => format!(
                "BIA of {}: {what} {} min",
                ix.portfolio.processes[process].key, self.minutes
            ),
            Source::Dependant {
                service,
                target,
                recovery,
            } => format!(
                "{} needs it first: {target} min − its own recovery {recovery} min = {} min",
                ix.key(service),
                self.minutes
            ),
        }
    }
}

/// Keeps the smaller of two targets; the first on a tie.
fn tighter(current: &mut Option<Target>, candidate: Target) {
    if current.is_none_or(|t| candidate.minutes < t.minutes) {
        *current = Some(candidate);
    }
}

/// A figure of the approved BIAs of the processes that use a service
/// directly: the smallest, and the process (by index) it comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BiaFigure {
    pub minutes: i64,
    pub process: usize,
}

impl BiaFigure {
    fn target(self) -> Target {
        Target {
            minutes: self.minutes,
            source: Source::Bia {
                process: self.process,
            },
        }
    }
}

/// The recovery numbers of every service, by index.
pub struct Recovery {
    pub recovery: Vec<u32>,
    pub source: Vec<RecoverySource>,
    /// Smallest RTO, RPO and MTPD of the BIAs of the processes using each
    /// service directly.
    pub bia_rto: Vec<Option<BiaFigure>>,
    pub bia_rpo: Vec<Option<BiaFigure>>,
    pub bia_mtpd: Vec<Option<BiaFigure>>,
    pub target_rto: Vec<Option<Target>>,
    pub target_rpo: Vec<Option<Target>>,
    pub achievable: Vec<Option<u64>>,
    /// The next service on the critical path.
    pub next: Vec<Option<usize>>,
    pub wave: Vec<Option<u32>>,
    /// The component of the cycle that leaves a service without an
    /// achievable RTO.
    pub blocked_by: Vec<Option<usize>>,
}

fn smallest(slot: &mut Option<BiaFigure>, minutes: i64, process: usize) {
    if slot.is_none_or(|f| minutes < f.minutes) {
        *slot = Some(BiaFigure { minutes, process });
    }
}

impl Recovery {
    pub fn compute(ix: &Indexed) -> Recovery {
        let n = ix.services.len();
        let p = ix.portfolio;
        let (recovery, source): (Vec<u32>, Vec<RecoverySource>) = ix
            .services
            .iter()
            .map(|s| match p.demonstrated_minutes.get(&s.key) {
                Some(m) => (*m, RecoverySource::Demonstrated),
                None => (s.recovery_minutes, RecoverySource::Declared),
            })
            .unzip();
        let mut r = Recovery {
            recovery,
            source,
            bia_rto: vec![None; n],
            bia_rpo: vec![None; n],
            bia_mtpd: vec![None; n],
            target_rto: vec![None; n],
            target_rpo: vec![None; n],
            achievable: vec![None; n],
            next: vec![None; n],
            wave: vec![None; n],
            blocked_by: vec![None; n],
        };
        r.direct_bias(ix);
        r.targets(ix);
        r.achievable(ix);
        r
    }

    fn direct_bias(&mut self, ix: &Indexed) {
        for (v, processes) in ix.processes.iter().enumerate() {
            for &p in processes {
                let Some(bia) = ix.bias.get(ix.portfolio.processes[p].key.as_str()) else {
                    continue;
                };
                let t = &bia.targets;
                smallest(&mut self.bia_rto[v], i64::from(t.rto_minutes), p);
                smallest(&mut self.bia_rpo[v], i64::from(t.rpo_minutes), p);
                smallest(&mut self.bia_mtpd[v], i64::from(t.mtpd_minutes), p);
            }
        }
    }

    /// SPEC §5.2, dependants before their dependencies.
    fn targets(&mut self, ix: &Indexed) {
        let g = &ix.graph;
        for component in g.components.iter().rev() {
            // The RPO is shared by a cycle's members: each depends on all.
            let mut rpo: Option<Target> = None;
            for &v in component {
                if let Some(f) = self.bia_rpo[v] {
                    tighter(&mut rpo, f.target());
                }
                for &u in &g.dependants[v] {
                    if g.component[u] != g.component[v] {
                        if let Some(t) = self.target_rpo[u] {
                            tighter(&mut rpo, t);
                        }
                    }
                }
            }
            for &v in component {
                self.target_rpo[v] = rpo;
                let mut rto = self.bia_rto[v].map(BiaFigure::target);
                for &u in &g.dependants[v] {
                    if g.component[u] == g.component[v] {
                        continue;
                    }
                    if let Some(t) = self.target_rto[u] {
                        let recovery = self.recovery[u];
                        let source = Source::Dependant {
                            service: u,
                            target: t.minutes,
                            recovery,
                        };
                        let minutes = t.minutes - i64::from(recovery);
                        tighter(&mut rto, Target { minutes, source });
                    }
                }
                self.target_rto[v] = rto;
            }
        }
    }

    /// SPEC §5.3 and the waves of §5.5, dependencies first.
    fn achievable(&mut self, ix: &Indexed) {
        let g = &ix.graph;
        for (id, component) in g.components.iter().enumerate() {
            if component.len() > 1 {
                for &v in component {
                    self.blocked_by[v] = Some(id);
                }
                continue;
            }
            let v = component[0];
            if let Some(cycle) = g.deps[v].iter().filter_map(|&d| self.blocked_by[d]).min() {
                self.blocked_by[v] = Some(cycle);
                continue;
            }
            // The slowest dependency; the smallest key on a tie.
            let slowest = g.deps[v]
                .iter()
                .copied()
                .max_by(|&a, &b| self.achievable[a].cmp(&self.achievable[b]).then(b.cmp(&a)));
            let before = slowest.and_then(|d| self.achievable[d]).unwrap_or(0);
            self.achievable[v] = Some(u64::from(self.recovery[v]) + before);
            self.next[v] = slowest;
            self.wave[v] = Some(
                g.deps[v]
                    .iter()
                    .filter_map(|&d| self.wave[d])
                    .max()
                    .map_or(0, |w| w + 1),
            );
        }
    }

    /// The critical path from `v`: `v` and then, each time, the slowest
    /// hard dependency.
    pub fn critical_path(&self, v: usize) -> Vec<usize> {
        if self.achievable[v].is_none() {
            return Vec::new();
        }
        let mut path = vec![v];
        while let Some(next) = self.next[*path.last().unwrap_or(&v)] {
            path.push(next);
        }
        path
    }

    /// The members of the cycle that leaves `v` without an achievable RTO.
    pub fn cycle_of(&self, ix: &Indexed, v: usize) -> Option<Vec<Arc<str>>> {
        self.blocked_by[v].map(|c| {
            ix.graph.components[c]
                .iter()
                .map(|&u| ix.keys[u].clone())
                .collect()
        })
    }
}
