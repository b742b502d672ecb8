//! Raw flags → loaded, validated state: model directory, runtime library, thread split; the
//! gold format and reader of the eval flags, and the predictions an evaluation scores.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use super::args::{AggregationArg, AnnotatorsArg, GoldArgs, GoldFormatArg, ModelArgs};
use whosaid::entity::Aggregation;
use whosaid::eval::driver::{predict, Item, Predictions, Predictor};
use whosaid::eval::gold::{self, Annotators, Format, Mapping};
use whosaid::pipeline::{LoadOptions, Pipeline, PipelineConfig, DEFAULT_MODEL};

const ORT_HELP: &str = "ONNX Runtime (libonnxruntime.so) not found. Install it with
    scripts/setup.sh
or by hand:
    pip download --no-deps onnxruntime==1.32.0 -d /tmp/ort && \\
    mkdir -p .ort && unzip -j -o /tmp/ort/onnxruntime-*.whl 'onnxruntime/capi/libonnxruntime.so*' -d .ort && \\
    ln -sf $(ls .ort/libonnxruntime.so.1* | head -1 | xargs basename) .ort/libonnxruntime.so
then point whosaid at it with --ort-lib PATH or ORT_DYLIB_PATH=PATH";

fn exe_dir() -> Option<PathBuf> {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.canonicalize().ok())
        .and_then(|p| p.parent().map(Path::to_path_buf))
}

/// `target/{debug,release}/whosaid` → the repository root.
fn repo_root() -> Option<PathBuf> {
    let dir = exe_dir()?;
    let root = dir.parent()?.parent()?;
    root.join("Cargo.toml").exists().then(|| root.to_path_buf())
}

/// Finds the ONNX Runtime library: flag, env, next to the binary, repository `.ort/`, `./.ort/`.
pub fn find_ort(flag: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = flag {
        if !p.exists() {
            bail!("--ort-lib {} does not exist\n{ORT_HELP}", p.display());
        }
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("ORT_DYLIB_PATH").filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        if !p.exists() {
            bail!("ORT_DYLIB_PATH={} does not exist\n{ORT_HELP}", p.display());
        }
        return Ok(p);
    }
    let mut dirs = Vec::new();
    if let Some(d) = exe_dir() {
        dirs.push(d.clone());
        dirs.push(d.join("lib"));
    }
    if let Some(r) = repo_root() {
        dirs.push(r.join(".ort"));
    }
    dirs.push(PathBuf::from(".ort"));
    for d in dirs {
        let p = d.join("libonnxruntime.so");
        if p.exists() {
            return Ok(p);
        }
    }
    bail!("{ORT_HELP}")
}

/// Resolves the model directory: flag, `WHOSAID_MODEL`, the repository's `models/`, `./models/`.
pub fn find_model(flag: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = flag {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("WHOSAID_MODEL").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    if let Some(r) = repo_root() {
        let p = r.join("models").join(DEFAULT_MODEL);
        if p.exists() {
            return Ok(p);
        }
    }
    Ok(PathBuf::from("models").join(DEFAULT_MODEL))
}

/// Loads the pipeline: finds the model and ONNX Runtime, then [`whosaid::pipeline::load`].
pub fn load_pipeline(
    args: &ModelArgs,
    claims: bool,
    pack_override: Option<bool>,
) -> Result<Pipeline> {
    let model = find_model(args.model.as_deref())?;
    if !model.is_dir() {
        bail!(
            "model directory {} does not exist (set --model DIR or WHOSAID_MODEL)",
            model.display()
        );
    }
    let lib = find_ort(args.ort_lib.as_deref())?;
    let options = LoadOptions {
        onnx_file: args.onnx_file.clone(),
        threads: args.threads,
        inference_threads: args.inference_threads,
        window_tokens: args.window_tokens,
        window_overlap: args.window_overlap,
        pack_sentences: pack_override.unwrap_or(!args.no_pack),
        rules_only: args.rules_only,
        merge_min_score: args.merge_min_score,
        config: PipelineConfig {
            aggregation: match args.aggregation {
                AggregationArg::First => Aggregation::First,
                AggregationArg::Average => Aggregation::Average,
                AggregationArg::Max => Aggregation::Max,
            },
            batch_size: args.batch_size,
            buffer: args.buffer,
            chunk_bytes: whosaid::pipeline::DEFAULT_CHUNK_BYTES,
            claims,
            calibrate: !args.raw_confidence,
            bio_constraints: args.tag_decoding == super::args::TagDecodingArg::Bio,
            merge: if args.model_alone {
                whosaid::quote::Merge::ModelAlone
            } else {
                whosaid::quote::Merge::default()
            },
        },
    };
    Ok(whosaid::pipeline::load(&model, &lib, &options)?)
}

/// The note printed when claims will carry raw scores because the model has no calibration
/// table of its own (and calibrated confidences were not switched off).
pub fn calibration_note(pipeline: &Pipeline, args: &ModelArgs, claims: bool) -> Option<String> {
    (claims && !args.raw_confidence && pipeline.calibration().is_none()).then(|| {
        "note: the model has no confidence.json, so claim confidence is the rules' raw score, \
         not a calibrated probability (scripts/fit_confidence.sh fits one for a model)"
            .to_string()
    })
}

/// The gold format: the flag's, or detected (and said on stderr).
pub fn gold_format(path: &std::path::Path, args: &GoldArgs) -> Result<Format> {
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
pub fn report_gold_warnings(warnings: &[String]) {
    for w in warnings.iter().take(20) {
        eprintln!("whosaid: gold: {w}");
    }
    if warnings.len() > 20 {
        eprintln!("whosaid: gold: … and {} more warnings", warnings.len() - 20);
    }
}

/// Reads span-format gold and reports what did not stop reading.
pub fn read_span_gold(
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
    report_gold_warnings(&read.warnings);
    eprintln!(
        "whosaid: gold {}: {} documents ({}), {} warnings",
        path.display(),
        read.documents.len(),
        format.name(),
        read.warnings.len()
    );
    Ok((read, mapping))
}

/// The predictions for `items`: read from `records`, or the pipeline of `model` run on them
/// (`claims`: with claims; `pack`: sentence packing override). Failures are said on stderr.
pub fn predictions(
    items: Vec<Item>,
    model: &ModelArgs,
    records: Option<&std::path::Path>,
    claims: bool,
    pack: Option<bool>,
) -> Result<Predictions> {
    let p = match records {
        Some(path) => predict(items, Predictor::Records(path))?,
        None => {
            let mut pipeline = load_pipeline(model, claims, pack)?;
            if let Some(note) = calibration_note(&pipeline, model, claims) {
                eprintln!("whosaid: {note}");
            }
            let run = Box::new(move |items: Vec<Item>| {
                let out: Vec<whosaid::error::Result<whosaid::record::Record>> = pipeline
                    .process_segmented(items)
                    .into_iter()
                    .map(|r| r.map(|p| p.record))
                    .collect();
                out
            });
            predict(items, Predictor::Run(run))?
        }
    };
    for f in &p.failures {
        eprintln!("whosaid: failed: {f}");
    }
    Ok(p)
}

/// An optional output file.
pub fn output(path: Option<&std::path::Path>) -> Result<Option<std::io::BufWriter<std::fs::File>>> {
    path.map(super::create_file).transpose()
}

/// `--parts`: `score` of the claims of the rules alone (`--rules-only`), of the model alone
/// (`--model-alone`) and of the two merged (what whosaid writes), each a run of `model`.
pub fn score_parts<T>(
    model: &ModelArgs,
    items: impl Fn() -> Vec<Item>,
    score: impl Fn(&Predictions) -> Result<T>,
) -> Result<Vec<(&'static str, T)>> {
    let mut rows = Vec::new();
    for (name, rules_only, model_alone) in [
        ("rules alone", true, false),
        ("model alone", false, true),
        ("merged", false, false),
    ] {
        let args = ModelArgs {
            rules_only,
            model_alone,
            ..model.clone()
        };
        eprintln!("whosaid: --parts: {name}");
        rows.push((
            name,
            score(&predictions(items(), &args, None, true, None)?)?,
        ));
    }
    Ok(rows)
}

/// The `--parts` rows as one JSON object (`{"rules alone": scores, …}`), or as the text table
/// `table` prints.
pub fn parts_output<T: serde::Serialize>(
    rows: &[(&'static str, T)],
    json: bool,
    table: impl Fn(&[(&'static str, T)]) -> String,
) -> Result<String> {
    if !json {
        return Ok(table(rows));
    }
    let mut v = serde_json::Map::new();
    for (name, s) in rows {
        v.insert((*name).to_string(), serde_json::to_value(s)?);
    }
    Ok(format!("{}\n", serde_json::Value::Object(v)))
}

/// Writes the HTML error report of `eval quotes --report`.
pub fn write_quotes_report(
    path: &std::path::Path,
    gold: &std::path::Path,
    s: &whosaid::eval::quotes::QuoteScores,
    articles: &[whosaid::eval::report::QuoteArticle],
) -> Result<()> {
    let mut w = super::create_file(path)?;
    let summary = format!(
        "content exact F1 {:.3}, overlap F1 {:.3}; source exact F1 {:.3}; {} gold, {} predicted",
        s.content.exact.f1, s.content.overlap.f1, s.source.exact.f1, s.gold, s.predicted
    );
    let title = format!("whosaid eval quotes: {}", gold.display());
    whosaid::eval::report::write_quotes(&mut w, &title, &summary, articles)?;
    std::io::Write::flush(&mut w)?;
    Ok(())
}

/// Writes the HTML error report of `eval ner --report`.
pub fn write_ner_report(
    path: &std::path::Path,
    gold: &std::path::Path,
    outcome: &whosaid::eval::ner::ConllOutcome,
) -> Result<()> {
    let mut w = super::create_file(path)?;
    let title = format!(
        "whosaid eval ner: {} (micro F1 {:.4})",
        gold.display(),
        outcome.scores.micro.f1
    );
    whosaid::eval::report::write_ner(&mut w, &title, &outcome.confusion, &outcome.examples)?;
    std::io::Write::flush(&mut w)?;
    Ok(())
}

/// Writes `eval attribution --texts-out`: each detokenized instance as an input line.
pub fn write_texts(path: &std::path::Path, items: &[Item]) -> Result<()> {
    let mut w = super::create_file(path)?;
    for (a, _) in items {
        let line = serde_json::json!({"id": a.id.0, "text": a.body});
        std::io::Write::write_all(&mut w, format!("{line}\n").as_bytes())?;
    }
    std::io::Write::flush(&mut w)?;
    Ok(())
}
