#!/usr/bin/env bash
# scripts/tsan.sh — the published-snapshot stress test (tests/unit/feed/published_stress_test.cpp)
# built alone with g++ -fsanitize=thread and run: one writer, several readers of the seqlocks
# in feed/published.hpp. Fails on any ThreadSanitizer report or any torn / backwards read.
# Headers only, one translation unit: about 15 s to build and run. scripts/test.sh calls it.
# Usage: scripts/tsan.sh [run_ms]   (default 8000)
set -euo pipefail
cd "$(dirname "$0")/.."
run_ms=${1:-8000}
out=build-tsan
mkdir -p "$out"
${CXX:-g++} -std=c++20 -O1 -g -fsanitize=thread -fno-omit-frame-pointer -pthread \
  -Wall -Wextra -Werror -Ilib tests/unit/feed/published_stress_test.cpp -o "$out/published_stress_test"
# halt_on_error: the first report fails the run; a report with exit code 0 cannot slip by.
TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1" \
  "$out/published_stress_test" "$run_ms" >"$out/stress.log" 2>&1 || {
  status=$?
  cat "$out/stress.log"
  echo "tsan.sh: published_stress_test failed (exit $status)" >&2
  exit 1
}
if grep -q "WARNING: ThreadSanitizer" "$out/stress.log"; then
  cat "$out/stress.log"
  echo "tsan.sh: ThreadSanitizer reported a problem" >&2
  exit 1
fi
cat "$out/stress.log"
