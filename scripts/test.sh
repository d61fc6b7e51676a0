#!/usr/bin/env bash
# scripts/test.sh — installs what is missing, builds, and runs every test: unit, integration
# (the real depthmon binary on the captures), benchmark smoke runs (label benchmark), then the
# libFuzzer harnesses under ASan/UBSan in a separate clang build (label fuzz). Exits non-zero
# on the first failing stage. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDEPTHMON_WARNINGS_AS_ERRORS=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build -j"$jobs" --output-on-failure
scripts/tsan.sh
scripts/fuzz.sh
