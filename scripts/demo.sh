#!/usr/bin/env bash
# scripts/demo.sh — installs what is missing, builds depthmond and depthmon, and runs
# `depthmond --demo`: the exchange simulator in-process (TLS, every venue, BTC/ETH/SOL and two
# altcoins each) with depth thinning over two minutes below a baseline of the simulator's
# starting ("October") depth, recovering after about five minutes. Books go live within
# seconds; the log says when each band falls below the baseline, and alerts fire, then resolve. Open http://127.0.0.1:18095/api/v1/books and /metrics, or run
# `build/daemon/depthmon status --watch` in another terminal. Ctrl-C stops it.
# Extra arguments go to depthmond (e.g. --state-dir DIR). `scripts/demo.sh --replay` replays the
# bundled real Binance capture through `depthmon replay` instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
echo "building depthmond and depthmon (log: build/demo-build.log) ..." >&2
cmake --build build -j"$(nproc)" --target depthmond depthmon >build/demo-build.log 2>&1 ||
  { cat build/demo-build.log >&2; exit 1; }
if [[ "${1:-}" == "--replay" ]]; then
  d=tests/data/binance
  exec build/daemon/depthmon replay --venue binance --bands 0.5,2 \
    --snapshot NKNUSDT=$d/spot_rest_NKNUSDT.json --snapshot BLZETH=$d/spot_rest_BLZETH.json \
    $d/spot_ws_combined_stream.jsonl
fi
exec build/daemon/depthmond --demo "$@"
