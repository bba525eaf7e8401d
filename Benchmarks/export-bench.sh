#!/usr/bin/env bash
# Export benchmark and read-back check on the start-up benchmark's archive (release build):
#   Benchmarks/export-bench.sh [ARTICLES]      (default 100000; needs the pfr1998 corpus, see
#                                               scripts/make-startup-corpus.py)
# Starts foliod on the archive, exports it as NDJSON, CSV and mentions CSV with `folio export`
# and as Parquet (articles and mentions) with the Python client, prints MB/s and the peak RSS
# of foliod (sampled during each export) and of the client, then reads every file back and
# fails unless every article and every entity mention is present in each.
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-100000}
data=${FOLIO_BENCH_DATA:-/tmp/folio-startup-$articles}
bin=.build/release
out=$(mktemp -d /tmp/folio-export-XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$out"; }
trap cleanup EXIT
[ -d "$data/pages" ] || python3 scripts/make-startup-corpus.py "$data" --articles "$articles" >&2
sock="$out/foliod.sock"
"$bin/foliod" --data "$data" --socket "$sock" 2>"$out/foliod.log" &
pid=$!
until "$bin/folio" health --socket "$sock" >/dev/null 2>&1; do
  kill -0 "$pid" 2>/dev/null || { cat "$out/foliod.log" >&2; exit 1; }
  sleep 0.5
done
total=$("$bin/folio" stats --socket "$sock" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["articles"])')
rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status"; }
echo "archive: $total articles, foliod resident $(rss) MB at start; load $(cut -d' ' -f1-3 /proc/loadavg)"

# Runs one export ($1 = label, rest = command), sampling foliod's resident memory meanwhile.
measure() {
  local label=$1 file=$2; shift 2
  local peak=0 sample started ended
  started=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$out/client-rss" "$@" &
  local job=$!
  while kill -0 "$job" 2>/dev/null; do
    sample=$(rss); [ "$sample" -gt "$peak" ] && peak=$sample
    sleep 0.1
  done
  wait "$job"
  ended=$(date +%s.%N)
  python3 - "$label" "$file" "$started" "$ended" "$peak" "$(tail -1 "$out/client-rss")" <<'PY'
import os, sys
label, path, start, end, peak, client = sys.argv[1:]
seconds = float(end) - float(start)
size = os.path.getsize(path) / 1e6
print(f"{label:22s} {size:8.1f} MB in {seconds:6.2f} s = {size / seconds:6.1f} MB/s;"
      f" foliod peak {peak} MB, client peak {int(client) // 1024} MB")
PY
}

folio=("$bin/folio" export --socket "$sock" --no-progress)
measure "folio export ndjson" "$out/a.ndjson" "${folio[@]}" --format ndjson --output "$out/a.ndjson"
measure "folio export csv" "$out/a.csv" "${folio[@]}" --format csv --output "$out/a.csv"
measure "folio export mentions" "$out/m.csv" "${folio[@]}" --format mentions --output "$out/m.csv"
export PYTHONPATH="$PWD/Clients/python"
python3 Clients/python/gen_protos.py >/dev/null
py="from folio_client import Client; import sys; Client(sys.argv[1], timeout=3600).export_parquet(sys.argv[2], kind=sys.argv[3])"
measure "python parquet" "$out/a.parquet" python3 -c "$py" "$sock" "$out/a.parquet" articles
measure "python parquet mentions" "$out/m.parquet" python3 -c "$py" "$sock" "$out/m.parquet" mentions
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Read back: every article in each file, every mention in the mention files and counts.
python3 - "$out" "$total" <<'PY'
import csv, json, sys
import pyarrow.parquet as pq
out, total = sys.argv[1], int(sys.argv[2])
csv.field_size_limit(1 << 30)
mentions = {}
for line in open(f"{out}/a.ndjson", encoding="utf-8"):
    article = json.loads(line)
    mentions[article["id"]] = sum(len(e.get("mentions", [])) for e in article.get("entities", []))
assert len(mentions) == total, ("ndjson", len(mentions), total)
with open(f"{out}/a.csv", encoding="utf-8", newline="") as f:
    rows = list(csv.DictReader(f))
assert {r["id"]: int(r["mentions"]) for r in rows} == mentions, "csv articles"
per_article = {}
with open(f"{out}/m.csv", encoding="utf-8", newline="") as f:
    for r in csv.DictReader(f):
        assert r["text"] and int(r["end"]) - int(r["start"]) == len(r["text"]), r
        per_article[r["article_id"]] = per_article.get(r["article_id"], 0) + 1
assert per_article == {k: v for k, v in mentions.items() if v}, "mentions csv"
table = pq.read_table(f"{out}/a.parquet", columns=["id", "mentions"]).to_pydict()
assert dict(zip(table["id"], table["mentions"])) == mentions, "parquet articles"
ids = pq.read_table(f"{out}/m.parquet", columns=["article_id"]).column("article_id").to_pylist()
counted = {}
for i in ids:
    counted[i] = counted.get(i, 0) + 1
assert counted == per_article, "parquet mentions"
print(f"read back: {total} articles and {sum(mentions.values())} mentions in each of the five files")
PY
