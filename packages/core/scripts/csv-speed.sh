#!/usr/bin/env bash
# CSV reader speed, before/after: parses a 100k x 20 CSV (plus CRLF and all-quoted variants) with
# the io/ code of commit BASE (default 5a720be, the hand-written reader) and of the working tree,
# in alternating fresh processes, and prints each run's best of 5 in ms. Not a test: numbers
# depend on the machine and its load; compare medians over the alternating runs.
# Usage: bash packages/core/scripts/csv-speed.sh [BASE] [ROUNDS]
# Measured 2026-12-05 (2 shared cores, load ~18; 6 rounds, median of each side's best-of-5):
#   LF 100k x 20 (30 MB):   old 388 ms, new 303 ms
#   CRLF:                    old 422 ms, new 197 ms
#   every cell quoted:       old 1216 ms, new 1062 ms
set -euo pipefail
ROOT=$(git rev-parse --show-toplevel)
BASE=${1:-5a720be}
ROUNDS=${2:-5}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
git -C "$ROOT" archive "$BASE" packages/core/src | tar -x -C "$WORK"
node "$ROOT/packages/core/scripts/csv-speed-gen.mjs" "$WORK"
cd "$ROOT"
for f in big bigcrlf bigq; do
  for i in $(seq "$ROUNDS"); do
    for side in "$WORK/packages/core/src/io" "$ROOT/packages/core/src/io"; do
      node_modules/.bin/tsx packages/core/scripts/csv-speed-run.mts "$side" "$WORK/$f.csv" "$([ "$side" = "$ROOT/packages/core/src/io" ] && echo new || echo old)"
    done
  done
done
