#!/usr/bin/env bash
# Vendors the dashboard's chart library into crates/server/assets/vendor/ from the npm registry.
# The tarball is checked against the sha512 integrity the registry published for this exact version
# (hard-coded below, so a changed tarball fails loudly). The vendored files are committed: the
# server embeds them and nothing is fetched at run time.
#
# Usage: scripts/vendor-dashboard.sh        (needs node, npm and tar)
set -euo pipefail
cd "$(dirname "$0")/.."

CHARTJS_VERSION="4.5.1"
# `npm view chart.js@4.5.1 dist.integrity`
CHARTJS_INTEGRITY="sha512-GIjfiT9dbmHRiYi6Nl2yFCq7kkwdkp1W/lp2J99rX0yo9tgJGn3lKQATztIjb5tVtevcBtIdICNWqlq5+E8/Pw=="

dest="crates/server/assets/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "fetching chart.js@${CHARTJS_VERSION} from the npm registry"
tarball=$(cd "$work" && npm pack --silent "chart.js@${CHARTJS_VERSION}" | tail -n 1)
tarball="$work/$tarball"

# SRI form: "sha512-" + base64 of the raw digest.
actual=$(node -e 'const c=require("crypto"),f=require("fs");
process.stdout.write("sha512-"+c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$tarball")
if [ "$actual" != "$CHARTJS_INTEGRITY" ]; then
  echo "integrity mismatch for chart.js@${CHARTJS_VERSION}: expected ${CHARTJS_INTEGRITY}, found ${actual}" >&2
  exit 1
fi
echo "integrity ok: ${actual}"

tar -xzf "$tarball" -C "$work"
pkg="$work/package"
found=$(node -p "require('$pkg/package.json').version")
if [ "$found" != "$CHARTJS_VERSION" ]; then
  echo "package.json says version ${found}, expected ${CHARTJS_VERSION}" >&2
  exit 1
fi

mkdir -p "$dest"
cp "$pkg/dist/chart.umd.min.js" "$dest/chart.umd.min.js"
cp "$pkg/LICENSE.md" "$dest/chart.js-LICENSE.md"
{
  echo "chart.js ${CHARTJS_VERSION} (MIT), from the npm registry tarball chart.js-${CHARTJS_VERSION}.tgz"
  echo "integrity ${CHARTJS_INTEGRITY}"
  echo "files: dist/chart.umd.min.js -> chart.umd.min.js, LICENSE.md -> chart.js-LICENSE.md"
  echo "regenerate with scripts/vendor-dashboard.sh"
} > "$dest/VERSIONS.txt"
echo "vendored into ${dest}:"
ls -l "$dest"
