//! Calibrated claim confidence: one meaning for every rule and for the model's claims.
//!
//! A claim's `confidence` in a record is the probability, measured on PolNeAR dev (the default
//! model's table; text the model never trained on), that its
//! content matches a gold attribution by overlap (character IoU ≥ 0.5, the `eval quotes`
//! definition). Each rule (and `model.tagged`) first gives a raw score: a fixed value for most
//! rules, the mean tag probability for the model's claims. A model's `confidence.json` maps each
//! rule's raw score to the measured precision: the raw scores are put in ten equal-width
//! bins (`eval quotes`' reliability table), each bin's precision is smoothed
//! (`(correct + 1) / (claims + 2)`) and made non-decreasing in the raw score (pool adjacent
//! violators, weighted by claims). A rule the table does not know gets the precision of all
//! claims together. The table belongs to the model whose tags and entities it was fitted on: it
//! lives in the model directory (`confidence.json`, read at load by `pipeline::ModelDir`),
//! written by `whosaid eval quotes --gold GOLD --fit-confidence MODEL/confidence.json`
//! (`scripts/fit_confidence.sh --cross`: PolNeAR dev, with a cross-fitted check). A model without one reports raw scores. Raw scores still
//! decide the thresholds inside the quote stage.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::claim::Quote;
use crate::error::Result;

/// The file name of a model's calibration table, inside its directory.
pub const FILE_NAME: &str = "confidence.json";

/// Claims of one confidence bin and how many were right: what [`Calibration::fit`] reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BinCount {
    /// Upper bound of the bin's raw scores.
    pub to: f32,
    /// Claims in the bin.
    pub claims: usize,
    /// Of those, right (content overlap).
    pub correct: usize,
}

/// A rule's map from raw score to calibrated probability: `steps[i] = (to, p)` gives `p` to
/// raw scores below `to` (the last step also to everything above).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// What the table was fitted on.
    pub fitted_on: String,
    /// Precision over all claims made with the model, for provenances not in `rules`.
    pub default: f32,
    /// Claims made with the model's tags: per provenance, the steps in order of raw score.
    pub rules: BTreeMap<String, Vec<(f32, f32)>>,
    /// Precision over all claims of the rules alone (`--rules-only`, or a model without an
    /// attribution output), for provenances not in `rules_alone`.
    #[serde(default)]
    pub default_alone: Option<f32>,
    /// Claims of the rules alone, per provenance. Kept apart from `rules`: where the model
    /// ran, a rule's claim without `model.tagged` in its support is one the model did not
    /// tag (right far less often); without the model it says nothing of the kind.
    #[serde(default)]
    pub rules_alone: BTreeMap<String, Vec<(f32, f32)>>,
}

impl Calibration {
    /// Reads a table written by `--fit-confidence`.
    pub fn from_file(path: &Path) -> Result<Calibration> {
        crate::error::read_model_json(
            path,
            "cannot read the confidence calibration",
            "the confidence calibration is not a valid table",
        )
    }

    /// The calibrated probability for a claim of provenance `key` ([`Quote::provenance`]:
    /// its rule, then the rules that agree, joined by `+`) with raw score `raw`. A provenance
    /// the table lacks (too rare on train to fit) gets its rule's own steps, a rule it lacks
    /// the precision of all claims.
    /// `model_ran` picks the table: claims made with the model's tags, or the rules' alone.
    pub fn apply(&self, key: &str, raw: f32, model_ran: bool) -> f32 {
        let (rules, default) = if model_ran {
            (&self.rules, self.default)
        } else {
            (
                &self.rules_alone,
                self.default_alone.unwrap_or(self.default),
            )
        };
        let rule = key.split('+').next().unwrap_or(key);
        match rules.get(key).or_else(|| rules.get(rule)) {
            Some(steps) if !steps.is_empty() => steps
                .iter()
                .find(|(to, _)| raw < *to)
                .or(steps.last())
                .map_or(default, |s| s.1),
            _ => default,
        }
    }

    /// Fits a table from binned raw scores, per provenance and over all claims. A provenance
    /// of fewer than [`MIN_FIT_CLAIMS`] claims gets no steps of its own (see [`Self::apply`]).
    pub fn fit(
        fitted_on: &str,
        all: &[BinCount],
        by_rule: &BTreeMap<String, Vec<BinCount>>,
    ) -> Calibration {
        let pooled = |r: &[BinCount]| {
            let (c, n) = r
                .iter()
                .fold((0, 0), |(c, n), b| (c + b.correct, n + b.claims));
            (c as f32 + 1.0) / (n as f32 + 2.0)
        };
        let rules = by_rule
            .iter()
            .filter(|(_, r)| r.iter().map(|b| b.claims).sum::<usize>() >= MIN_FIT_CLAIMS)
            .map(|(rule, r)| (rule.clone(), monotone_steps(r)))
            .filter(|(_, steps)| !steps.is_empty())
            .collect();
        Calibration {
            fitted_on: fitted_on.to_string(),
            default: round3(pooled(all)),
            rules,
            default_alone: None,
            rules_alone: BTreeMap::new(),
        }
    }

    /// This table (fitted on claims made with the model) with `alone` (fitted the same way
    /// on the rules' claims alone) as its rules-alone half.
    pub fn with_rules_alone(mut self, alone: Calibration) -> Calibration {
        self.default_alone = Some(alone.default);
        self.rules_alone = alone.rules;
        self
    }
}

/// Fewest claims of one provenance on the fitting data for it to get steps of its own.
pub const MIN_FIT_CLAIMS: usize = 20;

fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

/// Non-decreasing steps over the non-empty bins of `r` (pool adjacent violators).
fn monotone_steps(r: &[BinCount]) -> Vec<(f32, f32)> {
    // blocks: (upper bound, correct, claims)
    let mut blocks: Vec<(f32, f64, f64)> = Vec::new();
    for b in r.iter().filter(|b| b.claims > 0) {
        blocks.push((b.to, b.correct as f64, b.claims as f64));
        while blocks.len() >= 2 {
            let k = blocks.len();
            let p = |x: &(f32, f64, f64)| (x.1 + 1.0) / (x.2 + 2.0);
            if p(&blocks[k - 2]) <= p(&blocks[k - 1]) {
                break;
            }
            let last = blocks.pop().unwrap_or_default();
            let prev = blocks.last_mut().expect("two blocks");
            *prev = (last.0, prev.1 + last.1, prev.2 + last.2);
        }
    }
    // the last step also covers raw scores at or above its bound (see `apply`)
    blocks
        .into_iter()
        .map(|(to, c, k)| (to, round3(((c + 1.0) / (k + 2.0)) as f32)))
        .collect()
}

/// Sets each quote's calibrated probability from its raw score and `table` (the model's);
/// `model_ran`: the claims were made with the model's attribution tags.
pub fn calibrate(quotes: &mut [Quote], table: &Calibration, model_ran: bool) {
    for q in quotes {
        q.confidence = Some(table.apply(&q.provenance(), q.score, model_ran));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(bins: &[(usize, usize, usize)]) -> Vec<BinCount> {
        let mut all: Vec<BinCount> = (0..10)
            .map(|i| BinCount {
                to: (i + 1) as f32 / 10.0,
                claims: 0,
                correct: 0,
            })
            .collect();
        for &(i, n, c) in bins {
            all[i].claims = n;
            all[i].correct = c;
        }
        all
    }

    #[test]
    fn fit_is_monotone_smoothed_and_applies_by_step() {
        // bin 6: 8/10 right, bin 7: 6/10 (a violation: pooled with 6), bin 9: 98/100
        let r = rel(&[(6, 10, 8), (7, 10, 6), (9, 100, 98)]);
        let by_rule = BTreeMap::from([("model.tagged".to_string(), r.clone())]);
        let c = Calibration::fit("test", &r, &by_rule);
        let steps = &c.rules["model.tagged"];
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[0], (0.8, round3(15.0 / 22.0)));
        assert_eq!(steps[1].1, round3(99.0 / 102.0));
        assert_eq!(c.apply("model.tagged", 0.61, true), round3(15.0 / 22.0));
        assert_eq!(c.apply("model.tagged", 0.95, true), round3(99.0 / 102.0));
        assert_eq!(c.apply("model.tagged", 1.0, true), round3(99.0 / 102.0));
        // below the first bin seen: the first step
        assert_eq!(c.apply("model.tagged", 0.1, true), round3(15.0 / 22.0));
        // unknown rule: all claims pooled
        assert_eq!(c.apply("nope", 0.9, true), round3(113.0 / 122.0));
        // a provenance the table lacks falls back to its rule's steps
        assert_eq!(
            c.apply("model.tagged+indirect.cue_content", 0.95, true),
            round3(99.0 / 102.0)
        );
        // the rules-alone half is its own table; without one, the default
        assert_eq!(c.apply("model.tagged", 0.95, false), round3(113.0 / 122.0));
        let alone_bins = rel(&[(9, 30, 15)]);
        let alone = Calibration::fit(
            "test",
            &alone_bins,
            &BTreeMap::from([("direct.quote_cue".to_string(), alone_bins.clone())]),
        );
        let both = c.with_rules_alone(alone);
        assert_eq!(
            both.apply("direct.quote_cue", 0.95, false),
            round3(16.0 / 32.0)
        );
        assert_eq!(both.apply("model.tagged", 0.95, true), round3(99.0 / 102.0));
        // fewer than MIN_FIT_CLAIMS claims: no steps of their own
        let few = rel(&[(9, MIN_FIT_CLAIMS - 1, 5)]);
        let t = Calibration::fit(
            "test",
            &few,
            &BTreeMap::from([("r".to_string(), few.clone())]),
        );
        assert!(t.rules.is_empty());
    }

    #[test]
    fn shipped_table_parses_and_is_a_probability_everywhere() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("models/minilm-conll03")
            .join(FILE_NAME);
        let t = Calibration::from_file(&path).unwrap();
        assert!(!t.rules.is_empty());
        assert!((0.0..=1.0).contains(&t.default));
        assert!(!t.rules_alone.is_empty(), "both halves are fitted");
        for (rule, steps) in t.rules.iter().chain(&t.rules_alone) {
            let mut last = 0.0;
            for &(to, p) in steps {
                assert!((0.0..=1.0).contains(&p), "{rule}");
                assert!(p >= last, "{rule}: not monotone");
                assert!(to > 0.0, "{rule}");
                last = p;
            }
        }
    }

    #[test]
    fn a_bad_table_is_a_model_error_naming_the_file() {
        let dir = std::env::temp_dir().join(format!("whosaid-cal-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(FILE_NAME);
        std::fs::write(&path, "{\"rules\": 3}").unwrap();
        let e = Calibration::from_file(&path).unwrap_err();
        assert!(e.to_string().contains("confidence.json"), "{e}");
        assert!(Calibration::from_file(&dir.join("missing.json")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
