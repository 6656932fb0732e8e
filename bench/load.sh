#!/usr/bin/env bash
# Load-test `folio serve` on loopback with wrk: one instrument page, then the
# search API, each for the same time at the same number of connections.
# Prints requests per second, latency percentiles and error counts for each,
# stops the server, and exits 1 if any request failed.
#
#   bench/load.sh                                  # 60 s each, 400 connections, 2 threads
#   bench/load.sh --duration 10 --connections 200 --threads 2
#   bench/load.sh --gzip                           # ask for gzip, as browsers do
#
# Installs wrk with apt-get when it is missing, builds folio in release mode,
# and builds the real catalogue into a temporary folder. wrk and the server
# share the machine's cores, so the figures are a floor, not a capacity.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

duration=60
connections=400
threads=2
headers=()
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) duration="$2"; shift ;;
        --connections) connections="$2"; shift ;;
        --threads) threads="$2"; shift ;;
        --gzip) headers=(-H "Accept-Encoding: gzip") ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
    shift
done

if ! command -v wrk > /dev/null; then
    echo "installing wrk" >&2
    apt-get update -qq && apt-get install -y -qq wrk > /dev/null
fi
# Every connection is a file descriptor on both sides.
ulimit -n "$(( connections * 4 + 256 ))" 2> /dev/null || true

cargo build --release --quiet
folio="${CARGO_TARGET_DIR:-$repo/target}/release/folio"
work="$(mktemp -d)"
server=""
cleanup() {
    if [ -n "$server" ]; then
        kill "$server" 2> /dev/null || true
        wait "$server" 2> /dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

cp -r content "$work/content"
"$folio" build --root "$work" --quiet
"$folio" serve --root "$work" --port 0 > "$work/serve.out" 2> "$work/serve.err" &
server=$!
address=""
for _ in $(seq 100); do
    address="$(grep -o 'http://[^/ ]*' "$work/serve.out" || true)"
    [ -n "$address" ] && break
    sleep 0.1
done
if [ -z "$address" ]; then
    echo "folio serve did not start:" >&2
    cat "$work/serve.err" >&2
    exit 3
fi

echo "folio $("$folio" --version | cut -d' ' -f2) at $address; $(nproc) cores;" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t$threads -c$connections -d${duration}s --latency ${headers[*]:-}"

failed=0
summary=()
load() {
    local name="$1" path="$2" out="$work/$1.txt"
    echo
    echo "== $name: GET $path"
    wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "${headers[@]}" \
        "$address$path" | tee "$out"

    local rps p50 p90 p99 socket non2xx
    rps="$(awk '/^Requests\/sec/ { print $2 }' "$out")"
    p50="$(awk '$1 == "50%" { print $2 }' "$out")"
    p90="$(awk '$1 == "90%" { print $2 }' "$out")"
    p99="$(awk '$1 == "99%" { print $2 }' "$out")"
    # wrk prints these lines only when there were errors.
    socket="$(awk '/Socket errors/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) n += $i }
        END { print n + 0 }' "$out")"
    non2xx="$(awk '/Non-2xx or 3xx responses/ { n = $NF } END { print n + 0 }' "$out")"
    if [ "$socket" != 0 ] || [ "$non2xx" != 0 ]; then failed=1; fi
    summary+=("$(printf '%-8s %12s %10s %10s %10s %14s %10s' \
        "$name" "$rps" "$p50" "$p90" "$p99" "$socket" "$non2xx")")
}

load static /instruments/kyoto-convention-1973/
load search "/api/search?q=convention"

echo
printf '%-8s %12s %10s %10s %10s %14s %10s\n' \
    "" "requests/s" "p50" "p90" "p99" "socket errors" "non-2xx"
printf '%s\n' "${summary[@]}"
exit "$failed"
