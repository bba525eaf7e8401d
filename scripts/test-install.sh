#!/usr/bin/env bash
# `make test-install`: installs the release build into a temporary prefix, moves the build
# folder away (so nothing can be found through Bundle.module's build path), then runs the
# installed foliod on the bundled sample and the installed folio against it. The build folder
# is always moved back.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
prefix=$(mktemp -d /tmp/folio-install-XXXXXX)
moved="$root/.build-moved-away-$$"
foliod_pid=""
cleanup() {
  [ -n "$foliod_pid" ] && kill "$foliod_pid" 2>/dev/null && wait "$foliod_pid" 2>/dev/null || true
  [ -d "$moved" ] && mv "$moved" "$root/.build"
  rm -rf "$prefix"
}
trap cleanup EXIT
fail() { echo "test-install: FAIL: $*" >&2; [ -f "$prefix/foliod.log" ] && tail -20 "$prefix/foliod.log" >&2; exit 1; }

make -s install PREFIX="$prefix" >/dev/null
for f in bin/foliod bin/folio share/folio/entities/surnames.tsv share/folio/entities/tagger.bin share/folio/parser/bigrams.tsv share/folio/text/phrase-forms.tsv share/folio/sample/seed-page.txt \
         etc/folio/foliod.conf lib/systemd/system/foliod.service lib/systemd/system/foliod.socket \
         lib/sysusers.d/folio.conf lib/tmpfiles.d/folio.conf share/man/man1/folio.1 share/man/man8/foliod.8 \
         share/bash-completion/completions/folio share/zsh/site-functions/_folio \
         share/fish/vendor_completions.d/folio.fish share/doc/folio/README.md share/doc/folio/docs/daemon.md; do
  [ -e "$prefix/$f" ] || fail "$f was not installed"
done
grep -q "^ExecStart=$prefix/bin/foliod --config $prefix/etc/folio/foliod.conf\$" "$prefix/lib/systemd/system/foliod.service" \
  || fail "the unit does not start the installed foliod with the installed config"
if command -v systemd-analyze >/dev/null; then  # unit syntax (the binary it names must exist)
  systemd-analyze verify "$prefix/lib/systemd/system/foliod.service" 2>&1 | grep -v -e "foliod.socket" -e "^$" \
    | grep -i -e "unknown" -e "invalid" && fail "systemd-analyze verify complains about the unit"
fi

# The committed man page must know every subcommand the binary has (scripts/gen-man.sh).
for command in $("$prefix/bin/folio" --experimental-dump-help | python3 -c \
    'import json,sys; print(" ".join(c["commandName"] for c in json.load(sys.stdin)["command"]["subcommands"] if c["commandName"] != "help"))'); do
  grep -q "^\.It Em $command\$" "$prefix/share/man/man1/folio.1" || fail "folio.1 lacks '$command': run scripts/gen-man.sh"
done

mv "$root/.build" "$moved"
folio="$prefix/bin/folio"
"$folio" --version | grep -q "^folio [0-9.]* (protocol [0-9]*, commit " || fail "folio --version"
"$prefix/bin/foliod" --version | grep -q "^foliod " || fail "foliod --version"

socket="$prefix/foliod.sock"
"$prefix/bin/foliod" --socket "$socket" >"$prefix/foliod.log" 2>&1 &
foliod_pid=$!
for _ in $(seq 1 300); do
  "$folio" health --socket "$socket" >/dev/null 2>&1 && break
  kill -0 "$foliod_pid" 2>/dev/null || fail "the installed foliod exited"
  sleep 0.1
done
"$folio" health --socket "$socket" | grep -q "^SERVING" || fail "the installed foliod is not serving"
"$folio" list --socket "$socket" --ndjson | grep -q '"seed-page' || fail "the installed foliod does not serve the sample"
hits=$("$folio" search 锦州 --socket "$socket" --json | python3 -c 'import json,sys; print(json.load(sys.stdin).get("total", 0))')
[ "$hits" -gt 0 ] || fail "search finds nothing in the sample"
# Entities come from the installed learnt tables: a place of the sample must be recognized.
"$folio" parse - --json < "$prefix/share/folio/sample/seed-page.txt" | grep -q '"ENTITY_TYPE_PLACE"' \
  || fail "folio parse found no place: entity data not found"
# The Python client from a checkout that never generated its message classes (README: pip install ./Clients/python).
mkdir -p "$prefix/src/Clients" "$prefix/src/scripts"
cp -r "$root/Protos" "$prefix/src/"
cp "$root/scripts/gen-methods.py" "$prefix/src/scripts/"  # which methods are writes
cp -r "$root/Clients/python" "$prefix/src/Clients/"
rm -rf "$prefix/src/Clients/python/folio_client/_gen" "$prefix/src/Clients/python/"*.egg-info
python3 -m venv "$prefix/venv"
"$prefix/venv/bin/pip" install -q --no-deps "$prefix/src/Clients/python" >"$prefix/pip.log" 2>&1 \
  || { tail -20 "$prefix/pip.log" >&2; fail "pip cannot install the Python client from a fresh checkout"; }
ls "$prefix"/venv/lib/python3*/site-packages/folio_client/_gen/service_pb2.py "$prefix"/venv/lib/python3*/site-packages/folio_client/_gen/methods.py >/dev/null \
  || fail "the installed Python client lacks its generated message classes"
echo "test-install: ok (installed into $prefix, build folder moved away)"
