#!/usr/bin/env bash
# Packs what executors need into whosaid-bundle.tar.gz: the release binary, the ONNX Runtime
# library and a model directory. Ship it with spark-submit --archives whosaid-bundle.tar.gz#whosaid
# and pass --bundle whosaid to whosaid_spark.py.
#   scripts/spark/make_bundle.sh [MODEL_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
MODEL=${1:-models/minilm-conll03}
scripts/setup.sh
tmp=$(mktemp -d)
cp target/release/whosaid "$tmp/"
cp -L .ort/libonnxruntime.so "$tmp/libonnxruntime.so"
mkdir "$tmp/model"
for f in config.json tokenizer.json model.int8.onnx model.onnx; do
  [ -e "$MODEL/$f" ] && cp "$MODEL/$f" "$tmp/model/"
done
tar -czf whosaid-bundle.tar.gz -C "$tmp" .
rm -rf "$tmp"
echo "wrote whosaid-bundle.tar.gz ($(du -h whosaid-bundle.tar.gz | cut -f1))"
