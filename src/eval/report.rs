//! HTML error reports for `whosaid eval --report FILE`: why a score is what it is.
//!
//! NER: the confusion of entity types (gold rows, predicted columns, with `(none)` for missed
//! and invented entities) and sentences with errors, gold and predicted side by side.
//! Quotes: per article, the gold attributions missed and the claims invented, side by side.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use crate::render::escape;

/// Label used for "no entity" in the confusion table.
pub const NONE: &str = "(none)";

/// Counts `(gold type, predicted type)` over exact spans; boundary errors count as a missed
/// gold entity and an invented prediction.
#[derive(Debug, Clone, Default)]
pub struct Confusion {
    /// Counts.
    pub cells: BTreeMap<(String, String), usize>,
}

impl Confusion {
    /// Adds one sentence's gold and predicted token spans.
    pub fn add(&mut self, gold: &[(usize, usize, String)], pred: &[(usize, usize, String)]) {
        for g in gold {
            let p = pred.iter().find(|p| p.0 == g.0 && p.1 == g.1);
            let col = p.map_or(NONE.to_string(), |p| p.2.clone());
            *self.cells.entry((g.2.clone(), col)).or_default() += 1;
        }
        for p in pred {
            if !gold.iter().any(|g| g.0 == p.0 && g.1 == p.1) {
                *self
                    .cells
                    .entry((NONE.to_string(), p.2.clone()))
                    .or_default() += 1;
            }
        }
    }
}

/// One sentence with errors.
#[derive(Debug, Clone)]
pub struct NerExample {
    /// Tokens.
    pub tokens: Vec<String>,
    /// Gold spans.
    pub gold: Vec<(usize, usize, String)>,
    /// Predicted spans.
    pub pred: Vec<(usize, usize, String)>,
}

fn marked(
    tokens: &[String],
    spans: &[(usize, usize, String)],
    other: &[(usize, usize, String)],
) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some(s) = spans.iter().find(|s| s.0 == i) {
            let ok = other.contains(s);
            let words: Vec<&str> = tokens[s.0..s.1].iter().map(String::as_str).collect();
            out.push_str(&format!(
                "<mark class=\"{}\">{}<sub>{}</sub></mark> ",
                if ok { "ok" } else { "bad" },
                escape(&words.join(" ")),
                escape(&s.2)
            ));
            i = s.1.max(i + 1);
        } else {
            out.push_str(&escape(&tokens[i]));
            out.push(' ');
            i += 1;
        }
    }
    out
}

const CSS: &str = "body{font:14px/1.5 system-ui,sans-serif;margin:20px;color:#222}table{border-collapse:collapse;margin:10px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#eee}td.diag{background:#d5f5e3;font-weight:600}td.err{background:#fadbd8}.cols{display:grid;grid-template-columns:1fr 1fr;gap:16px}.cols>div{background:#fafafa;border:1px solid #ddd;padding:8px}mark.ok{background:#d5f5e3}mark.bad{background:#f5b7b1}sub{font-size:10px;color:#555;margin-left:2px}h2{margin-top:28px}li{margin:4px 0}";

/// Writes the NER report.
pub fn write_ner<W: Write>(
    out: &mut W,
    title: &str,
    confusion: &Confusion,
    examples: &[NerExample],
) -> io::Result<()> {
    let types: BTreeSet<&str> = confusion
        .cells
        .keys()
        .flat_map(|(g, p)| [g.as_str(), p.as_str()])
        .filter(|t| *t != NONE)
        .collect();
    let mut rows: Vec<&str> = types.iter().copied().collect();
    rows.push(NONE);
    writeln!(out, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{}</title><style>{CSS}</style></head><body>", escape(title))?;
    writeln!(out, "<h1>{}</h1><h2>Confusion by entity type</h2><p>Rows: gold type; columns: predicted type at exactly the same span. <code>(none)</code> column: gold entities with no prediction at that span (missed or wrong boundary); <code>(none)</code> row: predictions with no gold entity at that span.</p><table><tr><th>gold \\ predicted</th>", escape(title))?;
    for c in &rows {
        write!(out, "<th>{}</th>", escape(c))?;
    }
    writeln!(out, "</tr>")?;
    for r in &rows {
        write!(out, "<tr><th>{}</th>", escape(r))?;
        for c in &rows {
            let n = confusion
                .cells
                .get(&(r.to_string(), c.to_string()))
                .copied()
                .unwrap_or(0);
            let class = if r == c {
                "diag"
            } else if n > 0 {
                "err"
            } else {
                ""
            };
            write!(
                out,
                "<td class=\"{class}\">{}</td>",
                if n > 0 { n.to_string() } else { String::new() }
            )?;
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(
        out,
        "</table><h2>Sentences with errors ({} shown)</h2>",
        examples.len()
    )?;
    for e in examples {
        writeln!(
            out,
            "<div class=\"cols\"><div><b>gold</b><br>{}</div><div><b>predicted</b><br>{}</div></div><br>",
            marked(&e.tokens, &e.gold, &e.pred),
            marked(&e.tokens, &e.pred, &e.gold)
        )?;
    }
    writeln!(out, "</body></html>")
}

/// One side of a quote report row: content, and the speaker / source text.
#[derive(Debug, Clone)]
pub struct ClaimView {
    /// Content text (pieces joined with " … ").
    pub content: String,
    /// Speaker or source text.
    pub source: String,
    /// Rule id (predictions) or gold kind.
    pub tag: String,
}

/// Missed and invented claims of one article.
#[derive(Debug, Clone)]
pub struct QuoteArticle {
    /// Article id.
    pub id: String,
    /// Gold attributions no claim matched.
    pub missed: Vec<ClaimView>,
    /// Claims no gold attribution matched.
    pub invented: Vec<ClaimView>,
}

/// Writes the quotes report.
pub fn write_quotes<W: Write>(
    out: &mut W,
    title: &str,
    summary: &str,
    articles: &[QuoteArticle],
) -> io::Result<()> {
    writeln!(out, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{}</title><style>{CSS}</style></head><body><h1>{}</h1><pre>{}</pre>", escape(title), escape(title), escape(summary))?;
    let list = |v: &[ClaimView]| {
        v.iter()
            .map(|c| {
                format!(
                    "<li><b>{}</b> <sub>{}</sub><br>{}</li>",
                    escape(&c.source),
                    escape(&c.tag),
                    escape(&c.content)
                )
            })
            .collect::<String>()
    };
    for a in articles
        .iter()
        .filter(|a| !a.missed.is_empty() || !a.invented.is_empty())
    {
        writeln!(
            out,
            "<h2>{}</h2><div class=\"cols\"><div><b>missed gold ({})</b><ul>{}</ul></div><div><b>invented claims ({})</b><ul>{}</ul></div></div>",
            escape(&a.id),
            a.missed.len(),
            list(&a.missed),
            a.invented.len(),
            list(&a.invented)
        )?;
    }
    writeln!(out, "</body></html>")
}
