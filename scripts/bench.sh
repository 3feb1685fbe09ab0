#!/usr/bin/env bash
# Benchmarks (SPEC §9): run in release mode; they print their figures.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
cargo bench -p continuity-tests "$@"
