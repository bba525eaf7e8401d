#!/usr/bin/env bash
# Whether two folio-bench binaries parse the same pages into the same bytes, names by the rules,
# by the tagger and by the combined recognizer (a speed change must not change one name).
# Usage: Tests/Tools/names-identity.sh OLD_FOLIO_BENCH NEW_FOLIO_BENCH [OUT_DIR]
# Inputs: the seed page, the fixture pages, the PDF bed's texts, the parser's fuzz seeds and
# every PFR page of days 1-20 laid out as pages (compared, never read).
set -euo pipefail
old=$1 new=$2 out=${3:-/tmp/names-identity}
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
inputs=("$root/../shared/corpus/seed-page.txt" "$root/Tests/Fixtures/pages" "$root/Tests/Fixtures/pdfbed"
        "$root/Fuzz/corpus/parser" "$root/../shared/corpus/pfr1998/articles-01-20.jsonl")
status=0
for mode in rules tagger combined; do
    flag=()
    [ "$mode" = tagger ] || flag=("--$mode")
    "$old" names-dump "${flag[@]}" "${inputs[@]}" > "$out/old-$mode.jsonl"
    "$new" names-dump "${flag[@]}" "${inputs[@]}" > "$out/new-$mode.jsonl"
    pages=$(wc -l < "$out/new-$mode.jsonl")
    if cmp -s "$out/old-$mode.jsonl" "$out/new-$mode.jsonl"; then
        echo "$mode: identical ($pages pages, sha256 $(sha256sum < "$out/new-$mode.jsonl" | cut -c1-16))"
    else
        echo "$mode: DIFFERENT ($(diff "$out/old-$mode.jsonl" "$out/new-$mode.jsonl" | grep -c '^>') pages of $pages)"
        status=1
    fi
done
exit $status
