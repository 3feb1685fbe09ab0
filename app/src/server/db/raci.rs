//! Queries on `raci_assignments`.

use super::{Db, Tx};
use crate::domain::inventory::raci::{RaciAssignment, RaciSubject};
use crate::domain::inventory::RecordKey;
use crate::domain::timestamp::Timestamp;
use crate::{on_db, on_tx};

type Row = (String, String, String, String);

fn parse_all(rows: Vec<Row>) -> anyhow::Result<Vec<RaciAssignment>> {
    rows.into_iter()
        .map(|(subject, key, party, letter)| {
            RaciAssignment::parse(&subject, &key, &party, &letter).map_err(|e| {
                anyhow::anyhow!("RACI assignment of {party} on {key} is invalid: {e:?}")
            })
        })
        .collect()
}

const SELECT: &str = "SELECT entity_type, entity_key, party, letter FROM raci_assignments";

/// One record's assignments, by party and letter.
pub async fn of(
    db: &Db,
    subject: RaciSubject,
    key: &RecordKey,
) -> anyhow::Result<Vec<RaciAssignment>> {
    let sql = format!(
        "{SELECT} WHERE entity_type = $1 AND entity_key = $2 ORDER BY LOWER(party), letter"
    );
    let rows: Vec<Row> = on_db!(db, p => sqlx::query_as(&sql)
        .bind(subject.as_str())
        .bind(key.as_str())
        .fetch_all(p)
        .await)?;
    parse_all(rows)
}

pub async fn of_in(
    tx: &mut Tx,
    subject: RaciSubject,
    key: &RecordKey,
) -> anyhow::Result<Vec<RaciAssignment>> {
    let sql = format!(
        "{SELECT} WHERE entity_type = $1 AND entity_key = $2 ORDER BY LOWER(party), letter"
    );
    let rows: Vec<Row> = on_tx!(tx, c => sqlx::query_as(&sql)
        .bind(subject.as_str())
        .bind(key.as_str())
        .fetch_all(c)
        .await)?;
    parse_all(rows)
}

/// The assignments on the records of one subject whose keys are listed.
pub async fn on_keys(
    db: &Db,
    subject: RaciSubject,
    keys: &[String],
) -> anyhow::Result<Vec<RaciAssignment>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (2..keys.len() + 2).map(|i| format!("${i}")).collect();
    let sql = format!(
        "{SELECT} WHERE entity_type = $1 AND entity_key IN ({}) ORDER BY entity_key, LOWER(party), letter",
        placeholders.join(", ")
    );
    let rows: Vec<Row> = on_db!(db, p => {
        let mut q = sqlx::query_as(&sql).bind(subject.as_str());
        for k in keys {
            q = q.bind(k.as_str());
        }
        q.fetch_all(p).await
    })?;
    parse_all(rows)
}

/// Every assignment (for export).
pub async fn all_in(tx: &mut Tx) -> anyhow::Result<Vec<RaciAssignment>> {
    let sql = format!("{SELECT} ORDER BY entity_type, entity_key, LOWER(party), letter");
    let rows: Vec<Row> = on_tx!(tx, c => sqlx::query_as(&sql).fetch_all(c).await)?;
    parse_all(rows)
}

/// Whether user `user_id` (by e-mail or display name) holds R or A on the
/// record.
pub async fn owned_by(
    db: &Db,
    subject: RaciSubject,
    key: &RecordKey,
    user_id: i64,
) -> anyhow::Result<bool> {
    let n: i64 = on_db!(db, p => sqlx::query_scalar(
        "SELECT COUNT(*) FROM raci_assignments r JOIN users u ON u.id = $3 \
         WHERE r.entity_type = $1 AND r.entity_key = $2 AND r.letter IN ('R', 'A') \
         AND (LOWER(r.party) = LOWER(u.email) OR LOWER(r.party) = LOWER(u.display_name))"
    )
    .bind(subject.as_str())
    .bind(key.as_str())
    .bind(user_id)
    .fetch_one(p)
    .await)?;
    Ok(n > 0)
}

/// How many services lack exactly one A.
pub async fn incomplete_services(db: &Db) -> anyhow::Result<i64> {
    let sql = format!(
        "SELECT COUNT(*) FROM services WHERE {}",
        super::services::INCOMPLETE_RACI
    );
    let n: i64 = on_db!(db, p => sqlx::query_scalar(&sql).fetch_one(p).await)?;
    Ok(n)
}

pub async fn insert(tx: &mut Tx, a: &RaciAssignment, now: Timestamp) -> anyhow::Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO raci_assignments (entity_type, entity_key, party, letter, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(a.subject.as_str())
    .bind(a.key.as_str())
    .bind(&a.party)
    .bind(a.letter.as_str())
    .bind(now)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

pub async fn delete(tx: &mut Tx, a: &RaciAssignment) -> anyhow::Result<()> {
    on_tx!(tx, c => sqlx::query(
        "DELETE FROM raci_assignments WHERE entity_type = $1 AND entity_key = $2 AND party = $3 AND letter = $4",
    )
    .bind(a.subject.as_str())
    .bind(a.key.as_str())
    .bind(&a.party)
    .bind(a.letter.as_str())
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// Moves a record's assignments to its new key, or drops them (`to` None).
pub async fn rekey(
    tx: &mut Tx,
    subject: RaciSubject,
    from: &RecordKey,
    to: Option<&RecordKey>,
) -> anyhow::Result<()> {
    on_tx!(tx, c => match to {
        Some(to) => sqlx::query("UPDATE raci_assignments SET entity_key = $1 WHERE entity_type = $2 AND entity_key = $3")
            .bind(to.as_str()).bind(subject.as_str()).bind(from.as_str()).execute(c).await,
        None => sqlx::query("DELETE FROM raci_assignments WHERE entity_type = $1 AND entity_key = $2")
            .bind(subject.as_str()).bind(from.as_str()).execute(c).await,
    }.map(|_| ()))?;
    Ok(())
}
