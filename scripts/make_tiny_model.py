#!/usr/bin/env python3
"""Makes the tiny test model in tests/fixtures/tiny-model/ (committed, well under 1 MB).

A 1-layer, 16-wide BERT token classifier with random weights (seed 0) over a small
WordPiece vocabulary built here in code, with the two outputs of whosaid's joint graph
(`logits` and `attribution_logits`, as scripts/train_joint.py writes them; no casing input).
Its labels are meaningless; it exists so that the real tokenizers + ONNX Runtime path, one
graph for entities and attribution tags, runs in `cargo test` without the default model.
`model.onnx` is the fp32 graph; `model.int8.onnx` (loaded by default) comes from it through
scripts/quantize_rowwise.py, the int8 export every shipped model takes.

    python scripts/make_tiny_model.py tests/fixtures/tiny-model
"""
import json, string, sys
from pathlib import Path

import torch
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
from transformers import BertConfig, BertModel

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ner_common import CasedTokenClassifier  # noqa: E402

LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
WORDS = """the a an of to in and is was said says told he she they it we i you that this
minister president spokesman officials police government city country people year new
talks meeting monday tuesday statement according reporters war peace deal plan vote""".split()


def vocab():
    v = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    v += list(string.ascii_lowercase) + list(string.digits) + list(string.punctuation)
    v += ["##" + c for c in string.ascii_lowercase + string.digits]
    v += [w for w in WORDS if w not in v]
    return v


class Joint(torch.nn.Module):
    """Entity logits and attribution logits from the same last hidden layer."""

    def __init__(self, ner, attribution):
        super().__init__()
        self.ner, self.attribution = ner, attribution

    def forward(self, input_ids, attention_mask, token_type_ids):
        h = self.ner.encode(input_ids, attention_mask, token_type_ids)
        return self.ner.classifier(h), self.attribution(h)


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/tiny-model")
    out.mkdir(parents=True, exist_ok=True)
    v = vocab()
    tok = Tokenizer(models.WordPiece({t: i for i, t in enumerate(v)}, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=True, clean_text=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    tok.save(str(out / "tokenizer.json"))

    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=len(v), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                     intermediate_size=32, max_position_embeddings=64)
    ner = CasedTokenClassifier(BertModel(cfg, add_pooling_layer=False), len(LABELS), use_casing=False)
    model = Joint(ner, torch.nn.Linear(cfg.hidden_size, 9))
    model.eval()
    ids = torch.ones(2, 8, dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {n: {0: "batch", 1: "sequence"} for n in names + ["logits", "attribution_logits"]}
    torch.onnx.export(model, (ids, torch.ones_like(ids), torch.zeros_like(ids)), str(out / "model.onnx"),
                      input_names=names, output_names=["logits", "attribution_logits"], dynamic_axes=axes,
                      opset_version=17, dynamo=False)
    (out / "config.json").write_text(json.dumps({
        "model_type": "bert",
        "id2label": {str(i): l for i, l in enumerate(LABELS)},
        "label2id": {l: i for i, l in enumerate(LABELS)},
        "max_position_embeddings": 64,
        "whosaid": {"max_window_tokens": 32,
                    "attribution": {"output": "attribution_logits", "groups": ["cue", "source", "content"],
                                    "tags": ["O", "B", "I"]}},
    }, indent=2) + "\n")
    # the int8 graph through the export path of every shipped model (batch-independent
    # activations), calibrated on the repo's own sample articles
    import quantize_rowwise
    quantize_rowwise.export_dir(out, "model.onnx", Path(__file__).resolve().parent.parent
                                / "data/sample/articles.jsonl")
    print("wrote", out, sum(f.stat().st_size for f in out.iterdir()), "bytes")


if __name__ == "__main__":
    main()
