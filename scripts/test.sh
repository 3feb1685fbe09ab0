#!/usr/bin/env bash
# Every check and test: formatting, clippy (server and browser builds),
# unit, integration (SQLite and PostgreSQL), CLI and browser tests.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

"$ROOT/scripts/toolchain.sh" --browser
"$ROOT/scripts/postgres.sh"
export AXE_CORE_JS="${AXE_CORE_JS:-$TOOLS_DIR/node/node_modules/axe-core/axe.min.js}"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/postgres}"

log "cargo fmt --check"
cargo fmt --all -- --check

log "clippy (ssr and hydrate builds)"
cargo clippy -p app -p continuity-server -p continuity-tests --features app/ssr --all-targets -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

"$ROOT/scripts/build.sh" dev

log "tests"
cargo test -p app --features ssr
cargo test -p continuity-server
cargo test -p continuity-tests
