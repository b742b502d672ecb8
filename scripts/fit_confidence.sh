#!/usr/bin/env bash
# Fits whosaid's claim-confidence calibration (MODEL/confidence.json: the table belongs to the model it was fitted on) on PolNeAR train: every
# claim's raw score is binned per rule and mapped to the precision measured there (content
# overlap), smoothed and monotone (see src/quote/confidence.rs). Rebuild afterwards: the table
# is embedded in the binary.
#
#   scripts/fit_confidence.sh [GOLD.jsonl] [MODEL_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
GOLD=${1:-../shared/data/polnear/polnear_train.jsonl}
MODEL=${2:-models/minilm-conll03}
[ -f "$GOLD" ] || { echo "no gold at $GOLD (PolNeAR train is not redistributable; pass its path)" >&2; exit 2; }
cargo build --release --quiet
target/release/whosaid eval quotes --gold "$GOLD" --model "$MODEL" --fit-confidence "$MODEL/confidence.json"
cargo build --release --quiet
