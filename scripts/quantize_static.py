#!/usr/bin/env python3
"""Static int8 quantization of a whosaid model (weights per channel, activations with ranges
calibrated on sample windows).

Why not dynamic quantization: ONNX Runtime's dynamic int8 picks one activation scale per
tensor at run time, over the whole padded batch, so a window's labels and scores change with
whatever else shares its batch (measured here: 3 of 9 sample articles changed entities between
buffer sizes). Static ranges make every window's output independent of its batch, so whosaid's
output is the same at any batch size, buffer and thread count.

    python scripts/quantize_static.py --model-dir models/minilm-conll03 \
        --fp32 model.fp32.onnx --calibration ../shared/data/conll2003/train.txt
"""
import argparse, random, sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ner_common import TENSOR_CASING_IDS  # noqa: E402
from casing import casing_ids  # noqa: E402


def windows_from_conll(path, n_docs, max_len, tok):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from train_ner import read_conll  # noqa
    docs = read_conll(path)
    random.Random(0).shuffle(docs)
    texts = []
    for d in docs[:n_docs]:
        cur = []
        for s in d:
            cur.append(" ".join(w for w, _ in s))
            joined = " ".join(cur)
            if len(tok(joined)["input_ids"]) > max_len:
                texts.append(" ".join(cur[:-1]) or cur[-1]); cur = [cur[-1]]
        if cur:
            texts.append(" ".join(cur))
    return texts


def windows_from_text(path):
    return [l.strip() for l in Path(path).read_text(encoding="utf-8").splitlines() if l.strip()]


class Reader:
    def __init__(self, tok, texts, names, max_len):
        self.items = []
        for t in texts:
            enc = tok(t, truncation=True, max_length=max_len, return_offsets_mapping=True)
            ids = np.array([enc["input_ids"]], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
            if "token_type_ids" in names:
                feed["token_type_ids"] = np.zeros_like(ids)
            if TENSOR_CASING_IDS in names:
                feed[TENSOR_CASING_IDS] = np.array(
                    [casing_ids(t, enc.word_ids(), enc["offset_mapping"])], dtype=np.int64)
            self.items.append(feed)
        self.it = iter(self.items)

    def get_next(self):
        return next(self.it, None)

    def rewind(self):
        self.it = iter(self.items)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--fp32", default="model.fp32.onnx", help="fp32 ONNX file inside --model-dir")
    ap.add_argument("--out", default="model.int8.onnx", help="output file inside --model-dir")
    ap.add_argument("--calibration", required=True, help="CoNLL file, or a text file with one window per line")
    ap.add_argument("--docs", type=int, default=300, help="CoNLL documents to calibrate on")
    ap.add_argument("--method", choices=["minmax", "percentile", "entropy"], default="percentile")
    a = ap.parse_args()

    import onnx
    from onnxruntime.quantization import (CalibrationMethod, QuantFormat, QuantType, quantize_static)
    from transformers import PreTrainedTokenizerFast
    d = Path(a.model_dir)
    tok = PreTrainedTokenizerFast(tokenizer_file=str(d / "tokenizer.json"))
    names = [i.name for i in onnx.load(str(d / a.fp32), load_external_data=False).graph.input]
    max_len = 128
    cal = Path(a.calibration)
    texts = windows_from_conll(cal, a.docs, max_len, tok) if cal.suffix in (".txt", ".conll") and \
        "-DOCSTART-" in cal.read_text(encoding="utf-8")[:200] else windows_from_text(cal)
    method = {"minmax": CalibrationMethod.MinMax, "percentile": CalibrationMethod.Percentile,
              "entropy": CalibrationMethod.Entropy}[a.method]
    quantize_static(str(d / a.fp32), str(d / a.out), Reader(tok, texts, names, max_len),
                    quant_format=QuantFormat.QOperator, per_channel=True, weight_type=QuantType.QInt8,
                    activation_type=QuantType.QUInt8, op_types_to_quantize=["MatMul", "Gemm"],
                    calibrate_method=method, extra_options={"CalibPercentile": 99.99})
    print(f"wrote {d / a.out} from {len(texts)} calibration windows ({a.method})")


if __name__ == "__main__":
    main()
