#!/usr/bin/env bash
# The benchmarks of SPEC §9 (release build): the analysis in memory, then
# the inventory on SQLite and on PostgreSQL. Each prints its percentiles and exits 1 if a bar is missed.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$ROOT/scripts/postgres.sh"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/postgres}"
status=0
log "analysis benchmark (in memory)"
cargo bench -p continuity-tests --bench analysis || status=1
for backend in sqlite postgres; do
  log "inventory benchmark ($backend)"
  BENCH_BACKEND=$backend cargo bench -p continuity-tests --bench inventory || status=1
done
exit $status
