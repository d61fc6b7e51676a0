#!/usr/bin/env bash
# run_fuzz.sh FUZZER DATA_DIR SECONDS — builds a seed corpus from a venue's reference data
# plus tests/fuzz/regressions/<fuzzer>/ (inputs of past findings),
# (chunks of 20 consecutive lines of every .jsonl; REST snapshot files as "@SYM body" lines in
# front of the first chunk) and runs the fuzzer for SECONDS. Exits non-zero on any finding.
set -euo pipefail
fuzzer=$1 data=$2 seconds=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/depthmon-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
snap_lines=""
shopt -s nullglob
for f in "$data"/*.json; do
  case "$(basename "$f")" in expected_*) continue ;; esac
  # rest_order_book_ethusd.json / spot_rest_NKNUSDT.json -> symbol after the last '_'
  sym=$(basename "$f" .json); sym=${sym##*_}
  snap_lines+="@$sym $(tr -d '\n' < "$f")"$'\n'
done
n=0
for f in "$data"/*.jsonl; do
  case "$f" in *.sent.jsonl) continue ;; esac
  split -l 20 -d -a 4 "$f" "$work/chunk.$n."
  n=$((n + 1))
done
i=0
for c in "$work"/chunk.*; do
  if [ $i -eq 0 ]; then printf '%s' "$snap_lines" > "$work/corpus/seed$i"; fi
  cat "$c" >> "$work/corpus/seed$i"
  i=$((i + 1))
done
rm -f "$work"/chunk.*
# Inputs that once crashed this fuzzer stay in its corpus: they are re-run first.
regressions="$(dirname "$0")/regressions/$(basename "$fuzzer")"
[ -d "$regressions" ] && cp "$regressions"/* "$work/corpus/"
echo "seeds: $i files from $data, $(ls "$regressions" 2>/dev/null | wc -l) regression inputs"
# -max_len large enough for multi-line seeds; leaks are findings too (ASan default).
"$fuzzer" -max_total_time="$seconds" -max_len=262144 -rss_limit_mb=4096 \
  -print_final_stats=1 -artifact_prefix="${ARTIFACT_DIR:-$PWD}/" "$work/corpus"
