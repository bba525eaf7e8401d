#!/bin/sh
# Entity recognition figures (the tagger; the full comparison with the old rules, THULAC and jieba
# is `.build/release/folio-bench entities`, see README).
#   scripts/eval-entities.sh            held-out P/R/F1 table + seed recall (Swift tests) and release throughput
#   scripts/eval-entities.sh bench      release throughput only (entities alone, then whole-page
#                                       parse without and with entities)
# The throughput tool links the release build of FolioEntities directly (no NIO build needed).
set -eu
cd "$(dirname "$0")/.."
if [ "${1:-}" != bench ]; then
    swift build --build-tests
    swift test --skip-build --filter 'HeldOutEvaluation|SeedPageTests' 2>&1 | grep -E '^(seed|1998)|✔|✘'
fi
swift build -c release --target FolioParser
R=.build/release
# The objects each module is made of now (a build dir may hold stale ones of deleted files).
objects() {
    python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(" ".join(v["object"] for k,v in m.items() if k and "object" in v))' \
        "$R/$1.build/output-file-map.json"
}
swiftc -O -parse-as-library scripts/entity-bench/main.swift scripts/entity-bench/ParseWithEntities.swift \
    -I $R/Modules -I Sources/COpenCC -I $R/CFolioPrefetch.build \
    $(objects FolioParser) $(objects FolioEntities) $(objects FolioMemory) $(objects FolioModel) $(objects FolioText) $(objects SwiftProtobuf) \
    -lopencc -o $R/entity-bench
$R/entity-bench ../shared/corpus/pfr1998/articles-01-20.jsonl "${ROUNDS:-3}" --parse
