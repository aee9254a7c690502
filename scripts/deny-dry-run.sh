#!/usr/bin/env bash
# Dry run of the licence gate in .ci/run: with MIT taken out of deny.toml's allow-list, every crate
# that is MIT only (and every "MIT AND ..." crate) has a licence outside the list, so
# `cargo deny check licenses` must fail, naming them; with the real deny.toml it must pass.
# Shows that the CI step fails on a dependency whose licence we do not accept.
#
# Usage: bash scripts/deny-dry-run.sh      (needs cargo-deny: cargo install cargo-deny --version 0.20.2 --locked)
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The real policy minus the one line that allows MIT.
grep -v '^ *"MIT",' deny.toml > "$work/deny-without-mit.toml"
if cmp -s deny.toml "$work/deny-without-mit.toml"; then
  echo "dry run: deny.toml has no \"MIT\", line to remove" >&2
  exit 1
fi

echo "== cargo deny check licenses with MIT removed from the allow-list (must fail)"
if cargo deny --log-level error --config "$work/deny-without-mit.toml" check --hide-inclusion-graph licenses \
  > "$work/out.txt" 2>&1; then
  cat "$work/out.txt"
  echo "dry run FAILED: the check passed without MIT in the allow-list" >&2
  exit 1
fi
rejected=$(grep -c '^error\[rejected\]' "$work/out.txt" || true)
# The crates named in the rejections (their Cargo.toml in the registry).
grep -o '/[A-Za-z0-9_.-]*/Cargo.toml' "$work/out.txt" | cut -d/ -f2 | sort -u > "$work/crates.txt"
# axum is "MIT" only: it must be among them.
if ! grep -q '^axum-[0-9]' "$work/crates.txt"; then
  cat "$work/out.txt"
  echo "dry run FAILED: the check failed, but not on axum (MIT only)" >&2
  exit 1
fi
echo "failed as it must: ${rejected} crates rejected, among them: $(head -n 5 "$work/crates.txt" | tr '\n' ' ')..."

echo "== cargo deny check licenses with the real deny.toml (must pass)"
cargo deny --log-level error check --hide-inclusion-graph licenses
echo "dry run ok: the licence gate fails on a licence outside the allow-list and passes on ours"
