#!/usr/bin/env bash
# scripts/fuzz.sh [VENUE [SECONDS]] — builds the libFuzzer harnesses with clang (ASan + UBSan)
# in build-fuzz/ and runs them: every venue for DEPTHMON_FUZZ_SECONDS (CTest, label fuzz), or
# one venue for SECONDS, e.g. `scripts/fuzz.sh kraken-v1 3600`. Findings land in build-fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${2:-15}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DDEPTHMON_FUZZ=ON \
  -DDEPTHMON_SANITIZE="address;undefined;fuzzer-no-link" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DDEPTHMON_FUZZ_SECONDS="$seconds" >/dev/null
cmake --build build-fuzz -j"$(nproc)"
if [ $# -ge 1 ]; then
  t="fuzz_${1//-/_}"
  case "$1" in binance*) d=binance ;; coinbase*) d=coinbase ;; kraken*) d=kraken ;; *) d=$1 ;; esac
  cd build-fuzz && ARTIFACT_DIR=$PWD ../tests/fuzz/run_fuzz.sh "tests/fuzz/$t" ../tests/data/$d "$seconds"
else
  # One fuzzer per core: each is single-threaded and time-boxed, so the suite takes
  # ceil(10 / nproc) x seconds instead of 10 x seconds.
  ctest --test-dir build-fuzz -L fuzz -j"$(nproc)" --output-on-failure
fi
