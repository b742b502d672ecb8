//! Label Studio JSON export: a list of tasks, each `{"data": {"text": …}, "annotations":
//! [{"result": […]}]}`. `labels` results are spans (`value.start`, `value.end`,
//! `value.text`, `value.labels`), `relation` results link two regions (`from_id`, `to_id`).
//! The article id is `data.id` (or `data.article`), else the task's `id`. A task without a
//! submitted annotation is skipped and reported; cancelled annotations are ignored.
//!
//! Offsets are code points. Older Label Studio versions stored JavaScript string indices
//! (UTF-16 units), which differ after an emoji or another character outside the BMP: a span
//! whose stored text slices back only that way is read that way, and the task says so.

use std::path::Path;

use serde_json::Value;

use super::{disambiguate, id_text, Annotators, Document, LabelledSpan, Link, Read, SpanCheck};
use crate::error::{Error, Result};

/// Code point positions of a text's UTF-16 code units (JavaScript string indices).
struct Utf16Index {
    /// `cp[u]`: the code point at which UTF-16 unit `u` starts (`None` inside a pair), one
    /// past the end included.
    cp: Vec<Option<usize>>,
    chars: Vec<char>,
}

impl Utf16Index {
    fn new(text: &str) -> Utf16Index {
        let chars: Vec<char> = text.chars().collect();
        let mut cp = Vec::with_capacity(chars.len() + 1);
        for (i, c) in chars.iter().enumerate() {
            cp.push(Some(i));
            if c.len_utf16() == 2 {
                cp.push(None);
            }
        }
        cp.push(Some(chars.len()));
        Utf16Index { cp, chars }
    }
}

/// The code point span of a span given in UTF-16 units, when the text has characters outside
/// the BMP before or in it, the span does not slice back as code points, and it does as UTF-16
/// units.
fn from_utf16(
    ix: &Utf16Index,
    (start, end): (usize, usize),
    stored: &str,
) -> Option<(usize, usize)> {
    if ix.cp.len() == ix.chars.len() + 1 || start > end {
        return None; // no astral characters: the two readings agree
    }
    let slice = |s: usize, e: usize| ix.chars.get(s..e).map(|c| c.iter().collect::<String>());
    if slice(start, end).as_deref() == Some(stored) {
        return None;
    }
    let (s, e) = (ix.cp.get(start).copied()??, ix.cp.get(end).copied()??);
    (slice(s, e).as_deref() == Some(stored)).then_some((s, e))
}

/// Reads a Label Studio export.
pub(super) fn read(path: &Path, annotators: Annotators) -> Result<Read> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let bad = |item: String, message: String| Error::GoldItem {
        path: path.to_path_buf(),
        item,
        message,
    };
    let tasks: Value =
        serde_json::from_slice(&bytes).map_err(|e| bad("file".into(), format!("not JSON: {e}")))?;
    let tasks = match tasks {
        Value::Array(t) => t,
        obj @ Value::Object(_) => vec![obj],
        _ => return Err(bad("file".into(), "not a list of tasks".into())),
    };
    let mut documents = Vec::new();
    let mut warnings = Vec::new();
    for (t, task) in tasks.iter().enumerate() {
        let task_id = task.get("id").and_then(id_text);
        let item = match &task_id {
            Some(id) => format!("task {} (id {id})", t + 1),
            None => format!("task {}", t + 1),
        };
        let data = task
            .get("data")
            .and_then(Value::as_object)
            .ok_or_else(|| bad(item.clone(), "no `data` object".into()))?;
        let text = match data.get("text") {
            Some(Value::String(s)) => s.clone(),
            Some(_) => return Err(bad(item, "`data.text` is not a string".into())),
            None => return Err(bad(item, "no `data.text`".into())),
        };
        let doc_id = data
            .get("id")
            .or_else(|| data.get("article"))
            .and_then(id_text)
            .or(task_id.clone())
            .unwrap_or_else(|| format!("task{}", t + 1));
        let annotations: Vec<(usize, &Value)> = task
            .get("annotations")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .enumerate()
                    .filter(|(_, x)| x.get("was_cancelled") != Some(&Value::Bool(true)))
                    .collect()
            })
            .unwrap_or_default();
        if annotations.is_empty() {
            warnings.push(format!(
                "{item} ({doc_id}): no submitted annotation; skipped"
            ));
            continue;
        }
        let keep = match annotators {
            Annotators::First => 1,
            Annotators::All => annotations.len(),
        };
        let check = SpanCheck::new(path, &doc_id, &text);
        let units = Utf16Index::new(&text);
        let mut utf16_spans = 0usize;
        for (a, annotation) in annotations.into_iter().take(keep) {
            let annotator = annotation
                .get("completed_by")
                .and_then(|c| id_text(c).or_else(|| c.get("email").and_then(id_text)));
            let mut doc = Document {
                id: doc_id.clone(),
                annotator,
                text: text.clone(),
                ..Document::default()
            };
            let results = annotation
                .get("result")
                .and_then(Value::as_array)
                .ok_or_else(|| bad(item.clone(), format!("annotations[{a}]: no `result` list")))?;
            for (r, res) in results.iter().enumerate() {
                let field = format!("annotations[{a}].result[{r}]");
                match res.get("type").and_then(Value::as_str) {
                    Some("relation") => {
                        let from = res.get("from_id").and_then(id_text);
                        let to = res.get("to_id").and_then(id_text);
                        let (Some(from), Some(to)) = (from, to) else {
                            return Err(bad(
                                item,
                                format!("{field}: a relation needs `from_id` and `to_id`"),
                            ));
                        };
                        doc.links.push(Link { from, to });
                    }
                    Some("labels") => {
                        let value = res
                            .get("value")
                            .ok_or_else(|| bad(item.clone(), format!("{field}: no `value`")))?;
                        let offset = |k: &str| {
                            value
                                .get(k)
                                .and_then(Value::as_u64)
                                .map(|v| v as usize)
                                .ok_or_else(|| {
                                    bad(
                                        item.clone(),
                                        format!("{field}.value.{k}: missing or not a whole number"),
                                    )
                                })
                        };
                        let mut fragment = (offset("start")?, offset("end")?);
                        let region = res
                            .get("id")
                            .and_then(id_text)
                            .unwrap_or_else(|| format!("r{r}"));
                        let stored = value.get("text").and_then(Value::as_str);
                        if let Some(cp) = stored.and_then(|t| from_utf16(&units, fragment, t)) {
                            utf16_spans += 1;
                            fragment = cp;
                        }
                        check.span(
                            &item,
                            &format!("{field}.value"),
                            &region,
                            &[fragment],
                            stored,
                            &mut warnings,
                        )?;
                        let labels = value.get("labels").and_then(Value::as_array);
                        for label in labels.into_iter().flatten().filter_map(Value::as_str) {
                            doc.spans.push(LabelledSpan {
                                id: region.clone(),
                                label: label.to_string(),
                                fragments: vec![fragment],
                            });
                        }
                    }
                    // choices, textarea, ratings: nothing the scorers read
                    _ => {}
                }
            }
            documents.push(doc);
        }
        if utf16_spans > 0 {
            warnings.push(format!(
                "{item} ({doc_id}): {utf16_spans} spans slice back only as UTF-16 offsets \
                 (what older Label Studio versions store); read as such"
            ));
        }
    }
    disambiguate(&mut documents);
    Ok(Read {
        documents,
        warnings,
    })
}
