//! The readiness score (SPEC §5.7): per service, the points of the checks
//! that pass, each shown with its reason; the portfolio's score weighted
//! by tier.

use super::findings::{Finding, FindingKind, Rpo, RpoValue};
use super::recovery::Recovery;
use super::tiers::TIER_WEIGHTS;
use super::{Indexed, RecoverySource};
use crate::domain::timestamp::format_date;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    pub points: u32,
    pub passed: bool,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Readiness {
    pub score: u32,
    pub checks: Vec<Check>,
}

/// Days within which a service must have passed a drill: 180 for tier 0,
/// else 365 (SPEC §5.4 `untested`).
pub fn drill_window_days(tier: u8) -> i64 {
    if tier == 0 {
        180
    } else {
        365
    }
}

fn check(name: &str, points: u32, passed: bool, reason: String) -> Check {
    Check {
        name: name.into(),
        points,
        passed,
        reason,
    }
}

pub fn score(
    ix: &Indexed,
    r: &Recovery,
    rpo: &Rpo,
    findings: &[Finding],
    v: usize,
    tier: u8,
    today: time::Date,
) -> Readiness {
    let s = ix.services[v];
    let p = ix.portfolio;
    let target = r.target_rto[v].map(|t| t.minutes);
    let stale = findings.iter().any(|f| f.kind == FindingKind::StaleBia);
    let bia = match (target, stale) {
        (None, _) => check(
            "BIA current",
            15,
            false,
            "no approved BIA sets a target for it".into(),
        ),
        (Some(_), true) => check(
            "BIA current",
            15,
            false,
            "a BIA it serves is past its review date".into(),
        ),
        (Some(_), false) => check(
            "BIA current",
            15,
            true,
            "its targets come from approved, current BIAs".into(),
        ),
    };
    let raci = match p.raci_complete.contains(&s.key) {
        true => check(
            "RACI complete",
            10,
            true,
            "exactly one accountable party".into(),
        ),
        false => check(
            "RACI complete",
            10,
            false,
            "not exactly one accountable (A) party".into(),
        ),
    };
    let name = "Runbook approved and current";
    let runbook = match p.runbook_review_due.get(&s.key) {
        Some(due) if *due >= today => check(
            name,
            15,
            true,
            format!(
                "an approved runbook, due for review on {}",
                format_date(*due)
            ),
        ),
        Some(due) => check(
            name,
            15,
            false,
            format!(
                "the approved runbook was due for review on {}",
                format_date(*due)
            ),
        ),
        None => check(name, 15, false, "no approved runbook".into()),
    };
    let window = drill_window_days(tier);
    let drill = match p.last_passed_drill.get(&s.key) {
        Some(day) if (today - *day).whole_days() <= window => check(
            "Drill passed",
            20,
            true,
            format!(
                "passed a drill on {} (within {window} days)",
                format_date(*day)
            ),
        ),
        Some(day) => check(
            "Drill passed",
            20,
            false,
            format!(
                "last passed a drill on {}, more than {window} days ago",
                format_date(*day)
            ),
        ),
        None => check(
            "Drill passed",
            20,
            false,
            "no passed drill on record".into(),
        ),
    };
    let recovery = r.recovery[v];
    let demonstrated = match (target, r.source[v]) {
        (None, _) => check(
            "Recovery demonstrated",
            15,
            true,
            "does not apply: no target RTO".into(),
        ),
        (Some(_), RecoverySource::Declared) => check(
            "Recovery demonstrated",
            15,
            false,
            "recovery only declared, not yet measured in a drill or failover".into(),
        ),
        (Some(t), RecoverySource::Demonstrated) => check(
            "Recovery demonstrated",
            15,
            i64::from(recovery) <= t,
            format!("measured {recovery} min against a target of {t} min"),
        ),
    };
    let target_rpo = r.target_rpo[v].map(|t| t.minutes);
    let rpo_check = match (&rpo.value, target_rpo) {
        (RpoValue::NotApplicable, _) => {
            check("RPO feasible", 15, true, "does not apply: stateless".into())
        }
        (_, None) => check(
            "RPO feasible",
            15,
            true,
            "does not apply: no target RPO".into(),
        ),
        (RpoValue::Unbounded, Some(t)) => check(
            "RPO feasible",
            15,
            false,
            format!("no replication for a target of {t} min"),
        ),
        (RpoValue::Minutes(m), Some(t)) => check(
            "RPO feasible",
            15,
            *m <= t as f64,
            format!("may lose {m:.1} min against a target of {t} min"),
        ),
    };
    let rto = match (target, r.achievable[v]) {
        (None, _) => check(
            "RTO feasible through dependencies",
            10,
            true,
            "does not apply: no target RTO".into(),
        ),
        (Some(t), None) => check(
            "RTO feasible through dependencies",
            10,
            false,
            format!("no achievable RTO (hard-dependency cycle) for a target of {t} min"),
        ),
        (Some(t), Some(a)) => check(
            "RTO feasible through dependencies",
            10,
            a as i64 <= t,
            format!("achievable {a} min against a target of {t} min"),
        ),
    };
    let checks = vec![bia, raci, runbook, drill, demonstrated, rpo_check, rto];
    Readiness {
        score: checks.iter().filter(|c| c.passed).map(|c| c.points).sum(),
        checks,
    }
}

/// The average of the scores weighted by tier; `None` without services.
pub fn portfolio(scores: impl Iterator<Item = (u8, u32)>) -> Option<f64> {
    let (total, weights) = scores.fold((0.0, 0.0), |(total, weights), (tier, score)| {
        let w = TIER_WEIGHTS[usize::from(tier.min(4))];
        (total + w * f64::from(score), weights + w)
    });
    (weights > 0.0).then(|| total / weights)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_portfolio_score_weighs_tiers() {
        assert_eq!(
            super::portfolio([(0, 100), (4, 0)].into_iter()),
            Some(500.0 / 6.0)
        );
        assert_eq!(super::portfolio(std::iter::empty()), None);
    }
}
