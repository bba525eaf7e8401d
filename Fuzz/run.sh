#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for N seconds; exits non-zero if any target crashed,
# leaked, timed out or ran out of memory. `make fuzz FUZZ_SECONDS=N` calls this.
#   Fuzz/run.sh [--seconds N] [--only NAME[,NAME…]] [--build-only] [--jobs J] [--write-seeds]
# Swift targets build with -sanitize=fuzzer,address into .build-fuzz, Folio's own modules at -O
# (FOLIO_FUZZ=1 adds them to the package; the normal build never sees them); libfolio's into
# Clients/c/build/fuzz-reader.
# Grown corpora stay in .build-fuzz/corpus/NAME (not committed); seeds are Fuzz/corpus/NAME;
# crash inputs land in .build-fuzz/crashes/NAME-crash-* with the command that replays them.
set -uo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET=30
ONLY=""
BUILD_ONLY=0
JOBS=1
WRITE_SEEDS=0
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) SECONDS_PER_TARGET=$2; shift 2 ;;
        --only) ONLY=$2; shift 2 ;;
        --build-only) BUILD_ONLY=1; shift ;;
        --jobs) JOBS=$2; shift 2 ;;
        --write-seeds) WRITE_SEEDS=1; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

# name:binary — frame decoder + inflater, envelope fast paths + ArticleDecoder, router, parser,
# store records + snapshots, the PDF reader (poppler) and its laid-out text, libfolio's receive path.
TARGETS="frame:FuzzFrame envelope:FuzzEnvelope router:FuzzRouter parser:FuzzParser pdf:FuzzPDF store:FuzzStore c-reader:fuzz-reader"
wanted() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; }

SCRATCH=${FOLIO_FUZZ_SCRATCH:-.build-fuzz}
# SwiftPM hands the manifest the whole environment: keep it the same between builds (no rebuilds).
build_swift() {
    FOLIO_FUZZ=1 nice -n 10 swift build --scratch-path "$SCRATCH" --product "$1" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library > >(grep -v "Cannot export local symbol") 2>&1
}

started=$(date +%s)
for entry in $TARGETS; do
    name=${entry%%:*} binary=${entry#*:}
    wanted "$name" || continue
    if [ "$name" = c-reader ]; then
        nice -n 10 make -s -C Clients/c fuzz 2>&1 | grep -v "Cannot export local symbol" || true
        [ -x Clients/c/build/fuzz-reader ] || { echo "fuzz: building libfolio's target failed" >&2; exit 1; }
    else
        build_swift "$binary" || { echo "fuzz: building $binary failed" >&2; exit 1; }
    fi
done
echo "fuzz: built in $(( $(date +%s) - started )) s"
[ "$BUILD_ONLY" = 1 ] && exit 0

if [ "$WRITE_SEEDS" = 1 ]; then
    python3 Fuzz/seeds.py
    pages="$PWD/Tests/Fixtures/pages/19980118-3-1069.txt:$PWD/Tests/Fixtures/pages/19980116-12-2105.txt"
    if wanted router; then FOLIO_FUZZ_WRITE_SEEDS=Fuzz/corpus/router "$SCRATCH/debug/FuzzRouter"; fi
    if wanted store; then FOLIO_FUZZ_WRITE_SEEDS=Fuzz/corpus/store FOLIO_FUZZ_SEED_PAGES="$pages" "$SCRATCH/debug/FuzzStore"; fi
    exit 0
fi

mkdir -p "$SCRATCH/crashes"
parallel=""
[ "$JOBS" -gt 1 ] && parallel="-fork=$JOBS"  # processes fuzzing at once (one core each)
# Targets run side by side, one per core (each is one process, or JOBS with -fork): a CI pass of
# seven targets takes two or three turns of N seconds, not seven.
CORES=$(nproc 2>/dev/null || echo 1)
AT_ONCE=$(( CORES / JOBS )); [ "$AT_ONCE" -ge 1 ] || AT_ONCE=1

# Runs one target; writes its one-line verdict (and the crash's first lines) to $SCRATCH/verdict-NAME.
fuzz_target() {
    local name=$1 binary=$2
    local path="$SCRATCH/debug/$binary"
    [ "$name" = c-reader ] && path=Clients/c/build/fuzz-reader
    local work="$SCRATCH/corpus/$name" log="$SCRATCH/fuzz-$name.log" verdict="$SCRATCH/verdict-$name"
    mkdir -p "$work"
    local extra=""
    [ -f "Fuzz/$name.dict" ] && extra="-dict=Fuzz/$name.dict"
    # The parser is the slow one (ASan): short pages keep it near 650 runs/s.
    [ "$name" = parser ] && extra="$extra -max_len=2048"
    # PDF seeds are a few KB: room to grow objects and streams.
    [ "$name" = pdf ] && extra="$extra -max_len=16384"
    # -timeout: one input taking 20 s is a hang; -rss_limit_mb: a bounded decoder never needs 2 GB.
    # Leaks count in libfolio (C owns its memory); Swift's runtime caches would only be noise.
    local leaks=0
    [ "$name" = c-reader ] && leaks=1
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=$leaks nice -n 10 "$path" "$work" "Fuzz/corpus/$name" \
        -max_total_time="$SECONDS_PER_TARGET" -timeout=20 -rss_limit_mb=2048 $parallel $extra \
        -print_final_stats=1 -artifact_prefix="$SCRATCH/crashes/$name-" >"$log" 2>&1
    local status=$?
    local runs speed
    runs=$(grep -h 'stat::number_of_executed_units' "$log" | awk '{s += $2} END {print s + 0}')
    speed=$(grep -h 'stat::average_exec_per_sec' "$log" | awk '{s += $2} END {print s + 0}')
    # With -fork the parent prints no final stats; its last progress line (#RUNS: …) has the total.
    if [ "$runs" = 0 ] && [ -n "$parallel" ]; then
        runs=$(grep -o -E '^#[0-9]+:' "$log" | tail -1 | tr -d '#:')
        runs=${runs:-0}
        speed=$((runs / SECONDS_PER_TARGET))
    fi
    if [ $status -ne 0 ] || grep -q -E '^==[0-9]+==ERROR|^SUMMARY: |deadly signal' "$log"; then
        local artifact
        artifact=$(grep -h -o "$SCRATCH/crashes/$name-[a-z-]*[0-9a-f]*" "$log" | tail -1)
        { echo "fuzz: $name FAILED after $runs runs — replay: SWIFT_BACKTRACE=enable=no $path ${artifact:-<input>}  (log: $log)"
          grep -h -m3 -E 'Fatal error|ERROR: |precondition|SUMMARY' "$log" | sed 's/^/    /'; } > "$verdict"
    else
        echo "fuzz: $name clean: $runs runs in $SECONDS_PER_TARGET s ($speed exec/s)" > "$verdict"
    fi
}

names=""
for entry in $TARGETS; do
    name=${entry%%:*} binary=${entry#*:}
    wanted "$name" || continue
    rm -f "$SCRATCH/verdict-$name"
    while [ "$(jobs -rp | wc -l)" -ge "$AT_ONCE" ]; do wait -n; done
    fuzz_target "$name" "$binary" &
    names="$names $name"
done
wait
failed=""
for name in $names; do
    if [ -f "$SCRATCH/verdict-$name" ]; then cat "$SCRATCH/verdict-$name"; else echo "fuzz: $name gave no verdict"; fi
    grep -q "^fuzz: $name clean" "$SCRATCH/verdict-$name" 2>/dev/null || failed="$failed $name"
done
echo "fuzz: took $(( $(date +%s) - started )) s in all"
[ -z "$failed" ] || { echo "fuzz: crashed:$failed" >&2; exit 1; }
