//! A classifier that needs no model: it labels tokens from a rule or returns recorded logits.
//! Used by unit tests, doctests and benches, so that the stages after inference are tested
//! without ONNX Runtime.

use std::collections::HashMap;

use super::{Batch, LabelMap, Logits, TokenClassifier};
use crate::error::BoxError;

/// Returns, for each token id, the logits recorded for it (a one-hot on label 0 otherwise).
#[derive(Debug, Clone)]
pub struct FixtureClassifier {
    labels: LabelMap,
    by_token: HashMap<i64, usize>,
    casing: bool,
    /// Calls made so far (tests check batching with it).
    pub calls: usize,
}

impl FixtureClassifier {
    /// A classifier that gives label `label` to every occurrence of token id `id` in `rules`.
    pub fn new(labels: LabelMap, rules: &[(u32, usize)]) -> FixtureClassifier {
        FixtureClassifier {
            labels,
            by_token: rules.iter().map(|&(t, l)| (i64::from(t), l)).collect(),
            casing: false,
            calls: 0,
        }
    }

    /// Pretend the model takes casing input.
    pub fn with_casing(mut self, yes: bool) -> Self {
        self.casing = yes;
        self
    }
}

impl TokenClassifier for FixtureClassifier {
    fn labels(&self) -> &LabelMap {
        &self.labels
    }

    fn wants_casing(&self) -> bool {
        self.casing
    }

    fn logits(&mut self, b: &Batch) -> Result<Logits, BoxError> {
        self.calls += 1;
        let n = self.labels.len();
        let mut out = vec![0.0; b.rows * b.seq * n];
        for (pos, id) in b.input_ids.iter().enumerate() {
            let label = self.by_token.get(id).copied().unwrap_or(0).min(n - 1);
            out[pos * n + label] = 4.0;
        }
        Ok(Logits {
            ner: out,
            attribution: Vec::new(),
        })
    }
}
