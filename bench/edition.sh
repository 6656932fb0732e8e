#!/usr/bin/env bash
# How long `folio edition` takes: for the real catalogue and for a synthetic
# catalogue of 2,000 instruments (`folio synth`). Prints one line per run with
# wall time, pages and sizes, as `folio edition` reports them.
#
#   bench/edition.sh            # release build with the `edition` feature
#   COUNT=500 bench/edition.sh  # another synthetic size
#
# The first run compiles the typst stack (about 20 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."

count="${COUNT:-2000}"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1640995200}"

cargo build --release --features edition --quiet
folio="${CARGO_TARGET_DIR:-target}/release/folio"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

measure() {
    local name="$1" root="$2"
    local start elapsed
    start=$(date +%s%N)
    "$folio" --root "$root" edition --out "$work/out" --lang en 2>&1 | sed "s|^|  |"
    elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
    printf '%s: edition in %d.%03d s (wall, with loading and validation)\n' \
        "$name" $((elapsed / 1000)) $((elapsed % 1000))
}

measure "real catalogue" "$PWD"

"$folio" --root "$work/synthetic" synth --count "$count" --quiet
measure "synthetic, $count instruments" "$work/synthetic"
