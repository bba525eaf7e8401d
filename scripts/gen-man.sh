#!/usr/bin/env bash
# Regenerates the committed man pages docs/man/folio.1 and docs/man/foliod.8 with
# swift-argument-parser's generate-manual plugin (works offline from the resolved checkout; it
# builds every product in release mode first, several minutes). `make test-install` checks that
# folio.1 names every subcommand the built folio has.
set -euo pipefail
cd "$(dirname "$0")/.."
date=${MAN_DATE:-$(date -u +%F)}
out=.build/plugins/GenerateManual/outputs
swift package plugin generate-manual --date "$date" >&2
cp "$out/folio/folio.1" docs/man/folio.1
swift package plugin generate-manual --date "$date" --section 8 >&2
cp "$out/foliod/foliod.8" docs/man/foliod.8
scripts/fix-foliod-man.py docs/man/foliod.8
echo "generated docs/man/folio.1 docs/man/foliod.8 ($date)"
