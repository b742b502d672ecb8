"""Tests of the whosaid Python package, run by scripts/test.sh against the wheel installed in a
fresh venv (no ORT_DYLIB_PATH, no WHOSAID_MODEL): the default model and ONNX Runtime come
from the package and its `onnxruntime` dependency.

WHOSAID_BIN names the release binary whose records the package must reproduce (default:
target/release/whosaid in the repository)."""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import whosaid

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
BIN = Path(os.environ.get("WHOSAID_BIN", ROOT / "target" / "release" / "whosaid"))


def sample_items():
    """data/sample as Python items, with the ids `whosaid extract data/sample` gives."""
    items = [json.loads(line) for line in (SAMPLE / "articles.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    items.append({"id": "wire-brief.txt", "text": (SAMPLE / "wire-brief.txt").read_text(encoding="utf-8")})
    return items


@pytest.fixture(scope="module")
def ex():
    return whosaid.Extractor()


@pytest.fixture(scope="module")
def cli_records():
    if not BIN.exists():
        pytest.skip(f"{BIN} is not built (cargo build --release)")
    out = subprocess.run([str(BIN), "extract", str(SAMPLE), "-q"], capture_output=True, text=True, check=True)
    return [json.loads(line) for line in out.stdout.splitlines()]


def test_import_needs_no_environment():
    assert "ORT_DYLIB_PATH" not in os.environ, "run these tests without ORT_DYLIB_PATH"
    ex = whosaid.Extractor()
    assert "onnxruntime" in str(ex.ort_lib) and Path(ex.ort_lib).exists()
    assert (Path(ex.model) / "config.json").exists()
    assert whosaid.SCHEMA_VERSION == 2


def test_readme_example(ex):
    rec = ex.extract("Azerbaijan is a fraternal country for us, Akar said.")
    assert rec["schema_version"] == 2 and rec["id"] == "0"
    assert [e["text"] for e in rec["entities"]] == ["Azerbaijan", "Akar"]
    (claim,) = rec["claims"]
    assert claim["speaker"]["name"] == "Akar"
    rec = ex.extract({"id": "a1", "text": "Ünal said the vote was “a mistake”.", "title": "T"})
    assert rec["id"] == "a1" and rec["title"] == "T"


def test_extract_many_equals_cli(ex, cli_records):
    got = list(ex.extract_many(sample_items()))
    assert [r["id"] for r in got] == [r["id"] for r in cli_records]
    for g, w in zip(got, cli_records):
        assert g == w, g["id"]
    assert any(c["rule"] == "model.tagged" for r in got for c in r["claims"])


def test_an_article_gives_the_same_record_alone_and_in_any_corpus(ex):
    # the shipped int8 graph quantizes activations per token, never over the batch
    items = sample_items()
    alone = {it["id"]: ex.extract(it) for it in items}
    for order, chunk in ((items, 64), (items[::-1], 1), (items[1::2] + items[::2], 3)):
        for rec in ex.extract_many(order, batch_size=chunk):
            assert rec == alone[rec["id"]], rec["id"]


def test_offsets_are_code_points(ex):
    text = "Zoë Ångström 🎉 said: “Ça ira.” Then Müller, the mayor, said the bridge would reopen."
    rec = ex.extract(text)
    spans = [(e["start"], e["end"], e["text"]) for e in rec["entities"]]
    for c in rec["claims"]:
        spans.append((c["start"], c["end"], c["text"]))
        spans += [(p["start"], p["end"], p["text"]) for p in c["pieces"]]
        if c["cue"]:
            spans.append((c["cue"]["start"], c["cue"]["end"], c["cue"]["text"]))
        if c["speaker"]:
            spans.append((c["speaker"]["start"], c["speaker"]["end"], c["speaker"]["text"]))
    assert spans and all(text[s:e] == t for s, e, t in spans), spans


def test_threads_share_one_extractor(ex):
    items = sample_items()
    want = list(ex.extract_many(items))
    want_one = [ex.extract(i) for i in items[:3]]
    results, errors = {}, []

    def work(n):
        try:
            results[n] = (list(ex.extract_many(items)), [ex.extract(i) for i in items[:3]])
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    for many, one in results.values():
        assert many == want and one == want_one


def test_nested_use_does_not_deadlock(ex):
    items = sample_items()[:4]
    for rec in ex.extract_many(items, batch_size=2):
        assert ex.extract(rec["id"] + " said nothing.")["id"] == "0"


BAD = [
    (5, "not_object", None),
    (None, "not_object", None),
    ({"id": "x"}, "missing_text", "x"),
    ({"id": "y", "text": 5}, "bad_text", "y"),
    ({"id": "z", "text": b"bytes"}, "bad_text", "z"),
    ({"id": [1], "text": "t"}, "bad_id", None),
    ({"id": "s", "text": "lone \ud800 surrogate"}, "invalid_text", "s"),
    ("lone \udfff surrogate", "invalid_text", None),
    ({"id": "n", "text": "nul\x00byte"}, "nul_byte", "n"),
]


@pytest.mark.parametrize("item,kind,id", BAD)
def test_bad_input_raises_input_error(ex, item, kind, id):
    with pytest.raises(whosaid.InputError) as info:
        ex.extract(item)
    assert isinstance(info.value, ValueError)
    assert info.value.kind == kind and info.value.id == id, (info.value.kind, info.value.id, str(info.value))
    assert kind in str(info.value)


def test_bad_input_in_a_stream(ex):
    items = ["Akar said the talks went well."] + [b[0] for b in BAD] + [{"id": "last", "text": "Fine."}]
    got = list(ex.extract_many(items, errors="record"))
    assert len(got) == len(items), "nothing lost"
    assert got[0]["claims"] and got[-1]["id"] == "last"
    for rec, (_, kind, id) in zip(got[1:-1], BAD):
        assert rec["error"]["kind"] == kind and rec["id"] == id, rec
    assert [r["error"]["index"] for r in got[1:-1]] == list(range(1, len(BAD) + 1))
    with pytest.raises(whosaid.InputError) as info:
        list(ex.extract_many(items))
    assert info.value.index == 1
    assert ex.extract("Still alive, she said.")["id"] == "0"


def test_errors_argument_is_checked(ex):
    with pytest.raises(ValueError):
        list(ex.extract_many([], errors="ignore"))
    assert list(ex.extract_many([])) == []


def test_iterable_that_raises(ex):
    def gen():
        yield "One sentence."
        raise KeyError("broken source")

    with pytest.raises(KeyError):
        list(ex.extract_many(gen()))


def test_extract_many_streams_lazily(ex):
    pulled = 0

    def gen():
        nonlocal pulled
        for i in range(100_000):
            pulled += 1
            yield {"id": f"g{i}", "text": f"Item {i}: the mayor said the bridge would reopen."}

    it = ex.extract_many(gen(), batch_size=16)
    first = [next(it) for _ in range(3)]
    assert [r["id"] for r in first] == ["g0", "g1", "g2"]
    assert pulled < 16 * 12, f"read {pulled} articles ahead for 3 records"
    it.close()


def test_model_errors_at_construction(tmp_path):
    with pytest.raises(whosaid.ModelError, match="does not exist"):
        whosaid.Extractor(model=tmp_path / "nope")
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "config.json").write_text("{}")
    with pytest.raises(whosaid.ModelError, match="missing file"):
        whosaid.Extractor(model=tmp_path / "m")


def test_bad_runtime_is_a_model_error(tmp_path):
    # the runtime loads once per process, so this runs in a fresh interpreter
    code = ("import whosaid\ntry:\n    whosaid.Extractor(ort_lib='/no/such/libonnxruntime.so')\n"
            "except whosaid.ModelError as e:\n    print('ModelError', e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("ModelError"), (out.stdout, out.stderr)


def rss_kb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    pytest.skip("no /proc/self/status")


def test_extract_does_not_leak(ex):
    texts = [i["text"] for i in sample_items()]
    for i in range(300):
        ex.extract(texts[i % len(texts)])
    before = rss_kb()
    for i in range(2000):
        ex.extract(texts[i % len(texts)])
    grown = (rss_kb() - before) / 1024
    print(f"RSS growth over 2000 extract calls: {grown:.1f} MB")
    assert grown < 8, f"RSS grew {grown:.1f} MB over 2000 calls"


def test_frames(ex):
    pd = pytest.importorskip("pandas")
    items = sample_items()
    records = list(ex.extract_many(items + [{"id": "bad"}], errors="record"))
    f = whosaid.frames(records)
    assert isinstance(f.entities, pd.DataFrame)
    assert len(f.articles) == len(records)
    assert len(f.entities) == sum(len(r.get("entities", [])) for r in records)
    assert len(f.claims) == sum(len(r.get("claims", [])) for r in records)
    assert len(f.speakers) == sum(len(r.get("speakers", [])) for r in records)
    assert f.articles.set_index("article_id").loc["bad", "error_kind"] == "missing_text"
    text = {i["id"]: i["text"] for i in items}
    for row in f.entities.itertuples():
        assert text[row.article_id][row.start:row.end] == row.text
    for row in f.claims.itertuples():
        assert text[row.article_id][row.start:row.end] == row.text
        assert isinstance(row.support, list) and row.rule not in row.support
        if pd.notna(row.speaker_text):
            assert text[row.article_id][row.speaker_start:row.speaker_end] == row.speaker_text
    joined = f.claims.merge(f.articles, on="article_id", suffixes=("", "_article"))
    assert len(joined) == len(f.claims)


def test_help_explains_the_api():
    doc = whosaid.Extractor.__doc__ + whosaid.Extractor.extract_many.__doc__
    assert "model" in doc and "batch_size" in doc and "errors" in doc
    stub = Path(whosaid.__file__).with_name("__init__.pyi")
    assert stub.exists() and Path(whosaid.__file__).with_name("py.typed").exists()
