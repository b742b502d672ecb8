#!/usr/bin/env python3
"""Fits the merge policy of a model: the least mean tag probability a tagged claim needs to
replace the rules' claims (`whosaid.merge.min_score` in the model's config.json, read at load).

Each candidate is scored on PolNeAR dev twice, as articles (`eval quotes`) and as CofeNet's
sentence instances (`eval attribution`), with the model's own tags (`--merge-min-score`); the
one with the best mean content exact F1 of the two (then source exact F1) is written into
config.json with what it was fitted on. Dev only: the test split is never read.

    python scripts/fit_merge.py MODEL_DIR [--polnear-dev F] [--instances F] [--dry-run]
"""
import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CANDIDATES = [0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85]


def run(args, env):
    out = subprocess.run(args, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        sys.exit(f"{' '.join(map(str, args))} failed:\n{out.stderr}")
    return json.loads(out.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", type=Path)
    ap.add_argument("--polnear-dev", type=Path, default=ROOT / "../shared/data/polnear/polnear_dev.jsonl")
    ap.add_argument("--instances", type=Path, default=ROOT / "../shared/data/polnear/cofenet_valid.jsonl")
    ap.add_argument("--binary", type=Path, default=ROOT / "target/release/whosaid")
    ap.add_argument("--candidates", type=float, nargs="+", default=CANDIDATES)
    ap.add_argument("--dry-run", action="store_true", help="print the table, write nothing")
    a = ap.parse_args()
    for f in (a.polnear_dev, a.instances):
        if not f.exists():
            sys.exit(f"SKIPPED: {f} is not here (PolNeAR dev is read from ../shared)")
    env = dict(os.environ)
    env.setdefault("ORT_DYLIB_PATH", str(ROOT / ".ort/libonnxruntime.so"))
    rows = []
    print(f"{'min_score':>9} {'art. content ex':>16} {'overlap':>8} {'source':>7} {'cue':>6} | "
          f"{'inst. content':>13} {'source':>7} {'cue':>6}", flush=True)
    for m in a.candidates:
        flags = ["--model", str(a.model), "--merge-min-score", str(m), "--json"]
        q = run([a.binary, "eval", "quotes", "--gold", a.polnear_dev, *flags], env)
        i = run([a.binary, "eval", "attribution", "--gold", a.instances, *flags], env)["scores"]
        f = lambda s, role: s[role]["exact"]["f1"]
        row = {
            "min_score": m,
            "articles": {"content": f(q, "content"), "content_overlap": q["content"]["overlap"]["f1"],
                         "source": f(q, "source"), "cue": f(q, "cue")},
            "instances": {"content": f(i, "content"), "source": f(i, "source"), "cue": f(i, "cue")},
        }
        rows.append(row)
        ar, ir = row["articles"], row["instances"]
        print(f"{m:>9.2f} {ar['content']:>16.3f} {ar['content_overlap']:>8.3f} {ar['source']:>7.3f} "
              f"{ar['cue']:>6.3f} | {ir['content']:>13.3f} {ir['source']:>7.3f} {ir['cue']:>6.3f}", flush=True)
    key = lambda r: (round((r["articles"]["content"] + r["instances"]["content"]) / 2, 4),
                     r["articles"]["source"] + r["instances"]["source"])
    best = max(rows, key=key)
    print(f"best: min_score {best['min_score']} (mean content exact F1 {key(best)[0]:.4f})")
    if a.dry_run:
        return
    cfg_path = a.model / "config.json"
    cfg = json.loads(cfg_path.read_text())
    cfg.setdefault("whosaid", {})["merge"] = {
        "min_score": best["min_score"],
        "fitted_on": f"{a.polnear_dev.name} articles and {a.instances.name} instances: best mean "
                     f"content exact F1 over {a.candidates}",
    }
    cfg_path.write_text(json.dumps(cfg, indent=2) + "\n")
    print(f"wrote whosaid.merge to {cfg_path}")


if __name__ == "__main__":
    main()
