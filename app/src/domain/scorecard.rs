//! The readiness scorecard (SPEC §5.7, §7): what executives read on the
//! dashboard and in the board report. Scores by tier, the top gaps with
//! their owners, drill coverage, action items, the loss of each site,
//! and the snapshots that give the score its trend.

use super::action_item::ActionItem;
use super::analysis::findings::{Finding, FindingKind};
use super::analysis::readiness::{portfolio, Readiness};
use super::analysis::simulation::{ServiceState, SiteLoss};
use super::analysis::tiers::TIER_WEIGHTS;
use super::analysis::Analysis;
use super::drill::Coverage;
use super::timestamp::Timestamp;
use super::trends::Series;
use serde::{Deserialize, Serialize};

named_enum!(
    /// Why a snapshot was taken.
    SnapshotKind, "snapshot kind" {
    Daily => "daily",
    OnDemand => "on_demand",
});

/// One tier's services and their mean readiness.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TierScore {
    pub tier: u8,
    pub services: usize,
    pub mean: f64,
    /// Its weight in the portfolio score.
    pub weight: f64,
}

/// One service's score in a snapshot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceScore {
    pub service: String,
    pub tier: u8,
    pub score: u32,
    /// Bit `i` set when check `i` (in the order of SPEC §5.7) passed.
    pub passed_checks: u32,
}

/// The scores as of one moment, kept so trends can be drawn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub taken_at: Timestamp,
    pub kind: SnapshotKind,
    pub taken_by: String,
    pub portfolio_score: Option<f64>,
    pub tiers: Vec<TierScore>,
    pub services: Vec<ServiceScore>,
}

/// The bits of the checks that passed.
pub fn passed_mask(r: &Readiness) -> u32 {
    r.checks
        .iter()
        .enumerate()
        .filter(|(_, c)| c.passed)
        .fold(0, |mask, (i, _)| mask | 1 << i)
}

/// The mean score of each tier that has services, tier 0 first.
pub fn by_tier(analysis: &Analysis) -> Vec<TierScore> {
    let mut sums = [(0usize, 0u64); 5];
    for s in &analysis.services {
        let t = usize::from(s.tier.min(4));
        sums[t].0 += 1;
        sums[t].1 += u64::from(s.readiness.score);
    }
    sums.iter()
        .enumerate()
        .filter(|(_, (n, _))| *n > 0)
        .map(|(tier, (n, total))| TierScore {
            tier: tier as u8,
            services: *n,
            mean: *total as f64 / *n as f64,
            weight: TIER_WEIGHTS[tier],
        })
        .collect()
}

/// The analysis's scores, to be kept.
pub fn snapshot(analysis: &Analysis, kind: SnapshotKind, by: &str, at: Timestamp) -> Snapshot {
    let services: Vec<ServiceScore> = analysis
        .services
        .iter()
        .map(|s| ServiceScore {
            service: s.key.clone(),
            tier: s.tier,
            score: s.readiness.score,
            passed_checks: passed_mask(&s.readiness),
        })
        .collect();
    Snapshot {
        taken_at: at,
        kind,
        taken_by: by.to_string(),
        portfolio_score: portfolio(services.iter().map(|s| (s.tier, s.score))),
        tiers: by_tier(analysis),
        services,
    }
}

/// The portfolio score by day: the last snapshot of each day, oldest
/// first. `points` are (taken at, score), in any order.
pub fn daily_trend(points: &[(Timestamp, f64)]) -> Series {
    let mut sorted: Vec<&(Timestamp, f64)> = points.iter().collect();
    sorted.sort_by_key(|(at, _)| *at);
    let mut days: Vec<(String, f64)> = Vec::new();
    for (at, score) in sorted {
        let day = super::timestamp::format_date(at.as_datetime().date());
        match days.last_mut() {
            Some(last) if last.0 == day => last.1 = *score,
            _ => days.push((day, *score)),
        }
    }
    Series {
        name: "portfolio score".into(),
        points: days,
    }
}

/// A finding with the service and the team that owns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    pub service: String,
    pub name: String,
    pub tier: u8,
    pub owner_team: String,
    pub finding: Finding,
}

/// How much a kind of finding weighs against the others: what stops a
/// recovery first, paperwork last.
fn severity(kind: FindingKind) -> u8 {
    use FindingKind::*;
    match kind {
        RtoGap => 0,
        RpoGap => 1,
        SingleSite => 2,
        Untested => 3,
        RtoInversion => 4,
        VendorGap => 5,
        StaleRunbook => 6,
        Residency => 7,
        DnsTtl => 8,
        StaleBia => 9,
        RaciIncomplete => 10,
    }
}

/// The `n` gaps that matter most: most critical tier first, then the
/// most severe kind, then the largest gap.
pub fn top_gaps(analysis: &Analysis, n: usize) -> Vec<Gap> {
    let mut all: Vec<(&super::analysis::ServiceAnalysis, &Finding)> = analysis
        .services
        .iter()
        .flat_map(|s| s.findings.iter().map(move |f| (s, f)))
        .collect();
    all.sort_by(|(a, fa), (b, fb)| {
        (a.tier, severity(fa.kind))
            .cmp(&(b.tier, severity(fb.kind)))
            .then_with(|| {
                let size = |f: &Finding| f.value.unwrap_or(0.0);
                size(fb).total_cmp(&size(fa))
            })
            .then_with(|| a.key.cmp(&b.key))
    });
    all.into_iter()
        .take(n)
        .map(|(s, f)| Gap {
            service: s.key.clone(),
            name: s.name.clone(),
            tier: s.tier,
            owner_team: s.owner_team.clone(),
            finding: f.clone(),
        })
        .collect()
}

/// Drill coverage of the tier 0–2 services, in figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CoverageSummary {
    pub critical: usize,
    /// Passed a drill within their tier's window.
    pub covered: usize,
    /// The overdue ones, most urgent first (at most ten).
    pub overdue: Vec<String>,
    pub overdue_count: usize,
}

pub fn coverage_summary(rows: &[Coverage]) -> CoverageSummary {
    let overdue: Vec<&Coverage> = rows.iter().filter(|c| c.overdue).collect();
    CoverageSummary {
        critical: rows.len(),
        covered: rows.len() - overdue.len(),
        overdue: overdue.iter().take(10).map(|c| c.service.clone()).collect(),
        overdue_count: overdue.len(),
    }
}

/// Open action items in figures, with the overdue ones.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionSummary {
    pub open: usize,
    pub overdue: Vec<ActionItem>,
}

pub fn action_summary(items: &[ActionItem], today: time::Date) -> ActionSummary {
    let mut overdue: Vec<ActionItem> = items.iter().filter(|a| a.overdue(today)).cloned().collect();
    overdue.sort_by_key(|a| (a.due_on, a.id));
    ActionSummary {
        open: items
            .iter()
            .filter(|a| a.status == super::action_item::ActionStatus::Open)
            .count(),
        overdue,
    }
}

/// What losing one site does, in figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiteSummary {
    pub site: String,
    pub failing_over: usize,
    pub down: usize,
    pub impaired: usize,
    pub rto_breaches: usize,
    pub mtpd_breaches: usize,
    /// The longest time until a failing-over service serves again.
    pub longest_minutes: Option<u64>,
    pub processes_affected: usize,
    /// Services moving to a site without the capacity for them.
    pub capacity_at_risk: usize,
}

pub fn site_summary(loss: &SiteLoss) -> SiteSummary {
    let count = |state: ServiceState| loss.services.iter().filter(|s| s.state == state).count();
    SiteSummary {
        site: loss.site.clone(),
        failing_over: count(ServiceState::FailedOver),
        down: count(ServiceState::Down),
        impaired: count(ServiceState::Impaired),
        rto_breaches: loss.services.iter().filter(|s| s.breaches_rto).count(),
        mtpd_breaches: loss.services.iter().filter(|s| s.breaches_mtpd).count(),
        longest_minutes: loss
            .services
            .iter()
            .filter(|s| s.state != ServiceState::Running)
            .filter_map(|s| s.downtime_minutes)
            .max(),
        processes_affected: loss.processes_affected.len(),
        capacity_at_risk: loss.capacity.iter().map(|c| c.at_risk.len()).sum(),
    }
}

/// Everything the dashboard and the board report show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    pub generated_at: Timestamp,
    pub portfolio_score: Option<f64>,
    pub services: usize,
    pub findings: usize,
    pub tiers: Vec<TierScore>,
    /// The portfolio score by day, from the snapshots.
    pub trend: Series,
    pub last_snapshot: Option<Timestamp>,
    pub top_gaps: Vec<Gap>,
    pub coverage: CoverageSummary,
    pub actions: ActionSummary,
    pub sites: Vec<SiteSummary>,
    /// Mean time to recover by month: real failovers and drills.
    pub mttr: Vec<Series>,
}

/// How many gaps the scorecard lists.
pub const TOP_GAPS: usize = 10;

/// What the scorecard is computed from, besides the analysis.
pub struct Inputs<'a> {
    pub coverage: &'a [Coverage],
    pub actions: &'a [ActionItem],
    /// Every snapshot's (taken at, portfolio score).
    pub snapshots: &'a [(Timestamp, f64)],
    pub sites: Vec<SiteSummary>,
    pub mttr: Vec<Series>,
}

/// The scorecard as of `now`; its trend ends with the score shown now.
pub fn build(analysis: &Analysis, inputs: Inputs, now: Timestamp) -> Scorecard {
    let mut points = inputs.snapshots.to_vec();
    points.extend(analysis.portfolio_score.map(|score| (now, score)));
    Scorecard {
        generated_at: now,
        portfolio_score: analysis.portfolio_score,
        services: analysis.services.len(),
        findings: analysis.services.iter().map(|s| s.findings.len()).sum(),
        tiers: by_tier(analysis),
        trend: daily_trend(&points),
        last_snapshot: inputs.snapshots.iter().map(|(at, _)| *at).max(),
        top_gaps: top_gaps(analysis, TOP_GAPS),
        coverage: coverage_summary(inputs.coverage),
        actions: action_summary(inputs.actions, now.as_datetime().date()),
        sites: inputs.sites,
        mttr: inputs.mttr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analysis::readiness::Check;
    use crate::domain::analysis::simulation::ServiceOutcome;
    use crate::domain::analysis::{RecoverySource, ServiceAnalysis};

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    #[test]
    fn the_mask_has_a_bit_per_passed_check() {
        let check = |passed| Check {
            name: "c".into(),
            points: 10,
            passed,
            reason: String::new(),
        };
        let r = Readiness {
            score: 20,
            checks: vec![check(true), check(false), check(true)],
        };
        assert_eq!(passed_mask(&r), 0b101);
    }

    #[test]
    fn the_trend_keeps_the_last_snapshot_of_each_day() {
        let trend = daily_trend(&[
            (at("2026-11-02T09:00:00Z"), 70.0),
            (at("2026-11-01T23:00:00Z"), 50.0),
            (at("2026-11-02T08:00:00Z"), 60.0),
            (at("2026-11-01T06:00:00Z"), 40.0),
        ]);
        assert_eq!(
            trend.points,
            [
                ("2026-11-01".to_string(), 50.0),
                ("2026-11-02".to_string(), 70.0)
            ]
        );
    }

    fn service(
        key: &str,
        tier: u8,
        score: u32,
        findings: &[(FindingKind, f64)],
    ) -> ServiceAnalysis {
        ServiceAnalysis {
            key: key.into(),
            name: key.into(),
            owner_team: format!("team-{key}"),
            tier,
            target_rto_minutes: None,
            target_rto_reason: None,
            target_rpo_minutes: None,
            target_rpo_reason: None,
            recovery_minutes: 10,
            recovery_source: RecoverySource::Declared,
            achievable_rto_minutes: None,
            critical_path: vec![],
            critical_path_minutes: vec![],
            wave: None,
            cycle: None,
            achievable_rpo_minutes: None,
            achievable_rpo_reason: String::new(),
            findings: findings
                .iter()
                .map(|(kind, value)| Finding {
                    kind: *kind,
                    message: format!("{kind}"),
                    value: Some(*value),
                })
                .collect(),
            readiness: Readiness {
                score,
                checks: vec![],
            },
        }
    }

    fn analysis(services: Vec<ServiceAnalysis>) -> Analysis {
        Analysis {
            services,
            cycles: vec![],
            portfolio_score: None,
        }
    }

    #[test]
    fn tiers_average_their_services_and_the_snapshot_weighs_them() {
        let a = analysis(vec![
            service("A", 0, 100, &[]),
            service("B", 0, 50, &[]),
            service("C", 3, 0, &[]),
        ]);
        let tiers = by_tier(&a);
        assert_eq!(tiers.len(), 2);
        assert_eq!(
            (tiers[0].tier, tiers[0].services, tiers[0].mean),
            (0, 2, 75.0)
        );
        assert_eq!((tiers[1].tier, tiers[1].weight), (3, 2.0));
        let s = snapshot(
            &a,
            SnapshotKind::Daily,
            "system",
            at("2026-11-26T00:00:00Z"),
        );
        assert_eq!(s.portfolio_score, Some(750.0 / 12.0));
        assert_eq!(s.services.len(), 3);
    }

    #[test]
    fn top_gaps_put_critical_tiers_and_severe_kinds_first() {
        let a = analysis(vec![
            service("LOW", 3, 0, &[(FindingKind::RtoGap, 500.0)]),
            service("PAPER", 0, 0, &[(FindingKind::RaciIncomplete, 0.0)]),
            service("SMALL", 0, 0, &[(FindingKind::RtoGap, 5.0)]),
            service("BIG", 0, 0, &[(FindingKind::RtoGap, 50.0)]),
        ]);
        let keys: Vec<String> = top_gaps(&a, 3).into_iter().map(|g| g.service).collect();
        assert_eq!(keys, ["BIG", "SMALL", "PAPER"]);
        assert_eq!(top_gaps(&a, 10)[0].owner_team, "team-BIG");
    }

    #[test]
    fn a_site_summary_counts_states_and_breaches() {
        let outcome = |key: &str, state, downtime, breaches_rto| ServiceOutcome {
            key: key.into(),
            name: key.into(),
            tier: 1,
            state,
            downtime_minutes: downtime,
            target_rto_minutes: Some(60),
            breaches_rto,
            mtpd_minutes: None,
            breaches_mtpd: false,
            reason: String::new(),
        };
        let loss = SiteLoss {
            site: "DC-FRA".into(),
            services: vec![
                outcome("A", ServiceState::FailedOver, Some(90), true),
                outcome("B", ServiceState::FailedOver, Some(30), false),
                outcome("C", ServiceState::Down, None, true),
                outcome("D", ServiceState::Running, Some(0), false),
            ],
            waves: vec![],
            identity_services: vec![],
            capacity: vec![],
            processes_affected: vec!["PAY".into()],
        };
        let s = site_summary(&loss);
        assert_eq!((s.failing_over, s.down, s.rto_breaches), (2, 1, 2));
        assert_eq!(s.longest_minutes, Some(90));
        assert_eq!(s.processes_affected, 1);
    }
}
