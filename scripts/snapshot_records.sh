#!/usr/bin/env bash
# Whole records (entities, speakers, claims) of the sample and of PolNeAR dev and train texts,
# from `whosaid extract --batch-size 1` with the shipped model, into OUT_DIR: the byte-identical
# check of a redesign commit (run it on the parent and on the commit, then `diff -r`).
#   scripts/snapshot_records.sh OUT_DIR [WHOSAID_BINARY] [POLNEAR_DIR]
# POLNEAR_DIR defaults to ../shared/data/polnear; without it only the sample is written.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/snapshot_records.sh OUT_DIR [WHOSAID_BINARY] [POLNEAR_DIR]}
bin=${2:-target/release/whosaid}
polnear=${3:-../shared/data/polnear}
export ORT_DYLIB_PATH=${ORT_DYLIB_PATH:-$PWD/.ort/libonnxruntime.so}
mkdir -p "$out"
"$bin" extract -q --batch-size 1 data/sample/articles.jsonl -o "$out/sample.jsonl"
for split in dev train; do
  f="$polnear/polnear_$split.jsonl"
  if [ -f "$f" ]; then
    "$bin" extract -q --batch-size 1 --id-field article "$f" -o "$out/polnear_$split.jsonl"
  else
    echo "SKIPPED PolNeAR $split: $f is not here" >&2
  fi
done
wc -l "$out"/*.jsonl
