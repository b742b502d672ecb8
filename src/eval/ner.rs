//! Entity-level NER scoring: exact span and type, micro and per type.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::conll::GoldDoc;
use super::driver::Predictions;
use super::metrics::{Counts, Prf};
use super::report::{Confusion, NerExample};
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

/// What `eval ner` on CoNLL gold gives: the scores, and for the HTML report the confusion
/// table and up to [`MAX_EXAMPLES`] sentences where gold and prediction differ.
#[derive(Debug, Clone, Default)]
pub struct ConllOutcome {
    /// Entity-level scores.
    pub scores: NerScores,
    /// Gold type × predicted type (filled when asked for).
    pub confusion: Confusion,
    /// Sentences where gold and prediction differ (filled when asked for).
    pub examples: Vec<NerExample>,
}

/// Most example sentences kept for the HTML report (it stays readable).
pub const MAX_EXAMPLES: usize = 300;

/// Scores the predictions of CoNLL documents (`token_spans` from [`super::conll::to_items`]):
/// each sentence's predicted entities become one tag per gold token, then entity spans,
/// exactly as conlleval and seqeval read a prediction column (an entity covering part of a
/// token claims it); an article the pipeline failed on predicts nothing. `report` fills the
/// confusion table and examples; `columns` receives `token gold predicted` lines.
pub fn score_conll(
    docs: &[GoldDoc],
    token_spans: &[Vec<Vec<Span>>],
    predictions: &Predictions,
    report: bool,
    mut columns: Option<&mut dyn std::io::Write>,
) -> std::io::Result<ConllOutcome> {
    let mut scorer = NerScorer::default();
    let mut out = ConllOutcome::default();
    for ((doc, toks), predicted) in docs.iter().zip(token_spans).zip(&predictions.items) {
        let entities: &[(usize, usize, String)] =
            predicted.as_ref().map_or(&[], |p| &p.scored.entities);
        for (s, spans) in doc.iter().zip(toks) {
            // the entities inside the sentence (none for a sentence without tokens)
            let ents: Vec<(Span, String)> = match (spans.first(), spans.last()) {
                (Some(first), Some(last)) => entities
                    .iter()
                    .filter(|e| e.0 >= first.start && e.1 <= last.end)
                    .map(|e| (Span::new(e.0, e.1), e.2.clone()))
                    .collect(),
                _ => Vec::new(),
            };
            let tags = to_tags(s.tokens.len(), &to_token_spans(spans, &ents));
            let pred = super::conll::spans(&tags);
            let gold = super::conll::spans(&s.tags);
            scorer.add(&gold, &pred);
            if report {
                out.confusion.add(&gold, &pred);
                let (mut g, mut p) = (gold.clone(), pred.clone());
                g.sort();
                p.sort();
                if g != p && out.examples.len() < MAX_EXAMPLES {
                    out.examples.push(NerExample {
                        tokens: s.tokens.clone(),
                        gold,
                        pred,
                    });
                }
            }
            if let Some(w) = columns.as_deref_mut() {
                super::text::write_columns(w, &s.tokens, &s.tags, &tags)?;
            }
        }
    }
    out.scores = scorer.scores();
    Ok(out)
}

/// Maps predicted entity spans onto gold tokens given by their spans (both in one unit: code
/// points as records give them). An entity covers the tokens it overlaps; entities
/// overlapping no token are dropped.
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
