//! Fitting a model's claim-confidence table (`confidence.json`) from the scores of
//! `eval quotes`: the reliability bins of all claims and of each provenance, fitted by
//! [`Calibration::fit`] (monotone steps). Claims made with the model's tags and claims of the
//! rules alone are fitted apart (see [`Calibration`]).

use super::quotes::{QuoteScores, Reliability};
use crate::quote::confidence::{BinCount, Calibration};

/// The reliability bins as the fit reads them.
fn bin_counts(r: &Reliability) -> Vec<BinCount> {
    r.bins
        .iter()
        .map(|b| BinCount {
            to: b.to as f32,
            claims: b.predicted,
            correct: b.correct,
        })
        .collect()
}

/// The table fitted on one run's scores (raw scores: the run had calibration off).
fn fit(s: &QuoteScores) -> Calibration {
    let by_rule = s
        .reliability_by_rule
        .iter()
        .map(|(k, r)| (k.clone(), bin_counts(r)))
        .collect();
    Calibration::fit("", &bin_counts(&s.reliability), &by_rule)
}

/// The confidence table of a model from the scores of `gold_name`: `with_model` are the
/// scores of the claims made with the model's tags, `alone` those of the rules alone. Without
/// `with_model` (a run with `--rules-only`) only the rules-alone half is fitted.
pub fn fit_table(
    gold_name: &str,
    with_model: Option<&QuoteScores>,
    alone: &QuoteScores,
) -> Calibration {
    match with_model {
        None => {
            let mut t = fit(alone);
            t.default_alone = Some(t.default);
            t.rules_alone = std::mem::take(&mut t.rules);
            t.fitted_on = format!(
                "{gold_name} ({} articles, {} claims of the rules alone)",
                alone.articles, alone.predicted
            );
            t
        }
        Some(s) => {
            let mut table = fit(s).with_rules_alone(fit(alone));
            table.fitted_on = format!(
                "{gold_name} ({} articles; {} claims with the model, {} of the rules alone)",
                s.articles, s.predicted, alone.predicted
            );
            table
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::quotes::ReliabilityBin;

    fn scores(correct: usize, predicted: usize) -> QuoteScores {
        let mut s = QuoteScores {
            articles: 2,
            predicted,
            ..QuoteScores::default()
        };
        s.reliability.bins = vec![ReliabilityBin {
            from: 0.9,
            to: 1.0,
            predicted,
            correct,
            ..ReliabilityBin::default()
        }];
        s
    }

    #[test]
    fn the_two_halves_are_fitted_apart() {
        let both = fit_table("dev.jsonl", Some(&scores(9, 10)), &scores(1, 10));
        assert_eq!(
            both.fitted_on,
            "dev.jsonl (2 articles; 10 claims with the model, 10 of the rules alone)"
        );
        assert!(both.default > both.default_alone.unwrap());
        let alone = fit_table("dev.jsonl", None, &scores(1, 10));
        assert!(alone.rules.is_empty());
        assert_eq!(alone.default_alone, Some(alone.default));
        assert!(alone.fitted_on.ends_with("10 claims of the rules alone)"));
    }
}
