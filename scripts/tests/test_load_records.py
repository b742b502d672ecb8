#!/usr/bin/env python3
"""The README's Python loading example, run for real: records load into pandas, every
span slices back with text[start:end], and every record validates against `whosaid schema`."""
import json, subprocess, sys
from pathlib import Path

import jsonschema
import pandas as pd

root = Path(__file__).resolve().parents[2]
binary = root / "target/release/whosaid"
records_path = Path(sys.argv[1]) if len(sys.argv) > 1 else None
if records_path is None:
    records_path = root / "target/test-sample.jsonl"
    subprocess.run([str(binary), "extract", str(root / "data/sample"), "-o", str(records_path), "-q"], check=True)

# --- as in the README -------------------------------------------------------------
records = pd.read_json(records_path, lines=True)
claims = records[["id", "claims"]].explode("claims").dropna()
claims = pd.concat([claims[["id"]].reset_index(drop=True), pd.json_normalize(claims["claims"].tolist())], axis=1)
print(claims[["id", "kind", "speaker.name", "text"]].head())
# -----------------------------------------------------------------------------------

texts = {}
for line in (root / "data/sample/articles.jsonl").read_text(encoding="utf-8").splitlines():
    a = json.loads(line)
    texts[a["id"]] = a["text"]
texts["wire-brief.txt"] = (root / "data/sample/wire-brief.txt").read_text(encoding="utf-8")
schema = json.loads(subprocess.run([str(binary), "schema"], check=True, capture_output=True, text=True).stdout)
n_spans = 0
for line in records_path.read_text(encoding="utf-8").splitlines():
    r = json.loads(line)
    jsonschema.validate(r, schema)
    t = texts[r["id"]]
    for e in r["entities"]:
        assert t[e["start"]:e["end"]] == e["text"], e
        n_spans += 1
    for c in r["claims"]:
        assert t[c["start"]:c["end"]] == c["text"], c
        for p in c["pieces"]:
            assert t[p["start"]:p["end"]] == p["text"], p
        for k in ("cue", "speaker"):
            if c[k]:
                assert t[c[k]["start"]:c[k]["end"]] == c[k]["text"], c[k]
        n_spans += 1
assert len(records) == len(texts), (len(records), len(texts))
assert len(claims) > 10, len(claims)
print(f"ok: {len(records)} records, {len(claims)} claims, {n_spans} spans slice back in Python")
