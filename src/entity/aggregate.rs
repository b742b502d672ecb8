//! Subword → word scores, with the strategies of the Hugging Face pipeline:
//! `first` (the first subword decides; the default, what the model was trained on), `average`
//! (mean of the subword distributions) and `max` (the subword with the highest score decides).

use crate::encoding::Encodings;
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

/// Label index and probability of each word.
pub(super) fn word_labels(
    enc: &Encodings,
    preds: &TokenPredictions,
    how: Aggregation,
) -> Vec<(usize, f32)> {
    let n = preds.n_labels;
    let mut buf = vec![0.0f32; n];
    enc.words
        .iter()
        .map(|w| {
            let rows = w.tokens.clone().map(|t| preds.token(t));
            match how {
                Aggregation::First => argmax(preds.token(w.tokens.start)),
                Aggregation::Average => {
                    buf.iter_mut().for_each(|b| *b = 0.0);
                    let mut k = 0.0;
                    for r in rows {
                        for (b, p) in buf.iter_mut().zip(r) {
                            *b += p;
                        }
                        k += 1.0;
                    }
                    buf.iter_mut().for_each(|b| *b /= f32::max(k, 1.0));
                    argmax(&buf)
                }
                Aggregation::Max => {
                    rows.map(argmax).fold(
                        (0, -1.0),
                        |best, cur| if cur.1 > best.1 { cur } else { best },
                    )
                }
            }
        })
        .collect()
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
            let got = word_labels(&enc, &p, how)[0];
            assert_eq!(got.0, label, "{how:?}");
            assert!((got.1 - score).abs() < 1e-6, "{how:?}: {got:?}");
        }
    }

    #[test]
    fn argmax_of_empty_is_zero() {
        assert_eq!(argmax(&[]), (0, 0.0));
        assert_eq!(argmax(&[0.2, 0.5, 0.5]), (1, 0.5));
    }
}
