//! Loads what the recovery analysis reads and keeps the result until the
//! inventory changes: every write appends an audit event, so the audit
//! chain's head (with the newest lag sample and the day) tells whether a
//! cached analysis is still current.

use crate::api::error::AppError;
use crate::domain::analysis::simulation::{simulate_site_loss, SiteLoss};
use crate::domain::analysis::tiers::TierTable;
use crate::domain::analysis::{analyze, Analysis, Portfolio};
use crate::domain::drill::{coverage, Coverage, Drill};
use crate::domain::inventory::raci::{RaciLetter, RaciSubject};
use crate::domain::inventory::RecordKey;
use crate::domain::runbook::RunbookScope;
use crate::domain::scorecard::{site_summary, SiteSummary};
use crate::domain::timestamp::Timestamp;
use crate::server::db::{self, Db, Tx};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};
use tokio::sync::Mutex;

/// How far back lag samples count (SPEC §5.4).
const LAG_WINDOW_DAYS: i64 = 7;

/// What a cached analysis was computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Stamp {
    audit_head: i64,
    lag_head: i64,
    day: time::Date,
}

/// The last analysis with what it was computed from.
type Cached = Option<(Stamp, Arc<Computed>)>;

/// The last analysis with its portfolio, shared by every request.
#[derive(Clone, Default)]
pub struct AnalysisCache(Arc<Mutex<Cached>>);

/// A portfolio and its analysis, computed together; the loss of each
/// site is computed when first asked for.
pub struct Computed {
    pub portfolio: Portfolio,
    pub analysis: Analysis,
    site_summaries: OnceLock<Vec<SiteSummary>>,
}

impl Computed {
    pub fn new(portfolio: Portfolio, today: time::Date) -> Computed {
        let analysis = analyze(&portfolio, &TierTable::default(), today);
        Computed {
            portfolio,
            analysis,
            site_summaries: OnceLock::new(),
        }
    }

    /// What losing each site does, in figures, by site key. CPU-bound
    /// (one simulation per site): call it off the async threads.
    pub fn site_summaries(&self) -> &[SiteSummary] {
        self.site_summaries.get_or_init(|| {
            self.portfolio
                .sites
                .iter()
                .map(|site| {
                    site_summary(&simulate_site_loss(
                        &self.portfolio,
                        &TierTable::default(),
                        site.key.as_str(),
                    ))
                })
                .collect()
        })
    }

    /// Drill coverage of the tier 0–2 services as of `today`.
    pub fn coverage(&self, today: time::Date) -> Vec<Coverage> {
        let last = &self.portfolio.last_passed_drill;
        let services: Vec<(String, u8, Option<time::Date>)> = self
            .analysis
            .services
            .iter()
            .map(|s| {
                let key = RecordKey::parse(&s.key).ok();
                (
                    s.key.clone(),
                    s.tier,
                    key.and_then(|k| last.get(&k).copied()),
                )
            })
            .collect();
        coverage(&services, today)
    }
}

async fn stamp(tx: &mut Tx, now: Timestamp) -> Result<Stamp, AppError> {
    let (audit_head, lag_head) = db::lag::change_marks(tx).await?;
    Ok(Stamp {
        audit_head,
        lag_head,
        day: now.as_datetime().date(),
    })
}

/// Everything the analysis reads, as of `now`.
async fn load(tx: &mut Tx, now: Timestamp) -> Result<Portfolio, AppError> {
    let lag_samples = db::lag::since(tx, now - time::Duration::days(LAG_WINDOW_DAYS)).await?;
    let assignments = db::raci::all_in(tx).await?;
    let mut accountable: HashMap<&RecordKey, usize> = HashMap::new();
    for a in assignments
        .iter()
        .filter(|a| a.subject == RaciSubject::Service)
    {
        *accountable.entry(&a.key).or_default() += usize::from(a.letter == RaciLetter::A);
    }
    let raci_complete: HashSet<RecordKey> = accountable
        .into_iter()
        .filter(|(_, n)| *n == 1)
        .map(|(k, _)| k.clone())
        .collect();
    Ok(Portfolio {
        services: db::services::all_in(tx).await?,
        dependencies: db::dependencies::all_in(tx).await?,
        processes: db::processes::list(tx, "").await?,
        bias: db::bia::latest_approved(tx).await?,
        replication: db::replication::all(tx).await?,
        lag_samples,
        vendors: db::vendors::list(tx, "").await?,
        sites: db::sites::all_in(tx).await?,
        raci_complete,
        runbook_review_due: db::runbooks::latest_approved(tx, RunbookScope::Service)
            .await?
            .into_iter()
            .filter_map(|r| Some((r.subject, r.approval.next_review_due?)))
            .collect(),
        demonstrated_minutes: db::recoveries::demonstrated(tx).await?,
        last_passed_drill: last_passed(&db::drills::completed(tx).await?),
    })
}

/// The day each service last passed a drill.
fn last_passed(drills: &[Drill]) -> HashMap<RecordKey, time::Date> {
    let mut last: HashMap<RecordKey, time::Date> = HashMap::new();
    for d in drills {
        let Some(day) = d.completed_at.map(|t| t.as_datetime().date()) else {
            continue;
        };
        for s in d.services.iter().filter(|s| d.passed(&s.service)) {
            let entry = last.entry(s.service.clone()).or_insert(day);
            *entry = (*entry).max(day);
        }
    }
    last
}

impl AnalysisCache {
    /// The analysis as of `now`, computed again only when something
    /// changed since the cached one.
    pub async fn current(&self, db: &Db, now: Timestamp) -> Result<Arc<Computed>, AppError> {
        let mut tx = db.read().await?;
        let stamp = stamp(&mut tx, now).await?;
        let mut cached = self.0.lock().await;
        if let Some((at, computed)) = cached.as_ref() {
            if *at == stamp {
                return Ok(computed.clone());
            }
        }
        let portfolio = load(&mut tx, now).await?;
        let computed = Arc::new(Computed::new(portfolio, stamp.day));
        *cached = Some((stamp, computed.clone()));
        Ok(computed)
    }
}

/// The loss of `site`, from the current analysis's portfolio.
pub async fn site_loss(
    cache: &AnalysisCache,
    db: &Db,
    site: &RecordKey,
    now: Timestamp,
) -> Result<SiteLoss, AppError> {
    let computed = cache.current(db, now).await?;
    if !computed.portfolio.sites.iter().any(|s| &s.key == site) {
        return Err(AppError::NotFound {
            what: format!("Site {site}"),
        });
    }
    Ok(simulate_site_loss(
        &computed.portfolio,
        &TierTable::default(),
        site.as_str(),
    ))
}
