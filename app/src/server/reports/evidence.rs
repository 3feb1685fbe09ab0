//! The audit evidence pack (SPEC §7) for a period: a summary PDF and the
//! artefacts behind it (CSV and JSON), a manifest with the SHA-256 of
//! each, signed with the server's Ed25519 key, in one zip archive.

use super::{archive, Progress};
use crate::api::error::AppError;
use crate::domain::action_item::{ActionItem, ActionSource};
use crate::domain::approval::Approval;
use crate::domain::audit::{Actor, AuditEvent, ChainStatus};
use crate::domain::bia::Bia;
use crate::domain::drill::Drill;
use crate::domain::evidence::{self, public_hex};
use crate::domain::failover::Request;
use crate::domain::postmortem::PostMortem;
use crate::domain::report::Period;
use crate::domain::runbook::Runbook;
use crate::domain::timestamp::{format_date, Timestamp};
use crate::domain::user::User;
use crate::server::db::{self, audit::AuditQuery, signing::StoredKey, Db};
use crate::server::pdf::Document;
use crate::server::usecases::audit;
use ed25519_dalek::SigningKey;
use serde_json::json;

/// The server's signing key, made (with its audit event) on first use.
pub async fn signing_key(db: &Db, actor: &Actor, now: Timestamp) -> Result<SigningKey, AppError> {
    let mut tx = db.read().await?;
    let stored = db::signing::get(&mut tx).await?;
    drop(tx);
    if let Some(stored) = stored {
        return decode(&stored);
    }
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    let stored = StoredKey {
        secret: hex::encode(key.to_bytes()),
        public: public_hex(&key),
        created_at: now,
    };
    let mut tx = db.begin().await?;
    if db::signing::insert(&mut tx, &stored).await? {
        let details = json!({ "public_key": stored.public });
        let (action, what) = ("signing_key_created", "signing_key");
        audit::event(&mut tx, actor.clone(), action, what, 1, details, now).await?;
        tx.commit().await?;
        return Ok(key);
    }
    // Another request made it first: use that one.
    let stored = db::signing::get(&mut tx).await?;
    drop(tx);
    decode(&stored.ok_or_else(|| anyhow::anyhow!("signing key vanished"))?)
}

fn decode(stored: &StoredKey) -> Result<SigningKey, AppError> {
    let seed: [u8; 32] = hex::decode(&stored.secret)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| anyhow::anyhow!("the stored signing key is not 32 bytes of hex"))?;
    Ok(SigningKey::from_bytes(&seed))
}

/// The installation's public key as hex, if it has made one.
pub async fn public_key(db: &Db) -> Result<Option<String>, AppError> {
    let mut tx = db.read().await?;
    Ok(db::signing::get(&mut tx).await?.map(|k| k.public))
}

/// What happened in the period, as the pack reports it.
struct Records {
    bias: Vec<Bia>,
    runbooks: Vec<Runbook>,
    drills: Vec<Drill>,
    failovers: Vec<Request>,
    post_mortems: Vec<PostMortem>,
    actions: Vec<ActionItem>,
    users: Vec<User>,
    events: Vec<AuditEvent>,
    chain: ChainStatus,
}

fn approved_in(a: &Approval, period: &Period) -> bool {
    a.at.is_some_and(|at| period.contains(at))
}

async fn load(db: &Db, period: Period) -> Result<Records, AppError> {
    let (start, end) = period.bounds();
    let mut tx = db.read().await?;
    let bias = db::bia::all_versions(&mut tx)
        .await?
        .into_iter()
        .filter(|b| approved_in(&b.approval, &period))
        .collect();
    let runbooks = db::runbooks::all_versions(&mut tx)
        .await?
        .into_iter()
        .filter(|r| approved_in(&r.approval, &period))
        .collect();
    let drills: Vec<Drill> = db::drills::all(&mut tx)
        .await?
        .into_iter()
        .filter(|d| d.starts_at < end && d.ends_at >= start)
        .collect();
    let failovers: Vec<Request> = db::failover::recent(&mut tx, i64::MAX)
        .await?
        .into_iter()
        .filter(|r| period.contains(r.requested_at))
        .collect();
    let included = |source: ActionSource, id: i64| match source {
        ActionSource::Drill => drills.iter().any(|d| d.id == id),
        ActionSource::Failover => failovers.iter().any(|r| r.id == id),
    };
    let post_mortems = db::drills::post_mortems(&mut tx)
        .await?
        .into_iter()
        .filter(|p| included(p.source, p.source_id))
        .collect();
    let actions = db::recoveries::all_actions(&mut tx)
        .await?
        .into_iter()
        .filter(|a| included(a.source, a.source_id))
        .collect();
    drop(tx);
    let query = AuditQuery {
        from: Some(start),
        to: Some(end),
        limit: i64::MAX,
        ..AuditQuery::default()
    };
    let mut events = db::audit::search(db, &query).await?;
    events.reverse();
    Ok(Records {
        bias,
        runbooks,
        drills,
        failovers,
        post_mortems,
        actions,
        users: db::users::list(db).await?,
        events,
        chain: audit::verify(db).await?,
    })
}

fn csv_file(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)?;
    for row in rows {
        w.write_record(&row)?;
    }
    Ok(w.into_inner()?)
}

fn text<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn approval_cells(a: &Approval) -> [String; 3] {
    [
        text(a.by.as_ref()),
        text(a.at),
        text(a.next_review_due.map(format_date)),
    ]
}

/// Every artefact but the manifest, by file name.
fn artefacts(
    r: &Records,
    period: Period,
    key: &str,
    now: Timestamp,
) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let json = |v: serde_json::Value| serde_json::to_vec_pretty(&v);
    let bia = csv_file(
        &[
            "process",
            "version",
            "status",
            "rto_minutes",
            "rpo_minutes",
            "mtpd_minutes",
            "approved_by",
            "approved_at",
            "next_review_due",
        ],
        r.bias.iter().map(|b| {
            let mut row = vec![
                b.process.to_string(),
                b.version.to_string(),
                b.status.to_string(),
                b.targets.rto_minutes.to_string(),
                b.targets.rpo_minutes.to_string(),
                b.targets.mtpd_minutes.to_string(),
            ];
            row.extend(approval_cells(&b.approval));
            row
        }),
    )?;
    let runbooks = csv_file(
        &[
            "scope",
            "subject",
            "version",
            "status",
            "steps",
            "rollback_steps",
            "approved_by",
            "approved_at",
            "next_review_due",
        ],
        r.runbooks.iter().map(|rb| {
            let mut row = vec![
                rb.scope.to_string(),
                rb.subject.to_string(),
                rb.version.to_string(),
                rb.status.to_string(),
                rb.content.steps.len().to_string(),
                rb.content.rollback.len().to_string(),
            ];
            row.extend(approval_cells(&rb.approval));
            row
        }),
    )?;
    let results = csv_file(
        &[
            "drill_id",
            "title",
            "kind",
            "status",
            "service",
            "runbook_version",
            "measured_minutes",
            "data_loss_minutes",
            "passed",
            "reason",
        ],
        r.drills.iter().flat_map(|d| {
            d.services.iter().map(move |s| {
                let result = s.result.as_ref();
                vec![
                    d.id.to_string(),
                    d.title.clone(),
                    d.kind.to_string(),
                    d.status.to_string(),
                    s.service.to_string(),
                    text(s.runbook_version),
                    text(result.map(|r| r.measured_minutes)),
                    text(result.map(|r| r.data_loss_minutes)),
                    text(result.map(|r| r.passed)),
                    result.map(|r| r.reason.clone()).unwrap_or_default(),
                ]
            })
        }),
    )?;
    let approvals = csv_file(
        &["request_id", "status", "user", "decision", "comment", "at"],
        r.failovers.iter().flat_map(|f| {
            f.decisions.iter().map(move |d| {
                vec![
                    f.id.to_string(),
                    f.status.to_string(),
                    d.user.clone(),
                    if d.approve { "approve" } else { "reject" }.to_string(),
                    d.comment.clone(),
                    d.at.to_string(),
                ]
            })
        }),
    )?;
    let actions = csv_file(
        &[
            "id",
            "title",
            "owner",
            "due_on",
            "status",
            "source",
            "source_id",
            "link",
            "retest",
        ],
        r.actions.iter().map(|a| {
            vec![
                a.id.to_string(),
                a.title.clone(),
                a.owner.clone(),
                a.due_text(),
                a.status.to_string(),
                a.source.to_string(),
                a.source_id.to_string(),
                a.link.clone(),
                a.retest.to_string(),
            ]
        }),
    )?;
    let users = csv_file(
        &["email", "display_name", "role", "active", "created_at"],
        r.users.iter().map(|u| {
            vec![
                u.email.clone(),
                u.display_name.clone(),
                u.role.as_str().to_string(),
                u.active.to_string(),
                u.created_at.to_string(),
            ]
        }),
    )?;
    let events = csv_file(
        &[
            "seq",
            "at",
            "actor",
            "action",
            "entity_type",
            "entity_id",
            "hash",
        ],
        r.events.iter().map(|e| {
            vec![
                e.seq.to_string(),
                e.at.to_string(),
                e.actor.clone(),
                e.action.clone(),
                e.entity_type.clone(),
                text(e.entity_id.as_ref()),
                e.hash.clone(),
            ]
        }),
    )?;
    let chain = json(json!({
        "events_checked": r.chain.checked,
        "head_hash": r.chain.head_hash,
        "verified": r.chain.broken.is_none(),
        "broken": r.chain.broken.as_ref().map(|b| b.to_string()),
        "events_in_period": r.events.len(),
    }))?;
    let summary = summary_pdf(r, period, key, now)?;
    Ok(vec![
        ("summary.pdf".into(), summary),
        ("bia_approvals.csv".into(), bia),
        ("runbook_versions.csv".into(), runbooks),
        (
            "runbooks.json".into(),
            serde_json::to_vec_pretty(&r.runbooks)?,
        ),
        ("drill_results.csv".into(), results),
        ("drills.json".into(), serde_json::to_vec_pretty(&r.drills)?),
        ("failover_approvals.csv".into(), approvals),
        (
            "failovers.json".into(),
            serde_json::to_vec_pretty(&r.failovers)?,
        ),
        (
            "post_mortems.json".into(),
            serde_json::to_vec_pretty(&r.post_mortems)?,
        ),
        ("action_items.csv".into(), actions),
        ("users_and_roles.csv".into(), users),
        ("audit_events.csv".into(), events),
        ("audit_chain.json".into(), chain),
    ])
}

fn summary_pdf(r: &Records, period: Period, key: &str, now: Timestamp) -> anyhow::Result<Vec<u8>> {
    let title = format!(
        "Audit evidence pack {} to {}",
        format_date(period.from),
        format_date(period.to)
    );
    let mut doc = Document::new(&title, now)?;
    doc.heading(&title);
    doc.paragraph(&format!(
        "Every artefact of this pack is listed with its SHA-256 in manifest.json, signed with this \
         installation's Ed25519 key {key} (manifest.sig). Check it with: continuity evidence verify ARCHIVE."
    ));
    doc.subheading("Audit chain");
    doc.paragraph(&match &r.chain.broken {
        None => format!(
            "Verified: {} events, head hash {}. {} events fall in the period (audit_events.csv).",
            r.chain.checked,
            r.chain.head_hash,
            r.events.len()
        ),
        Some(b) => format!("BROKEN: {b}. Head hash {}.", r.chain.head_hash),
    });
    doc.subheading(&format!("BIA approvals ({})", r.bias.len()));
    for b in &r.bias {
        doc.paragraph(&format!(
            "• {} v{}: RTO {} min, RPO {} min, MTPD {} min; approved by {} at {}",
            b.process,
            b.version,
            b.targets.rto_minutes,
            b.targets.rpo_minutes,
            b.targets.mtpd_minutes,
            text(b.approval.by.as_ref()),
            text(b.approval.at.map(|t| t.display_minutes()))
        ));
    }
    doc.subheading(&format!("Runbook approvals ({})", r.runbooks.len()));
    for rb in &r.runbooks {
        doc.paragraph(&format!(
            "• {} {} v{}: {} steps, {} rollback steps; approved by {} at {}",
            rb.scope,
            rb.subject,
            rb.version,
            rb.content.steps.len(),
            rb.content.rollback.len(),
            text(rb.approval.by.as_ref()),
            text(rb.approval.at.map(|t| t.display_minutes()))
        ));
    }
    doc.subheading(&format!("Drills ({})", r.drills.len()));
    for d in &r.drills {
        doc.paragraph(&format!(
            "• {} ({}, {}), {} to {}",
            d.title,
            d.kind,
            d.status,
            d.starts_at.display_minutes(),
            d.ends_at.display_minutes()
        ));
        for s in &d.services {
            let verdict = s.result.as_ref().map_or("not measured".to_string(), |res| {
                format!(
                    "{} min, {} min data lost: {}",
                    res.measured_minutes, res.data_loss_minutes, res.reason
                )
            });
            doc.paragraph(&format!("    {}: {verdict}", s.service));
        }
    }
    doc.subheading(&format!("Failovers ({})", r.failovers.len()));
    for f in &r.failovers {
        let approvers: Vec<String> = f
            .decisions
            .iter()
            .map(|d| {
                format!(
                    "{} {}",
                    if d.approve {
                        "approved by"
                    } else {
                        "rejected by"
                    },
                    d.user
                )
            })
            .collect();
        doc.paragraph(&format!(
            "• Request {} ({}, {}): {}; requested by {} at {}; {}{}; {} steps logged",
            f.id,
            f.direction,
            f.status,
            f.reason,
            f.requested_by,
            f.requested_at.display_minutes(),
            if approvers.is_empty() {
                "no decisions".to_string()
            } else {
                approvers.join(", ")
            },
            f.break_glass
                .as_ref()
                .map_or(String::new(), |j| format!("; BREAK-GLASS: {j}")),
            f.steps.iter().filter(|s| s.finished()).count()
        ));
    }
    doc.subheading(&format!("Post-mortems ({})", r.post_mortems.len()));
    for p in &r.post_mortems {
        doc.paragraph(&format!(
            "• {} ({}, due {})",
            p.title,
            p.status,
            p.due_at.display_minutes()
        ));
    }
    doc.subheading(&format!("Action items ({})", r.actions.len()));
    for a in &r.actions {
        doc.paragraph(&format!(
            "• {} — {}, due {} ({})",
            a.title,
            a.owner,
            a.due_text(),
            a.status
        ));
    }
    doc.subheading(&format!("Users and roles ({})", r.users.len()));
    for u in &r.users {
        doc.paragraph(&format!(
            "• {} ({}): {}{}",
            u.email,
            u.display_name,
            u.role.label(),
            if u.active { "" } else { ", deactivated" }
        ));
    }
    doc.finish()
}

/// Builds the pack for `period`: reads the records, writes the
/// artefacts and the summary off the async threads, seals and zips them.
pub async fn generate(
    db: &Db,
    period: Period,
    actor: &Actor,
    now: Timestamp,
    progress: &Progress,
) -> Result<Vec<u8>, AppError> {
    progress.step(5, "preparing the signing key").await;
    let key = signing_key(db, actor, now).await?;
    progress
        .step(
            15,
            "reading the period's records and verifying the audit chain",
        )
        .await;
    let records = load(db, period).await?;
    progress
        .step(50, "writing the artefacts and the summary PDF")
        .await;
    let bytes = super::off_thread(move || {
        let mut files = artefacts(&records, period, &public_hex(&key), now)?;
        let (manifest, signature) =
            evidence::seal(&files, period.from, period.to, &now.to_string(), &key);
        files.push((evidence::MANIFEST.into(), manifest));
        files.push((evidence::SIGNATURE.into(), signature));
        archive::write(&files)
    })
    .await?;
    progress.step(95, "sealing the archive").await;
    Ok(bytes)
}

/// Checks an archive's every file and its signature against `trusted`
/// (or the key its manifest names); every problem names its file.
pub fn verify(
    bytes: &[u8],
    trusted: Option<&ed25519_dalek::VerifyingKey>,
) -> Result<evidence::Verified, Vec<String>> {
    let contents = archive::read(bytes).map_err(|e| vec![e])?;
    let mut problems: Vec<String> = contents
        .damaged
        .iter()
        .map(|(name, why)| format!("{name}: {why}"))
        .collect();
    let is_damaged = |p: &String| {
        contents
            .damaged
            .iter()
            .any(|(n, _)| p.starts_with(&format!("{n}: ")))
    };
    match evidence::verify(&contents.files, trusted) {
        Ok(v) if problems.is_empty() => Ok(v),
        Ok(_) => Err(problems),
        Err(more) => {
            // A damaged entry is also missing from what read back: say it once.
            problems.extend(more.into_iter().filter(|p| !is_damaged(p)));
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_byte_flipped_inside_the_archive_names_its_file_once() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let mut files = vec![(
            "users.csv".to_string(),
            "email,role\n".repeat(40).into_bytes(),
        )];
        let (manifest, signature) = evidence::seal(
            &files,
            date!(2026 - 07 - 01),
            date!(2026 - 09 - 30),
            "now",
            &key,
        );
        files.push((evidence::MANIFEST.into(), manifest));
        files.push((evidence::SIGNATURE.into(), signature));
        let mut zip = archive::write(&files).unwrap();
        assert!(verify(&zip, Some(&key.verifying_key())).is_ok());
        // The first entry's data follows its 30-byte header and its name.
        zip[30 + "users.csv".len() + 2] ^= 0xff;
        let problems = verify(&zip, Some(&key.verifying_key())).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("users.csv: damaged in the archive"));
    }
}
