#!/usr/bin/env python3
"""Checks `whosaid eval ner` against seqeval on the same predictions (must agree to 4 decimals).

    python scripts/check_seqeval.py --gold ../shared/data/conll2003/test.txt [--whosaid target/release/whosaid]

Runs whosaid with --predictions to get `token gold predicted` columns and --json for its own
scores, recomputes entity-level micro and per-type P/R/F1 with seqeval (IOB2, default mode,
the conlleval definition), and exits non-zero on any difference above 5e-5.
"""
import argparse, json, subprocess, sys, tempfile
from pathlib import Path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", required=True)
    ap.add_argument("--whosaid", default=str(Path(__file__).resolve().parent.parent / "target/release/whosaid"))
    ap.add_argument("--model", default=None)
    a = ap.parse_args()
    from seqeval.metrics import classification_report
    with tempfile.TemporaryDirectory() as d:
        pred_path = Path(d) / "pred.txt"
        cmd = [a.whosaid, "eval", "ner", "--gold", a.gold, "--json", "--predictions", str(pred_path)]
        if a.model:
            cmd += ["--model", a.model]
        ours = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        gold, pred, gs, ps = [], [], [], []
        for line in pred_path.read_text(encoding="utf-8").split("\n"):
            if not line.strip():
                if gs:
                    gold.append(gs); pred.append(ps); gs, ps = [], []
                continue
            _, g, p = line.rsplit(" ", 2)
            gs.append(g); ps.append(p)
        if gs:
            gold.append(gs); pred.append(ps)
    rep = classification_report(gold, pred, output_dict=True, digits=6)
    theirs = {"micro": rep["micro avg"]}
    theirs.update({k: v for k, v in rep.items() if k not in ("micro avg", "macro avg", "weighted avg")})
    bad = 0
    rows = [("micro", ours["micro"], theirs["micro"])] + [
        (k, ours["per_type"][k], theirs[k]) for k in sorted(ours["per_type"]) if k in theirs]
    for name, o, t in rows:
        for m, tm in (("precision", "precision"), ("recall", "recall"), ("f1", "f1-score")):
            diff = abs(o[m] - t[tm])
            flag = "" if diff < 5e-5 else "  <-- differs"
            bad += bool(flag)
            print(f"{name:6} {m:9} whosaid {o[m]:.4f} seqeval {t[tm]:.4f}{flag}")
        if o["support"] != t["support"]:
            print(f"{name:6} support whosaid {o['support']} seqeval {t['support']}  <-- differs"); bad += 1
    print("identical to 4 decimals" if not bad else f"{bad} differences")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
