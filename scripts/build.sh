#!/usr/bin/env bash
# Builds the site: the WebAssembly front end (hydration) into target/site/pkg,
# the stylesheet and static files, and the `continuity` server binary.
#   scripts/build.sh release   optimised, for running (make run)
#   scripts/build.sh dev       quicker to build, for the tests
set -euo pipefail
source "$(dirname "$0")/env.sh"
profile="${1:-release}"
cd "$ROOT"

"$ROOT/scripts/toolchain.sh"

case "$profile" in
  release) wasm_profile=wasm-release; server_flags=(--release) ;;
  dev)     wasm_profile=wasm-dev;     server_flags=() ;;
  *) die "unknown profile '$profile' (release or dev)" ;;
esac

log "building the front end ($wasm_profile)"
if [ "$(cat "$CACHE_DIR/wasm-route")" = debian ]; then
  PATH=/usr/bin:$PATH RUSTC_BOOTSTRAP=1 /usr/bin/cargo build -p frontend --lib \
    --target wasm32-unknown-unknown --profile "$wasm_profile" \
    -Zbuild-std=std,panic_abort --target-dir "$CARGO_TARGET_DIR/front-debian"
  wasm="$CARGO_TARGET_DIR/front-debian/wasm32-unknown-unknown/$wasm_profile/frontend.wasm"
else
  cargo build -p frontend --lib --target wasm32-unknown-unknown --profile "$wasm_profile"
  wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/$wasm_profile/frontend.wasm"
fi

mkdir -p "$SITE_DIR/pkg"
wasm-bindgen --target web --no-typescript --out-name continuity \
  --out-dir "$SITE_DIR/pkg" "$wasm"
if [ "$profile" = release ]; then
  log "optimising the WebAssembly (wasm-opt -Oz)"
  "$TOOLS_DIR/node/node_modules/.bin/wasm-opt" -Oz --enable-bulk-memory \
    --enable-nontrapping-float-to-int "$SITE_DIR/pkg/continuity_bg.wasm" \
    -o "$SITE_DIR/pkg/continuity_bg.wasm.opt"
  mv "$SITE_DIR/pkg/continuity_bg.wasm.opt" "$SITE_DIR/pkg/continuity_bg.wasm"
fi
cp "$ROOT/style/main.css" "$SITE_DIR/pkg/continuity.css"
cp -r "$ROOT/public/." "$SITE_DIR/"

log "building the server"
cargo build -p continuity-server --bin continuity "${server_flags[@]}"
