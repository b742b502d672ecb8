#!/usr/bin/env bash
# Fits whosaid's claim-confidence calibration, MODEL_DIR/confidence.json (the table belongs to the
# model it was fitted on; read at load): every claim's raw score is binned per provenance and
# mapped to the precision measured on GOLD (content overlap), smoothed and monotone (see
# src/quote/confidence.rs).
#
#   scripts/fit_confidence.sh [GOLD.jsonl] [MODEL_DIR]
#       fit on GOLD (default PolNeAR train), as the first models were.
#   scripts/fit_confidence.sh --cross [DEV.jsonl] [MODEL_DIR]
#       fit on text the model did not train on: DEV (default PolNeAR dev). A model trained to
#       its plateau has memorised train, so a table fitted there is overconfident on new text.
#       First the honest figure: DEV's articles split in two halves, a table fitted on each
#       half scores the other (the cross-fitted ECE and Brier, printed); then the shipped table
#       is fitted on all of DEV.
set -euo pipefail
cd "$(dirname "$0")/.."
cross=0
if [ "${1:-}" = "--cross" ]; then cross=1; shift; fi
if [ $cross = 1 ]; then
  GOLD=${1:-../shared/data/polnear/polnear_dev.jsonl}
else
  GOLD=${1:-../shared/data/polnear/polnear_train.jsonl}
fi
MODEL=${2:-models/minilm-conll03}
[ -f "$GOLD" ] || { echo "SKIPPED: no gold at $GOLD (PolNeAR is read from ../shared; pass its path)" >&2; exit 2; }
cargo build --release --quiet
export ORT_DYLIB_PATH="${ORT_DYLIB_PATH:-$PWD/.ort/libonnxruntime.so}"
bin=target/release/whosaid
if [ $cross = 1 ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  awk 'NR % 2 == 1' "$GOLD" > "$tmp/a.jsonl"
  awk 'NR % 2 == 0' "$GOLD" > "$tmp/b.jsonl"
  for half in a b; do
    other=$([ $half = a ] && echo b || echo a)
    mkdir -p "$tmp/model_$half"
    for f in "$MODEL"/*; do
      [ "$(basename "$f")" = confidence.json ] || ln -s "$(cd "$(dirname "$f")" && pwd)/$(basename "$f")" "$tmp/model_$half/"
    done
    "$bin" eval quotes --gold "$tmp/$half.jsonl" --model "$tmp/model_$half" \
      --fit-confidence "$tmp/model_$half/confidence.json" > /dev/null
    "$bin" eval quotes --gold "$tmp/$other.jsonl" --model "$tmp/model_$half" --json \
      > "$tmp/score_$other.json"
  done
  python3 - "$tmp/score_a.json" "$tmp/score_b.json" <<'PY'
import json, sys
rows = [json.load(open(p)) for p in sys.argv[1:]]
n = [r["predicted"] for r in rows]
ece = sum(k * r["reliability"]["ece"] for k, r in zip(n, rows)) / sum(n)
brier = sum(k * r["reliability"]["brier"] for k, r in zip(n, rows)) / sum(n)
print(f"cross-fitted on the two halves: ECE {ece:.3f}, Brier {brier:.3f} "
      "(each half " + ", ".join("ECE %.3f" % r["reliability"]["ece"] for r in rows) + ")")
PY
fi
"$bin" eval quotes --gold "$GOLD" --model "$MODEL" --fit-confidence "$MODEL/confidence.json" > /dev/null
echo "wrote $MODEL/confidence.json (fitted on $(basename "$GOLD"))"
