//! Raw flags → loaded, validated state: model directory, runtime library, thread split.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use super::args::{AggregationArg, ModelArgs};
use whosaid::entity::Aggregation;
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
