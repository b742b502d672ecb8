#!/usr/bin/env bash
# One-time set-up: fetches the ONNX Runtime shared library from the PyPI `onnxruntime` wheel
# into .ort/ (no Python install needed), then builds the release binary.
#   scripts/setup.sh            # runtime + release build
#   ORT_VERSION=1.32.0 scripts/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ORT_VERSION="${ORT_VERSION:-1.32.0}"
if [ ! -e .ort/libonnxruntime.so ]; then
  tmp=$(mktemp -d)
  python3 -m pip download --quiet --no-deps --only-binary=:all: \
    "onnxruntime==${ORT_VERSION}" -d "$tmp"
  mkdir -p .ort
  python3 - "$tmp" <<'PY'
import glob, os, sys, zipfile
whl = glob.glob(os.path.join(sys.argv[1], "onnxruntime-*.whl"))[0]
with zipfile.ZipFile(whl) as z:
    names = [n for n in z.namelist() if "/capi/libonnxruntime.so" in n]
    for n in names:
        target = os.path.join(".ort", os.path.basename(n))
        with z.open(n) as src, open(target, "wb") as dst:
            dst.write(src.read())
    versioned = sorted(os.path.basename(n) for n in names)[-1]
if os.path.lexists(".ort/libonnxruntime.so"):
    os.remove(".ort/libonnxruntime.so")
os.symlink(versioned, ".ort/libonnxruntime.so")
print("ONNX Runtime:", os.path.join(".ort", versioned))
PY
  rm -rf "$tmp"
fi
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  cargo build --release --quiet
fi
