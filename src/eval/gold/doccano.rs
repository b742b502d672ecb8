//! doccano JSONL export, one document per line: sequence labelling
//! (`{"text": …, "label": [[start, end, "LABEL"], …]}`, also `labels`) or relation
//! extraction (`{"text": …, "entities": [{"id", "label", "start_offset", "end_offset"}],
//! "relations": [{"from_id", "to_id", "type"}]}`). The article id is `article_id`, else
//! `id`, else `lineN`.

use std::path::Path;

use serde_json::Value;

use super::{disambiguate, id_text, Document, LabelledSpan, Link, Read, SpanCheck};
use crate::error::{Error, Result};

/// Reads a doccano export.
pub(super) fn read(path: &Path) -> Result<Read> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut documents = Vec::new();
    let mut warnings = Vec::new();
    for (n, raw) in bytes.split(|b| *b == b'\n').enumerate() {
        let item = format!("line {}", n + 1);
        let bad = |message: String| Error::GoldItem {
            path: path.to_path_buf(),
            item: item.clone(),
            message,
        };
        let line = std::str::from_utf8(raw).map_err(|e| bad(format!("not valid UTF-8: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).map_err(|e| bad(format!("not JSON: {e}")))?;
        let text = match v.get("text") {
            Some(Value::String(s)) => s.clone(),
            Some(_) => return Err(bad("`text` is not a string".into())),
            None => return Err(bad("no `text`".into())),
        };
        let id = v
            .get("article_id")
            .or_else(|| v.get("id"))
            .and_then(id_text)
            .unwrap_or_else(|| format!("line{}", n + 1));
        let check = SpanCheck::new(path, &id, &text);
        let mut doc = Document {
            id: id.clone(),
            text,
            ..Document::default()
        };
        let whole = |x: Option<&Value>, field: &str| {
            x.and_then(Value::as_u64)
                .map(|v| v as usize)
                .ok_or_else(|| bad(format!("{field}: missing or not a whole number")))
        };
        for key in ["label", "labels"] {
            let Some(list) = v.get(key) else { continue };
            let list = list
                .as_array()
                .ok_or_else(|| bad(format!("`{key}` is not a list")))?;
            for (k, entry) in list.iter().enumerate() {
                let field = format!("{key}[{k}]");
                let Some([s, e, label]) = entry.as_array().map(Vec::as_slice) else {
                    return Err(bad(format!("{field}: not [start, end, \"LABEL\"]")));
                };
                let fragment = (whole(Some(s), &field)?, whole(Some(e), &field)?);
                let label = label
                    .as_str()
                    .ok_or_else(|| bad(format!("{field}: the label is not a string")))?;
                check.span(&item, &field, &field, &[fragment], None, &mut warnings)?;
                doc.spans.push(LabelledSpan {
                    id: format!("{key}{k}"),
                    label: label.to_string(),
                    fragments: vec![fragment],
                });
            }
        }
        if let Some(list) = v.get("entities") {
            let list = list
                .as_array()
                .ok_or_else(|| bad("`entities` is not a list".into()))?;
            for (k, e) in list.iter().enumerate() {
                let field = format!("entities[{k}]");
                let fragment = (
                    whole(e.get("start_offset"), &format!("{field}.start_offset"))?,
                    whole(e.get("end_offset"), &format!("{field}.end_offset"))?,
                );
                let label = e
                    .get("label")
                    .and_then(Value::as_str)
                    .ok_or_else(|| bad(format!("{field}.label: missing or not a string")))?;
                let span_id = e
                    .get("id")
                    .and_then(id_text)
                    .unwrap_or_else(|| format!("e{k}"));
                check.span(&item, &field, &span_id, &[fragment], None, &mut warnings)?;
                doc.spans.push(LabelledSpan {
                    id: span_id,
                    label: label.to_string(),
                    fragments: vec![fragment],
                });
            }
        }
        if let Some(list) = v.get("relations") {
            let list = list
                .as_array()
                .ok_or_else(|| bad("`relations` is not a list".into()))?;
            for (k, r) in list.iter().enumerate() {
                let from = r.get("from_id").and_then(id_text);
                let to = r.get("to_id").and_then(id_text);
                let (Some(from), Some(to)) = (from, to) else {
                    return Err(bad(format!("relations[{k}]: needs `from_id` and `to_id`")));
                };
                doc.links.push(Link { from, to });
            }
        }
        documents.push(doc);
    }
    disambiguate(&mut documents);
    Ok(Read {
        documents,
        warnings,
    })
}
