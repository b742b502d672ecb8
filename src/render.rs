//! Records → one self-contained HTML page (no network, inline CSS and JS): each article's text
//! with entities highlighted by type and claims highlighted with their speaker, a side list of
//! speakers and their claims, and filters by speaker and claim kind.
//!
//! Every piece of article text, id and name is HTML-escaped; the claim data the script reads
//! is embedded as JSON with `<`, `>` and `&` escaped, so no input can close the script element.

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde_json::Value;

/// HTML-escapes text for element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// JSON safe to embed inside a `<script>` element.
fn script_json(v: &Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn spans_of(v: &Value) -> Vec<(usize, usize)> {
    let get = |x: &Value| Some((x["start"].as_u64()? as usize, x["end"].as_u64()? as usize));
    v.as_array()
        .map_or_else(Vec::new, |a| a.iter().filter_map(get).collect())
}

/// One article's text with highlight runs: each run of code points with the same set of
/// entities and claims becomes one `<span>`.
fn highlighted(text: &str, record: &Value) -> String {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let mut ent: Vec<Option<String>> = vec![None; n];
    let mut claims: Vec<BTreeSet<String>> = vec![BTreeSet::new(); n];
    let mut speaker_at: Vec<bool> = vec![false; n];
    let mut cue_at: Vec<bool> = vec![false; n];
    for e in record["entities"].as_array().into_iter().flatten() {
        let (Some(s), Some(t)) = (e["start"].as_u64(), e["end"].as_u64()) else {
            continue;
        };
        let label = e["label"].as_str().unwrap_or("X").to_string();
        for slot in ent.iter_mut().take((t as usize).min(n)).skip(s as usize) {
            *slot = Some(label.clone());
        }
    }
    for c in record["claims"].as_array().into_iter().flatten() {
        let id = c["id"].as_str().unwrap_or("").to_string();
        for (s, t) in spans_of(&c["pieces"]) {
            for set in claims.iter_mut().take(t.min(n)).skip(s) {
                set.insert(id.clone());
            }
        }
        for (key, marks) in [("speaker", &mut speaker_at), ("cue", &mut cue_at)] {
            if let (Some(s), Some(t)) = (c[key]["start"].as_u64(), c[key]["end"].as_u64()) {
                for m in marks.iter_mut().take((t as usize).min(n)).skip(s as usize) {
                    *m = true;
                }
            }
        }
    }
    let mut out = String::new();
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n
            && ent[j] == ent[i]
            && claims[j] == claims[i]
            && speaker_at[j] == speaker_at[i]
            && cue_at[j] == cue_at[i]
        {
            j += 1;
        }
        let piece: String = chars[i..j].iter().collect();
        let plain = ent[i].is_none() && claims[i].is_empty() && !speaker_at[i] && !cue_at[i];
        if plain {
            out.push_str(&escape(&piece));
        } else {
            let mut class = Vec::new();
            if let Some(l) = &ent[i] {
                class.push(format!("ent ent-{}", escape(l)));
            }
            if !claims[i].is_empty() {
                class.push("claim".to_string());
            }
            if speaker_at[i] {
                class.push("spk".to_string());
            }
            if cue_at[i] {
                class.push("cue".to_string());
            }
            let ids: Vec<&str> = claims[i].iter().map(String::as_str).collect();
            out.push_str(&format!(
                "<span class=\"{}\" data-start=\"{i}\" data-end=\"{j}\" data-claims=\"{}\"{}>{}</span>",
                class.join(" "),
                escape(&ids.join(" ")),
                ent[i]
                    .as_ref()
                    .map(|l| format!(" title=\"{}\"", escape(l)))
                    .unwrap_or_default(),
                escape(&piece)
            ));
        }
        i = j;
    }
    out
}

const STYLE: &str = r#"
body{font:15px/1.55 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{padding:12px 20px;background:#233;color:#fff;position:sticky;top:0;z-index:2}
header label{margin-right:14px} select{max-width:260px}
main{padding:10px 20px}
article{display:grid;grid-template-columns:minmax(0,3fr) minmax(220px,1fr);gap:20px;background:#fff;border:1px solid #ddd;border-radius:6px;margin:16px 0;padding:14px}
article h2{grid-column:1/-1;margin:0;font-size:17px} .text{white-space:pre-wrap}
.ent{border-bottom:2px solid #999}.ent-PER{border-color:#c0392b}.ent-ORG{border-color:#2471a3}.ent-LOC{border-color:#1e8449}.ent-MISC{border-color:#9a7d0a}
.claim{background:#fdebd0}.claim.on{background:#f8c471}.claim.off{background:transparent}
.spk{font-weight:600;background:#d6eaf8}.cue{font-style:italic;text-decoration:underline dotted}
aside h3{font-size:14px;margin:4px 0} aside ul{padding-left:18px;margin:4px 0 10px} aside li{margin:3px 0;font-size:13px}
.kind{font-size:11px;color:#fff;background:#777;border-radius:3px;padding:0 4px;margin-right:4px}
.legend span{margin-right:10px;color:#222;background:#fff;padding:0 3px}
"#;

const SCRIPT: &str = r#"
const data = JSON.parse(document.getElementById('claims-data').textContent);
const byId = {};
for (const a of data) for (const c of a.claims) byId[a.id + '/' + c.id] = c;
function apply() {
  const spk = document.getElementById('f-speaker').value;
  const kinds = new Set([...document.querySelectorAll('.f-kind:checked')].map(x => x.value));
  document.querySelectorAll('article').forEach(art => {
    let shown = 0;
    art.querySelectorAll('.claim').forEach(el => {
      const ok = el.dataset.claims.split(' ').some(q => {
        const c = byId[art.dataset.id + '/' + q];
        return c && kinds.has(c.kind) && (spk === '' || c.speaker === spk);
      });
      el.classList.toggle('off', !ok);
      if (ok) shown++;
    });
    art.querySelectorAll('aside li[data-claim]').forEach(li => {
      const c = byId[art.dataset.id + '/' + li.dataset.claim];
      li.style.display = c && kinds.has(c.kind) && (spk === '' || c.speaker === spk) ? '' : 'none';
    });
    art.style.display = (spk === '' || shown > 0) ? '' : 'none';
  });
}
document.querySelectorAll('#f-speaker,.f-kind').forEach(el => el.addEventListener('change', apply));
document.querySelectorAll('aside li[data-claim]').forEach(li => {
  li.addEventListener('mouseenter', () => li.closest('article').querySelectorAll('.claim').forEach(el => el.classList.toggle('on', el.dataset.claims.split(' ').includes(li.dataset.claim))));
  li.addEventListener('mouseleave', () => li.closest('article').querySelectorAll('.claim.on').forEach(el => el.classList.remove('on')));
});
apply();
"#;

/// Writes the page for `records`, each with its article text when known (`None`: the claims
/// and entities are listed without the text).
pub fn write_html<W: Write>(out: &mut W, items: &[(Value, Option<String>)]) -> io::Result<()> {
    let mut speakers: BTreeSet<String> = BTreeSet::new();
    let mut data = Vec::new();
    for (r, _) in items {
        let claims: Vec<Value> = r["claims"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                let spk = c["speaker"]["name"].as_str().unwrap_or("").to_string();
                if !spk.is_empty() {
                    speakers.insert(spk.clone());
                }
                serde_json::json!({"id": c["id"], "kind": c["kind"], "speaker": spk})
            })
            .collect();
        data.push(serde_json::json!({"id": r["id"], "claims": claims}));
    }
    writeln!(
        out,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
    )?;
    writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width\">"
    )?;
    writeln!(
        out,
        "<title>whosaid: {} articles</title><style>{STYLE}</style></head><body>",
        items.len()
    )?;
    write!(
        out,
        "<header><label>Speaker <select id=\"f-speaker\"><option value=\"\">all speakers</option>"
    )?;
    for s in &speakers {
        write!(out, "<option value=\"{0}\">{0}</option>", escape(s))?;
    }
    write!(out, "</select></label>")?;
    for k in ["direct", "indirect", "mixed", "belief"] {
        write!(
            out,
            "<label><input type=\"checkbox\" class=\"f-kind\" value=\"{k}\" checked> {k}</label>"
        )?;
    }
    writeln!(
        out,
        "<span class=\"legend\"><span class=\"ent ent-PER\">person</span><span class=\"ent ent-ORG\">organisation</span><span class=\"ent ent-LOC\">place</span><span class=\"ent ent-MISC\">other</span><span class=\"claim\">claim</span> <span class=\"spk\">speaker</span> <span class=\"cue\">cue</span></span></header><main>"
    )?;
    for (r, text) in items {
        let id = r["id"].as_str().unwrap_or("");
        write!(
            out,
            "<article data-id=\"{}\"><h2>{}",
            escape(id),
            escape(id)
        )?;
        if let Some(t) = r["title"].as_str() {
            write!(out, ": {}", escape(t))?;
        }
        write!(out, "</h2><div class=\"text\">")?;
        match text {
            Some(t) => write!(out, "{}", highlighted(t, r))?,
            None => {
                write!(
                    out,
                    "<em>(article text not given: pass --text INPUT)</em><ul>"
                )?;
                for c in r["claims"].as_array().into_iter().flatten() {
                    write!(out, "<li>{}</li>", escape(c["text"].as_str().unwrap_or("")))?;
                }
                write!(out, "</ul>")?;
            }
        }
        write!(out, "</div><aside>")?;
        for s in r["speakers"].as_array().into_iter().flatten() {
            write!(
                out,
                "<h3>{}</h3><ul>",
                escape(s["name"].as_str().unwrap_or(""))
            )?;
            for q in s["claims"].as_array().into_iter().flatten() {
                let qid = q.as_str().unwrap_or("");
                let c = r["claims"]
                    .as_array()
                    .and_then(|a| a.iter().find(|c| c["id"] == *q));
                let (kind, txt) = c.map_or(("", ""), |c| {
                    (
                        c["kind"].as_str().unwrap_or(""),
                        c["text"].as_str().unwrap_or(""),
                    )
                });
                let short: String = txt.chars().take(140).collect();
                write!(
                    out,
                    "<li data-claim=\"{}\"><span class=\"kind\">{}</span>{}</li>",
                    escape(qid),
                    escape(kind),
                    escape(&short)
                )?;
            }
            write!(out, "</ul>")?;
        }
        let ents: BTreeSet<(String, String)> = r["clusters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                (
                    c["label"].as_str().unwrap_or("").to_string(),
                    c["name"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        if !ents.is_empty() {
            write!(out, "<h3>Entities</h3><ul>")?;
            for (l, n) in ents {
                write!(
                    out,
                    "<li><span class=\"ent ent-{}\">{}</span> {}</li>",
                    escape(&l),
                    escape(&n),
                    escape(&l)
                )?;
            }
            write!(out, "</ul>")?;
        }
        writeln!(out, "</aside></article>")?;
    }
    let json = script_json(&Value::Array(data));
    writeln!(
        out,
        "</main><script type=\"application/json\" id=\"claims-data\">{json}</script><script>{SCRIPT}</script></body></html>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_script_json_cannot_close_the_element() {
        let text = "<script>alert(1)</script> & “Zoë” said 😀";
        let record = serde_json::json!({
            "id": "</script><script>x()</script>",
            "entities": [{"start": 30, "end": 33, "label": "PER", "text": "Zoë"}],
            "claims": [{"id": "q0", "kind": "direct", "pieces": [{"start": 29, "end": 34}],
                        "speaker": {"name": "<b>Zoë</b>"}, "cue": null, "text": "x"}],
            "speakers": [], "clusters": []
        });
        let mut out = Vec::new();
        write_html(&mut out, &[(record, Some(text.to_string()))]).unwrap();
        let html = String::from_utf8(out).unwrap();
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("</script><script>x()"));
        assert_eq!(
            html.matches("<script").count(),
            2,
            "only our two script elements"
        );
        assert!(html.contains("data-start=\"30\" data-end=\"33\""));
    }
}
