//! Target and achievable recovery over the hard-dependency graph (SPEC
//! §5.2, §5.3, §5.5 waves), with the reasons the pages spell out.

use super::{Indexed, RecoverySource};

/// A target and what sets it.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub minutes: i64,
    pub reason: String,
}

/// Keeps the smaller of two targets; the first on a tie.
fn tighter(current: &mut Option<Target>, candidate: Target) {
    if current
        .as_ref()
        .is_none_or(|t| candidate.minutes < t.minutes)
    {
        *current = Some(candidate);
    }
}

/// A figure of the approved BIAs of the processes that use a service
/// directly: the smallest, and the process it comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct BiaFigure {
    pub minutes: i64,
    pub process: String,
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

fn smallest(slot: &mut Option<BiaFigure>, minutes: i64, process: &str) {
    if slot.as_ref().is_none_or(|f| minutes < f.minutes) {
        *slot = Some(BiaFigure {
            minutes,
            process: process.to_string(),
        });
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
            for process in processes {
                let key = process.key.as_str();
                let Some(bia) = ix.bias.get(key) else {
                    continue;
                };
                let t = &bia.targets;
                smallest(&mut self.bia_rto[v], i64::from(t.rto_minutes), key);
                smallest(&mut self.bia_rpo[v], i64::from(t.rpo_minutes), key);
                smallest(&mut self.bia_mtpd[v], i64::from(t.mtpd_minutes), key);
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
                if let Some(f) = &self.bia_rpo[v] {
                    tighter(
                        &mut rpo,
                        Target {
                            minutes: f.minutes,
                            reason: format!("BIA of {}: RPO {} min", f.process, f.minutes),
                        },
                    );
                }
                for &u in &g.dependants[v] {
                    if g.component[u] == g.component[v] {
                        continue;
                    }
                    if let Some(t) = &self.target_rpo[u] {
                        tighter(&mut rpo, t.clone());
                    }
                }
            }
            for &v in component {
                self.target_rpo[v] = rpo.clone();
                let mut rto = self.bia_rto[v].as_ref().map(|f| Target {
                    minutes: f.minutes,
                    reason: format!("BIA of {}: RTO {} min", f.process, f.minutes),
                });
                for &u in &g.dependants[v] {
                    if g.component[u] == g.component[v] {
                        continue;
                    }
                    if let Some(t) = &self.target_rto[u] {
                        let minutes = t.minutes - i64::from(self.recovery[u]);
                        tighter(&mut rto, Target {
                            minutes,
                            reason: format!(
                                "{} needs it first: {} min − its own recovery {} min = {minutes} min",
                                ix.key(u),
                                t.minutes,
                                self.recovery[u]
                            ),
                        });
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
    pub fn cycle_of(&self, ix: &Indexed, v: usize) -> Option<Vec<String>> {
        self.blocked_by[v].map(|c| {
            ix.graph.components[c]
                .iter()
                .map(|&u| ix.key(u).to_string())
                .collect()
        })
    }

    /// `A(PAY-API) = 95 min: PAY-API 20 + PAY-DB 45 + IDP 30`, or why
    /// there is no such number.
    pub fn explain(&self, ix: &Indexed, v: usize) -> String {
        let key = ix.key(v);
        match (self.achievable[v], self.cycle_of(ix, v)) {
            (Some(minutes), _) => {
                let steps: Vec<String> = self
                    .critical_path(v)
                    .iter()
                    .map(|&u| format!("{} {}", ix.key(u), self.recovery[u]))
                    .collect();
                format!("A({key}) = {minutes} min: {}", steps.join(" + "))
            }
            (None, Some(cycle)) if ix.graph.in_cycle(v) => format!(
                "{key} is in the hard-dependency cycle {}: none of them can start first",
                cycle.join(" → ")
            ),
            (None, Some(cycle)) => format!(
                "{key} depends on the hard-dependency cycle {}, which cannot start",
                cycle.join(" → ")
            ),
            (None, None) => format!("{key} has no achievable RTO"),
        }
    }
}
