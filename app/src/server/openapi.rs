//! The OpenAPI 3 description of `/api/v1` (SPEC §8.3), built from the same
//! definitions the API uses: the entities and their CSV columns come from
//! [`Exchange`], the finding kinds and states from their enums.

use crate::domain::analysis::findings::FindingKind;
use crate::domain::analysis::simulation::ServiceState;
use crate::domain::inventory::csv_file::Exchange;
use serde_json::{json, Map, Value};

fn error_response(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn ok_json(description: &str, schema: Value) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": schema } },
    })
}

/// The responses every call may give besides its own.
fn with_errors(ok: Value) -> Value {
    json!({
        "200": ok,
        "401": error_response("no valid token or session"),
        "403": error_response("the role may not do this; the message says why"),
        "404": error_response("not found"),
        "422": error_response("bad input: every problem, naming the field, line and column"),
    })
}

fn entity_schemas() -> Map<String, Value> {
    Exchange::ALL
        .iter()
        .map(|x| {
            let properties: Map<String, Value> = x
                .columns()
                .iter()
                .map(|c| (c.to_string(), json!({ "type": "string" })))
                .collect();
            (
                format!("{}Row", x.as_str()),
                json!({ "type": "object", "properties": properties, "description": format!("A row of {} as JSON: the CSV columns as fields (SPEC §8.5).", x.file_name()) }),
            )
        })
        .collect()
}

pub fn document() -> Value {
    let entities: Vec<&str> = Exchange::ALL.iter().map(|x| x.as_str()).collect();
    let kinds: Vec<&str> = FindingKind::ALL.iter().map(|k| k.as_str()).collect();
    let states: Vec<&str> = ServiceState::ALL.iter().map(|s| s.as_str()).collect();
    let entity = json!({ "name": "entity", "in": "path", "required": true, "schema": { "type": "string", "enum": entities } });
    let mut schemas = entity_schemas();
    schemas.insert(
        "Error".into(),
        json!({
            "type": "object",
            "properties": { "error": { "type": "object", "properties": {
                "code": { "type": "string" }, "message": { "type": "string" }, "details": {} } } }
        }),
    );
    schemas.insert("Finding".into(), json!({
        "type": "object",
        "properties": { "kind": { "type": "string", "enum": kinds }, "message": { "type": "string" }, "value": { "type": ["number", "null"] } }
    }));
    schemas.insert("Analysis".into(), json!({
        "type": "object",
        "properties": {
            "services": { "type": "array", "items": { "type": "object", "properties": {
                "key": { "type": "string" }, "tier": { "type": "integer" },
                "target_rto_minutes": { "type": ["integer", "null"] }, "target_rpo_minutes": { "type": ["integer", "null"] },
                "recovery_minutes": { "type": "integer" }, "recovery_source": { "type": "string", "enum": ["declared", "demonstrated"] },
                "achievable_rto_minutes": { "type": ["integer", "null"] }, "critical_path": { "type": "array", "items": { "type": "string" } },
                "wave": { "type": ["integer", "null"] }, "cycle": { "type": ["array", "null"], "items": { "type": "string" } },
                "achievable_rpo_minutes": { "type": ["number", "null"] },
                "findings": { "type": "array", "items": { "$ref": "#/components/schemas/Finding" } },
                "readiness": { "type": "object", "properties": { "score": { "type": "integer" }, "checks": { "type": "array", "items": { "type": "object" } } } }
            } } },
            "cycles": { "type": "array", "items": { "type": "array", "items": { "type": "string" } } },
            "portfolio_score": { "type": ["number", "null"] }
        }
    }));
    schemas.insert("SiteLoss".into(), json!({
        "type": "object",
        "properties": {
            "site": { "type": "string" },
            "services": { "type": "array", "items": { "type": "object", "properties": {
                "key": { "type": "string" }, "state": { "type": "string", "enum": states },
                "downtime_minutes": { "type": ["integer", "null"] }, "breaches_rto": { "type": "boolean" }, "breaches_mtpd": { "type": "boolean" } } } },
            "waves": { "type": "array", "items": { "type": "array", "items": { "type": "string" } } },
            "capacity": { "type": "array", "items": { "type": "object" } },
            "processes_affected": { "type": "array", "items": { "type": "string" } }
        }
    }));
    schemas.insert("LagPush".into(), json!({
        "type": "object", "required": ["service", "mode", "source_site", "target_site", "samples"],
        "properties": {
            "service": { "type": "string" }, "mode": { "type": "string" }, "source_site": { "type": "string" }, "target_site": { "type": "string" },
            "samples": { "type": "array", "items": { "type": "object", "required": ["lag_seconds"], "properties": {
                "at": { "type": "string", "format": "date-time" }, "lag_seconds": { "type": "number", "minimum": 0 } } } }
        }
    }));
    json!({
        "openapi": "3.1.0",
        "info": { "title": "Continuity API", "version": env!("CARGO_PKG_VERSION"),
                  "description": "IT service continuity: inventory exchange, recovery analysis, site-loss simulation, lag samples. Bearer API tokens act with their user's role." },
        "servers": [{ "url": "/" }],
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": schemas,
        },
        "security": [{ "bearer": [] }],
        "paths": {
            "/api/v1/{entity}": { "get": {
                "summary": "List the records of an entity as JSON objects with the CSV columns as fields",
                "parameters": [entity.clone()],
                "responses": with_errors(ok_json("the records", json!({ "type": "object", "additionalProperties": { "type": "array", "items": { "type": "object" } } }))),
            } },
            "/api/v1/export/{entity}": { "get": {
                "summary": "Export an entity as its CSV exchange file",
                "parameters": [entity.clone()],
                "responses": with_errors(json!({ "description": "the CSV file", "content": { "text/csv": { "schema": { "type": "string" } } } })),
            } },
            "/api/v1/import/{entity}": { "post": {
                "summary": "Import one CSV exchange file, all or nothing",
                "parameters": [entity],
                "requestBody": { "required": true, "content": { "text/csv": { "schema": { "type": "string" } } } },
                "responses": with_errors(ok_json("what the import created, updated and left unchanged", json!({ "type": "object" }))),
            } },
            "/api/v1/analysis": { "get": {
                "summary": "The recovery analysis of every service (SPEC §5)",
                "responses": with_errors(ok_json("the analysis", json!({ "$ref": "#/components/schemas/Analysis" }))),
            } },
            "/api/v1/simulations/site-loss": { "get": {
                "summary": "Simulate the loss of a site (SPEC §5.5)",
                "parameters": [{ "name": "site", "in": "query", "required": true, "schema": { "type": "string" } }],
                "responses": with_errors(ok_json("the simulation", json!({ "$ref": "#/components/schemas/SiteLoss" }))),
            } },
            "/api/v1/lag": { "post": {
                "summary": "Record replication lag samples of one link",
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/LagPush" } } } },
                "responses": with_errors(ok_json("how many samples were recorded", json!({ "type": "object", "properties": { "recorded": { "type": "integer" } } }))),
            } },
            "/api/v1/openapi.json": { "get": {
                "summary": "This document", "security": [],
                "responses": { "200": ok_json("OpenAPI 3", json!({ "type": "object" })) },
            } },
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_entity_has_a_row_schema_with_its_columns() {
        let doc = super::document();
        assert_eq!(doc["openapi"], "3.1.0");
        let bia = &doc["components"]["schemas"]["biaRow"]["properties"];
        assert!(bia["rto_minutes"].is_object());
        assert!(doc["paths"]["/api/v1/analysis"]["get"].is_object());
    }
}
