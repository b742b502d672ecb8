#!/usr/bin/env bash
# Builds the rust-bert peer for scripts/bench/run.sh --with-rust-bert (cached in bench-work/).
# Needs the full PyPI torch==2.4.1 (libtorch for tch 0.17; a multi-GB download the first time)
# and a HF-format MiniLM token classifier saved by hf_pipeline.py --save.
set -euo pipefail
cd "$(dirname "$0")/../../.."
VENV=bench-work/rb-venv
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import torch" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet torch==2.4.1
fi
export LIBTORCH_USE_PYTORCH=1 LIBTORCH_BYPASS_VERSION_CHECK=1
export PATH="$PWD/$VENV/bin:$PATH"
cargo build --release --quiet --manifest-path scripts/bench/rust-bert/Cargo.toml \
  --target-dir bench-work/rust-bert/target
TORCH_LIB=$("$VENV/bin/python" -c "import torch, os; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))")
cat > bench-work/rust-bert/run.sh <<SH
#!/usr/bin/env bash
LD_LIBRARY_PATH="$TORCH_LIB" exec "$PWD/bench-work/rust-bert/target/release/rust-bert-bench" "\$@"
SH
chmod +x bench-work/rust-bert/run.sh
echo "built bench-work/rust-bert/run.sh"
