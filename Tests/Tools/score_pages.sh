#!/usr/bin/env bash
# Scores the parser on the seed page, on the generated held-out pages and on the PDF test bed
# (Tests/Fixtures/pdfbed: split x pdftotext mode, see Tests/Tools/pdfbed/README.md) and on an
# independent typesetter's pages (Tests/Fixtures/typeset2, Tests/Tools/typeset2/README.md), release build.
#   Tests/Tools/score_pages.sh [PAGES_DIR]     (default Tests/Fixtures/pages)
# Regenerate the fixture pages with:
#   Tests/Tools/make_pages.py --out Tests/Fixtures/pages --days 16-20 --count 120 --seed 7
set -euo pipefail
cd "$(dirname "$0")/../.."
pages=${1:-Tests/Fixtures/pages}
swift build -c release --product folio >/dev/null
out=$(mktemp --suffix=.json)
trap 'rm -f "$out"' EXIT
.build/release/folio parse --json ../shared/corpus/seed-page.txt > "$out"
echo "== seed page"
python3 ../shared/eval/score_parse.py ../shared/corpus/seed-page.gold.json "$out"
echo "== generated pages ($pages)"
python3 ../shared/eval/score_dir.py "$pages" -- .build/release/folio parse --json
echo "== PDF test bed (Tests/Fixtures/pdfbed; held-out: measure only)"
python3 Tests/Tools/pdfbed/score_bed.py --folio .build/release/folio
echo "== independent typesetter (Tests/Fixtures/typeset2; held: measure only)"
python3 Tests/Tools/typeset2/score.py --folio .build/release/folio
