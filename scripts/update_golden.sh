#!/usr/bin/env bash
# Regenerates the golden records tests/golden.rs compares byte for byte: data/sample and the
# project's own fixture articles (tests/fixtures/golden/articles.jsonl) through the release
# binary and the default model. Run it only when a change of output is intended, and say so
# in the commit (the diff of records.jsonl shows what changed).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
export ORT_DYLIB_PATH="${ORT_DYLIB_PATH:-$PWD/.ort/libonnxruntime.so}"
target/release/whosaid extract data/sample tests/fixtures/golden/articles.jsonl -q --batch-size 1 \
    > tests/fixtures/golden/records.jsonl
echo "wrote tests/fixtures/golden/records.jsonl ($(wc -l < tests/fixtures/golden/records.jsonl) records)"
