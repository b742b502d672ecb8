#!/usr/bin/env python3
"""Turns any Hugging Face token-classification model into a whosaid model directory.

    python scripts/export_onnx.py dslim/bert-base-NER --out models/bert-base-ner --quantize
    python scripts/export_onnx.py ./my-finetuned-model --out models/mine

The source is a local directory or a hub id (the hub needs a network connection). Writes
model.onnx (fp32), optionally model.int8.onnx (int8 per-channel weights, activations quantized
per row so that results do not depend on batch neighbours: scripts/quantize_rowwise.py; faster
on CPU; check the F1 with `whosaid eval ner` before trusting it), tokenizer.json (with
padding and truncation switched off: whosaid pads and windows itself) and config.json with
id2label. Needs torch, transformers and onnxruntime (pip install torch transformers onnx
onnxruntime).
"""
import argparse, json
from pathlib import Path

import torch


class Logits(torch.nn.Module):
    """Returns the logits tensor alone, so the ONNX graph has one named output."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        kw = {"input_ids": input_ids, "attention_mask": attention_mask}
        if token_type_ids is not None:
            kw["token_type_ids"] = token_type_ids
        return self.model(**kw).logits


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", help="local directory or hub id")
    ap.add_argument("--out", required=True)
    ap.add_argument("--quantize", action="store_true", help="also write model.int8.onnx")
    ap.add_argument("--calibration-texts",
                    help="with --quantize: JSONL with a `text` field; the LayerNorm outputs get "
                         "fixed scales calibrated on its windows (faster), else all per row")
    ap.add_argument("--opset", type=int, default=17)
    a = ap.parse_args()

    from transformers import AutoModelForTokenClassification, AutoTokenizer
    tok = AutoTokenizer.from_pretrained(a.model)
    if not tok.is_fast:
        raise SystemExit("whosaid needs a fast tokenizer (tokenizer.json); this model has none")
    model = AutoModelForTokenClassification.from_pretrained(a.model, attn_implementation="eager")
    model.eval()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    sample = tok(["Ann Lee visited Paris.", "Hi"], padding=True, return_tensors="pt")
    uses_types = "token_type_ids" in sample and "token_type_ids" in tok.model_input_names
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if uses_types else [])
    args = tuple(sample[n] for n in names)
    axes = {n: {0: "batch", 1: "sequence"} for n in names + ["logits"]}
    torch.onnx.export(Logits(model), args, str(out / "model.onnx"), input_names=names,
                      output_names=["logits"], dynamic_axes=axes, opset_version=a.opset, dynamo=False)
    tok.backend_tokenizer.no_padding()
    tok.backend_tokenizer.no_truncation()
    tok.backend_tokenizer.save(str(out / "tokenizer.json"))
    cfg = model.config.to_dict()
    cfg["id2label"] = {str(k): v for k, v in model.config.id2label.items()}
    (out / "config.json").write_text(json.dumps(cfg, indent=2, default=str) + "\n")
    if a.quantize:
        # whosaid's int8 export: per-channel weights, activations that do not depend on batch
        # neighbours (scripts/quantize_rowwise.py); calibrated on --calibration-texts if given
        import sys
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import quantize_rowwise
        if a.calibration_texts:
            quantize_rowwise.export_dir(out, "model.onnx", Path(a.calibration_texts))
        else:
            quantize_rowwise.quantize_fp32(out / "model.onnx", out / "model.int8.onnx")
    print("wrote", out)


if __name__ == "__main__":
    main()
