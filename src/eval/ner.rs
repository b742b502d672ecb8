//! Entity-level NER scoring: exact span and type, micro and per type.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::metrics::{Counts, Prf};
use crate::span::Span;

/// Scores of one evaluation run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NerScores {
    /// Over all types.
    pub micro: Prf,
    /// Per entity type.
    pub per_type: BTreeMap<String, Prf>,
}

/// Accumulates counts over sentences.
#[derive(Debug, Clone, Default)]
pub struct NerScorer {
    total: Counts,
    by_type: BTreeMap<String, Counts>,
}

/// A typed token span `(first, end, type)`.
pub type TokenSpan = (usize, usize, String);

impl NerScorer {
    /// Adds one sentence's gold and predicted spans.
    pub fn add(&mut self, gold: &[TokenSpan], pred: &[TokenSpan]) {
        let g: HashSet<&TokenSpan> = gold.iter().collect();
        let p: HashSet<&TokenSpan> = pred.iter().collect();
        for s in &g {
            let c = self.by_type.entry(s.2.clone()).or_default();
            if p.contains(s) {
                c.tp += 1;
                self.total.tp += 1;
            } else {
                c.fn_ += 1;
                self.total.fn_ += 1;
            }
        }
        for s in p.difference(&g) {
            self.by_type.entry(s.2.clone()).or_default().fp += 1;
            self.total.fp += 1;
        }
    }

    /// Final scores.
    pub fn scores(&self) -> NerScores {
        NerScores {
            micro: self.total.prf(),
            per_type: self
                .by_type
                .iter()
                .map(|(k, c)| (k.clone(), c.prf()))
                .collect(),
        }
    }
}

/// Maps predicted entity byte spans onto gold tokens given by their byte spans. An entity
/// covers the tokens it overlaps; entities overlapping no token are dropped.
pub fn to_token_spans(tokens: &[Span], entities: &[(Span, String)]) -> Vec<TokenSpan> {
    let mut out = Vec::new();
    for (span, kind) in entities {
        let first = tokens.iter().position(|t| t.overlaps(span));
        let last = tokens.iter().rposition(|t| t.overlaps(span));
        if let (Some(a), Some(b)) = (first, last) {
            out.push((a, b + 1, kind.clone()));
        }
    }
    out
}

/// IOB2 tags of token spans (for writing predictions in CoNLL format).
pub fn to_tags(n: usize, spans: &[TokenSpan]) -> Vec<String> {
    let mut tags = vec!["O".to_string(); n];
    for (a, b, k) in spans {
        for (i, tag) in tags.iter_mut().enumerate().take(*b).skip(*a) {
            *tag = format!("{}-{k}", if i == *a { "B" } else { "I" });
        }
    }
    tags
}

/// Reads records JSONL (`id`, `entities` with `start`, `end`, `label`; code points) into the
/// entity spans of each record id. A bad line, a reversed span or an id given twice is an
/// [`Error::Gold`](crate::error::Error::Gold) naming the file, the line and the field.
pub fn parse_record_entities(
    bytes: &[u8],
    path: &std::path::Path,
) -> crate::error::Result<Vec<(String, Vec<TokenSpan>)>> {
    #[derive(serde::Deserialize)]
    struct Entity {
        start: usize,
        end: usize,
        label: String,
    }
    #[derive(serde::Deserialize)]
    struct Rec {
        id: String,
        #[serde(default)]
        entities: Vec<Entity>,
    }
    let seen = std::cell::RefCell::new(std::collections::HashSet::new());
    let records: Vec<Rec> =
        super::read_jsonl(bytes, path, "a record (`id`, `entities`)", |r: &Rec| {
            if !seen.borrow_mut().insert(r.id.clone()) {
                return Err(format!("id {:?} appears twice", r.id));
            }
            match r.entities.iter().position(|e| e.start > e.end) {
                Some(i) => Err(format!("entities[{i}]: start is after end")),
                None => Ok(()),
            }
        })?;
    Ok(records
        .into_iter()
        .map(|r| {
            let spans = r
                .entities
                .into_iter()
                .map(|e| (e.start, e.end, e.label))
                .collect();
            (r.id, spans)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(a: usize, b: usize, k: &str) -> TokenSpan {
        (a, b, k.to_string())
    }

    #[test]
    fn hand_computed_confusion() {
        // gold: PER 0-2, LOC 3-4, ORG 5-6; pred: PER 0-2 (tp), LOC 3-5 (fp, wrong span),
        // MISC 7-8 (fp); missed LOC 3-4 and ORG 5-6
        let mut sc = NerScorer::default();
        sc.add(
            &[s(0, 2, "PER"), s(3, 4, "LOC"), s(5, 6, "ORG")],
            &[s(0, 2, "PER"), s(3, 5, "LOC"), s(7, 8, "MISC")],
        );
        let r = sc.scores();
        assert!((r.micro.precision - 1.0 / 3.0).abs() < 1e-12);
        assert!((r.micro.recall - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(r.micro.support, 3);
        assert_eq!(r.per_type["PER"].f1, 1.0);
        assert_eq!(r.per_type["LOC"].f1, 0.0);
        assert_eq!(r.per_type["MISC"].support, 0);
    }

    #[test]
    fn entity_spans_map_to_tokens() {
        // "Zoë Müller said"
        let toks = [Span::new(0, 4), Span::new(5, 12), Span::new(13, 17)];
        let e = [(Span::new(0, 12), "PER".to_string())];
        assert_eq!(to_token_spans(&toks, &e), [s(0, 2, "PER")]);
        assert_eq!(to_tags(3, &[s(0, 2, "PER")]), ["B-PER", "I-PER", "O"]);
    }
}
