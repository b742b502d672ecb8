//! whosaid's records as pre-annotations: Label Studio tasks (predictions a labeller accepts or
//! corrects) and doccano lines (entities and relations), so a labeller corrects instead of
//! labelling from scratch. What they export afterwards reads back as gold (`eval --format
//! label-studio|doccano`) with the same labels: entity types as they are, attributions as
//! `Source`, `Cue` and `Content` spans linked source → cue → content.
//!
//! A claim becomes one linked group: its speaker mention (`Source`), its cue (`Cue`) and each
//! content piece (`Content`), with links source → cue and cue → each piece; without a cue,
//! source → each piece and first piece → each other piece.

use serde_json::{json, Value};

/// Label Studio's names for the labelling controls the tasks refer to (see the README's
/// labelling config): a `Labels` control `label` over the `Text` object `text`.
pub const LABEL_STUDIO_FROM: &str = "label";
/// See [`LABEL_STUDIO_FROM`].
pub const LABEL_STUDIO_TO: &str = "text";

/// One labelled region and the links of a record, before a tool's layout.
struct Region {
    id: String,
    label: String,
    start: u64,
    end: u64,
    text: String,
    score: Option<f64>,
}

fn span_of(v: &Value) -> Option<(u64, u64, String)> {
    Some((
        v.get("start")?.as_u64()?,
        v.get("end")?.as_u64()?,
        v.get("text")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
    ))
}

/// The regions and links (from id, to id) of one record.
fn regions(record: &Value) -> (Vec<Region>, Vec<(String, String)>) {
    let mut regions = Vec::new();
    let mut links = Vec::new();
    for (i, e) in record
        .get("entities")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let (Some((start, end, text)), Some(label)) =
            (span_of(e), e.get("label").and_then(Value::as_str))
        {
            regions.push(Region {
                id: format!("e{i}"),
                label: label.to_string(),
                start,
                end,
                text,
                score: e.get("score").and_then(Value::as_f64),
            });
        }
    }
    for (i, c) in record
        .get("claims")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let score = c.get("confidence").and_then(Value::as_f64);
        let mut region = |suffix: String, label: &str, span: (u64, u64, String)| {
            let id = format!("q{i}-{suffix}");
            regions.push(Region {
                id: id.clone(),
                label: label.to_string(),
                start: span.0,
                end: span.1,
                text: span.2,
                score,
            });
            id
        };
        let source = c
            .get("speaker")
            .and_then(span_of)
            .map(|s| region("source".into(), "Source", s));
        let cue = c
            .get("cue")
            .and_then(span_of)
            .map(|s| region("cue".into(), "Cue", s));
        let contents: Vec<String> = c
            .get("pieces")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(span_of)
            .enumerate()
            .map(|(k, s)| region(format!("content{k}"), "Content", s))
            .collect();
        match (&source, &cue) {
            (_, Some(q)) => {
                if let Some(s) = &source {
                    links.push((s.clone(), q.clone()));
                }
                links.extend(contents.iter().map(|p| (q.clone(), p.clone())));
            }
            (Some(s), None) => links.extend(contents.iter().map(|p| (s.clone(), p.clone()))),
            (None, None) => {}
        }
        if cue.is_none() {
            if let Some((first, rest)) = contents.split_first() {
                links.extend(rest.iter().map(|p| (first.clone(), p.clone())));
            }
        }
    }
    (regions, links)
}

/// One Label Studio task: the article and the record as a prediction.
pub fn label_studio_task(record: &Value, text: &str, model_version: &str) -> Value {
    let id = record.get("id").cloned().unwrap_or(Value::Null);
    let (regions, links) = regions(record);
    let mut result: Vec<Value> = regions
        .into_iter()
        .map(|r| {
            let mut v = json!({
                "id": r.id,
                "from_name": LABEL_STUDIO_FROM,
                "to_name": LABEL_STUDIO_TO,
                "type": "labels",
                "value": {"start": r.start, "end": r.end, "text": r.text, "labels": [r.label]},
            });
            if let Some(s) = r.score {
                v["score"] = json!(s);
            }
            v
        })
        .collect();
    result.extend(links.into_iter().map(|(from, to)| {
        json!({"type": "relation", "from_id": from, "to_id": to, "direction": "right", "labels": []})
    }));
    json!({
        "data": {"id": id, "text": text},
        "predictions": [{"model_version": model_version, "result": result}],
    })
}

/// One doccano line (relation-extraction layout): entities and attribution links.
pub fn doccano_line(record: &Value, text: &str) -> Value {
    let id = record.get("id").cloned().unwrap_or(Value::Null);
    let (regions, links) = regions(record);
    let number: std::collections::HashMap<&str, usize> = regions
        .iter()
        .enumerate()
        .map(|(n, r)| (r.id.as_str(), n + 1))
        .collect();
    let entities: Vec<Value> = regions
        .iter()
        .map(|r| {
            json!({"id": number[r.id.as_str()], "label": r.label,
                   "start_offset": r.start, "end_offset": r.end})
        })
        .collect();
    let relations: Vec<Value> = links
        .iter()
        .enumerate()
        .map(|(n, (from, to))| {
            json!({"id": n + 1, "from_id": number[from.as_str()], "to_id": number[to.as_str()],
                   "type": "attribution"})
        })
        .collect();
    json!({"article_id": id, "text": text, "entities": entities, "relations": relations})
}
