#!/usr/bin/env bash
# Installs what building and testing Folio needs on a fresh Debian machine (idempotent).
set -euo pipefail
pkgs=(libprotobuf-c-dev protobuf-c-compiler protobuf-compiler zlib1g-dev libdeflate-dev libopencc-dev opencc
      libpoppler-glib-dev poppler-utils pkg-config valgrind redis-server redis-tools python3-xapian)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
python3 -c 'import google.protobuf, pytest' 2>/dev/null || python3 -m pip install -q protobuf pytest
# The Python client's optional dataframe extra (to_dataframe, export_parquet) is tested too.
python3 -c 'import pyarrow, pandas' 2>/dev/null || python3 -m pip install -q pyarrow pandas
