#!/usr/bin/env bash
# The dashboard's browser test: Debian's Chromium (installed if missing), playwright-core from
# tests/browser/package-lock.json (npm ci), a test-profile build of `reciprocity`, then tests/browser/e2e.mjs.
# Screenshots and the server's log land in tests/browser/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing chromium (Debian)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
chromium --version 2>/dev/null | head -n 1 || true

echo "== npm ci (tests/browser)"
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

# The test profile: after `cargo test` every dependency is built already (the dev profile would
# rebuild the whole tree). Its binary lands in target/debug too.
echo "== cargo build -p reciprocity (test profile)"
cargo build -p reciprocity --locked --profile test

echo "== browser test"
RECIPROCITY_BIN="$PWD/target/debug/reciprocity" CHROMIUM="$(command -v chromium)" node tests/browser/e2e.mjs
