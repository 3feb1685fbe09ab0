//! Link tables that tie a record to the services it names
//! (`process_services`, `vendor_services`): a list field of the record,
//! stored as rows so that renames cascade and deletes can be checked.

use super::Tx;
use crate::domain::inventory::RecordKey;
use crate::on_tx;
use std::collections::HashMap;

/// A link table: its name and the column naming the owning record.
#[derive(Clone, Copy)]
pub struct Links {
    pub table: &'static str,
    pub owner: &'static str,
}

pub const PROCESS_SERVICES: Links = Links {
    table: "process_services",
    owner: "process",
};
pub const VENDOR_SERVICES: Links = Links {
    table: "vendor_services",
    owner: "vendor",
};

impl Links {
    /// Every owner's services, by key.
    pub async fn all(self, tx: &mut Tx) -> anyhow::Result<HashMap<String, Vec<RecordKey>>> {
        let sql = format!(
            "SELECT {}, service FROM {} ORDER BY 1, 2",
            self.owner, self.table
        );
        let rows: Vec<(String, String)> = on_tx!(tx, c => sqlx::query_as(&sql).fetch_all(c).await)?;
        let mut by_owner: HashMap<String, Vec<RecordKey>> = HashMap::new();
        for (owner, service) in rows {
            let key = RecordKey::parse(&service)
                .map_err(|e| anyhow::anyhow!("{} of {owner} is invalid: {e}", self.table))?;
            by_owner.entry(owner).or_default().push(key);
        }
        Ok(by_owner)
    }

    /// One owner's services, by key.
    pub async fn of(self, tx: &mut Tx, owner: &str) -> anyhow::Result<Vec<RecordKey>> {
        let sql = format!(
            "SELECT service FROM {} WHERE {} = $1 ORDER BY service",
            self.table, self.owner
        );
        let rows: Vec<String> =
            on_tx!(tx, c => sqlx::query_scalar(&sql).bind(owner).fetch_all(c).await)?;
        rows.iter()
            .map(|s| RecordKey::parse(s).map_err(|e| anyhow::anyhow!("{}: {e}", self.table)))
            .collect()
    }

    /// The owners that name `service`, in order.
    pub async fn naming(self, tx: &mut Tx, service: &RecordKey) -> anyhow::Result<Vec<String>> {
        let sql = format!(
            "SELECT {0} FROM {1} WHERE service = $1 ORDER BY {0}",
            self.owner, self.table
        );
        let owners: Vec<String> =
            on_tx!(tx, c => sqlx::query_scalar(&sql).bind(service.as_str()).fetch_all(c).await)?;
        Ok(owners)
    }

    /// Makes `services` the owner's whole list.
    pub async fn replace(
        self,
        tx: &mut Tx,
        owner: &str,
        services: &[RecordKey],
    ) -> anyhow::Result<()> {
        let delete = format!("DELETE FROM {} WHERE {} = $1", self.table, self.owner);
        on_tx!(tx, c => sqlx::query(&delete).bind(owner).execute(c).await.map(|_| ()))?;
        for chunk in services.chunks(super::CHUNK) {
            let sql = format!(
                "INSERT INTO {} ({}, service) VALUES {}",
                self.table,
                self.owner,
                super::values(chunk.len(), 2)
            );
            on_tx!(tx, c => {
                let mut q = sqlx::query(&sql);
                for service in chunk {
                    q = q.bind(owner).bind(service.as_str());
                }
                q.execute(c).await.map(|_| ())
            })?;
        }
        Ok(())
    }
}
