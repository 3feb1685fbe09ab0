//! The recovery trends (SPEC §6.4) as series: mean time to recover by
//! month for real failovers and drills, and recovery against target.
//! The trends page and the board report draw the same numbers.

use super::analysis::Computed;
use crate::domain::failover::FailoverStatus;
use crate::domain::trends::{achieved_vs_target, monthly_mean, Sample, Series};
use crate::server::db::{self, Tx};

pub struct TrendSeries {
    pub mttr: [Series; 2],
    pub achieved: [Series; 2],
    pub failovers: usize,
    pub recoveries: usize,
}

pub async fn load(tx: &mut Tx, computed: &Computed) -> anyhow::Result<TrendSeries> {
    let failovers: Vec<Sample> = db::failover::recent(tx, 10_000)
        .await?
        .into_iter()
        .filter(|r| r.status == FailoverStatus::Completed)
        .filter_map(|r| {
            let end = r.finished_at?;
            Some(Sample {
                day: end.as_datetime().date(),
                minutes: r.elapsed_minutes(end),
                target: None,
            })
        })
        .collect();
    let target = |key: &str| {
        computed
            .analysis
            .service(key)
            .and_then(|s| s.target_rto_minutes)
            .map(|m| m as f64)
    };
    let history = db::recoveries::history(tx).await?;
    let recoveries: Vec<Sample> = history
        .iter()
        .map(|(service, _, minutes, at)| Sample {
            day: at.as_datetime().date(),
            minutes: *minutes as f64,
            target: target(service),
        })
        .collect();
    let drills: Vec<Sample> = history
        .iter()
        .zip(&recoveries)
        .filter(|((_, kind, ..), _)| kind == "drill")
        .map(|(_, s)| s.clone())
        .collect();
    Ok(TrendSeries {
        mttr: [
            monthly_mean("real failovers", &failovers),
            monthly_mean("drills", &drills),
        ],
        achieved: achieved_vs_target(&recoveries),
        failovers: failovers.len(),
        recoveries: recoveries.len(),
    })
}
