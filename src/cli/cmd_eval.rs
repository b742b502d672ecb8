//! `whosaid eval ner` and `whosaid eval quotes`: run the real pipeline on gold text and score.

use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use serde_json::json;

use super::args::{
    AnnotatorsArg, EvalAttributionArgs, EvalNerArgs, EvalQuotesArgs, GoldArgs, GoldFormatArg,
    NerMode,
};
use super::config::{calibration_note, load_pipeline};
use whosaid::article::Article;
use whosaid::eval::conll;
use whosaid::eval::gold::{self, Annotators, Format, Mapping};
use whosaid::eval::ner::{to_tags, to_token_spans, NerScorer};
use whosaid::eval::quotes::{GoldArticle, PredClaim, QuoteScorer};
use whosaid::eval::report::{self, ClaimView, Confusion, NerExample, QuoteArticle};
use whosaid::eval::Prf;
use whosaid::pipeline::Processed;
use whosaid::segment::Segments;
use whosaid::span::Span;

fn table_row(name: &str, p: &Prf) -> String {
    format!(
        "{name:<10} {:>9.4} {:>9.4} {:>9.4} {:>8}",
        p.precision, p.recall, p.f1, p.support
    )
}

/// The gold format: the flag's, or detected (and said on stderr).
fn gold_format(path: &std::path::Path, args: &GoldArgs) -> Result<Format> {
    Ok(match args.format {
        GoldFormatArg::Conll => Format::Conll,
        GoldFormatArg::Polnear => Format::Polnear,
        GoldFormatArg::Brat => Format::Brat,
        GoldFormatArg::LabelStudio => Format::LabelStudio,
        GoldFormatArg::Doccano => Format::Doccano,
        GoldFormatArg::Auto => {
            let f = gold::detect(path)?;
            eprintln!(
                "whosaid: gold {}: detected format {}",
                path.display(),
                f.name()
            );
            f
        }
    })
}

/// Prints gold warnings on stderr, the first 20 and a count of the rest.
fn report_gold_warnings(warnings: &[String]) {
    for w in warnings.iter().take(20) {
        eprintln!("whosaid: gold: {w}");
    }
    if warnings.len() > 20 {
        eprintln!("whosaid: gold: … and {} more warnings", warnings.len() - 20);
    }
}

/// Reads span-format gold and reports what did not stop reading.
fn read_span_gold(
    path: &std::path::Path,
    format: Format,
    args: &GoldArgs,
) -> Result<(gold::Read, Mapping)> {
    let mapping = match &args.mapping {
        Some(p) => Mapping::from_file(p)?,
        None => Mapping::default(),
    };
    let annotators = match args.annotators {
        AnnotatorsArg::First => Annotators::First,
        AnnotatorsArg::All => Annotators::All,
    };
    let read = gold::read(path, format, annotators)?;
    let n = read.warnings.len();
    report_gold_warnings(&read.warnings);
    eprintln!(
        "whosaid: gold {}: {} documents ({}), {n} warnings",
        path.display(),
        read.documents.len(),
        format.name()
    );
    Ok((read, mapping))
}

/// Runs `whosaid eval ner`.
pub fn ner(args: EvalNerArgs) -> Result<ExitCode> {
    let format = gold_format(&args.gold, &args.gold_args)?;
    match format {
        Format::Conll => {}
        Format::Polnear => anyhow::bail!(
            "{}: PolNeAR-style JSONL holds attributions, not entities; use `eval quotes`",
            args.gold.display()
        ),
        _ => return ner_spans(args, format),
    }
    if args.records.is_some() {
        anyhow::bail!("--records scores entity spans; CoNLL gold runs the model on its tokens");
    }
    let (docs, iob1) = conll::read(&args.gold)?;
    let sentence_mode = args.mode == NerMode::Sentence;
    let mut pipeline = load_pipeline(&args.model, false, Some(!sentence_mode))?;
    let started = Instant::now();
    // one article per document; gold sentences joined by newlines, tokens by single spaces
    let mut items = Vec::new();
    let mut token_spans: Vec<Vec<Vec<Span>>> = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        let mut body = String::new();
        let mut sent_spans = Vec::new();
        let mut toks = Vec::new();
        for s in doc {
            if !body.is_empty() {
                body.push('\n');
            }
            let start = body.len();
            let mut spans = Vec::new();
            for (i, t) in s.tokens.iter().enumerate() {
                if i > 0 {
                    body.push(' ');
                }
                spans.push(Span {
                    start: body.len(),
                    end: body.len() + t.len(),
                });
                body.push_str(t);
            }
            sent_spans.push(Span {
                start,
                end: body.len(),
            });
            toks.push(spans);
        }
        let segments = Segments::from_sentences(&body, &sent_spans);
        items.push((Article::new(format!("doc{d}"), body), segments));
        token_spans.push(toks);
    }
    let n_sentences: usize = docs.iter().map(Vec::len).sum();
    let n_tokens: usize = docs.iter().flatten().map(|s| s.tokens.len()).sum();
    let mut scorer = NerScorer::default();
    let mut confusion = Confusion::default();
    let mut examples: Vec<NerExample> = Vec::new();
    let mut pred_out = match &args.predictions {
        Some(p) => Some(super::create_file(p)?),
        None => None,
    };
    let mut failed = 0;
    let results = pipeline.process_segmented(items);
    for ((doc, toks), result) in docs.iter().zip(&token_spans).zip(results) {
        let processed = processed_or_report(result, &mut failed);
        for (s, spans) in doc.iter().zip(toks) {
            let sentence_span = spans.first().copied().unwrap_or_default();
            let ents: Vec<(Span, String)> = processed
                .iter()
                .flat_map(|p| p.entities.mentions.iter())
                .filter(|e| {
                    spans
                        .last()
                        .is_some_and(|l| e.span.start >= sentence_span.start && e.span.end <= l.end)
                })
                .map(|e| (e.span, e.label.clone()))
                .collect();
            // entities → one tag per gold token → entity spans, exactly as conlleval and
            // seqeval read a prediction column (an entity covering part of a token claims it)
            let tags = to_tags(s.tokens.len(), &to_token_spans(spans, &ents));
            let pred = conll::spans(&tags);
            let gold = conll::spans(&s.tags);
            scorer.add(&gold, &pred);
            if args.report.is_some() {
                confusion.add(&gold, &pred);
                let mut g = gold.clone();
                let mut p = pred.clone();
                g.sort();
                p.sort();
                if g != p && examples.len() < 300 {
                    examples.push(NerExample {
                        tokens: s.tokens.clone(),
                        gold: gold.clone(),
                        pred: pred.clone(),
                    });
                }
            }
            if let Some(w) = pred_out.as_mut() {
                write_columns(w, &s.tokens, &s.tags, &tags)?;
            }
        }
    }
    if let Some(mut w) = pred_out {
        w.flush()?;
    }
    let seconds = started.elapsed().as_secs_f64();
    let scores = scorer.scores();
    let mode = if sentence_mode {
        "sentence"
    } else {
        "document"
    };
    if let Some(path) = &args.report {
        let mut w = super::create_file(path)?;
        let title = format!(
            "whosaid eval ner: {} (micro F1 {:.4})",
            args.gold.display(),
            scores.micro.f1
        );
        report::write_ner(&mut w, &title, &confusion, &examples)?;
        w.flush()?;
    }
    let mut out = String::new();
    if args.json {
        let value = json!({
            "micro": scores.micro,
            "per_type": scores.per_type,
            "sentences": n_sentences,
            "tokens": n_tokens,
            "documents": docs.len(),
            "mode": mode,
            "gold_scheme": if iob1 { "IOB1" } else { "IOB2" },
            "failed_documents": failed,
            "seconds": (seconds * 100.0).round() / 100.0,
        });
        writeln!(out, "{value}")?;
    } else {
        writeln!(out,
            "{} documents, {n_sentences} sentences, {n_tokens} tokens, run {mode} by {mode} ({}), {seconds:.1}s",
            docs.len(),
            if iob1 { "gold IOB1 → IOB2" } else { "gold IOB2" }
        )?;
        ner_table(&mut out, &scores)?;
    }
    finish_ner(&out, failed)
}

/// `eval ner` on entity spans (brat, Label Studio, doccano): each document runs as one
/// article, and a predicted entity is right when its code point span and label equal a gold
/// one's.
fn ner_spans(args: EvalNerArgs, format: Format) -> Result<ExitCode> {
    let (read, mapping) = read_span_gold(&args.gold, format, &args.gold_args)?;
    let gold = gold::to_entity_gold(&read, &mapping);
    let started = Instant::now();
    let mut failed = 0;
    let mut missing = 0;
    let preds: Vec<Vec<(usize, usize, String)>> = match &args.records {
        Some(path) => {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            let mut by_id: std::collections::HashMap<_, _> =
                whosaid::eval::ner::parse_record_entities(&bytes, path)?
                    .into_iter()
                    .collect();
            gold.iter()
                .map(|g| {
                    by_id.remove(&g.id).unwrap_or_else(|| {
                        missing += 1;
                        Vec::new()
                    })
                })
                .collect()
        }
        None => {
            let mut pipeline = load_pipeline(&args.model, false, None)?;
            let items = gold
                .iter()
                .map(|g| {
                    let a = Article::new(g.id.clone(), g.text.clone());
                    let s = whosaid::segment::segment(&a);
                    (a, s)
                })
                .collect();
            pipeline
                .process_segmented(items)
                .into_iter()
                .map(|r| {
                    processed_or_report(r, &mut failed)
                        .map(|p| {
                            p.record
                                .entities
                                .iter()
                                .map(|e| (e.start, e.end, e.label.clone()))
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect()
        }
    };
    let mut scorer = NerScorer::default();
    for (g, p) in gold.iter().zip(&preds) {
        scorer.add(&g.entities, p);
    }
    let seconds = started.elapsed().as_secs_f64();
    let scores = scorer.scores();
    let n_entities: usize = gold.iter().map(|g| g.entities.len()).sum();
    let mut out = String::new();
    if args.json {
        let value = json!({
            "micro": scores.micro,
            "per_type": scores.per_type,
            "documents": gold.len(),
            "gold_entities": n_entities,
            "mode": "article",
            "gold_format": format.name(),
            "gold_warnings": read.warnings.len(),
            "failed_documents": failed,
            "missing_records": missing,
            "seconds": (seconds * 100.0).round() / 100.0,
        });
        writeln!(out, "{value}")?;
    } else {
        writeln!(
            out,
            "{} documents, {n_entities} gold entities ({}), whole articles, exact span and label, {seconds:.1}s",
            gold.len(),
            format.name()
        )?;
        ner_table(&mut out, &scores)?;
    }
    finish_ner(&out, failed)
}

/// The per-type table of `eval ner`.
fn ner_table(out: &mut String, scores: &whosaid::eval::ner::NerScores) -> std::fmt::Result {
    writeln!(
        out,
        "{:<10} {:>9} {:>9} {:>9} {:>8}",
        "type", "precision", "recall", "f1", "support"
    )?;
    for (k, p) in &scores.per_type {
        writeln!(out, "{}", table_row(k, p))?;
    }
    writeln!(out, "{}", table_row("micro", &scores.micro))
}

/// Prints the report; exit code 2 when some documents failed.
fn finish_ner(out: &str, failed: usize) -> Result<ExitCode> {
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(if failed > 0 {
        ExitCode::from(super::EXIT_PARTIAL)
    } else {
        ExitCode::SUCCESS
    })
}

fn prf_cells(p: &Prf) -> String {
    format!("{:>6.3} {:>6.3} {:>6.3}", p.precision, p.recall, p.f1)
}

/// One sentence as CoNLL columns `token gold predicted`, then a blank line (the
/// `--predictions` files of `eval ner` and `eval attribution`, which conlleval reads).
fn write_columns<T: std::fmt::Display, G: std::fmt::Display, P: std::fmt::Display>(
    w: &mut impl std::io::Write,
    tokens: &[T],
    gold: &[G],
    pred: &[P],
) -> std::io::Result<()> {
    for ((t, g), p) in tokens.iter().zip(gold).zip(pred) {
        writeln!(w, "{t} {g} {p}")?;
    }
    writeln!(w)
}

/// The processed article, or `None` after its failure is reported on stderr and counted.
fn processed_or_report(
    r: whosaid::error::Result<Processed>,
    failed: &mut usize,
) -> Option<Processed> {
    r.map_err(|e| {
        eprintln!("whosaid: failed: {:#}", anyhow::Error::new(e));
        *failed += 1;
    })
    .ok()
}

/// A record's claims reduced to what the scorers read.
fn pred_claims(record: &whosaid::record::Record) -> Vec<PredClaim> {
    record
        .claims
        .iter()
        .map(|c| PredClaim {
            content: c.pieces.iter().map(|p| (p.start, p.end)).collect(),
            source: c.speaker.as_ref().map(|s| (s.start, s.end)),
            cue: c.cue.as_ref().map(|s| (s.start, s.end)),
            rule: whosaid::quote::provenance(c.rule, &c.support),
            kind: c.kind.to_string(),
            confidence: c.confidence,
        })
        .collect()
}

/// What one gold item was scored on: the record id, its claims as JSON (for `--dump`) and as
/// the scorers read them.
struct Predicted {
    id: String,
    claims: serde_json::Value,
    preds: Vec<PredClaim>,
}

/// Claims for each item, in order: from the pipeline (`None` for an article that failed, its
/// error reported and counted in `failed`), or read from `records` (an item without a record
/// has no claims and is counted in `missing`).
fn predict_items(
    items: Vec<(Article, Segments)>,
    model: &super::args::ModelArgs,
    records: Option<&std::path::Path>,
    failed: &mut usize,
    missing: &mut usize,
) -> Result<Vec<Option<Predicted>>> {
    if let Some(path) = records {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let mut by_id: std::collections::HashMap<String, Vec<PredClaim>> =
            whosaid::eval::quotes::parse_records(&bytes, path)?
                .into_iter()
                .collect();
        return Ok(items
            .into_iter()
            .map(|(a, _)| {
                let preds = by_id.remove(a.id.0.as_str()).unwrap_or_else(|| {
                    *missing += 1;
                    Vec::new()
                });
                Some(Predicted {
                    id: a.id.to_string(),
                    claims: json!(null),
                    preds,
                })
            })
            .collect());
    }
    let mut pipeline = load_pipeline(model, true, None)?;
    if let Some(note) = calibration_note(&pipeline, model, true) {
        eprintln!("whosaid: {note}");
    }
    Ok(pipeline
        .process_segmented(items)
        .into_iter()
        .map(|r| {
            processed_or_report(r, failed).map(|p| Predicted {
                id: p.record.id.clone(),
                claims: serde_json::to_value(&p.record.claims).unwrap_or_default(),
                preds: pred_claims(&p.record),
            })
        })
        .collect())
}

/// The reliability bins as the calibration fit reads them.
fn bin_counts(r: &whosaid::eval::quotes::Reliability) -> Vec<whosaid::quote::confidence::BinCount> {
    r.bins
        .iter()
        .map(|b| whosaid::quote::confidence::BinCount {
            to: b.to as f32,
            claims: b.predicted,
            correct: b.correct,
        })
        .collect()
}

/// Runs `whosaid eval quotes`.
pub fn quotes(mut args: EvalQuotesArgs) -> Result<ExitCode> {
    if args.fit_confidence.is_some() {
        if args.records.is_some() {
            anyhow::bail!("--fit-confidence runs the model; it cannot read --records");
        }
        args.model.raw_confidence = true;
    }
    let gold: Vec<GoldArticle> = match gold_format(&args.gold, &args.gold_args)? {
        Format::Polnear => {
            let bytes = std::fs::read(&args.gold)
                .with_context(|| format!("reading {}", args.gold.display()))?;
            whosaid::eval::quotes::parse_gold(&bytes, &args.gold)?
        }
        Format::Conll => anyhow::bail!(
            "{}: CoNLL columns hold entities, not attributions; use `eval ner` (or name the \
             format with --format)",
            args.gold.display()
        ),
        format => {
            let (read, mapping) = read_span_gold(&args.gold, format, &args.gold_args)?;
            let (gold, warnings) = gold::to_quote_gold(&read, &mapping);
            report_gold_warnings(&warnings);
            gold
        }
    };
    let started = Instant::now();
    let items = || -> Vec<(Article, Segments)> {
        gold.iter()
            .enumerate()
            .map(|(i, g)| {
                let a = Article::new(
                    g.article
                        .clone()
                        .unwrap_or_else(|| format!("line{}", i + 1)),
                    g.text.clone(),
                );
                let s = whosaid::segment::segment(&a);
                (a, s)
            })
            .collect()
    };
    let (mut failed, mut missing) = (0, 0);
    let results = predict_items(
        items(),
        &args.model,
        args.records.as_deref(),
        &mut failed,
        &mut missing,
    )?;
    let mut scorer = QuoteScorer::default();
    let mut dump = match &args.dump {
        Some(p) => Some(super::create_file(p)?),
        None => None,
    };
    let mut report_articles: Vec<QuoteArticle> = Vec::new();
    for (g, r) in gold.iter().zip(results) {
        let Some(Predicted { id, claims, preds }) = r else {
            continue;
        };
        let misses = scorer.add(&g.text, &g.attributions, &preds);
        if args.report.is_some() {
            let chars: Vec<char> = g.text.chars().collect();
            let text_of =
                |pieces: &[(usize, usize)]| whosaid::eval::slice_pieces(&chars, pieces, " … ");
            let span_list = |ps: &[whosaid::eval::quotes::Piece]| {
                ps.iter().map(|p| (p.start, p.end)).collect::<Vec<_>>()
            };
            let gold_kinds = whosaid::eval::quotes::gold_kinds(&g.text, &g.attributions);
            report_articles.push(QuoteArticle {
                id: id.clone(),
                missed: misses
                    .missed
                    .iter()
                    .map(|&i| {
                        let a = &g.attributions[i];
                        ClaimView {
                            content: text_of(&span_list(&a.content)),
                            source: text_of(&span_list(&a.source)),
                            tag: gold_kinds[i].to_string(),
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
        if let Some(w) = dump.as_mut() {
            let line = if args.records.is_some() {
                json!({"id": id, "gold": g.attributions})
            } else {
                json!({"id": id, "claims": claims, "gold": g.attributions})
            };
            writeln!(w, "{line}")?;
        }
    }
    if let Some(mut w) = dump {
        w.flush()?;
    }
    let s = scorer.scores();
    let seconds = started.elapsed().as_secs_f64();
    if let Some(path) = &args.fit_confidence {
        use whosaid::quote::confidence::Calibration;
        let name = args
            .gold
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let fit = |s: &whosaid::eval::quotes::QuoteScores| {
            let by_rule = s
                .reliability_by_rule
                .iter()
                .map(|(k, r)| (k.clone(), bin_counts(r)))
                .collect();
            Calibration::fit("", &bin_counts(&s.reliability), &by_rule)
        };
        let table = if args.model.rules_only {
            // only the rules-alone half can be fitted without the model's tags
            let mut t = fit(&s);
            t.default_alone = Some(t.default);
            t.rules_alone = std::mem::take(&mut t.rules);
            t.fitted_on = format!(
                "{name} ({} articles, {} claims of the rules alone)",
                s.articles, s.predicted
            );
            t
        } else {
            // the rules' claims without the model are calibrated apart (see Calibration)
            let mut rules_only = args.model.clone();
            rules_only.rules_only = true;
            eprintln!("whosaid: fitting the rules-alone table as well (--rules-only)");
            let (mut f, mut m) = (0, 0);
            let mut second = QuoteScorer::default();
            for (g, r) in
                gold.iter()
                    .zip(predict_items(items(), &rules_only, None, &mut f, &mut m)?)
            {
                if let Some(p) = r {
                    second.add(&g.text, &g.attributions, &p.preds);
                }
            }
            let alone = second.scores();
            let mut table = fit(&s).with_rules_alone(fit(&alone));
            table.fitted_on = format!(
                "{name} ({} articles; {} claims with the model, {} of the rules alone)",
                s.articles, s.predicted, alone.predicted
            );
            table
        };
        let mut w = super::create_file(path)?;
        writeln!(w, "{}", serde_json::to_string_pretty(&table)?)?;
        w.flush()?;
        eprintln!("whosaid: wrote the calibration table to {}", path.display());
    }
    if let Some(path) = &args.report {
        let mut w = super::create_file(path)?;
        let summary = format!(
            "content exact F1 {:.3}, overlap F1 {:.3}; source exact F1 {:.3}; {} gold, {} predicted",
            s.content.exact.f1, s.content.overlap.f1, s.source.exact.f1, s.gold, s.predicted
        );
        let title = format!("whosaid eval quotes: {}", args.gold.display());
        report::write_quotes(&mut w, &title, &summary, &report_articles)?;
        w.flush()?;
    }
    let mut out = String::new();
    if args.json {
        let mut v = serde_json::to_value(&s)?;
        v["seconds"] = json!((seconds * 100.0).round() / 100.0);
        v["failed"] = json!(failed);
        v["missing"] = json!(missing);
        writeln!(out, "{v}")?;
    } else {
        writeln!(
            out,
            "{} articles, {} gold attributions, {} predicted claims, {seconds:.1}s",
            s.articles, s.gold, s.predicted
        )?;
        if missing > 0 {
            writeln!(
                out,
                "{missing} gold articles had no record (scored as no claims)"
            )?;
        }
        writeln!(
            out,
            "{:<24} {:>20} {:>20}",
            "", "exact P/R/F1", "overlap P/R/F1"
        )?;
        for (name, r) in [
            ("content", &s.content),
            ("source", &s.source),
            ("cue", &s.cue),
        ] {
            writeln!(
                out,
                "{name:<24} {} {}",
                prf_cells(&r.exact),
                prf_cells(&r.overlap)
            )?;
        }
        writeln!(out, "by gold kind (content overlap | source exact):")?;
        for (k, r) in &s.by_kind {
            writeln!(
                out,
                "  {k:<22} {} | {}   gold {} pred {}",
                prf_cells(&r.content.overlap),
                prf_cells(&r.source.exact),
                r.gold,
                r.predicted
            )?;
        }
        writeln!(
            out,
            "by rule (content overlap precision, exact precision, source exact precision):"
        )?;
        for (k, r) in &s.by_rule {
            writeln!(
                out,
                "  {k:<22} n={:<5} {:>6.3} {:>6.3} {:>6.3}",
                r.predicted,
                r.content.overlap.precision,
                r.content.exact.precision,
                r.source.exact.precision
            )?;
        }
        writeln!(
            out,
            "reliability (confidence bin: claims, mean confidence, content overlap precision; ECE {:.3}, Brier {:.4}):",
            s.reliability.ece, s.reliability.brier
        )?;
        for b in s.reliability.bins.iter().filter(|b| b.predicted > 0) {
            writeln!(
                out,
                "  [{:.1}, {:.1})  n={:<5} {:>6.3} {:>6.3}",
                b.from, b.to, b.predicted, b.mean_confidence, b.precision
            )?;
        }
    }
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(if failed > 0 {
        ExitCode::from(super::EXIT_PARTIAL)
    } else {
        ExitCode::SUCCESS
    })
}

/// Runs `whosaid eval attribution`: each token instance detokenized into one article, run
/// through the real pipeline, its claims painted back onto the tokens and scored per role.
pub fn attribution(args: EvalAttributionArgs) -> Result<ExitCode> {
    use whosaid::eval::attribution::{self as attr, AttributionScorer};
    let bytes =
        std::fs::read(&args.gold).with_context(|| format!("reading {}", args.gold.display()))?;
    let gold = attr::parse_gold(&bytes, &args.gold)?;
    let started = Instant::now();
    let (texts, token_spans): (Vec<String>, Vec<Vec<(usize, usize)>>) =
        gold.iter().map(|g| attr::detokenize(&g.tokens)).unzip();
    let items: Vec<(Article, Segments)> = texts
        .into_iter()
        .zip(&gold)
        .enumerate()
        .map(|(i, (text, g))| {
            let id = g.id.clone().unwrap_or_else(|| format!("line{}", i + 1));
            let a = Article::new(format!("{id}#{}", i + 1), text);
            let s = whosaid::segment::segment(&a);
            (a, s)
        })
        .collect();
    if let Some(path) = &args.texts_out {
        let mut w = super::create_file(path)?;
        for (a, _) in &items {
            writeln!(w, "{}", json!({"id": a.id.0, "text": a.body}))?;
        }
        w.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let (mut failed, mut missing) = (0, 0);
    let results = predict_items(
        items,
        &args.model,
        args.records.as_deref(),
        &mut failed,
        &mut missing,
    )?;
    let mut scorer = AttributionScorer::default();
    let mut columns = match &args.predictions {
        Some(p) => Some(super::create_file(p)?),
        None => None,
    };
    for ((g, spans), r) in gold.iter().zip(&token_spans).zip(results) {
        let Some(p) = r else {
            continue;
        };
        let pred = attr::paint(spans, &p.preds);
        scorer.add(&g.labels, &pred);
        if let Some(w) = columns.as_mut() {
            write_columns(w, &g.tokens, &g.labels, &pred)?;
        }
    }
    if let Some(mut w) = columns {
        w.flush()?;
    }
    let s = scorer.scores();
    let seconds = started.elapsed().as_secs_f64();
    let mut out = String::new();
    if args.json {
        let v = json!({
            "scores": s,
            "failed": failed,
            "missing": missing,
            "seconds": (seconds * 100.0).round() / 100.0,
        });
        writeln!(out, "{v}")?;
    } else {
        writeln!(
            out,
            "{} instances ({failed} failed, {missing} without a record) in {seconds:.1}s; spans exact (first and last token) | begin (first token)",
            s.instances
        )?;
        writeln!(
            out,
            "{:<8} {:>6} {:>6} {:>6} | {:>6} {:>6} {:>6} {:>7}",
            "role", "P", "R", "F1", "P", "R", "F1", "gold"
        )?;
        for (name, r) in [
            ("source", &s.source),
            ("cue", &s.cue),
            ("content", &s.content),
        ] {
            writeln!(
                out,
                "{name:<8} {} | {} {:>7}",
                prf_cells(&r.exact),
                prf_cells(&r.begin),
                r.exact.support
            )?;
        }
    }
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(if failed > 0 {
        ExitCode::from(super::EXIT_PARTIAL)
    } else {
        ExitCode::SUCCESS
    })
}
