//! A classifier that needs no model: it labels tokens from a rule or returns recorded logits.
//! Used by unit tests, doctests and benches, so that the stages after inference are tested
//! without ONNX Runtime.

use std::collections::HashMap;

use super::{Batch, LabelMap, Logits, TokenClassifier, ATTRIBUTION_WIDTH};
use crate::error::BoxError;

/// Returns, for each token id, the logits recorded for it (a one-hot on label 0 otherwise).
#[derive(Debug, Clone)]
pub struct FixtureClassifier {
    labels: LabelMap,
    by_token: HashMap<i64, usize>,
    casing: bool,
    /// Attribution tags (cue, source, content; 0 = O, 1 = B, 2 = I) by token id, when the
    /// fixture pretends to have an attribution output.
    attribution: Option<HashMap<i64, [usize; 3]>>,
    /// Token id whose presence in a batch makes the classifier panic (fault injection).
    panic_on: Option<i64>,
    /// Batches [`TokenClassifier::logits_all`] claims to run at once; above 1 it classifies
    /// them last first, as sessions running side by side may finish in any order.
    parallelism: usize,
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
            attribution: None,
            panic_on: None,
            parallelism: 1,
            calls: 0,
        }
    }

    /// Pretend the model has an attribution output that tags token id `id` with `tags` (cue,
    /// source, content; 0 = O, 1 = B, 2 = I) and every other token O.
    pub fn with_attribution(mut self, rules: &[(u32, [usize; 3])]) -> Self {
        self.attribution = Some(rules.iter().map(|&(t, g)| (i64::from(t), g)).collect());
        self
    }

    /// Panic whenever a batch holds token id `id` (tests of the pipeline's panic guard).
    pub fn with_panic_on(mut self, id: u32) -> Self {
        self.panic_on = Some(i64::from(id));
        self
    }

    /// Pretend to run `n` batches at once (see [`FixtureClassifier`]'s `parallelism`).
    pub fn with_parallelism(mut self, n: usize) -> Self {
        self.parallelism = n.max(1);
        self
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

    fn has_attribution(&self) -> bool {
        self.attribution.is_some()
    }

    fn parallelism(&self) -> usize {
        self.parallelism
    }

    fn logits_all(&mut self, batches: &[Batch]) -> Vec<Result<Logits, BoxError>> {
        if self.parallelism == 1 {
            return batches
                .iter()
                .map(|b| super::guarded(|| self.logits(b)))
                .collect();
        }
        let mut done: Vec<_> = batches
            .iter()
            .enumerate()
            .rev()
            .map(|(i, b)| (i, super::guarded(|| self.logits(b))))
            .collect();
        done.sort_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, r)| r).collect()
    }

    fn logits(&mut self, b: &Batch) -> Result<Logits, BoxError> {
        self.calls += 1;
        if let Some(p) = self.panic_on {
            assert!(
                !b.input_ids.contains(&p),
                "fixture classifier told to panic on token {p}"
            );
        }
        let n = self.labels.len();
        let mut out = vec![0.0; b.rows * b.seq * n];
        for (pos, id) in b.input_ids.iter().enumerate() {
            let label = self.by_token.get(id).copied().unwrap_or(0).min(n - 1);
            out[pos * n + label] = 4.0;
        }
        let mut attribution = Vec::new();
        if let Some(rules) = &self.attribution {
            attribution = vec![0.0; b.rows * b.seq * ATTRIBUTION_WIDTH];
            for (pos, id) in b.input_ids.iter().enumerate() {
                let tags = rules.get(id).copied().unwrap_or([0; 3]);
                for (g, tag) in tags.iter().enumerate() {
                    attribution[pos * ATTRIBUTION_WIDTH + 3 * g + tag.min(&2)] = 4.0;
                }
            }
        }
        Ok(Logits {
            ner: out,
            attribution,
        })
    }
}
