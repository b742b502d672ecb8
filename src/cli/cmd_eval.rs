//! `whosaid eval ner | quotes | attribution`: flags → the library's evaluation skeleton
//! (`whosaid::eval::driver`: gold → articles → predictions → scorer → report) → print. The
//! predictions are the real pipeline's, run here, or a records file's.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use serde_json::json;

use super::args::{
    EvalAttributionArgs, EvalNerArgs, EvalQuotesArgs, EvalSpeakersArgs, ModelArgs, NerMode,
};
use super::config::{
    gold_format, output, parts_output, predictions, read_span_gold, report_gold_warnings,
    score_parts, write_ner_report, write_quotes_report, write_texts,
};
use whosaid::eval::driver::item;
use whosaid::eval::gold::{self, Format};
use whosaid::eval::{attribution as attr, calibration, conll, quotes, speakers, text};

/// Prints `out`; exit code 2 when some articles failed.
fn finish(out: String, failed: usize) -> Result<ExitCode> {
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(if failed > 0 {
        ExitCode::from(super::EXIT_PARTIAL)
    } else {
        ExitCode::SUCCESS
    })
}

/// The bytes of a gold file.
fn read_gold(path: &std::path::Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("reading {}", path.display()))
}

fn round2(seconds: f64) -> f64 {
    (seconds * 100.0).round() / 100.0
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
    let started = Instant::now();
    let (items, token_spans) = conll::to_items(&docs);
    let preds = predictions(items, &args.model, None, false, Some(!sentence_mode))?;
    let mut columns = output(args.predictions.as_deref())?;
    let columns_w = columns.as_mut().map(|w| w as &mut dyn Write);
    let outcome = whosaid::eval::ner::score_conll(
        &docs,
        &token_spans,
        &preds,
        args.report.is_some(),
        columns_w,
    )?;
    if let Some(mut w) = columns {
        w.flush()?;
    }
    let seconds = started.elapsed().as_secs_f64();
    let scores = &outcome.scores;
    let n_sentences: usize = docs.iter().map(Vec::len).sum();
    let n_tokens: usize = docs.iter().flatten().map(|s| s.tokens.len()).sum();
    let mode = if sentence_mode {
        "sentence"
    } else {
        "document"
    };
    if let Some(path) = &args.report {
        write_ner_report(path, &args.gold, &outcome)?;
    }
    let failed = preds.failures.len();
    let out = if args.json {
        let value = json!({
            "micro": scores.micro,
            "per_type": scores.per_type,
            "sentences": n_sentences,
            "tokens": n_tokens,
            "documents": docs.len(),
            "mode": mode,
            "gold_scheme": if iob1 { "IOB1" } else { "IOB2" },
            "failed_documents": failed,
            "seconds": round2(seconds),
        });
        format!("{value}\n")
    } else {
        format!(
            "{} documents, {n_sentences} sentences, {n_tokens} tokens, run {mode} by {mode} ({}), {seconds:.1}s\n{}",
            docs.len(),
            if iob1 { "gold IOB1 → IOB2" } else { "gold IOB2" },
            text::ner_table(scores)
        )
    };
    finish(out, failed)
}

/// `eval ner` on entity spans (brat, Label Studio, doccano): each document runs as one
/// article, and a predicted entity is right when its code point span and label equal a gold
/// one's.
fn ner_spans(args: EvalNerArgs, format: Format) -> Result<ExitCode> {
    let (read, mapping) = read_span_gold(&args.gold, format, &args.gold_args)?;
    let gold = gold::to_entity_gold(&read, &mapping);
    let started = Instant::now();
    let items = gold
        .iter()
        .map(|g| item(g.id.clone(), g.text.clone()))
        .collect();
    let preds = predictions(items, &args.model, args.records.as_deref(), false, None)?;
    let mut scorer = whosaid::eval::ner::NerScorer::default();
    for (g, p) in gold.iter().zip(&preds.items) {
        scorer.add(&g.entities, p.as_ref().map_or(&[], |p| &p.scored.entities));
    }
    let seconds = started.elapsed().as_secs_f64();
    let scores = scorer.scores();
    let n_entities: usize = gold.iter().map(|g| g.entities.len()).sum();
    let failed = preds.failures.len();
    let out = if args.json {
        let value = json!({
            "micro": scores.micro,
            "per_type": scores.per_type,
            "documents": gold.len(),
            "gold_entities": n_entities,
            "mode": "article",
            "gold_format": format.name(),
            "gold_warnings": read.warnings.len(),
            "failed_documents": failed,
            "missing_records": preds.missing,
            "seconds": round2(seconds),
        });
        format!("{value}\n")
    } else {
        format!(
            "{} documents, {n_entities} gold entities ({}), whole articles, exact span and label, {seconds:.1}s\n{}",
            gold.len(),
            format.name(),
            text::ner_table(&scores)
        )
    };
    finish(out, failed)
}

/// Runs `whosaid eval quotes`.
pub fn quotes(mut args: EvalQuotesArgs) -> Result<ExitCode> {
    if args.fit_confidence.is_some() {
        if args.records.is_some() {
            anyhow::bail!("--fit-confidence runs the model; it cannot read --records");
        }
        args.model.raw_confidence = true;
    }
    let gold: Vec<quotes::GoldArticle> = match gold_format(&args.gold, &args.gold_args)? {
        Format::Polnear => quotes::parse_gold(&read_gold(&args.gold)?, &args.gold)?,
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
    let items = || quotes::to_items(&gold);
    if args.parts {
        let score = |p: &_| Ok(quotes::score_predictions(&gold, p, false, None)?.scores);
        let rows = score_parts(&args.model, items, score)?;
        return finish(parts_output(&rows, args.json, text::quotes_parts)?, 0);
    }
    let preds = predictions(items(), &args.model, args.records.as_deref(), true, None)?;
    let mut dump = output(args.dump.as_deref())?;
    let dump_w = dump.as_mut().map(|w| w as &mut dyn Write);
    let outcome = quotes::score_predictions(&gold, &preds, args.report.is_some(), dump_w)?;
    if let Some(mut w) = dump {
        w.flush()?;
    }
    let s = &outcome.scores;
    let seconds = started.elapsed().as_secs_f64();
    if let Some(path) = &args.fit_confidence {
        let name = args
            .gold
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let table = if args.model.rules_only {
            // only the rules-alone half can be fitted without the model's tags
            calibration::fit_table(&name, None, s)
        } else {
            // the rules' claims without the model are calibrated apart (see Calibration)
            eprintln!("whosaid: fitting the rules-alone table as well (--rules-only)");
            let rules_only = ModelArgs {
                rules_only: true,
                ..args.model.clone()
            };
            let alone = predictions(items(), &rules_only, None, true, None)?;
            let alone = quotes::score_predictions(&gold, &alone, false, None)?.scores;
            calibration::fit_table(&name, Some(s), &alone)
        };
        let mut w = super::create_file(path)?;
        writeln!(w, "{}", serde_json::to_string_pretty(&table)?)?;
        w.flush()?;
        eprintln!("whosaid: wrote the calibration table to {}", path.display());
    }
    if let Some(path) = &args.report {
        write_quotes_report(path, &args.gold, s, &outcome.articles)?;
    }
    let failed = preds.failures.len();
    let out = if args.json {
        let mut v = serde_json::to_value(s)?;
        v["seconds"] = json!(round2(seconds));
        v["failed"] = json!(failed);
        v["missing"] = json!(preds.missing);
        format!("{v}\n")
    } else {
        text::quotes_report(s, seconds, preds.missing)
    };
    finish(out, failed)
}

/// Runs `whosaid eval attribution`: each token instance detokenized into one article, run
/// through the real pipeline, its claims painted back onto the tokens and scored per role.
pub fn attribution(args: EvalAttributionArgs) -> Result<ExitCode> {
    let bytes = read_gold(&args.gold)?;
    let gold = attr::parse_gold(&bytes, &args.gold)?;
    let started = Instant::now();
    let (items, token_spans) = attr::to_items(&gold);
    if let Some(path) = &args.texts_out {
        write_texts(path, &items)?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.parts {
        let score = |p: &_| Ok(attr::score_predictions(&gold, &token_spans, p, None)?);
        let rows = score_parts(&args.model, || items.clone(), score)?;
        return finish(parts_output(&rows, args.json, text::attribution_parts)?, 0);
    }
    let preds = predictions(items, &args.model, args.records.as_deref(), true, None)?;
    let mut columns = output(args.predictions.as_deref())?;
    let columns_w = columns.as_mut().map(|w| w as &mut dyn Write);
    let s = attr::score_predictions(&gold, &token_spans, &preds, columns_w)?;
    if let Some(mut w) = columns {
        w.flush()?;
    }
    let seconds = started.elapsed().as_secs_f64();
    let failed = preds.failures.len();
    let out = if args.json {
        let v = json!({
            "scores": s,
            "failed": failed,
            "missing": preds.missing,
            "seconds": round2(seconds),
        });
        format!("{v}\n")
    } else {
        text::attribution_report(&s, failed, preds.missing, seconds)
    };
    finish(out, failed)
}

/// Runs `whosaid eval speakers`: each GUM document run as one article, each gold
/// attribution's claim and speaker scored at the entity level.
pub fn speakers(args: EvalSpeakersArgs) -> Result<ExitCode> {
    let bytes = read_gold(&args.gold)?;
    let gold = speakers::parse_gold(&bytes, &args.gold)?;
    let started = Instant::now();
    let items = gold
        .iter()
        .map(|g| item(g.id.clone(), g.text.clone()))
        .collect();
    let preds = predictions(items, &args.model, args.records.as_deref(), true, None)?;
    let s = speakers::score_predictions(&gold, &preds);
    let seconds = started.elapsed().as_secs_f64();
    let failed = preds.failures.len();
    let out = if args.json {
        let mut v = s.to_json();
        v["failed"] = json!(failed);
        v["missing"] = json!(preds.missing);
        v["seconds"] = json!(round2(seconds));
        format!("{v}\n")
    } else {
        text::speakers_report(&s, seconds, preds.missing)
    };
    finish(out, failed)
}
