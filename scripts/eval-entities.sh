#!/bin/sh
# Entity recognition figures.
#   scripts/eval-entities.sh            held-out P/R/F1 table + seed recall (Swift tests) and release throughput
#   scripts/eval-entities.sh bench      release throughput only
# The throughput tool links the release build of FolioEntities directly (no NIO build needed).
set -eu
cd "$(dirname "$0")/.."
if [ "${1:-}" != bench ]; then
    swift build --build-tests
    swift test --skip-build --filter 'HeldOutEvaluation|SeedPageTests' 2>&1 | grep -E '^(seed|1998)|✔|✘'
fi
swift build -c release --target FolioEntities
R=.build/release
swiftc -O -parse-as-library scripts/entity-bench/main.swift -I $R/Modules -I Sources/COpenCC \
    $R/FolioEntities.build/*.o $R/FolioModel.build/*.o $R/FolioText.build/*.o $R/SwiftProtobuf.build/*.o \
    -lopencc -o $R/entity-bench
$R/entity-bench ../shared/corpus/pfr1998/articles-01-20.jsonl "${ROUNDS:-3}"
