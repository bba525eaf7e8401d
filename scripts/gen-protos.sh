#!/usr/bin/env bash
# Regenerates the committed Swift code from Protos/ with Debian's protoc and swift-protobuf's
# own plugin (built from the resolved checkout, so the generator matches the runtime), and the
# method table `FolioMethod` with scripts/gen-methods.py (which Clients/c runs at build time too).
# Usage: scripts/gen-protos.sh [--check]   (--check: fail when the committed code is stale)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v protoc >/dev/null || { echo "protoc missing: apt-get install protobuf-compiler" >&2; exit 1; }
# A debug build in the project's own build folder: the generated code does not depend on how the
# plugin was optimized, and the SwiftProtobuf modules compiled for it serve the debug build after it
# (a release build in a folder of its own took CI 145 s).
swift build --product protoc-gen-swift >&2
plugin="$(swift build --show-bin-path)/protoc-gen-swift"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir -p "$out/model" "$out/wire"
protoc --plugin=protoc-gen-swift="$plugin" -I Protos --swift_opt=Visibility=Public \
  --swift_out="$out/model" Protos/folio/v1/model.proto Protos/folio/v1/service.proto
protoc --plugin=protoc-gen-swift="$plugin" -I Protos --swift_opt=Visibility=Public \
  --swift_out="$out/wire" Protos/folio/v1/wire.proto
python3 scripts/gen-methods.py swift "$out/wire/folio/v1/Methods.swift"
if [ "${1:-}" = "--check" ]; then
  diff -ru "$out/model/folio/v1" Sources/FolioModel/Generated && diff -ru "$out/wire/folio/v1" Sources/FolioWire/Generated \
    || { echo "generated Swift is out of sync with Protos/: run scripts/gen-protos.sh" >&2; exit 1; }
  echo "generated Swift is in sync with Protos/"
else
  rm -f Sources/FolioModel/Generated/*.pb.swift Sources/FolioWire/Generated/*.pb.swift Sources/FolioWire/Generated/Methods.swift
  cp "$out"/model/folio/v1/*.pb.swift Sources/FolioModel/Generated/
  cp "$out"/wire/folio/v1/*.swift Sources/FolioWire/Generated/
  echo "generated: $(ls Sources/FolioModel/Generated Sources/FolioWire/Generated | tr '\n' ' ')"
fi
