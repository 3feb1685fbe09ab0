//! The recovery analysis on the pages: one service's numbers, the gaps of
//! all, the startup order, and the loss of a site.

use super::error::AppError;
use super::services::SiteChoice;
use crate::domain::analysis::findings::{Finding, FindingKind};
use crate::domain::analysis::simulation::SiteLoss;
use crate::domain::analysis::ServiceAnalysis;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[server(prefix = "/fn", endpoint = "service_analysis")]
pub async fn get_service_analysis(key: String) -> Result<ServiceAnalysis, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::RecordKey;
    use crate::server::usecases::audit::now;
    respond(
        async {
            let (state, _) = require(Permission::Read).await?;
            let key = RecordKey::parse(&key)?;
            let computed = state.analysis.current(&state.db, now()).await?;
            AppError::found(computed.analysis.service(key.as_str()).cloned(), || {
                format!("Service {key}")
            })
        }
        .await,
    )
}

/// The gaps page's filters; empty is any.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct GapQuery {
    pub kind: String,
    pub tier: String,
    pub owner: String,
    /// From 1.
    pub page: String,
}

/// Findings per page of the gaps list.
pub const GAPS_PAGE_SIZE: usize = 100;

/// One finding with the service it is about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    pub service: String,
    pub tier: u8,
    pub owner_team: String,
    pub finding: Finding,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Gaps {
    /// This page of the findings that match, by tier then service.
    pub gaps: Vec<Gap>,
    /// How many match, over all pages.
    pub total: usize,
    pub page: u32,
    pub pages: u32,
    /// How many findings of each kind, over all services.
    pub counts: Vec<(FindingKind, usize)>,
    pub cycles: Vec<Vec<String>>,
    pub owners: Vec<String>,
    pub portfolio_score: Option<f64>,
}

#[server(prefix = "/fn", endpoint = "gaps")]
pub async fn get_gaps(#[server(default)] query: GapQuery) -> Result<Gaps, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::field::{FieldError, FieldErrors};
    use crate::domain::inventory::service::parse_tier;
    use crate::server::usecases::audit::now;
    respond(
        async {
            let (state, _) = require(Permission::Read).await?;
            let mut e = FieldErrors::default();
            let kind = e.take(match query.kind.trim() {
                "" => Ok(None),
                k => FindingKind::parse_field("kind", k).map(Some),
            });
            let tier = e.take(parse_tier("tier", &query.tier));
            let page =
                e.take(match query.page.trim() {
                    "" => Ok(1),
                    p => p.parse::<u32>().ok().filter(|p| *p >= 1).ok_or_else(|| {
                        FieldError::new("page", format!("'{p}' is not a page number"))
                    }),
                });
            let (kind, tier, page) = e.finish(|| Some((kind?, tier?, page?)))?;
            let owner = query.owner.trim();
            let computed = state.analysis.current(&state.db, now()).await?;
            let analysis = &computed.analysis;
            let mut counts: Vec<(FindingKind, usize)> =
                FindingKind::ALL.iter().map(|k| (*k, 0)).collect();
            let mut matching = Vec::new();
            for s in &analysis.services {
                for f in &s.findings {
                    if let Some(c) = counts.iter_mut().find(|(k, _)| *k == f.kind) {
                        c.1 += 1;
                    }
                    let keep = kind.is_none_or(|k| k == f.kind)
                        && tier.is_none_or(|t| t == s.tier)
                        && (owner.is_empty() || s.owner_team == owner);
                    if keep {
                        matching.push((s, f));
                    }
                }
            }
            // Services come by key; a stable sort keeps that inside a tier.
            matching.sort_by_key(|(s, _)| s.tier);
            let total = matching.len();
            let pages = total.max(1).div_ceil(GAPS_PAGE_SIZE) as u32;
            let page = page.min(pages);
            let gaps = matching
                .iter()
                .skip((page as usize - 1) * GAPS_PAGE_SIZE)
                .take(GAPS_PAGE_SIZE)
                .map(|(s, f)| Gap {
                    service: s.key.clone(),
                    tier: s.tier,
                    owner_team: s.owner_team.clone(),
                    finding: (*f).clone(),
                })
                .collect();
            let mut owners: Vec<String> = analysis
                .services
                .iter()
                .map(|s| s.owner_team.clone())
                .filter(|o| !o.is_empty())
                .collect();
            owners.sort();
            owners.dedup();
            Ok(Gaps {
                gaps,
                total,
                page,
                pages,
                counts,
                cycles: analysis.cycles.clone(),
                owners,
                portfolio_score: analysis.portfolio_score,
            })
        }
        .await,
    )
}

/// A service in a startup wave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WaveMember {
    pub key: String,
    pub name: String,
    pub tier: u8,
    pub identity: bool,
    pub recovery_minutes: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StartupOrder {
    pub waves: Vec<Vec<WaveMember>>,
    /// Services without a wave: in or depending on a cycle.
    pub blocked: Vec<String>,
}

#[server(prefix = "/fn", endpoint = "startup_order")]
pub async fn get_startup_order() -> Result<StartupOrder, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::service::ServiceKind;
    use crate::server::usecases::audit::now;
    respond(
        async {
            let (state, _) = require(Permission::Read).await?;
            let computed = state.analysis.current(&state.db, now()).await?;
            let kinds: std::collections::HashMap<&str, ServiceKind> = computed
                .portfolio
                .services
                .iter()
                .map(|s| (s.key.as_str(), s.kind))
                .collect();
            let mut waves: Vec<Vec<WaveMember>> = Vec::new();
            let mut blocked = Vec::new();
            for s in &computed.analysis.services {
                let Some(w) = s.wave else {
                    blocked.push(s.key.clone());
                    continue;
                };
                let w = w as usize;
                if waves.len() <= w {
                    waves.resize(w + 1, Vec::new());
                }
                waves[w].push(WaveMember {
                    key: s.key.clone(),
                    name: s.name.clone(),
                    tier: s.tier,
                    identity: kinds.get(s.key.as_str()) == Some(&ServiceKind::Identity),
                    recovery_minutes: s.recovery_minutes,
                });
            }
            for wave in &mut waves {
                wave.sort_by(|a, b| (a.tier, &a.key).cmp(&(b.tier, &b.key)));
            }
            Ok(StartupOrder { waves, blocked })
        }
        .await,
    )
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiteLossView {
    pub sites: Vec<SiteChoice>,
    /// The simulation of the chosen site, if one was chosen.
    pub loss: Option<SiteLoss>,
}

#[server(prefix = "/fn", endpoint = "site_loss")]
pub async fn get_site_loss(#[server(default)] site: String) -> Result<SiteLossView, AppError> {
    use super::ctx::{require, respond};
    use crate::domain::access::Permission;
    use crate::domain::inventory::RecordKey;
    use crate::server::usecases::{analysis, audit::now};
    respond(
        async {
            let (state, _) = require(Permission::Read).await?;
            let sites = super::services::site_choices(&state.db).await?;
            let loss = match RecordKey::optional(&site)? {
                Some(site) => {
                    Some(analysis::site_loss(&state.analysis, &state.db, &site, now()).await?)
                }
                None => None,
            };
            Ok(SiteLossView { sites, loss })
        }
        .await,
    )
}
