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

# The binary exactly as `cargo test --workspace` builds it for the CLI's tests: after that run this is
# a no-op. (`cargo build -p reciprocity` resolves another feature set and rebuilt the whole tree,
# doubling the disk CI needs; it ran out in stop 18.)
echo "== cargo test --workspace --no-run (builds target/debug/reciprocity)"
cargo test --workspace --locked --no-run

echo "== browser test"
RECIPROCITY_BIN="$PWD/target/debug/reciprocity" CHROMIUM="$(command -v chromium)" node tests/browser/e2e.mjs
