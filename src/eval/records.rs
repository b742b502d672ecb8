//! The one reader of predictions for the evaluations: a records file (`--records`: whosaid's
//! own output, or another system's written in its schema) or the records the pipeline just
//! made, reduced to what the scorers read: entity spans and claims, in code points.

use std::collections::HashSet;

use serde::Deserialize;

use std::collections::HashMap;

use super::quotes::{Piece, PredClaim, PredSpeaker};
use crate::error::Result;
use crate::record::Record;

/// One record as the scorers read it.
#[derive(Debug, Clone, Default)]
pub struct ScoredRecord {
    /// The article id.
    pub id: String,
    /// Entity mentions: start, end (code points), label.
    pub entities: Vec<(usize, usize, String)>,
    /// Claims.
    pub claims: Vec<PredClaim>,
}

impl ScoredRecord {
    /// What the scorers read of a record whosaid made.
    pub fn from_record(record: &Record) -> ScoredRecord {
        let mut by_cluster: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
        for e in &record.entities {
            by_cluster
                .entry(e.cluster.as_str())
                .or_default()
                .push((e.start, e.end));
        }
        ScoredRecord {
            id: record.id.clone(),
            entities: record
                .entities
                .iter()
                .map(|e| (e.start, e.end, e.label.clone()))
                .collect(),
            claims: record
                .claims
                .iter()
                .map(|c| PredClaim {
                    content: c.pieces.iter().map(|p| (p.start, p.end)).collect(),
                    source: c.speaker.as_ref().map(|s| (s.start, s.end)),
                    cue: c.cue.as_ref().map(|s| (s.start, s.end)),
                    rule: crate::quote::provenance(c.rule, &c.support),
                    kind: c.kind.to_string(),
                    confidence: c.confidence,
                    speaker: c.speaker.as_ref().map(|s| PredSpeaker {
                        text: s.text.clone(),
                        name: s.name.clone(),
                        resolution: s.resolution.to_string(),
                        cluster_mentions: s
                            .cluster
                            .as_deref()
                            .and_then(|c| by_cluster.get(c))
                            .cloned()
                            .unwrap_or_default(),
                    }),
                })
                .collect(),
        }
    }
}

/// A record line as read: the fields of `record::Record` the scorers need, each optional
/// where another system may leave it out.
#[derive(Debug, Clone, Deserialize)]
struct RecordIn {
    id: String,
    #[serde(default)]
    entities: Vec<EntityIn>,
    #[serde(default)]
    claims: Vec<ClaimIn>,
}

#[derive(Debug, Clone, Deserialize)]
struct EntityIn {
    start: usize,
    end: usize,
    label: String,
    #[serde(default)]
    cluster: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct SpeakerIn {
    start: usize,
    end: usize,
    #[serde(default)]
    text: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    resolution: Option<String>,
    #[serde(default)]
    cluster: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct ClaimIn {
    #[serde(default)]
    pieces: Vec<Piece>,
    #[serde(default)]
    start: Option<usize>,
    #[serde(default)]
    end: Option<usize>,
    #[serde(default)]
    cue: Option<Piece>,
    #[serde(default)]
    speaker: Option<SpeakerIn>,
    #[serde(default)]
    rule: Option<String>,
    #[serde(default)]
    support: Vec<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    confidence: Option<f64>,
}

fn check(r: &RecordIn, seen: &mut HashSet<String>) -> std::result::Result<(), String> {
    if !seen.insert(r.id.clone()) {
        return Err(format!("id {:?} appears twice", r.id));
    }
    if let Some(i) = r.entities.iter().position(|e| e.start > e.end) {
        return Err(format!("entities[{i}]: start is after end"));
    }
    for (i, c) in r.claims.iter().enumerate() {
        let whole = c.start.zip(c.end);
        if c.pieces.is_empty() && whole.is_none() {
            return Err(format!("claims[{i}]: no `pieces` and no `start`/`end`"));
        }
        let spans = c
            .pieces
            .iter()
            .map(|p| ("pieces", p.start, p.end))
            .chain(whole.map(|(s, e)| ("start/end", s, e)))
            .chain(c.cue.iter().map(|p| ("cue", p.start, p.end)))
            .chain(c.speaker.iter().map(|p| ("speaker", p.start, p.end)));
        for (field, s, e) in spans {
            if s > e {
                return Err(format!("claims[{i}].{field}: start {s} is after end {e}"));
            }
        }
    }
    Ok(())
}

/// Reads records JSONL (`id`; `entities` with `start`, `end`, `label`; `claims` with `pieces`
/// or `start`/`end`, optional `cue` and `speaker` spans, `rule`, `support`, `kind`,
/// `confidence`; code points). A claim without `rule` counts as rule `external`, without
/// `kind` as `indirect`. Bad lines, claims without content, reversed spans and an id given
/// twice are an [`Error::Gold`](crate::error::Error::Gold) naming the file, the line and the
/// field.
pub fn read_records(bytes: &[u8], path: &std::path::Path) -> Result<Vec<ScoredRecord>> {
    let seen = std::cell::RefCell::new(HashSet::new());
    let records: Vec<RecordIn> = super::read_jsonl(
        bytes,
        path,
        "a record (`id`, `entities`, `claims`)",
        |r: &RecordIn| check(r, &mut seen.borrow_mut()),
    )?;
    Ok(records
        .into_iter()
        .map(|r| {
            let mut by_cluster: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
            for e in &r.entities {
                if let Some(c) = &e.cluster {
                    by_cluster
                        .entry(c.clone())
                        .or_default()
                        .push((e.start, e.end));
                }
            }
            ScoredRecord {
                id: r.id,
                entities: r
                    .entities
                    .into_iter()
                    .map(|e| (e.start, e.end, e.label))
                    .collect(),
                claims: r
                    .claims
                    .into_iter()
                    .map(|c| PredClaim {
                        content: if c.pieces.is_empty() {
                            c.start.zip(c.end).into_iter().collect()
                        } else {
                            c.pieces.iter().map(|p| (p.start, p.end)).collect()
                        },
                        source: c.speaker.as_ref().map(|p| (p.start, p.end)),
                        cue: c.cue.map(|p| (p.start, p.end)),
                        rule: crate::quote::provenance(
                            c.rule.as_deref().unwrap_or("external"),
                            &c.support,
                        ),
                        kind: c.kind.unwrap_or_else(|| "indirect".into()),
                        confidence: c.confidence.unwrap_or(0.0),
                        speaker: c.speaker.map(|s| PredSpeaker {
                            name: s.name.unwrap_or_else(|| s.text.clone()),
                            resolution: s.resolution.unwrap_or_else(|| "none".into()),
                            cluster_mentions: s
                                .cluster
                                .and_then(|k| by_cluster.get(&k).cloned())
                                .unwrap_or_default(),
                            text: s.text,
                        }),
                    })
                    .collect(),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn records_table() {
        let path = std::path::Path::new("r.jsonl");
        let good = concat!(
            r#"{"id": "a", "claims": [{"pieces": [{"start": 0, "end": 4}, {"start": 9, "end": 12}], "#,
            r#""cue": {"start": 5, "end": 8}, "speaker": null, "rule": "direct.quote_cue", "kind": "direct"}]}"#,
            "\n\n",
            r#"{"id": "b", "claims": [{"start": 2, "end": 7, "speaker": {"start": 0, "end": 1}}], "#,
            r#""entities": [{"start": 0, "end": 1, "label": "PER", "text": "Z"}]}"#,
            "\n",
            r#"{"id": "c"}"#,
        );
        let got = read_records(good.as_bytes(), path).unwrap();
        assert_eq!(got.len(), 3);
        let a = &got[0].claims[0];
        assert_eq!(
            (a.content.clone(), a.cue, a.source),
            (vec![(0, 4), (9, 12)], Some((5, 8)), None)
        );
        assert_eq!(
            (a.rule.as_str(), a.kind.as_str()),
            ("direct.quote_cue", "direct")
        );
        let b = &got[1].claims[0];
        assert_eq!((b.content.clone(), b.source), (vec![(2, 7)], Some((0, 1))));
        assert_eq!((b.rule.as_str(), b.kind.as_str()), ("external", "indirect"));
        assert_eq!(got[1].entities, [(0, 1, "PER".to_string())]);
        assert!(got[2].claims.is_empty() && got[2].entities.is_empty());
        let bad = [
            (r#"{"claims": []}"#, 1, "not a record"),
            (
                r#"{"id": "a", "claims": [{"rule": "x"}]}"#,
                1,
                "claims[0]: no `pieces`",
            ),
            (
                r#"{"id": "a", "claims": [{"start": 5, "end": 2}]}"#,
                1,
                "claims[0].start/end: start 5",
            ),
            ("{\"id\": \"a\"}\n{\"id\": \"a\"}", 2, "appears twice"),
            (
                r#"{"id": "a", "claims": [{"start": 0, "end": 2, "cue": {"start": 3, "end": 1}}]}"#,
                1,
                "claims[0].cue",
            ),
            (
                r#"{"id": "a", "entities": [{"start": 3, "end": 1, "label": "PER"}]}"#,
                1,
                "entities[0]: start is after end",
            ),
        ];
        for (text, line, want) in bad {
            match read_records(text.as_bytes(), path) {
                Err(Error::Gold {
                    line: l, message, ..
                }) => {
                    assert_eq!(l, line, "{text}");
                    assert!(message.contains(want), "{text}: {message}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }
}
