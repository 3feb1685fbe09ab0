#!/usr/bin/env bash
# Installs what building the WebAssembly front end needs, idempotently:
#   the wasm32 target, wasm-bindgen-cli matching Cargo.lock, wasm-opt (npm
#   binaryen; Debian's breaks hydration). With --browser also Chromium and
#   ChromeDriver for the browser tests. Prints nothing when all is present.
set -euo pipefail
source "$(dirname "$0")/env.sh"

ensure_wasm_target() {
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    echo rustup > "$CACHE_DIR/wasm-route"; return
  fi
  log "adding the wasm32-unknown-unknown target"
  if timeout 180 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
    echo rustup > "$CACHE_DIR/wasm-route"; return
  fi
  # Fallback: Debian's rustc-web builds std for wasm itself (build-std).
  log "rustup could not fetch the target; using Debian's rustc-web"
  apt_install rustc-web cargo-web rust-web-src lld-22
  echo debian > "$CACHE_DIR/wasm-route"
}

ensure_wasm_bindgen() {
  local want
  want=$(grep -A1 '^name = "wasm-bindgen"$' "$ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')
  [ -n "$want" ] || die "wasm-bindgen is not in Cargo.lock"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" = "$want" ]; then return; fi
  log "installing wasm-bindgen-cli $want (about 2 minutes, once)"
  # Not --locked: its lock file pins a webpki-roots newer than the registry has.
  cargo install wasm-bindgen-cli --version "$want" --root "$TOOLS_DIR" --force \
    --target-dir "$CACHE_DIR/tools-build" >/dev/null 2>&1 \
    || cargo install wasm-bindgen-cli --version "$want" --root "$TOOLS_DIR" --force \
      --target-dir "$CACHE_DIR/tools-build"
}

ensure_wasm_opt() {
  [ -x "$TOOLS_DIR/node/node_modules/.bin/wasm-opt" ] && return
  command -v npm >/dev/null || apt_install nodejs npm
  log "installing wasm-opt (npm binaryen)"
  mkdir -p "$TOOLS_DIR/node"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR/node" binaryen@132.0.0 >/dev/null
}

ensure_browser() {
  apt_install chromium chromium-driver qpdf poppler-utils
  # axe-core: the accessibility rules the browser tests run on every page.
  [ -f "$TOOLS_DIR/node/node_modules/axe-core/axe.min.js" ] && return
  log "installing axe-core (npm)"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR/node" axe-core@4 >/dev/null
}

mkdir -p "$CACHE_DIR" "$TOOLS_DIR/bin"
ensure_wasm_target
ensure_wasm_bindgen
ensure_wasm_opt
[ "${1:-}" = "--browser" ] && ensure_browser
exit 0
