//! `eval quotes` over an evaluation's predictions: each gold article scored against its
//! prediction, with the missed and invented claims of the HTML report and the `--dump` lines.

use serde_json::json;

use super::{gold_kinds, GoldArticle, Piece, QuoteScorer, QuoteScores};
use crate::eval::driver::Predictions;
use crate::eval::report::{ClaimView, QuoteArticle};
use crate::eval::slice_pieces;

/// What `eval quotes` gives: the scores, and the report's articles when asked for.
#[derive(Debug, Clone, Default)]
pub struct QuotesOutcome {
    /// The scores.
    pub scores: QuoteScores,
    /// Per article, the gold attributions missed and the claims invented (with `report`).
    pub articles: Vec<QuoteArticle>,
}

/// Scores each gold article against its prediction (an article the pipeline failed on is not
/// scored). `report` keeps the missed and invented claims per article; `dump` receives one
/// JSON line per scored article: its id, its claims as the record gives them (when the
/// pipeline ran) and its gold attributions.
pub fn score_predictions(
    gold: &[GoldArticle],
    predictions: &Predictions,
    report: bool,
    mut dump: Option<&mut dyn std::io::Write>,
) -> std::io::Result<QuotesOutcome> {
    let mut scorer = QuoteScorer::default();
    let mut articles = Vec::new();
    for (g, p) in gold.iter().zip(&predictions.items) {
        let Some(p) = p else {
            continue;
        };
        let preds = &p.scored.claims;
        let id = &p.scored.id;
        let misses = scorer.add(&g.text, &g.attributions, preds);
        if report {
            let chars: Vec<char> = g.text.chars().collect();
            let text_of = |pieces: &[(usize, usize)]| slice_pieces(&chars, pieces, " … ");
            let span_list = |ps: &[Piece]| ps.iter().map(|p| (p.start, p.end)).collect::<Vec<_>>();
            let kinds = gold_kinds(&g.text, &g.attributions);
            articles.push(QuoteArticle {
                id: id.clone(),
                missed: misses
                    .missed
                    .iter()
                    .map(|&i| {
                        let a = &g.attributions[i];
                        ClaimView {
                            content: text_of(&span_list(&a.content)),
                            source: text_of(&span_list(&a.source)),
                            tag: kinds[i].to_string(),
                        }
                    })
                    .collect(),
                invented: misses
                    .invented
                    .iter()
                    .map(|&i| {
                        let c = &preds[i];
                        ClaimView {
                            content: text_of(&c.content),
                            source: c.source.map(|s| text_of(&[s])).unwrap_or_default(),
                            tag: c.rule.clone(),
                        }
                    })
                    .collect(),
            });
        }
        if let Some(w) = dump.as_deref_mut() {
            let line = match &p.record {
                Some(r) => {
                    let claims = serde_json::to_value(&r.claims).unwrap_or_default();
                    json!({"id": id, "claims": claims, "gold": g.attributions})
                }
                None => json!({"id": id, "gold": g.attributions}),
            };
            writeln!(w, "{line}")?;
        }
    }
    Ok(QuotesOutcome {
        scores: scorer.scores(),
        articles,
    })
}
