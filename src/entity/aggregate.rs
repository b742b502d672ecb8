//! Subword → word scores, with the strategies of the Hugging Face pipeline:
//! `first` (the first subword decides; the default, what the model was trained on), `average`
//! (mean of the subword distributions) and `max` (the subword with the highest score decides).

use crate::encoding::Encodings;
use crate::prediction::decode::{best_path, Transitions};
use crate::prediction::TokenPredictions;

/// How subword predictions become a word prediction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Aggregation {
    /// First subword.
    #[default]
    First,
    /// Mean distribution over subwords.
    Average,
    /// Most confident subword.
    Max,
}

/// Label distribution of each word, row-major `[words, labels]`.
pub(super) fn word_probs(enc: &Encodings, preds: &TokenPredictions, how: Aggregation) -> Vec<f32> {
    let n = preds.n_labels;
    let mut out = Vec::with_capacity(enc.words.len() * n);
    for w in &enc.words {
        let at = out.len();
        let rows = w.tokens.clone().map(|t| preds.token(t));
        match how {
            Aggregation::First => out.extend_from_slice(preds.token(w.tokens.start)),
            Aggregation::Average => {
                out.resize(at + n, 0.0);
                let mut k = 0.0;
                for r in rows {
                    for (b, p) in out[at..].iter_mut().zip(r) {
                        *b += p;
                    }
                    k += 1.0;
                }
                out[at..].iter_mut().for_each(|b| *b /= f32::max(k, 1.0));
            }
            Aggregation::Max => {
                let best = rows.fold((&[][..], -1.0), |best, r| {
                    let m = argmax(r).1;
                    if m > best.1 {
                        (r, m)
                    } else {
                        best
                    }
                });
                out.extend_from_slice(best.0);
            }
        }
        // a missing row (no prediction) counts as zeros
        out.resize(at + n, 0.0);
    }
    out
}

/// Label index and probability of each word: the best path under `constraints` when given
/// (BIO; a sentence start counts as following `O`), else each word's argmax.
pub(super) fn word_labels(
    enc: &Encodings,
    preds: &TokenPredictions,
    how: Aggregation,
    constraints: Option<&Transitions>,
) -> Vec<(usize, f32)> {
    let n = preds.n_labels.max(1);
    let probs = word_probs(enc, preds, how);
    match constraints.filter(|t| t.len() == preds.n_labels) {
        Some(t) => {
            let starts = |w: usize| w > 0 && enc.words[w].sentence != enc.words[w - 1].sentence;
            best_path(&probs, t, starts)
                .into_iter()
                .enumerate()
                .map(|(w, l)| (l, probs[w * n + l]))
                .collect()
        }
        None => probs.chunks(n).map(argmax).collect(),
    }
}

/// Index and value of the largest element (first one on ties; (0, 0.0) when empty).
pub(crate) fn argmax(x: &[f32]) -> (usize, f32) {
    x.iter()
        .copied()
        .enumerate()
        .fold((0, f32::NEG_INFINITY), |best, (i, v)| {
            if v > best.1 {
                (i, v)
            } else {
                best
            }
        })
        .pipe_empty(x.is_empty())
}

trait PipeEmpty {
    fn pipe_empty(self, empty: bool) -> Self;
}

impl PipeEmpty for (usize, f32) {
    fn pipe_empty(self, empty: bool) -> Self {
        if empty {
            (0, 0.0)
        } else {
            self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::{Token, Word};
    use crate::span::Span;

    /// One word of three subwords with the given distributions over (O, B-PER).
    fn one_word(rows: [[f32; 2]; 3]) -> (Encodings, TokenPredictions) {
        let enc = Encodings {
            tokens: (0..3)
                .map(|i| Token {
                    id: 0,
                    span: Span::new(i, i + 1),
                    word: 0,
                })
                .collect(),
            words: vec![Word {
                span: Span::new(0, 3),
                tokens: 0..3,
                sentence: 0,
                casing: 1,
            }],
            windows: vec![],
        };
        let preds = TokenPredictions {
            n_labels: 2,
            probs: rows.iter().flatten().copied().collect(),
            attribution: Vec::new(),
        };
        (enc, preds)
    }

    #[test]
    fn aggregation_table() {
        // first subword says O (0.6); the others say B-PER strongly
        let (enc, p) = one_word([[0.6, 0.4], [0.1, 0.9], [0.2, 0.8]]);
        let cases = [
            (Aggregation::First, (0, 0.6)),
            (Aggregation::Average, (1, 0.7)),
            (Aggregation::Max, (1, 0.9)),
        ];
        for (how, (label, score)) in cases {
            let got = word_labels(&enc, &p, how, None)[0];
            assert_eq!(got.0, label, "{how:?}");
            assert!((got.1 - score).abs() < 1e-6, "{how:?}: {got:?}");
        }
    }

    #[test]
    fn bio_constraints_repair_inside_after_outside_and_sentence_starts() {
        // three one-token words over (O, B-PER, I-PER); words 1 and 2 in one sentence
        let enc = Encodings {
            tokens: (0..3)
                .map(|i| Token {
                    id: 0,
                    span: Span::new(i, i + 1),
                    word: i,
                })
                .collect(),
            words: (0..3)
                .map(|i| Word {
                    span: Span::new(i, i + 1),
                    tokens: i..i + 1,
                    sentence: usize::from(i > 0),
                    casing: 1,
                })
                .collect(),
            windows: vec![],
        };
        let p = TokenPredictions {
            n_labels: 3,
            // argmax: I-PER, B-PER, I-PER
            probs: vec![0.3, 0.2, 0.5, 0.1, 0.8, 0.1, 0.1, 0.2, 0.7],
            attribution: Vec::new(),
        };
        let bio = Transitions::bio(&[None, None, Some(1)]);
        let labels = |c| -> Vec<usize> {
            word_labels(&enc, &p, Aggregation::First, c)
                .iter()
                .map(|x| x.0)
                .collect()
        };
        assert_eq!(labels(None), [2, 1, 2]);
        // word 0 starts the article: I-PER is not allowed, O (0.3) beats B-PER (0.2)
        assert_eq!(labels(Some(&bio)), [0, 1, 2]);
    }

    #[test]
    fn argmax_of_empty_is_zero() {
        assert_eq!(argmax(&[]), (0, 0.0));
        assert_eq!(argmax(&[0.2, 0.5, 0.5]), (1, 0.5));
    }
}
