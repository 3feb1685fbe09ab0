//! The import page: what the last upload of this session did. The upload
//! itself is a plain form post to `/import` (`server::upload`).

use super::error::AppError;
use crate::domain::inventory::exchange::ImportSummary;
use leptos::prelude::*;

/// The session entry holding the last upload's outcome.
pub const LAST_IMPORT: &str = "last_import";

/// What the last upload did: each file's counts, or why nothing changed.
pub type ImportOutcome = Result<Vec<ImportSummary>, AppError>;

/// The last upload's outcome in this session, if any; only for those who
/// may import.
#[server(prefix = "/fn", endpoint = "last_import")]
pub async fn last_import() -> Result<Option<ImportOutcome>, AppError> {
    use super::ctx::{require, respond, session};
    use crate::domain::access::Permission;
    respond(
        async {
            require(Permission::ImportCsv).await?;
            let outcome = session()
                .await?
                .get::<ImportOutcome>(LAST_IMPORT)
                .await
                .map_err(|e| anyhow::anyhow!("reading the import outcome: {e}"))?;
            Ok(outcome)
        }
        .await,
    )
}
