#!/usr/bin/env bash
# The layering invariant of ARCHITECTURE.md: every use case lives once in crates/service
# (reciprocity-service); the CLI (crates/cli) and the server (crates/server) parse, call the
# service and render. They may name the model's types (a flag parses into `Instrument`), never
# run its computations. This check fails when
#   1. a file of crates/cli/src or crates/server/src calls a computation of reciprocity-model,
#      -scenario or -negotiation (solve, calibrate, best response, Nash, scoring, a scenario's
#      resolution, the formula, the negotiation simulation) and is not in the list of known debt
#      below, or a file of that list no longer does (then remove it: the list only shrinks);
#   2. reciprocity-service depends on the server or on axum (the service has no HTTP), or
#      reciprocity-model depends on serde (the numeric core is pure).
# Run from anywhere; CI runs it from .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

# Calls that compute: add a pattern when a new computation entry point appears in the core crates.
pattern='ge::(solve|calibrate|outcomes)\(|formula::rates\(|strategy::(best_response|nash|bargain|closed_form_at|optimal_retaliation_rate|optimal_tariff_closed_form|apply_controls|frontier)\(|\.resolve(_with_policy)?\(|retaliation::retaliate\(|(^|[^_a-z])simulate\(&|score_terms_on\(|embedded::census_trade\('

# Known debt (issue 11): use cases still run at the edge, to move into the service.
debt=(
)

fail=0
found=$(grep -rlE "$pattern" crates/cli/src crates/server/src | sort || true)
for f in $found; do
  if ! printf '%s\n' "${debt[@]}" | grep -qx "$f"; then
    echo "layering: $f computes at the edge (a use case belongs in crates/service):"
    grep -nE "$pattern" "$f" | sed 's/^/    /'
    fail=1
  fi
done
for f in "${debt[@]}"; do
  if ! printf '%s\n' $found | grep -qx "$f"; then
    echo "layering: $f no longer computes: remove it from the debt list of $0"
    fail=1
  fi
done

deps() { cargo tree --offline -q -p "$1" --edges normal --prefix none 2>/dev/null | awk '{print $1}' | sort -u; }
if deps reciprocity-service | grep -qxE 'reciprocity-server|axum'; then
  echo "layering: reciprocity-service depends on the server or axum (the service has no HTTP)"
  fail=1
fi
if deps reciprocity-model | grep -qx 'serde'; then
  echo "layering: reciprocity-model depends on serde (the numeric core has no serde)"
  fail=1
fi
if [ "$fail" = 0 ]; then
  echo "layering: ok (${#debt[@]} files of known debt)"
fi
exit "$fail"
