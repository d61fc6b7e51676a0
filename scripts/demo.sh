#!/usr/bin/env bash
# scripts/demo.sh — installs what is missing, builds depthmon, and replays the bundled real
# Binance spot capture (2021, NKNUSDT and BLZETH) through the daemon's own codec, sync, book
# and depth code, printing each book's JSON (±0.5 % and ±2 % bands).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
echo "building depthmon (log: build/demo-build.log) ..." >&2
cmake --build build -j"$(nproc)" --target depthmon >build/demo-build.log 2>&1 ||
  { cat build/demo-build.log >&2; exit 1; }
d=tests/data/binance
build/daemon/depthmon replay --venue binance --bands 0.5,2 \
  --snapshot NKNUSDT=$d/spot_rest_NKNUSDT.json --snapshot BLZETH=$d/spot_rest_BLZETH.json \
  $d/spot_ws_combined_stream.jsonl
