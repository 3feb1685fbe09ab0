#!/usr/bin/env bash
# Builds Continuity (release) and serves it on http://127.0.0.1:3000 with an
# embedded SQLite database at data/continuity.db, created, migrated and
# given demo users on first start.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$ROOT/scripts/build.sh" release
export LEPTOS_SITE_ROOT="$SITE_DIR"
exec "$CARGO_TARGET_DIR/release/continuity" serve --seed-demo "$@"
