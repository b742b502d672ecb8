#!/usr/bin/env python3
"""Train whosaid's attribution head on PolNeAR train and attach it to the NER model.

The head is a branch of the NER encoder: it reads the hidden states after encoder layer
`--layer` (0-based; default 1, i.e. after two of six layers), runs `--head-layers` transformer
layers initialised from the base model's top layers (all-MiniLM-L6-v2) and fine-tuned here, and
tags every subword token in three BIO layers: cue, source and content of an attribution. The
NER weights stay frozen, so entity output is unchanged. Two files come out:

- the NER graph (`model.int8.onnx`) with one extra output, `attribution_hidden` (the branch
  point; no extra compute);
- `attribution.int8.onnx`: inputs `attribution_hidden` and `attention_mask`, output
  `attribution_logits` [batch, seq, 9] (cue O/B/I, source O/B/I, content O/B/I), dynamic int8.

whosaid runs the second file only when claims come from the model (not with `--no-claims`,
`--rules-only` or `eval ner`).

    cargo build --release --example dump_windows
    python scripts/train_attribution.py --model models/minilm-conll03 \
        --train ../shared/data/polnear/polnear_train.jsonl \
        --dev ../shared/data/polnear/polnear_dev.jsonl --work /tmp/attr \
        --layer 1 --head-layers 4 --epochs 5 --lr 1.5e-4

Windows come from `target/release/examples/dump_windows`, so training sees exactly the windows
(sentence packing, tokenization, casing classes) that `whosaid extract` feeds the model.
Features are taken from the shipped int8 graph, the one inference runs. PolNeAR's licence
forbids redistribution: nothing of it is written into the repository, only the trained weights.
"""
import argparse, json, math, os, random, subprocess, sys, time
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from torch import nn

LAYERS = ("cue", "source", "content")
TAGS = ["O", "B", "I"]
OUTPUT = "attribution_logits"
HIDDEN = "attribution_hidden"


def tap_name(layer):
    return f"/layer.{layer}/output/LayerNorm/LayerNormalization_output_0"


def dump_windows(model_dir, gold, out):
    exe = Path(__file__).resolve().parent.parent / "target/release/examples/dump_windows"
    if not exe.exists():
        subprocess.run(["cargo", "build", "--release", "--example", "dump_windows"], check=True)
    with open(out, "w") as f:
        subprocess.run([str(exe), str(model_dir), str(gold)], stdout=f, check=True)


def labels_for(windows, attributions):
    """Per window, an int array [tokens, 3] of BIO ids for cue, source, content.

    Cue and source take every attribution; where contents nest, the content layer keeps the
    outermost one (the inner attribution keeps its cue and source)."""
    spans = {k: [] for k in LAYERS}
    for a in attributions:
        for k in LAYERS:
            for p in a.get(k) or []:
                if p["end"] > p["start"]:
                    spans[k].append((p["start"], p["end"]))
    out = []
    for w in windows:
        n = len(w["ids"])
        lab = np.zeros((n, 3), dtype=np.int64)
        for li, k in enumerate(LAYERS):
            # longest first, so an outer span claims its tokens before a nested one
            owner = [-1] * n
            for si, (s, e) in enumerate(sorted(spans[k], key=lambda x: x[0] - x[1])):
                for t in range(n):
                    if owner[t] < 0 and w["start"][t] < e and w["end"][t] > s:
                        owner[t] = si
            for t in range(n):
                if owner[t] >= 0:
                    same_prev = t > 0 and owner[t - 1] == owner[t]
                    lab[t, li] = 2 if same_prev else 1
        out.append(lab)
    return out


def extract_features(model_dir, onnx_file, windows, layer, threads, batch=32):
    m = onnx.load(str(model_dir / onnx_file))
    m.graph.output.append(onnx.helper.make_tensor_value_info(tap_name(layer), onnx.TensorProto.FLOAT, None))
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    sess = ort.InferenceSession(m.SerializeToString(), opts, providers=["CPUExecutionProvider"])
    names = {i.name for i in sess.get_inputs()}
    order = sorted(range(len(windows)), key=lambda i: -len(windows[i]["ids"]))
    feats = [None] * len(windows)
    for b in range(0, len(order), batch):
        idx = order[b:b + batch]
        seq = max(len(windows[i]["ids"]) for i in idx) + 2
        ids = np.zeros((len(idx), seq), dtype=np.int64)
        mask = np.zeros_like(ids)
        cas = np.zeros_like(ids)
        for r, i in enumerate(idx):
            w = windows[i]
            n = len(w["ids"])
            ids[r, 0] = 101
            ids[r, 1:n + 1] = w["ids"]
            ids[r, n + 1] = 102
            mask[r, :n + 2] = 1
            cas[r, 1:n + 1] = w["casing"]
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        if "casing_ids" in names:
            feed["casing_ids"] = cas
        hid = sess.run([tap_name(layer)], feed)[0]
        for r, i in enumerate(idx):
            n = len(windows[i]["ids"])
            feats[i] = hid[r, :n + 2].astype(np.float16)
    return feats


def base_layers(n):
    """The last `n` transformer layers of the base encoder (all-MiniLM-L6-v2 from PyPI)."""
    from transformers import BertModel
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from train_ner import base_model_dir
    bert = BertModel.from_pretrained(str(base_model_dir()), attn_implementation="eager")
    return nn.ModuleList(list(bert.encoder.layer)[-n:])


class BertHead(nn.Module):
    """A branch of the encoder: copies of the base model's top `n` layers, fine-tuned on the
    NER encoder's hidden states at the branch point, and a linear tagger over 3 BIO layers."""

    def __init__(self, n=2, hidden=384):
        super().__init__()
        self.layers = base_layers(n)
        self.drop = nn.Dropout(0.1)
        self.out = nn.Linear(hidden, 3 * len(TAGS))

    def forward(self, hidden, attention_mask):
        mask = (1.0 - attention_mask[:, None, None, :].to(hidden.dtype)) * -10000.0
        h = hidden
        for layer in self.layers:
            o = layer(h, attention_mask=mask)
            h = o[0] if isinstance(o, tuple) else o
        return self.out(self.drop(h))


class Head(nn.Module):
    """One post-norm transformer layer (BERT style) and a linear tagger over 3 BIO layers."""

    def __init__(self, hidden=384, heads=6, ff=1024, dropout=0.1):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.proj = nn.Linear(hidden, hidden)
        self.ln1 = nn.LayerNorm(hidden)
        self.ff1 = nn.Linear(hidden, ff)
        self.ff2 = nn.Linear(ff, hidden)
        self.ln2 = nn.LayerNorm(hidden)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(hidden, 3 * len(TAGS))

    def forward(self, hidden, attention_mask):
        b, t, h = hidden.shape
        d = h // self.heads
        q, k, v = self.qkv(hidden).split(h, dim=-1)
        q = q.reshape(b, t, self.heads, d).transpose(1, 2)
        k = k.reshape(b, t, self.heads, d).transpose(1, 2)
        v = v.reshape(b, t, self.heads, d).transpose(1, 2)
        add = (1.0 - attention_mask.to(hidden.dtype))[:, None, None, :] * -10000.0
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + add, dim=-1)
        ctx = (self.drop(att) @ v).transpose(1, 2).reshape(b, t, h)
        x = self.ln1(hidden + self.drop(self.proj(ctx)))
        x = self.ln2(x + self.drop(self.ff2(torch.nn.functional.gelu(self.ff1(x)))))
        return self.out(x)


def batches(feats, labels, size, shuffle, rng):
    order = list(range(len(feats)))
    if shuffle:
        rng.shuffle(order)
    for b in range(0, len(order), size):
        idx = order[b:b + size]
        seq = max(len(feats[i]) for i in idx)
        x = np.zeros((len(idx), seq, feats[idx[0]].shape[1]), dtype=np.float32)
        m = np.zeros((len(idx), seq), dtype=np.int64)
        y = np.full((len(idx), seq, 3), -100, dtype=np.int64)
        for r, i in enumerate(idx):
            n = len(feats[i])
            x[r, :n] = feats[i]
            m[r, :n] = 1
            y[r, 1:n - 1] = labels[i]
        yield idx, torch.from_numpy(x), torch.from_numpy(m), torch.from_numpy(y)


def span_f1(pred, gold):
    """Token-span F1 per layer over BIO sequences (exact span match)."""
    def spans(seq):
        out, start = set(), None
        for t, v in enumerate(list(seq) + [0]):
            if start is not None and v != 2:
                out.add((start, t)); start = None
            if v == 1 or (v == 2 and start is None):
                start = t
        return out
    res = {}
    for li, k in enumerate(LAYERS):
        # token-level F1 of "inside" (B or I), closer to the overlap score than exact spans
        tp = sum(int(((p[:, li] > 0) & (g[:, li] > 0)).sum()) for p, g in zip(pred, gold))
        pp = sum(int((p[:, li] > 0).sum()) for p in pred)
        gg = sum(int((g[:, li] > 0).sum()) for g in gold)
        res[k + "_tok"] = round(2 * tp / max(pp + gg, 1), 4)
        tp = fp = fn = 0
        for p, g in zip(pred, gold):
            ps, gs = spans(p[:, li]), spans(g[:, li])
            tp += len(ps & gs); fp += len(ps - gs); fn += len(gs - ps)
        pr = tp / max(tp + fp, 1); rc = tp / max(tp + fn, 1)
        res[k] = round(2 * pr * rc / max(pr + rc, 1e-9), 4)
    return res


def evaluate(head, feats, labels):
    head.eval()
    preds = [None] * len(feats)
    with torch.no_grad():
        for idx, x, m, y in batches(feats, labels, 64, False, None):
            lo = head(x, m).reshape(x.shape[0], x.shape[1], 3, len(TAGS)).argmax(-1).numpy()
            for r, i in enumerate(idx):
                preds[i] = lo[r, 1:len(feats[i]) - 1]
    return span_f1(preds, labels)


def export_head(model_dir, onnx_file, head, layer, out_dir):
    """Writes the two files whosaid loads: the NER graph with the branch point as an extra
    output `attribution_hidden` (no extra compute; entity logits unchanged), and the head as
    `attribution.int8.onnx` (inputs `attribution_hidden`, `attention_mask`; output
    `attribution_logits`), so the head runs only when claims are wanted."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    head.eval()
    fp32 = out_dir / "attribution.onnx"
    x = torch.zeros(2, 7, 384)
    m = torch.ones(2, 7, dtype=torch.int64)
    torch.onnx.export(head, (x, m), str(fp32), input_names=[HIDDEN, "attention_mask"],
                      output_names=[OUTPUT], opset_version=17, dynamo=False,
                      dynamic_axes={HIDDEN: {0: "b", 1: "t"}, "attention_mask": {0: "b", 1: "t"},
                                    OUTPUT: {0: "b", 1: "t"}})
    from onnxruntime.quantization import QuantType, quantize_dynamic
    quantize_dynamic(str(fp32), str(out_dir / "attribution.int8.onnx"), weight_type=QuantType.QInt8,
                     per_channel=True)
    fp32.unlink()
    add_hidden_output(model_dir / onnx_file, out_dir / onnx_file, layer)


def add_hidden_output(src, dst, layer):
    """The NER graph with the output of encoder layer `layer` exposed as `attribution_hidden`."""
    main = onnx.load(str(src))
    g = main.graph
    for n in [n for n in g.node if HIDDEN in n.output]:
        g.node.remove(n)
    for o in [o for o in g.output if o.name == HIDDEN]:
        g.output.remove(o)
    g.node.append(onnx.helper.make_node("Identity", [tap_name(layer)], [HIDDEN], name="attribution_tap"))
    g.output.append(onnx.helper.make_tensor_value_info(HIDDEN, onnx.TensorProto.FLOAT, ["batch", "seq", 384]))
    onnx.checker.check_model(main)
    tmp = Path(dst).with_suffix(".tmp")
    onnx.save(main, str(tmp))
    os.replace(tmp, dst)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, default=Path("models/minilm-conll03"))
    ap.add_argument("--onnx-file", default="model.int8.onnx")
    ap.add_argument("--train", type=Path, required=True)
    ap.add_argument("--dev", type=Path, required=True)
    ap.add_argument("--work", type=Path, default=Path("/tmp/whosaid-attr"))
    ap.add_argument("--layer", type=int, default=5, help="encoder layer whose output the head reads (0-based)")
    ap.add_argument("--head", choices=["bert", "small"], default="bert",
                    help="bert: copies of the base model's top layers; small: one fresh layer")
    ap.add_argument("--head-layers", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--init", type=Path, help="start from a head saved by an earlier run (continued training)")
    ap.add_argument("--graft-only", action="store_true",
                    help="skip training: graft the head saved in --work by an earlier run")
    ap.add_argument("--out", type=Path,
                    help="directory for the two model files (default: --model, in place)")
    a = ap.parse_args()
    torch.manual_seed(a.seed); rng = random.Random(a.seed)
    torch.set_num_threads(a.threads)
    a.work.mkdir(parents=True, exist_ok=True)
    saved = a.work / f"head_l{a.layer}_{a.head}{a.head_layers}.pt"
    if a.graft_only:
        head = BertHead(a.head_layers) if a.head == "bert" else Head()
        head.load_state_dict(torch.load(saved))
        export_head(a.model, a.onnx_file, head, a.layer, a.out or a.model)
        print("wrote", a.out or a.model)
        return
    data = {}
    for split, gold in (("train", a.train), ("dev", a.dev)):
        wfile = a.work / f"{split}_win.jsonl"
        if not wfile.exists():
            dump_windows(a.model, gold, wfile)
        golds = [json.loads(l) for l in open(gold) if l.strip()]
        wins = [json.loads(l) for l in open(wfile)]
        windows, labels = [], []
        for g, w in zip(golds, wins):
            windows += w["windows"]
            labels += labels_for(w["windows"], g.get("attributions") or [])
        ffile = a.work / f"{split}_feat_l{a.layer}.npz"
        if ffile.exists():
            z = np.load(ffile)
            feats = [z[f"w{i}"] for i in range(len(windows))]
        else:
            t = time.time()
            feats = extract_features(a.model, a.onnx_file, windows, a.layer, a.threads)
            np.savez(ffile, **{f"w{i}": f for i, f in enumerate(feats)})
            print(f"{split}: features for {len(windows)} windows in {time.time() - t:.0f}s", flush=True)
        data[split] = (feats, labels)
    head = BertHead(a.head_layers) if a.head == "bert" else Head()
    if a.init:
        head.load_state_dict(torch.load(a.init))
    opt = torch.optim.AdamW(head.parameters(), lr=a.lr, weight_decay=0.01)
    steps = a.epochs * math.ceil(len(data["train"][0]) / a.batch)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, s / (0.06 * steps)) * max(0.0, (steps - s) / steps))
    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
    log = []
    best, best_state = -1, None
    for ep in range(a.epochs):
        head.train(); t = time.time(); tot = 0; nb = 0
        for _, x, m, y in batches(*data["train"], a.batch, True, rng):
            lo = head(x, m).reshape(x.shape[0], x.shape[1], 3, len(TAGS))
            loss = loss_fn(lo.reshape(-1, len(TAGS)), y.reshape(-1))
            opt.zero_grad(); loss.backward(); opt.step(); sched.step()
            tot += loss.item(); nb += 1
        f1 = evaluate(head, *data["dev"])
        score = sum(v for k, v in f1.items() if k.endswith("_tok"))
        log.append({"epoch": ep + 1, "loss": round(tot / nb, 4), "dev_span_f1": f1, "seconds": round(time.time() - t)})
        print(log[-1], flush=True)
        if score > best:
            best, best_state = score, {k: v.clone() for k, v in head.state_dict().items()}
    head.load_state_dict(best_state)
    torch.save(best_state, saved)
    out = a.out or a.model
    export_head(a.model, a.onnx_file, head, a.layer, out)
    meta = {"layer": a.layer, "head": a.head, "head_layers": a.head_layers, "epochs": a.epochs, "lr": a.lr, "batch": a.batch, "seed": a.seed,
            "train": str(a.train.name), "log": log}
    (Path(out) / "attribution_log.json").write_text(json.dumps(meta, indent=1) + "\n")
    print("wrote", out)


if __name__ == "__main__":
    main()
