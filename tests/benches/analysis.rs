//! Analysis benchmark (issue 4, SPEC §9): the recovery analysis and a
//! site-loss simulation of 10,000 services and 30,000 hard dependencies,
//! in memory (pure domain code, no database), with criterion. Exits 1 if
//! the median of either is 100 ms or more.
//!
//! `make bench` (or `cargo bench -p continuity-tests --bench analysis`).

use app::domain::analysis::simulation::simulate_site_loss;
use app::domain::analysis::tiers::TierTable;
use app::domain::analysis::{analyze, Portfolio};
use app::domain::approval::Approval;
use app::domain::bia::{ApprovalStatus, Bia, BiaTargets};
use app::domain::inventory::process::{Process, ProcessInput};
use app::domain::inventory::replication::{ReplicationInput, ReplicationLink};
use app::domain::inventory::service::{Dependency, Service, ServiceInput};
use app::domain::inventory::site::{Site, SiteInput};
use app::domain::inventory::RecordKey;
use criterion::Criterion;
use std::time::{Duration, Instant};

const SERVICES: usize = 10_000;
const DEPENDENCIES_EACH: usize = 3;
const PROCESSES: usize = 200;
const SITES: [&str; 3] = ["DC-FRA", "DC-AMS", "AWS-EUW1"];
const BAR: Duration = Duration::from_millis(100);

/// A small deterministic generator, so every run builds the same data.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn key(i: usize) -> String {
    format!("SVC-{i:05}")
}

/// Services that each depend hard on three older ones (no cycles), 200
/// processes of 20 services with approved BIAs, async replication for
/// the stateful half.
fn portfolio() -> Portfolio {
    let mut rng = Lcg(7);
    let sites = SITES
        .iter()
        .map(|k| {
            Site::parse(&SiteInput {
                key: k.to_string(),
                name: k.to_string(),
                country: "DE".into(),
                kind: "datacenter".into(),
                cpu_cores: "100000".into(),
                memory_gb: "100000".into(),
                storage_tb: "100000".into(),
                ..SiteInput::default()
            })
            .unwrap()
        })
        .collect();
    let services: Vec<Service> = (0..SERVICES)
        .map(|i| {
            Service::parse(&ServiceInput {
                key: key(i),
                name: format!("Service {i}"),
                kind: "application".into(),
                primary_site: SITES[i % 3].into(),
                secondary_site: SITES[(i + 1) % 3].into(),
                topology: "warm_standby".into(),
                recovery_minutes: (5 + i % 40).to_string(),
                cpu_cores: "4".into(),
                stateful: (i % 2 == 0).to_string(),
                data_jurisdictions: "DE".into(),
                ..ServiceInput::default()
            })
            .unwrap()
        })
        .collect();
    let mut dependencies = Vec::new();
    for i in 1..SERVICES {
        let mut chosen = Vec::new();
        for _ in 0..DEPENDENCIES_EACH {
            let d = rng.below(i);
            if !chosen.contains(&d) {
                chosen.push(d);
                dependencies.push(Dependency::parse(&key(i), &key(d), "hard", "").unwrap());
            }
        }
    }
    let replication = (0..SERVICES)
        .step_by(2)
        .map(|i| {
            ReplicationLink::parse(&ReplicationInput {
                service: key(i),
                mode: "async".into(),
                source_site: SITES[i % 3].into(),
                target_site: SITES[(i + 1) % 3].into(),
                expected_lag_seconds: "30".into(),
                ..ReplicationInput::default()
            })
            .unwrap()
        })
        .collect();
    let mut processes = Vec::new();
    let mut bias = Vec::new();
    for p in 0..PROCESSES {
        let used: Vec<String> = (0..20).map(|_| key(rng.below(SERVICES))).collect();
        let process = Process::parse(&ProcessInput {
            key: format!("PROC-{p:03}"),
            name: format!("Process {p}"),
            criticality: "high".into(),
            services: used.join(";"),
            ..ProcessInput::default()
        })
        .unwrap();
        bias.push(Bia {
            process: RecordKey::parse(&format!("PROC-{p:03}")).unwrap(),
            version: 1,
            targets: BiaTargets {
                impacts: Default::default(),
                mtpd_minutes: 2880,
                rto_minutes: 240 + (p as u32 % 10) * 60,
                rpo_minutes: 15,
                mbco: String::new(),
            },
            status: ApprovalStatus::Approved,
            approval: Approval {
                next_review_due: None,
                ..Approval::default()
            },
        });
        processes.push(process);
    }
    Portfolio {
        services,
        dependencies,
        processes,
        bias,
        replication,
        sites,
        ..Portfolio::default()
    }
}

fn median(mut run: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..15)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let p = portfolio();
    let tiers = TierTable::default();
    let today = time::macros::date!(2026 - 11 - 25);
    println!(
        "analysis benchmark: {} services, {} hard dependencies, {} processes",
        p.services.len(),
        p.dependencies.len(),
        p.processes.len()
    );
    let mut c = Criterion::default().sample_size(20).configure_from_args();
    c.bench_function("analyze", |b| b.iter(|| analyze(&p, &tiers, today)));
    c.bench_function("simulate site loss", |b| {
        b.iter(|| simulate_site_loss(&p, &tiers, "DC-FRA"))
    });
    c.final_summary();

    let mut pass = true;
    for (name, took) in [
        ("analyze", median(|| drop(analyze(&p, &tiers, today)))),
        (
            "simulate site loss",
            median(|| drop(simulate_site_loss(&p, &tiers, "DC-FRA"))),
        ),
    ] {
        let ok = took < BAR;
        pass &= ok;
        println!(
            "{name}: median {:.1} ms  {}",
            took.as_secs_f64() * 1000.0,
            if ok { "ok" } else { "OVER 100 ms" }
        );
    }
    if !pass {
        std::process::exit(1);
    }
}
