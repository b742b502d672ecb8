#!/usr/bin/env bash
# Packs what executors need into a tarball: the release binary, the ONNX Runtime library and
# the whole model directory (every file: the NER graph, the attribution head, config.json,
# tokenizer.json, ...), so a cluster run gives the same records as a local run. Ship it with
# spark-submit --archives whosaid-bundle.tar.gz#whosaid and pass --bundle whosaid to
# whosaid_spark.py.
#   scripts/spark/make_bundle.sh [MODEL_DIR] [OUT.tar.gz]
set -euo pipefail
cd "$(dirname "$0")/../.."
MODEL=${1:-models/minilm-conll03}
OUT=${2:-whosaid-bundle.tar.gz}
[ -f "$MODEL/config.json" ] || { echo "make_bundle: $MODEL is not a model directory (no config.json)" >&2; exit 3; }
scripts/setup.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp target/release/whosaid "$tmp/"
cp -L .ort/libonnxruntime.so "$tmp/libonnxruntime.so"
mkdir "$tmp/model"
# every file of the model directory, links followed (an fp32 export included when present)
cp -rL "$MODEL"/. "$tmp/model/"
tar -czf "$OUT" -C "$tmp" .
echo "wrote $OUT ($(du -h "$OUT" | cut -f1)): $(ls "$tmp/model" | tr '\n' ' ')"
