#!/usr/bin/env bash
# Fill the fuzz corpora with real inputs before a run: every Markdown file of
# the catalogue and the test fixtures, and search requests of the kinds
# readers type. libFuzzer mutates from these instead of from nothing.
set -euo pipefail
cd "$(dirname "$0")"

mkdir -p corpus/front_matter corpus/markdown corpus/search_query
find ../content ../tests/fixtures -name '*.md' -print0 |
    while IFS= read -r -d '' file; do
        name=$(printf '%s' "$file" | cksum | cut -d' ' -f1)
        cp "$file" "corpus/front_matter/seed-$name"
        cp "$file" "corpus/markdown/seed-$name"
    done

n=0
while IFS= read -r query; do
    n=$((n + 1))
    printf '%s' "$query" > "corpus/search_query/seed-$n"
done <<'QUERIES'
kyoto convention
"revised kyoto" type:convention
русский ПЕРСОНАЛЬНЫХ данных
résumé café naïve père
not store passwords
https://example.org/a
-foo following: >>> C++ y+(y+25) title: "unbalanced
subject:procedures decade:1990s status:in-force lang:ru
harmoniz*
{"text": "customs", "language": "all", "page": 2, "per_page": 100, "prefix": true}
{"text": "", "types": ["convention"], "from_year": 1990, "to_year": 1950, "decades": ["1990s"]}
QUERIES
echo "seeded: $(ls corpus/front_matter | wc -l) files, $n queries"
