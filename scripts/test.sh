#!/usr/bin/env bash
# scripts/test.sh — installs what is missing, builds, and runs every test: unit, integration
# (the real depthmon binary on the captures), benchmark smoke runs (label benchmark), then the
# libFuzzer harnesses under ASan/UBSan in a separate clang build (label fuzz). Exits non-zero
# on the first failing stage. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)
# -g1 (line tables only): backtraces and perf still name functions and lines, and the build
# spends about a third less CPU than with full debug info (measured: http_server.cpp 57 s ->
# 40 s, depthmond_test.cpp 21 s -> 15 s), which keeps the whole run well inside CI's budget.
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDEPTHMON_WARNINGS_AS_ERRORS=ON \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build -j"$jobs" --output-on-failure
scripts/tsan.sh
scripts/fuzz.sh
