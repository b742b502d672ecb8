#!/usr/bin/env python3
"""`whosaid render` in headless Chromium: the page loads, article text with HTML in it is shown
as text and never executes, every highlight sits exactly where the record's offsets say, and
a screenshot is saved under target/test-output/render.png.

    python scripts/tests/test_render.py [CHROMIUM]
"""
import html.parser, json, shutil, subprocess, sys, tempfile
from pathlib import Path

root = Path(__file__).resolve().parents[2]
binary = root / "target/release/whosaid"
chromium = sys.argv[1] if len(sys.argv) > 1 else (shutil.which("chromium") or shutil.which("chromium-browser"))
if not chromium:
    sys.exit("chromium not found: install Debian's `chromium` package")
outdir = root / "target/test-output"
outdir.mkdir(parents=True, exist_ok=True)

hostile = ("<script>document.body.setAttribute('data-pwned','script')</script> "
           "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\"> &amp; &lt;b&gt; "
           "“We will not be silenced,” Zoë Ångström said on Monday. 😀\n\n"
           "The minister told reporters that the plan was “a disaster” for Köln.")
articles = [{"id": "hostile </script>", "text": hostile}]
for l in (root / "data/sample/articles.jsonl").read_text(encoding="utf-8").splitlines():
    articles.append(json.loads(l))
texts = {a["id"]: a["text"] for a in articles}

with tempfile.TemporaryDirectory() as d:
    d = Path(d)
    inp, rec, page = d / "in.jsonl", d / "rec.jsonl", outdir / "render.html"
    inp.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    subprocess.run([str(binary), "extract", str(inp), "-o", str(rec), "-q"], check=True)
    subprocess.run([str(binary), "render", str(rec), "--text", str(inp), "-o", str(page)], check=True)
    flags = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={d / 'profile'}", "--window-size=1400,1800"]
    dom = subprocess.run(flags + ["--dump-dom", page.as_uri()], check=True, capture_output=True, text=True, timeout=120).stdout
    subprocess.run(flags + [f"--screenshot={outdir / 'render.png'}", page.as_uri()], check=True,
                   capture_output=True, timeout=120)



class Spans(html.parser.HTMLParser):
    """Collects (article id, data-start, data-end, classes, text) of highlight spans."""

    def __init__(self):
        super().__init__()
        self.article, self.stack, self.spans, self.body_attrs, self.scripts = None, [], [], {}, 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.body_attrs = a
        if tag == "script":
            self.scripts += 1
        if tag == "article":
            self.article = a.get("data-id")
        if tag == "span" and "data-start" in a:
            self.stack.append([self.article, int(a["data-start"]), int(a["data-end"]), a.get("class", ""), ""])
        elif tag == "span":
            self.stack.append(None)

    def handle_endtag(self, tag):
        if tag == "span" and self.stack:
            s = self.stack.pop()
            if s:
                self.spans.append(tuple(s))

    def handle_data(self, data):
        for s in self.stack:
            if s:
                s[4] += data


p = Spans()
p.feed(dom)
assert "data-pwned" not in p.body_attrs, f"article text executed: {p.body_attrs}"
assert p.scripts == 2, f"expected only whosaid's two script elements, found {p.scripts}"
assert "&lt;script&gt;" in dom or "<script>document.body" not in dom
checked = 0
for art, s, e, cls, txt in p.spans:
    want = texts[art][s:e]
    assert txt == want, f"highlight {s}:{e} in {art!r} shows {txt!r}, offsets say {want!r}"
    checked += 1
claim_spans = [x for x in p.spans if "claim" in x[3]]
assert checked > 50 and claim_spans, (checked, len(claim_spans))
assert any("ent-PER" in x[3] and x[4] == "Zoë Ångström" for x in p.spans), "the person is highlighted"
print(f"ok: {checked} highlights where the offsets say, hostile text inert, screenshot {outdir / 'render.png'}")
