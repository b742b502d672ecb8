//! The one skeleton every evaluation runs: gold → articles → predictions → scorer → report.
//!
//! Each gold reader turns its items into articles ([`Item`]: the article and its segments, as
//! the pipeline reads them); [`predict`] gets one prediction per article, from a records file
//! or from a function that runs the pipeline (the caller's: eval never runs inference
//! itself); the evaluation's scorer reads the [`ScoredRecord`]s, and [`super::text`] prints
//! the report. `whosaid eval ner | quotes | attribution` are each this skeleton with their own
//! gold reader and scorer.

use std::collections::HashMap;
use std::path::Path;

use super::records::{read_records, ScoredRecord};
use crate::article::Article;
use crate::error::Result;
use crate::record::Record;
use crate::segment::Segments;

/// One gold item as the pipeline reads it: the article and its segments (the gold's own
/// sentences where it has them).
pub type Item = (Article, Segments);

/// One gold text as an article to run, segmented as the pipeline segments.
pub fn item(id: impl Into<String>, text: impl Into<String>) -> Item {
    let a = Article::new(id, text);
    let s = crate::segment::segment(&a);
    (a, s)
}

/// Runs the pipeline over articles: one result per article, in input order.
pub type Run<'a> = Box<dyn FnOnce(Vec<Item>) -> Vec<Result<Record>> + 'a>;

/// Where an evaluation's predictions come from.
pub enum Predictor<'a> {
    /// A records file (`--records`), matched to the gold articles by id.
    Records(&'a Path),
    /// The pipeline, run on the gold articles.
    Run(Run<'a>),
}

/// The prediction for one gold article.
#[derive(Debug, Clone)]
pub struct Predicted {
    /// The record the pipeline made (`None` when read from a records file).
    pub record: Option<Record>,
    /// What the scorers read.
    pub scored: ScoredRecord,
}

/// The predictions for every gold article, in gold order.
#[derive(Debug, Clone, Default)]
pub struct Predictions {
    /// One per gold article: `None` where the pipeline failed on it.
    pub items: Vec<Option<Predicted>>,
    /// One message per article the pipeline failed on.
    pub failures: Vec<String>,
    /// Gold articles a records file had no record for (scored as predicting nothing).
    pub missing: usize,
}

/// One prediction per gold article of `items`, from `predictor`.
pub fn predict(items: Vec<Item>, predictor: Predictor<'_>) -> Result<Predictions> {
    let mut out = Predictions::default();
    match predictor {
        Predictor::Records(path) => {
            let bytes = std::fs::read(path).map_err(|e| crate::error::Error::Io {
                path: path.to_path_buf(),
                source: e,
            })?;
            let mut by_id: HashMap<String, ScoredRecord> = read_records(&bytes, path)?
                .into_iter()
                .map(|r| (r.id.clone(), r))
                .collect();
            for (a, _) in items {
                let scored = by_id.remove(a.id.0.as_str()).unwrap_or_else(|| {
                    out.missing += 1;
                    ScoredRecord {
                        id: a.id.to_string(),
                        ..ScoredRecord::default()
                    }
                });
                out.items.push(Some(Predicted {
                    record: None,
                    scored,
                }));
            }
        }
        Predictor::Run(run) => {
            for r in run(items) {
                match r {
                    Ok(record) => out.items.push(Some(Predicted {
                        scored: ScoredRecord::from_record(&record),
                        record: Some(record),
                    })),
                    Err(e) => {
                        // the error with its chain of causes, as the CLI prints errors
                        out.failures.push(format!("{:#}", anyhow::Error::new(e)));
                        out.items.push(None);
                    }
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(ids: &[&str]) -> Vec<Item> {
        ids.iter().map(|id| item(*id, "Ana said hi.")).collect()
    }

    #[test]
    fn records_are_matched_by_id_and_missing_ones_counted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        std::fs::write(
            &path,
            r#"{"id": "b", "claims": [{"start": 0, "end": 3}]}"#.to_string() + "\n",
        )
        .unwrap();
        let p = predict(items(&["a", "b"]), Predictor::Records(&path)).unwrap();
        assert_eq!((p.missing, p.failures.len()), (1, 0));
        let got: Vec<(String, usize)> = p
            .items
            .iter()
            .map(|x| {
                let s = &x.as_ref().unwrap().scored;
                (s.id.clone(), s.claims.len())
            })
            .collect();
        assert_eq!(got, [("a".to_string(), 0), ("b".to_string(), 1)]);
    }

    #[test]
    fn a_failed_article_is_none_and_its_message_kept() {
        let run: Run<'_> = Box::new(|items: Vec<Item>| {
            items
                .into_iter()
                .map(|(a, _)| {
                    if a.id.0.as_str() == "bad" {
                        Err(crate::error::Error::Model {
                            path: "m".into(),
                            message: "boom".into(),
                            source: None,
                        })
                    } else {
                        Ok(Record::new(&a, &Default::default(), &[]))
                    }
                })
                .collect()
        });
        let p = predict(items(&["ok", "bad"]), Predictor::Run(run)).unwrap();
        assert!(p.items[0].is_some() && p.items[1].is_none());
        assert_eq!(p.failures.len(), 1);
        assert!(p.failures[0].contains("boom"), "{:?}", p.failures);
    }
}
