//! The analysis rules on small hand-made graphs, and properties on random
//! ones.

use super::simulation::{simulate_site_loss, ServiceState};
use super::tiers::TierTable;
use super::*;
use crate::domain::approval::Approval;
use crate::domain::bia::{ApprovalStatus, BiaTargets};
use crate::domain::inventory::process::{Criticality, Process};
use crate::domain::inventory::replication::{ReplicationInput, ReplicationLink};
use crate::domain::inventory::service::ServiceInput;
use crate::domain::inventory::site::SiteInput;
use crate::domain::inventory::vendor::{Vendor, VendorInput};
use findings::FindingKind;
use proptest::prelude::*;
use time::macros::date;

const TODAY: time::Date = date!(2026 - 11 - 25);

fn key(k: &str) -> RecordKey {
    RecordKey::parse(k).unwrap()
}

/// A portfolio built step by step: sites DC-A (DE, capacity 100 each)
/// and DC-B (NL, 10 each); services on DC-A with DC-B as hot standby.
struct Build(Portfolio);

impl Build {
    fn new() -> Build {
        let site = |k: &str, country: &str, size: &str| {
            Site::parse(&SiteInput {
                key: k.into(),
                name: k.into(),
                country: country.into(),
                kind: "datacenter".into(),
                cpu_cores: size.into(),
                memory_gb: size.into(),
                storage_tb: size.into(),
                ..SiteInput::default()
            })
            .unwrap()
        };
        Build(Portfolio {
            sites: vec![site("DC-A", "DE", "100"), site("DC-B", "NL", "10")],
            ..Portfolio::default()
        })
    }

    fn service_with(
        mut self,
        k: &str,
        recovery: u32,
        edit: impl FnOnce(&mut ServiceInput),
    ) -> Build {
        let mut input = ServiceInput {
            key: k.into(),
            name: k.into(),
            kind: "application".into(),
            primary_site: "DC-A".into(),
            secondary_site: "DC-B".into(),
            topology: "hot_standby".into(),
            recovery_minutes: recovery.to_string(),
            cpu_cores: "4".into(),
            ..ServiceInput::default()
        };
        edit(&mut input);
        self.0.services.push(Service::parse(&input).unwrap());
        self.0.raci_complete.insert(key(k));
        self
    }

    fn service(self, k: &str, recovery: u32) -> Build {
        self.service_with(k, recovery, |_| {})
    }

    fn hard(mut self, from: &str, to: &str) -> Build {
        self.0
            .dependencies
            .push(Dependency::parse(from, to, "hard", "").unwrap());
        self
    }

    fn soft(mut self, from: &str, to: &str) -> Build {
        self.0
            .dependencies
            .push(Dependency::parse(from, to, "soft", "").unwrap());
        self
    }

    /// A process using `services` with an approved BIA.
    fn process(mut self, k: &str, services: &[&str], rto: u32, rpo: u32, mtpd: u32) -> Build {
        self.0.processes.push(Process {
            key: key(k),
            name: k.into(),
            description: String::new(),
            owner: String::new(),
            criticality: Criticality::High,
            services: services.iter().map(|s| key(s)).collect(),
        });
        self.0.bias.push(Bia {
            process: key(k),
            version: 1,
            targets: BiaTargets {
                impacts: Default::default(),
                mtpd_minutes: mtpd,
                rto_minutes: rto,
                rpo_minutes: rpo,
                mbco: String::new(),
            },
            status: ApprovalStatus::Approved,
            approval: Approval {
                next_review_due: Some(date!(2027 - 01 - 01)),
                ..Approval::default()
            },
        });
        self
    }

    fn link(
        mut self,
        service: &str,
        mode: &str,
        to: &str,
        edit: impl FnOnce(&mut ReplicationInput),
    ) -> Build {
        let mut input = ReplicationInput {
            service: service.into(),
            mode: mode.into(),
            source_site: "DC-A".into(),
            target_site: to.into(),
            ..ReplicationInput::default()
        };
        edit(&mut input);
        self.0
            .replication
            .push(ReplicationLink::parse(&input).unwrap());
        self
    }

    fn analyze(&self) -> Analysis {
        analyze(&self.0, &TierTable::default(), TODAY)
    }
}

fn kinds(a: &Analysis, k: &str) -> Vec<FindingKind> {
    a.service(k)
        .unwrap()
        .findings
        .iter()
        .map(|f| f.kind)
        .collect()
}

#[test]
fn achievable_rto_is_the_longest_hard_path_and_names_it() {
    let a = Build::new()
        .service("PAY-API", 20)
        .service("PAY-DB", 45)
        .service("IDP", 30)
        .service("CACHE", 5)
        .service("LOG", 90)
        .hard("PAY-API", "PAY-DB")
        .hard("PAY-DB", "IDP")
        .hard("PAY-API", "CACHE")
        .soft("PAY-API", "LOG")
        .analyze();
    let api = a.service("PAY-API").unwrap();
    assert_eq!(api.achievable_rto_minutes, Some(95));
    let path: Vec<&str> = api.critical_path.iter().map(|k| &**k).collect();
    assert_eq!(path, ["PAY-API", "PAY-DB", "IDP"]);
    assert_eq!(
        api.achievable_rto_reason(),
        "A(PAY-API) = 95 min: PAY-API 20 + PAY-DB 45 + IDP 30"
    );
    assert_eq!(api.wave, Some(2));
    assert_eq!(a.service("IDP").unwrap().wave, Some(0));
    assert_eq!(api.recovery_source, RecoverySource::Declared);
}

#[test]
fn targets_come_from_bias_and_from_dependants() {
    let a = Build::new()
        .service("WEB", 20)
        .service("DB", 30)
        .service("AUDIT", 10)
        .hard("WEB", "DB")
        .hard("AUDIT", "DB")
        .process("SHOP", &["WEB"], 60, 5, 240)
        .process("REPORTS", &["AUDIT", "DB"], 480, 60, 960)
        .analyze();
    let db = a.service("DB").unwrap();
    assert_eq!(
        db.target_rto_minutes,
        Some(40),
        "60 for WEB minus WEB's own 20"
    );
    assert!(db
        .target_rto_reason
        .as_ref()
        .unwrap()
        .starts_with("WEB needs it first"));
    assert_eq!(
        db.target_rpo_minutes,
        Some(5),
        "through WEB, which depends on it"
    );
    assert_eq!(a.service("AUDIT").unwrap().target_rpo_minutes, Some(60));
    assert_eq!(a.service("WEB").unwrap().tier, 0);
    assert_eq!(db.tier, 0);
    assert_eq!(a.service("AUDIT").unwrap().tier, 2);
    let lonely = Build::new().service("X", 5).analyze();
    assert_eq!(lonely.services[0].target_rto_minutes, None);
    assert_eq!(lonely.services[0].tier, 4);
}

#[test]
fn an_rto_gap_and_an_inversion_are_found() {
    let a = Build::new()
        .service("WEB", 20)
        .service("DB", 50)
        .hard("WEB", "DB")
        .process("SHOP", &["WEB"], 60, 60, 120)
        .process("BATCH", &["DB"], 240, 60, 480)
        .analyze();
    let web = a.service("WEB").unwrap();
    assert_eq!(web.achievable_rto_minutes, Some(70));
    let gap = &web.findings[0];
    assert_eq!((gap.kind, gap.value), (FindingKind::RtoGap, Some(10.0)));
    assert!(kinds(&a, "WEB").contains(&FindingKind::RtoInversion));
    assert!(!kinds(&a, "DB").contains(&FindingKind::RtoInversion));
}

#[test]
fn cycles_have_no_achievable_rto_and_block_their_dependants() {
    let a = Build::new()
        .service("A", 10)
        .service("B", 10)
        .service("C", 10)
        .service("D", 10)
        .hard("A", "B")
        .hard("B", "A")
        .hard("C", "A")
        .hard("B", "D")
        .process("P", &["C"], 100, 10, 200)
        .analyze();
    assert_eq!(a.cycles, vec![vec!["A".to_string(), "B".to_string()]]);
    for k in ["A", "B", "C"] {
        let s = a.service(k).unwrap();
        assert_eq!(s.achievable_rto_minutes, None, "{k}");
        assert_eq!(s.wave, None, "{k}");
        let cycle: Vec<&str> = s.cycle.iter().flatten().map(|k| &**k).collect();
        assert_eq!(cycle, ["A", "B"], "{k}");
        assert!(s.achievable_rto_reason().contains("cycle A → B"), "{k}");
    }
    assert_eq!(a.service("D").unwrap().achievable_rto_minutes, Some(10));
    // Propagation ignores the edge inside the cycle but not C -> A.
    assert_eq!(a.service("A").unwrap().target_rto_minutes, Some(90));
    assert_eq!(a.service("B").unwrap().target_rto_minutes, None);
    assert_eq!(a.service("D").unwrap().target_rto_minutes, None);
    assert_eq!(
        a.service("D").unwrap().target_rpo_minutes,
        Some(10),
        "RPO flows through the cycle"
    );
}

#[test]
fn achievable_rpo_is_the_best_link_and_gaps_are_found() {
    let stateful = |i: &mut ServiceInput| i.stateful = "true".into();
    let mut b = Build::new()
        .service_with("SYNC", 5, stateful)
        .service_with("LAGGY", 5, stateful)
        .service_with("BACKED", 5, stateful)
        .service_with("NAKED", 5, stateful)
        .service("STATELESS", 5)
        .link("SYNC", "sync", "DC-B", |_| {})
        .link("LAGGY", "async", "DC-B", |i| {
            i.expected_lag_seconds = "60".into()
        })
        .link("BACKED", "backup", "DC-B", |i| {
            i.interval_minutes = "1440".into()
        })
        .link("BACKED", "snapshot", "DC-B", |i| {
            i.interval_minutes = "240".into()
        })
        .process(
            "P",
            &["SYNC", "LAGGY", "BACKED", "NAKED", "STATELESS"],
            600,
            2,
            1200,
        );
    let identity = b.0.replication[1].identity();
    b.0.lag_samples
        .insert(identity, (1..=20).map(|s| f64::from(s) * 10.0).collect());
    let a = b.analyze();
    assert_eq!(a.service("SYNC").unwrap().achievable_rpo_minutes, Some(0.0));
    assert!(!kinds(&a, "SYNC").contains(&FindingKind::RpoGap));
    let laggy = a.service("LAGGY").unwrap();
    assert_eq!(
        laggy.achievable_rpo_minutes,
        Some(190.0 / 60.0),
        "p95 of the samples, not the expected lag"
    );
    assert!(kinds(&a, "LAGGY").contains(&FindingKind::RpoGap));
    assert_eq!(
        a.service("BACKED").unwrap().achievable_rpo_minutes,
        Some(240.0)
    );
    assert_eq!(a.service("NAKED").unwrap().achievable_rpo_minutes, None);
    assert!(kinds(&a, "NAKED").contains(&FindingKind::RpoGap));
    assert!(!kinds(&a, "STATELESS").contains(&FindingKind::RpoGap));
}

#[test]
fn vendor_dns_residency_single_site_and_raci_findings() {
    let mut b = Build::new()
        .service_with("SHOP", 5, |i| {
            i.dns_ttl_seconds = "600".into();
            i.stateful = "true".into();
            i.data_jurisdictions = "DE".into();
        })
        .service_with("LONE", 5, |i| {
            i.secondary_site = String::new();
            i.topology = "none".into();
        })
        .link("SHOP", "sync", "DC-B", |_| {})
        .process("P", &["SHOP", "LONE"], 60, 5, 120);
    b.0.vendors.push(
        Vendor::parse(&VendorInput {
            name: "Acme".into(),
            recovery_minutes: "240".into(),
            rpo_minutes: "30".into(),
            services: "SHOP".into(),
            ..VendorInput::default()
        })
        .unwrap(),
    );
    b.0.raci_complete.remove(&key("LONE"));
    let a = b.analyze();
    let shop = kinds(&a, "SHOP");
    assert_eq!(
        shop.iter()
            .filter(|k| **k == FindingKind::VendorGap)
            .count(),
        2
    );
    assert!(
        shop.contains(&FindingKind::DnsTtl),
        "10 min TTL against a 60 min target"
    );
    assert!(shop.contains(&FindingKind::Residency), "DC-B is in NL");
    let lone = kinds(&a, "LONE");
    assert!(lone.contains(&FindingKind::SingleSite));
    assert!(lone.contains(&FindingKind::RaciIncomplete));
}

#[test]
fn a_stale_bia_and_readiness_terms_are_shown() {
    let mut b = Build::new()
        .service("WEB", 20)
        .process("SHOP", &["WEB"], 60, 5, 120);
    b.0.bias[0].approval.next_review_due = Some(date!(2026 - 11 - 01));
    b.0.demonstrated_minutes.insert(key("WEB"), 25);
    b.0.last_passed_drill
        .insert(key("WEB"), date!(2026 - 10 - 01));
    let a = b.analyze();
    let web = a.service("WEB").unwrap();
    assert!(kinds(&a, "WEB").contains(&FindingKind::StaleBia));
    assert_eq!(web.recovery_source, RecoverySource::Demonstrated);
    assert_eq!(web.achievable_rto_minutes, Some(25));
    let passed: Vec<(&str, bool)> = web
        .readiness
        .checks
        .iter()
        .map(|c| (c.name.as_str(), c.passed))
        .collect();
    assert_eq!(
        passed,
        [
            ("BIA current", false),
            ("RACI complete", true),
            ("Runbook approved and current", false),
            ("Drill passed", true),
            ("Recovery demonstrated", true),
            ("RPO feasible", true),
            ("RTO feasible through dependencies", true),
        ]
    );
    assert_eq!(web.readiness.score, 10 + 20 + 15 + 15 + 10);
    assert_eq!(a.portfolio_score, Some(70.0));
}

#[test]
fn a_runbook_past_its_review_is_stale_and_fails_its_check() {
    let mut b = Build::new().service("WEB", 20).service("API", 10);
    b.0.runbook_review_due
        .insert(key("WEB"), date!(2026 - 11 - 01));
    b.0.runbook_review_due
        .insert(key("API"), date!(2027 - 11 - 01));
    let a = b.analyze();
    assert!(kinds(&a, "WEB").contains(&FindingKind::StaleRunbook));
    assert!(!kinds(&a, "API").contains(&FindingKind::StaleRunbook));
    let runbook = |k: &str| {
        let s = a.service(k).unwrap();
        let c = s
            .readiness
            .checks
            .iter()
            .find(|c| c.name.starts_with("Runbook"))
            .unwrap();
        (c.passed, c.reason.clone())
    };
    assert_eq!(
        runbook("WEB"),
        (
            false,
            "the approved runbook was due for review on 2026-11-01".into()
        )
    );
    assert_eq!(
        runbook("API"),
        (
            true,
            "an approved runbook, due for review on 2027-11-01".into()
        )
    );
}

#[test]
fn losing_a_site_fails_over_waits_and_goes_down() {
    let mut b = Build::new()
        .service_with("IDP", 30, |i| i.kind = "identity".into())
        .service("DB", 45)
        .service("API", 20)
        .service_with("EDGE", 5, |i| i.topology = "active_active".into())
        .service_with("LONE", 5, |i| i.secondary_site = String::new())
        .service_with("REMOTE", 10, |i| {
            i.primary_site = "DC-B".into();
            i.secondary_site = String::new();
        })
        .service_with("NEEDS-LONE", 10, |i| {
            i.primary_site = "DC-B".into();
            i.secondary_site = String::new();
        })
        .hard("API", "DB")
        .hard("DB", "IDP")
        .hard("EDGE", "API")
        .hard("NEEDS-LONE", "LONE")
        .process("PAY", &["API"], 60, 5, 120)
        .process("REPORTS", &["REMOTE"], 600, 60, 1200);
    b.0.services
        .iter_mut()
        .for_each(|s| s.peak_load.cpu_cores = 4.0);
    let loss = simulate_site_loss(&b.0, &TierTable::default(), "DC-A");
    let state = |k: &str| loss.services.iter().find(|s| s.key == k).unwrap();
    assert_eq!(state("IDP").state, ServiceState::FailedOver);
    assert_eq!(state("IDP").downtime_minutes, Some(30));
    assert_eq!(state("API").downtime_minutes, Some(95));
    assert!(state("API").breaches_rto, "95 min against 60");
    assert!(!state("API").breaches_mtpd, "95 min within 120");
    assert_eq!(state("EDGE").state, ServiceState::Impaired);
    assert_eq!(state("EDGE").downtime_minutes, Some(95));
    assert_eq!(state("LONE").state, ServiceState::Down);
    assert_eq!(state("NEEDS-LONE").state, ServiceState::Down);
    assert_eq!(state("REMOTE").state, ServiceState::Running);
    assert_eq!(loss.waves, vec![vec!["IDP"], vec!["DB"], vec!["API"]]);
    assert_eq!(loss.identity_services, ["IDP"]);
    assert_eq!(loss.processes_affected, ["PAY"]);
    let b_site = &loss.capacity[0];
    assert_eq!(b_site.site, "DC-B");
    assert_eq!(
        b_site.resources[0].load,
        4.0 * 6.0,
        "two of its own, three failing over, one active-active"
    );
    assert_eq!(b_site.resources[0].headroom, 10.0 - 24.0);
    assert_eq!(b_site.at_risk, ["API", "DB", "EDGE", "IDP"]);
}

#[test]
fn a_service_failing_over_into_a_cycle_is_down() {
    let b = Build::new()
        .service("A", 5)
        .service("B", 5)
        .hard("A", "B")
        .hard("B", "A");
    let loss = simulate_site_loss(&b.0, &TierTable::default(), "DC-A");
    assert!(loss.services.iter().all(|s| s.state == ServiceState::Down));
    assert!(loss.waves.is_empty());
}

/// A random portfolio: `n` services with random recovery and random
/// hard edges (some may form cycles when `acyclic` is false).
fn random_portfolio(
    n: usize,
    recovery: &[u32],
    edges: &[(usize, usize)],
    acyclic: bool,
) -> Portfolio {
    let mut b = Build::new();
    for (i, r) in recovery.iter().enumerate().take(n) {
        b = b.service(&format!("S{i:03}"), *r);
    }
    for &(a, c) in edges {
        let (a, c) = (a % n, c % n);
        let (from, to) = match acyclic {
            true if a == c => continue,
            true => (a.max(c), a.min(c)),
            false if a == c => continue,
            false => (a, c),
        };
        if b.0.dependencies.iter().any(|d| {
            d.service.as_str() == format!("S{from:03}")
                && d.depends_on.as_str() == format!("S{to:03}")
        }) {
            continue;
        }
        b = b.hard(&format!("S{from:03}"), &format!("S{to:03}"));
    }
    b.0
}

fn graph_input() -> impl Strategy<Value = (usize, Vec<u32>, Vec<(usize, usize)>)> {
    (2usize..25).prop_flat_map(|n| {
        (
            Just(n),
            proptest::collection::vec(0u32..120, n),
            proptest::collection::vec((0..n, 0..n), 0..(n * 3)),
        )
    })
}

proptest! {
    #[test]
    fn waves_respect_every_hard_edge((n, recovery, edges) in graph_input(), acyclic in any::<bool>()) {
        let p = random_portfolio(n, &recovery, &edges, acyclic);
        let a = analyze(&p, &TierTable::default(), TODAY);
        for d in &p.dependencies {
            let (s, dep) = (a.service(d.service.as_str()).unwrap(), a.service(d.depends_on.as_str()).unwrap());
            if let Some(w) = s.wave {
                prop_assert!(dep.wave.is_some_and(|dw| dw < w), "{} waits for {}", s.key, dep.key);
            }
        }
    }

    #[test]
    fn the_critical_path_is_a_real_path_summing_to_the_achievable_rto((n, recovery, edges) in graph_input(), acyclic in any::<bool>()) {
        let p = random_portfolio(n, &recovery, &edges, acyclic);
        let a = analyze(&p, &TierTable::default(), TODAY);
        for s in &a.services {
            let Some(rto) = s.achievable_rto_minutes else {
                prop_assert!(s.cycle.is_some());
                continue;
            };
            prop_assert_eq!(&*s.critical_path[0], s.key.as_str());
            for step in s.critical_path.windows(2) {
                prop_assert!(p.dependencies.iter().any(|d| d.service.as_str() == &*step[0] && d.depends_on.as_str() == &*step[1]));
            }
            let sum: u64 = s.critical_path.iter().map(|k| u64::from(a.service(k).unwrap().recovery_minutes)).sum();
            prop_assert_eq!(s.critical_path_minutes.iter().map(|m| u64::from(*m)).sum::<u64>(), sum);
            prop_assert_eq!(sum, rto);
        }
    }

    #[test]
    fn adding_an_edge_never_lowers_an_achievable_rto((n, recovery, edges) in graph_input(), extra in (0usize..100, 0usize..100)) {
        let before = random_portfolio(n, &recovery, &edges, true);
        let mut more = edges.clone();
        more.push(extra);
        let after = random_portfolio(n, &recovery, &more, true);
        let (a, b) = (analyze(&before, &TierTable::default(), TODAY), analyze(&after, &TierTable::default(), TODAY));
        for (x, y) in a.services.iter().zip(&b.services) {
            prop_assert!(y.achievable_rto_minutes >= x.achievable_rto_minutes, "{}", x.key);
        }
    }

    #[test]
    fn every_cycle_member_is_reported((n, recovery, edges) in graph_input()) {
        let p = random_portfolio(n, &recovery, &edges, false);
        let a = analyze(&p, &TierTable::default(), TODAY);
        let ix = Indexed::new(&p);
        for v in 0..n {
            let reported = a.cycles.iter().any(|c| c.iter().any(|k| k == ix.key(v)));
            prop_assert_eq!(reported, ix.graph.in_cycle(v), "{}", ix.key(v));
            if ix.graph.in_cycle(v) {
                let s = a.service(ix.key(v)).unwrap();
                prop_assert!(s.cycle.as_ref().is_some_and(|c| c.iter().any(|k| &**k == ix.key(v))));
            }
        }
    }
}
