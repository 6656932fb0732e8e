#!/usr/bin/env bash
# Build the same synthetic catalogue with folio, Hugo and mdBook, side by side
# in one run, and copy folio's finished output as the floor no generator can
# beat. Prints, per size and tool: the median wall time of N runs, pages per
# second, the median peak memory, the output's size, and folio's time as a
# ratio of each.
#
#   bench/run.sh                   # 1,000 and 10,000 instruments, 5 runs each
#   bench/run.sh --large           # and 100,000
#   bench/run.sh --sizes "500 2000" --runs 3 --tools folio,hugo
#   bench/run.sh --keep bench-out  # keep the generated sites and outputs
#
# Installs what is missing: GNU time and Hugo with apt-get, mdBook with cargo.
# Times are wall-clock on whatever else the machine is doing; the script
# prints the load average before and after so a noisy run shows itself.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

sizes="1000 10000"
runs=5
tools="folio,folio-en-ru,hugo,mdbook,copy"
keep=""
seed=1
while [ $# -gt 0 ]; do
    case "$1" in
        --large) sizes="$sizes 100000" ;;
        --sizes) sizes="$2"; shift ;;
        --runs) runs="$2"; shift ;;
        --tools) tools="$2"; shift ;;
        --seed) seed="$2"; shift ;;
        --keep) keep="$2"; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
wants() { [[ ",$tools," == *",$1,"* ]]; }

# Tools. apt-get needs root; mdBook is not packaged for Debian 12, so cargo.
apt_updated=""
apt_install() {
    if [ -z "$apt_updated" ]; then
        apt-get update -qq
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
[ -x /usr/bin/time ] || apt_install time
command -v python3 >/dev/null || apt_install python3
if wants hugo && ! command -v hugo >/dev/null; then apt_install hugo; fi
export PATH="$HOME/.cargo/bin:$PATH"
if wants mdbook && ! command -v mdbook >/dev/null; then
    if apt-cache policy mdbook 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        apt_install mdbook
    else
        cargo install mdbook --locked --quiet
    fi
fi

cargo build --release --quiet --bin folio
folio="${CARGO_TARGET_DIR:-$repo/target}/release/folio"

if [ -n "$keep" ]; then
    work="$keep"
    mkdir -p "$work"
else
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
fi

# Outputs are set aside between runs and deleted once a size is done. On an
# ext4 file system without a journal, a new file will not take the inode of
# one deleted in the last minute, and looking past each such inode costs
# more the more there are: deleting the previous output just before each
# run made copying a 10,000-instrument site two to three times slower.
deleted_at=0
delete_outputs() {
    rm -rf "$@"
    sync
    deleted_at=$(date +%s)
}
wait_for_deletions() {
    local settle=$((deleted_at + 61 - $(date +%s)))
    [ "$settle" -le 0 ] || sleep "$settle"
}

# measure NAME OUTPUT_DIR COMMAND...: run COMMAND $runs times from an absent
# OUTPUT_DIR; leaves "median_ms median_kb" in $result.
measure() {
    local name="$1" out="$2"
    shift 2
    local times=() memories=() i start end
    for ((i = 0; i < runs; i++)); do
        if [ -e "$out" ]; then
            mkdir -p "$site/set-aside"
            mv "$out" "$site/set-aside/$name-$i"
        fi
        sync
        start=$(date +%s%N)
        if ! /usr/bin/time -f '%M' -o "$work/memory" "$@" >"$work/log" 2>&1; then
            echo "$name failed:" >&2
            tail -20 "$work/log" >&2
            exit 3
        fi
        end=$(date +%s%N)
        times+=($(((end - start) / 1000000)))
        memories+=("$(tail -1 "$work/memory")")
    done
    result="$(median "${times[@]}") $(median "${memories[@]}")"
}

median() {
    printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
        if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

pages_in() { find "$1" -name '*.html' | wc -l; }
bytes_in() { du -sb "$1" | cut -f1; }

# row TOOL MS KB PAGES BYTES: one line of the table.
rows=()
row() {
    rows+=("$1|$2|$3|$4|$5")
}

print_table() {
    local size="$1" folio_ms="$2"
    printf '\n%s instruments · %s runs each, medians\n' "$size" "$runs"
    printf '%-22s %9s %8s %10s %10s %10s %12s\n' \
        tool "wall s" pages "pages/s" "peak MiB" "out MiB" "folio/tool"
    local line tool ms kb pages bytes ratio
    for line in "${rows[@]}"; do
        IFS='|' read -r tool ms kb pages bytes <<<"$line"
        ratio="-"
        [ -n "$folio_ms" ] && ratio=$(awk -v f="$folio_ms" -v t="$ms" 'BEGIN { printf "%.2f", f / t }')
        awk -v tool="$tool" -v ms="$ms" -v kb="$kb" -v pages="$pages" -v bytes="$bytes" \
            -v ratio="$ratio" 'BEGIN {
            s = ms / 1000
            printf "%-22s %9.2f %8d %10.0f %10.1f %10.1f %12s\n",
                tool, s, pages, (s > 0 ? pages / s : 0), kb / 1024, bytes / 1048576, ratio }'
    done
}

echo "folio benchmark · $(nproc) cores · $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "folio $("$folio" --version | cut -d' ' -f2) ($folio)"
wants hugo && echo "$(hugo version | cut -d' ' -f1-2)"
wants mdbook && echo "$(mdbook --version)"

growth=()
last_size=""
last_ms=""
for size in $sizes; do
    site="$work/$size"
    [ ! -e "$site" ] || delete_outputs "$site"
    mkdir -p "$site"

    # One catalogue: the real site.yaml (English and Russian pages) for
    # folio-en-ru; the same content with English alone for the comparison,
    # since Hugo and mdBook are given one language.
    "$folio" synth --count "$size" --seed "$seed" --root "$site/folio" --quiet
    mkdir -p "$site/folio-en/content"
    sed 's/^languages:.*/languages: [en]/' "$site/folio/content/site.yaml" \
        >"$site/folio-en/content/site.yaml"
    cp "$site/folio/content/classification.yaml" "$site/folio-en/content/"
    ln -s "$site/folio/content/instruments" "$site/folio-en/content/instruments"

    wait_for_deletions
    rows=()
    folio_ms=""
    if wants folio || wants copy; then
        measure folio "$site/out-folio" \
            "$folio" build --root "$site/folio-en" --out "$site/out-folio" --quiet
        read -r ms kb <<<"$result"
        folio_ms="$ms"
        row folio "$ms" "$kb" "$(pages_in "$site/out-folio")" "$(bytes_in "$site/out-folio")"
    fi
    if wants folio-en-ru; then
        measure folio-en-ru "$site/out-folio-en-ru" \
            "$folio" build --root "$site/folio" --out "$site/out-folio-en-ru" --quiet
        read -r ms kb <<<"$result"
        row "folio (en + ru)" "$ms" "$kb" "$(pages_in "$site/out-folio-en-ru")" \
            "$(bytes_in "$site/out-folio-en-ru")"
    fi
    if wants hugo; then
        python3 "$repo/bench/convert.py" hugo "$site/folio" "$site/hugo"
        measure hugo "$site/out-hugo" \
            hugo --source "$site/hugo" --destination "$site/out-hugo" --quiet
        read -r ms kb <<<"$result"
        row hugo "$ms" "$kb" "$(pages_in "$site/out-hugo")" "$(bytes_in "$site/out-hugo")"
    fi
    if wants mdbook; then
        python3 "$repo/bench/convert.py" mdbook "$site/folio" "$site/mdbook"
        measure mdbook "$site/out-mdbook" \
            mdbook build "$site/mdbook" --dest-dir "$site/out-mdbook"
        read -r ms kb <<<"$result"
        row mdbook "$ms" "$kb" "$(pages_in "$site/out-mdbook")" "$(bytes_in "$site/out-mdbook")"
    fi
    if wants copy; then
        measure copy "$site/out-copy" cp -r "$site/out-folio" "$site/out-copy"
        read -r ms kb <<<"$result"
        row "copy floor (cp -r)" "$ms" "$kb" "$(pages_in "$site/out-copy")" \
            "$(bytes_in "$site/out-copy")"
    fi
    print_table "$size" "$folio_ms"
    if [ -n "$folio_ms" ]; then
        [ -z "$last_size" ] || growth+=("$(awk -v a="$last_size" -v b="$size" \
            -v ta="$last_ms" -v tb="$folio_ms" 'BEGIN {
            printf "%d -> %d instruments: size x%.1f, folio time x%.2f", a, b, b / a, tb / ta }')")
        last_size="$size"
        last_ms="$folio_ms"
    fi
    if [ -n "$keep" ]; then
        delete_outputs "$site/set-aside"
    else
        delete_outputs "$site"
    fi
done

if [ ${#growth[@]} -gt 0 ]; then
    echo
    printf '%s\n' "${growth[@]}"
fi

echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "folio/tool below 1 means folio took less time; pages are the HTML files written."
