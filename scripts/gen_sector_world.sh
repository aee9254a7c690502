#!/usr/bin/env bash
# Regenerate crates/data/embedded/sector_world.csv.gz, the compact ICIO sector world compiled into
# the binary (30 regions x 14 sectors; docs/sector-world.md), with the project's ICIO builder and
# the applied baseline tariffs of the end of 2024 (the US column needs the policy engine, so the
# example lives in reciprocity-service).
#
# Source: OECD Inter-Country Input-Output Tables, 2025 release, with CEPII BACI 2023 pair totals and
# U.S. Census Bureau 2024 imports; aggregated by Reciprocity.
#
# Usage: scripts/gen_sector_world.sh [--check] [SHARED_DATA_DIR]
#   --check: rebuild in memory and fail if the committed file differs.
# SHARED_DATA_DIR defaults to $RECIPROCITY_SHARED_DATA, else the nearest ../shared/data.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --quiet --release -p reciprocity-service --example gen_sector_world -- "$@"
