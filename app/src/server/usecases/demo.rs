//! The demo company: one user per role, three sites, about forty services
//! with their dependencies, business processes with their BIAs,
//! replication links and vendors (from the exchange files next to this module, through the
//! import), and RACI assignments with a few gaps to find.

use super::import::import;
use super::raci::assign;
use super::users::create;
use crate::api::error::AppError;
use crate::domain::access::{Permission, Role};
use crate::domain::inventory::csv_file::Exchange;
use crate::domain::inventory::raci::RaciAssignment;
use crate::domain::inventory::site::{Site, SiteInput};
use crate::domain::inventory::RecordKey;
use crate::domain::timestamp::Timestamp;
use crate::domain::user::NewUser;
use crate::server::auth::Granted;
use crate::server::db::{self, Db};

const SERVICES_CSV: &str = include_str!("demo/services.csv");
const DEPENDENCIES_CSV: &str = include_str!("demo/dependencies.csv");
const PROCESSES_CSV: &str = include_str!("demo/processes.csv");
const BIA_CSV: &str = include_str!("demo/bia.csv");
const REPLICATION_CSV: &str = include_str!("demo/replication.csv");
const VENDORS_CSV: &str = include_str!("demo/vendors.csv");

/// Demo users, one per role, all with `password`, and the demo company's
/// inventory; only into an empty installation. Returns false (and changes
/// nothing) when users exist.
pub async fn seed(db: &Db, password: &str, now: Timestamp) -> Result<bool, AppError> {
    if db::users::count(db).await? > 0 {
        return Ok(false);
    }
    let operator = Granted::operator(Permission::ManageUsers);
    for (role, email, name) in DEMO_USERS {
        let new = NewUser::parse(email, name, role.as_str(), password)?;
        create(db, &operator, new, now).await?;
    }
    let editor = Granted::operator(Permission::EditReferenceData);
    for site in DEMO_SITES {
        let site = Site::parse(&SiteInput {
            key: site[0].into(),
            name: site[1].into(),
            region: site[2].into(),
            country: site[3].into(),
            kind: site[4].into(),
            cpu_cores: site[5].into(),
            memory_gb: site[6].into(),
            storage_tb: site[7].into(),
            subnets: site[8].into(),
            vlans: site[9].into(),
        })?;
        super::sites::save(db, &editor, None, site, now).await?;
    }
    let files = vec![
        (Exchange::Services, SERVICES_CSV.as_bytes().to_vec()),
        (Exchange::Dependencies, DEPENDENCIES_CSV.as_bytes().to_vec()),
        (Exchange::Processes, PROCESSES_CSV.as_bytes().to_vec()),
        (Exchange::Bia, BIA_CSV.as_bytes().to_vec()),
        (Exchange::Replication, REPLICATION_CSV.as_bytes().to_vec()),
        (Exchange::Vendors, VENDORS_CSV.as_bytes().to_vec()),
    ];
    import(db, &Granted::operator(Permission::ImportCsv), files, now).await?;
    for a in demo_raci(db).await? {
        assign(db, &editor, a, false, now).await?;
    }
    demo_runbooks(db, now).await?;
    Ok(true)
}

/// Approved runbooks for the payment chain, so that a scenario runbook
/// of losing DC-FRA has real steps to gather.
async fn demo_runbooks(db: &Db, now: Timestamp) -> Result<(), AppError> {
    use crate::domain::runbook::{RunbookContent, RunbookScope, Step, StepKind};
    let step = |title: &str, role: &str, minutes: u32, kind: StepKind| Step {
        title: title.into(),
        instructions: String::new(),
        role: role.into(),
        expected_minutes: minutes,
        kind,
        service: None,
    };
    let books = [
        (
            "IDP",
            vec![
                step(
                    "Promote the standby IdP in DC-AMS",
                    "Identity on call",
                    5,
                    StepKind::Action,
                ),
                step(
                    "Switch the SSO DNS record to DC-AMS",
                    "Network on call",
                    5,
                    StepKind::Action,
                ),
            ],
            vec![step(
                "Re-sync sessions and switch back",
                "Identity on call",
                10,
                StepKind::Reconcile,
            )],
        ),
        (
            "PAY-DB",
            vec![
                step(
                    "Stop writes and fence the old primary",
                    "DBA on call",
                    3,
                    StepKind::Action,
                ),
                step(
                    "Promote the DC-AMS replica",
                    "DBA on call",
                    7,
                    StepKind::Action,
                ),
                step(
                    "Check replication position and row counts",
                    "DBA on call",
                    5,
                    StepKind::Verify,
                ),
            ],
            vec![
                step(
                    "Rebuild DC-FRA as a replica of DC-AMS",
                    "DBA on call",
                    30,
                    StepKind::Action,
                ),
                step(
                    "Reconcile transactions written during the failover",
                    "Payments",
                    20,
                    StepKind::Reconcile,
                ),
            ],
        ),
        (
            "PAY-API",
            vec![
                step(
                    "Scale the DC-AMS API pool to peak",
                    "Payments",
                    5,
                    StepKind::Action,
                ),
                step(
                    "Point the API at the promoted database",
                    "Payments",
                    3,
                    StepKind::Action,
                ),
                step(
                    "Run a test payment end to end",
                    "Payments",
                    2,
                    StepKind::Verify,
                ),
            ],
            vec![step(
                "Drain DC-AMS and return traffic to DC-FRA",
                "Payments",
                10,
                StepKind::Action,
            )],
        ),
    ];
    let editor = Granted::operator(Permission::EditServices);
    let approver = Granted::operator(Permission::ApproveRecords);
    for (key, steps, rollback) in books {
        let key = RecordKey::parse(key)?;
        let content = RunbookContent { steps, rollback };
        let draft =
            super::runbooks::save(db, &editor, RunbookScope::Service, &key, content, now).await?;
        super::runbooks::approve(
            db,
            &approver,
            RunbookScope::Service,
            &key,
            draft.version,
            now,
        )
        .await?;
    }
    Ok(())
}

/// The owner team is responsible and its lead accountable; the site
/// reliability team is consulted on tiers 0 and 1. Sam Owner runs the
/// payment services. A process's owner is accountable for it and the
/// continuity manager consulted. A few records are left incomplete on
/// purpose.
async fn demo_raci(db: &Db) -> Result<Vec<RaciAssignment>, AppError> {
    let mut out = Vec::new();
    let mut tx = db.read().await?;
    for p in db::processes::list(&mut tx, "").await? {
        let key = p.key.as_str();
        if key != "MARKETING-INSIGHT" {
            out.push(RaciAssignment::parse("process", key, &p.owner, "A")?);
        }
        out.push(RaciAssignment::parse(
            "process",
            key,
            "manager@example.com",
            "C",
        )?);
    }
    let mut give = |key: &str, party: &str, letter: &str| -> Result<(), AppError> {
        out.push(RaciAssignment::parse("service", key, party, letter)?);
        Ok(())
    };
    for s in db::services::all(db).await? {
        let key = s.key.as_str();
        give(key, &s.owner_team, "R")?;
        if !matches!(key, "WIKI" | "CHAT" | "SHIP") {
            give(key, &format!("{} lead", s.owner_team), "A")?;
        }
        if s.tier.is_some_and(|t| t <= 1) {
            give(key, "Site Reliability", "C")?;
        }
        give(key, "Service Desk", "I")?;
    }
    for key in ["PAY-API", "PAY-DB", "PAY-GW"] {
        give(key, "owner@example.com", "R")?;
    }
    give("ERP", "CFO office", "A")?;
    Ok(out)
}

/// key, name, region, country, kind, cpu, memory, storage, subnets, VLANs
const DEMO_SITES: [[&str; 10]; 3] = [
    [
        "DC-FRA",
        "Frankfurt primary data centre",
        "eu-central",
        "DE",
        "datacenter",
        "2048",
        "16384",
        "900",
        "10.10.0.0/16;10.11.0.0/16",
        "110;111;120",
    ],
    [
        "DC-AMS",
        "Amsterdam recovery hall",
        "eu-west",
        "NL",
        "colocation",
        "1024",
        "8192",
        "600",
        "10.20.0.0/16",
        "210;220",
    ],
    [
        "AWS-EUW1",
        "AWS eu-west-1 (Ireland)",
        "eu-west",
        "IE",
        "cloud_region",
        "4096",
        "32768",
        "2000",
        "10.30.0.0/16",
        "",
    ],
];

pub const DEMO_USERS: [(Role, &str, &str); 9] = [
    (Role::Admin, "admin@example.com", "Alex Admin"),
    (
        Role::ContinuityManager,
        "manager@example.com",
        "Morgan Manager",
    ),
    (Role::ServiceOwner, "owner@example.com", "Sam Owner"),
    (
        Role::IncidentCommander,
        "commander@example.com",
        "Casey Commander",
    ),
    (
        Role::IncidentCommander,
        "commander2@example.com",
        "Robin Responder",
    ),
    (
        Role::IncidentCommander,
        "commander3@example.com",
        "Jordan Duty",
    ),
    (Role::Executive, "executive@example.com", "Erin Executive"),
    (Role::Auditor, "auditor@example.com", "Avery Auditor"),
    (Role::Viewer, "viewer@example.com", "Vic Viewer"),
];
