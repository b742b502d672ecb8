#!/usr/bin/env python3
"""scripts/casing.py (what training computes) agrees with src/encoding/casing.rs (what
inference computes) on the shared table tests/fixtures/casing.json; the Rust unit test
`shared_casing_table` checks the same table."""
import json, sys
from pathlib import Path

root = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(root / "scripts"))
import casing  # noqa: E402

table = json.loads((root / "tests/fixtures/casing.json").read_text(encoding="utf-8"))
assert table["classes"] == casing.NAMES, (table["classes"], casing.NAMES)
bad = [(w, want, casing.casing_class(w)) for w, want in table["words"] if casing.casing_class(w) != casing.NAMES[want]]
assert not bad, bad
print(f"ok: {len(table['words'])} words, the same casing class in Python and Rust")
