//! Raw flags → loaded, validated state: model directory, runtime library, thread split.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use super::args::{AggregationArg, ModelArgs};
use whosaid::encoding::{Encoder, EncoderConfig};
use whosaid::entity::Aggregation;
use whosaid::pipeline::{Pipeline, PipelineConfig};
use whosaid::prediction::LabelMap;

/// Name of the default model directory under `models/`.
pub const DEFAULT_MODEL: &str = "minilm-conll03";

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

/// Everything a model directory holds, checked.
pub struct ModelDir {
    /// The directory.
    pub dir: PathBuf,
    /// The ONNX file chosen.
    pub onnx: PathBuf,
    /// Labels from config.json.
    pub labels: LabelMap,
    /// Window length from config.json (`whosaid.max_window_tokens`), if given.
    pub window_tokens: Option<usize>,
    /// `max_position_embeddings`, if given.
    pub max_positions: Option<usize>,
}

impl ModelDir {
    /// Checks that the directory has its three files and reads config.json.
    pub fn open(dir: &Path, onnx_file: Option<&str>) -> Result<ModelDir> {
        if !dir.is_dir() {
            bail!(
                "model directory {} does not exist (set --model DIR or WHOSAID_MODEL)",
                dir.display()
            );
        }
        let onnx = match onnx_file {
            Some(f) => dir.join(f),
            None => ["model.int8.onnx", "model.onnx"]
                .iter()
                .map(|f| dir.join(f))
                .find(|p| p.exists())
                .unwrap_or_else(|| dir.join("model.onnx")),
        };
        for f in [&onnx, &dir.join("tokenizer.json"), &dir.join("config.json")] {
            if !f.exists() {
                bail!(
                    "model directory {}: missing file {}",
                    dir.display(),
                    f.display()
                );
            }
        }
        let config_path = dir.join("config.json");
        let labels = LabelMap::from_config(&config_path)?;
        let config: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(&config_path)
                .with_context(|| format!("reading {}", config_path.display()))?,
        )
        .with_context(|| format!("parsing {}", config_path.display()))?;
        let window_tokens = config
            .pointer("/whosaid/max_window_tokens")
            .and_then(|v| v.as_u64())
            .map(|v| v as usize);
        let max_positions = config
            .get("max_position_embeddings")
            .and_then(|v| v.as_u64())
            .map(|v| v as usize);
        Ok(ModelDir {
            dir: dir.to_path_buf(),
            onnx,
            labels,
            window_tokens,
            max_positions,
        })
    }
}

/// Thread split: (ONNX Runtime intra-op threads, rayon threads for pre/post-processing).
///
/// Inference dominates the work, so it gets every core; pre/post-processing runs on its own
/// rayon pool of the same size, overlapping with inference on other chunks. The OS scheduler
/// interleaves them; the pre/post share is small (see BENCHMARKS.md).
pub fn thread_split(args: &ModelArgs) -> (usize, usize) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let total = args.threads.unwrap_or(cores).max(1);
    let inference = args.inference_threads.unwrap_or(total).max(1);
    (inference, total)
}

/// Loads the pipeline: tokenizer, ONNX Runtime, model, checks.
pub fn load_pipeline(
    args: &ModelArgs,
    claims: bool,
    pack_override: Option<bool>,
) -> Result<Pipeline> {
    let model = ModelDir::open(
        &find_model(args.model.as_deref())?,
        args.onnx_file.as_deref(),
    )?;
    let (inference_threads, rayon_threads) = thread_split(args);
    // the global pool may already exist when a test calls this twice; that is fine
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(rayon_threads)
        .build_global();
    let mut window = args.window_tokens.or(model.window_tokens).unwrap_or(128);
    if let Some(max) = model.max_positions {
        window = window.min(max);
    }
    let encoder = Encoder::from_file(
        &model.dir.join("tokenizer.json"),
        EncoderConfig {
            max_tokens: window,
            overlap: args.window_overlap,
            pack_sentences: pack_override.unwrap_or(!args.no_pack),
        },
    )?;
    // attribution logits are fetched only when claims come from the model; without them the
    // predictions carry no attribution tags and claims come from the rules alone
    let attribution = claims && !args.rules_only;
    let classifier = load_classifier(args, &model, attribution, inference_threads)?;
    Ok(Pipeline::new(
        encoder,
        classifier,
        PipelineConfig {
            aggregation: match args.aggregation {
                AggregationArg::First => Aggregation::First,
                AggregationArg::Average => Aggregation::Average,
                AggregationArg::Max => Aggregation::Max,
            },
            batch_size: args.batch_size.max(1),
            buffer: args.buffer.max(1),
            chunk_bytes: whosaid::pipeline::DEFAULT_CHUNK_BYTES,
            claims,
            calibrate: !args.raw_confidence,
            bio_constraints: args.tag_decoding == super::args::TagDecodingArg::Bio,
        },
    ))
}

#[cfg(feature = "onnx")]
fn load_classifier(
    args: &ModelArgs,
    model: &ModelDir,
    attribution: bool,
    threads: usize,
) -> Result<Box<dyn whosaid::prediction::TokenClassifier>> {
    use whosaid::prediction::onnx::{init_runtime, OnnxClassifier};
    let lib = find_ort(args.ort_lib.as_deref())?;
    let env = init_runtime(&lib)?;
    let classifier = OnnxClassifier::load(
        &env,
        &model.onnx,
        model.labels.clone(),
        threads,
        attribution,
    )?;
    Ok(Box::new(classifier))
}

#[cfg(not(feature = "onnx"))]
fn load_classifier(
    _args: &ModelArgs,
    _model: &ModelDir,
    _attribution: bool,
    _threads: usize,
) -> Result<Box<dyn whosaid::prediction::TokenClassifier>> {
    bail!("this whosaid was built without the `onnx` feature and cannot run a model")
}
