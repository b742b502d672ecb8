//! A model directory on disk, checked, and a [`Pipeline`] loaded from it: what the CLI and
//! the Python binding share, so both run the same pipeline from the same files.

use std::path::{Path, PathBuf};

use super::{Pipeline, PipelineConfig};
use crate::encoding::{Encoder, EncoderConfig};
use crate::error::{Error, Result};
use crate::prediction::labels::read_config;
use crate::prediction::{AttributionLayout, LabelMap};
use crate::quote::confidence::{self, Calibration};

/// Name of the default model directory under `models/`.
pub const DEFAULT_MODEL: &str = "minilm-conll03";

/// Window length when neither the caller nor the model's config names one.
pub const DEFAULT_WINDOW_TOKENS: usize = 128;

/// Tokens shared by consecutive windows of a long sentence, unless the caller says otherwise.
pub const DEFAULT_WINDOW_OVERLAP: usize = 32;

/// The casing-feature scheme this build computes (`encoding::casing`); a model trained with
/// another scheme would see different inputs than it learned on, so loading it fails.
pub const CASING_SCHEME: &str = "word-v1";

/// Everything a model directory holds, checked.
#[derive(Debug, Clone)]
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
    /// The claim-confidence table fitted for this model (`confidence.json`), if it has one.
    pub calibration: Option<Calibration>,
    /// The group order of the attribution output (`whosaid.attribution`), if declared.
    pub attribution: Option<AttributionLayout>,
    /// The least score of a tagged claim the merge keeps, fitted for this model
    /// (`whosaid.merge.min_score`), if given.
    pub merge_min_score: Option<f32>,
}

fn model_error(path: &Path, message: String) -> Error {
    Error::Model {
        path: path.to_path_buf(),
        message,
        source: None,
    }
}

impl ModelDir {
    /// Checks that the directory has its three files and reads config.json (and
    /// `confidence.json`, the claim-confidence table, when there is one). `onnx_file`
    /// names the graph inside it (default: `model.int8.onnx` if present, else `model.onnx`).
    pub fn open(dir: &Path, onnx_file: Option<&str>) -> Result<ModelDir> {
        if !dir.is_dir() {
            return Err(model_error(dir, "model directory does not exist".into()));
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
                return Err(model_error(dir, format!("missing file {}", f.display())));
            }
        }
        let config_path = dir.join("config.json");
        let config = read_config(&config_path)?;
        let labels = LabelMap::from_config_value(&config, &config_path)?;
        let attribution = AttributionLayout::from_config_value(&config, &config_path)?;
        if let Some(scheme) = config.pointer("/whosaid/casing_scheme") {
            if scheme.as_str() != Some(CASING_SCHEME) {
                return Err(model_error(
                    &config_path,
                    format!(
                        "whosaid.casing_scheme is {scheme}, but this build computes casing \
                         features as \"{CASING_SCHEME}\"; retrain or use a matching whosaid"
                    ),
                ));
            }
        }
        let window_tokens = config
            .pointer("/whosaid/max_window_tokens")
            .and_then(|v| v.as_u64())
            .map(|v| v as usize);
        let max_positions = config
            .get("max_position_embeddings")
            .and_then(|v| v.as_u64())
            .map(|v| v as usize);
        let merge_min_score = match config.pointer("/whosaid/merge/min_score") {
            None => None,
            Some(v) => match v.as_f64() {
                Some(x) if (0.0..=1.0).contains(&x) => Some(x as f32),
                _ => {
                    return Err(model_error(
                        &config_path,
                        format!("whosaid.merge.min_score is {v}, not a number from 0 to 1"),
                    ))
                }
            },
        };
        let calibration_path = dir.join(confidence::FILE_NAME);
        let calibration = if calibration_path.exists() {
            Some(Calibration::from_file(&calibration_path)?)
        } else {
            None
        };
        Ok(ModelDir {
            dir: dir.to_path_buf(),
            onnx,
            labels,
            window_tokens,
            max_positions,
            calibration,
            attribution,
            merge_min_score,
        })
    }

    /// The window length to use: the caller's, else the model's, else
    /// [`DEFAULT_WINDOW_TOKENS`], never above the model's position embeddings.
    pub fn window(&self, requested: Option<usize>) -> usize {
        let window = requested
            .or(self.window_tokens)
            .unwrap_or(DEFAULT_WINDOW_TOKENS);
        self.max_positions.map_or(window, |max| window.min(max))
    }
}

/// How to load a pipeline from a model directory.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// ONNX file inside the model directory (see [`ModelDir::open`]).
    pub onnx_file: Option<String>,
    /// Worker threads in all (default: all cores).
    pub threads: Option<usize>,
    /// ONNX Runtime intra-op threads (default: `threads`).
    pub inference_threads: Option<usize>,
    /// Window length (default: the model's).
    pub window_tokens: Option<usize>,
    /// Tokens shared by consecutive windows of a long sentence.
    pub window_overlap: usize,
    /// Pack several sentences per window.
    pub pack_sentences: bool,
    /// Claims from the rules alone, even when the graph has attribution outputs.
    pub rules_only: bool,
    /// The least score of a tagged claim the merge keeps, instead of the model's own
    /// (`whosaid.merge.min_score`) or [`crate::quote::TAGGED_MIN_CONFIDENCE`].
    pub merge_min_score: Option<f32>,
    /// Stage tuning: aggregation, batch and chunk sizes, claims, calibration, decoding.
    pub config: PipelineConfig,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            onnx_file: None,
            threads: None,
            inference_threads: None,
            window_tokens: None,
            window_overlap: DEFAULT_WINDOW_OVERLAP,
            pack_sentences: true,
            rules_only: false,
            merge_min_score: None,
            config: PipelineConfig::default(),
        }
    }
}

/// Thread split: (ONNX Runtime intra-op threads, rayon threads for pre/post-processing).
///
/// Inference dominates the work, so it gets every core; pre/post-processing runs on its own
/// rayon pool of the same size, overlapping with inference on other chunks. The OS scheduler
/// interleaves them; the pre/post share is small (see BENCHMARKS.md).
pub fn thread_split(threads: Option<usize>, inference_threads: Option<usize>) -> (usize, usize) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let total = threads.unwrap_or(cores).max(1);
    let inference = inference_threads.unwrap_or(total).max(1);
    (inference, total)
}

/// Loads the pipeline: tokenizer, ONNX Runtime (from `ort_lib`), model, checks. The first
/// load in a process sizes the global rayon pool; later loads share it.
pub fn load(model_dir: &Path, ort_lib: &Path, options: &LoadOptions) -> Result<Pipeline> {
    let model = ModelDir::open(model_dir, options.onnx_file.as_deref())?;
    let (inference_threads, rayon_threads) =
        thread_split(options.threads, options.inference_threads);
    // the global pool may already exist (a second load in one process); that is fine
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(rayon_threads)
        .build_global();
    let encoder = Encoder::from_file(
        &model.dir.join("tokenizer.json"),
        EncoderConfig {
            max_tokens: model.window(options.window_tokens),
            overlap: options.window_overlap,
            pack_sentences: options.pack_sentences,
        },
    )?;
    let mut config = options.config;
    if let crate::quote::Merge::Joined { min_score } = &mut config.merge {
        *min_score = options
            .merge_min_score
            .or(model.merge_min_score)
            .unwrap_or(crate::quote::TAGGED_MIN_CONFIDENCE);
    }
    config.batch_size = config.batch_size.max(1);
    config.buffer = config.buffer.max(1);
    // attribution logits are fetched only when claims come from the model; without them the
    // predictions carry no attribution tags and claims come from the rules alone
    let attribution = config.claims && !options.rules_only;
    let classifier = load_classifier(ort_lib, &model, attribution, inference_threads)?;
    if classifier.has_attribution() && model.attribution.is_none() {
        return Err(model_error(
            &model.dir.join("config.json"),
            format!(
                "the graph has an `{}` output but config.json does not declare its layout \
                 (whosaid.attribution: output, groups, tags)",
                crate::prediction::TENSOR_ATTRIBUTION
            ),
        ));
    }
    let mut pipeline = Pipeline::new(encoder, classifier, config);
    pipeline.set_calibration(model.calibration);
    pipeline.set_attribution_layout(model.attribution.unwrap_or_default());
    Ok(pipeline)
}

#[cfg(feature = "onnx")]
fn load_classifier(
    ort_lib: &Path,
    model: &ModelDir,
    attribution: bool,
    threads: usize,
) -> Result<Box<dyn crate::prediction::TokenClassifier>> {
    use crate::prediction::onnx::{init_runtime, OnnxClassifier};
    let env = init_runtime(ort_lib)?;
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
    _ort_lib: &Path,
    model: &ModelDir,
    _attribution: bool,
    _threads: usize,
) -> Result<Box<dyn crate::prediction::TokenClassifier>> {
    Err(model_error(
        &model.onnx,
        "this whosaid was built without the `onnx` feature and cannot run a model".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model_with_config(config: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for f in ["model.onnx", "tokenizer.json"] {
            std::fs::write(dir.path().join(f), "").unwrap();
        }
        std::fs::write(dir.path().join("config.json"), config).unwrap();
        dir
    }

    const LABELS: &str = r#""id2label": {"0": "O", "1": "B-PER", "2": "I-PER"}"#;

    #[test]
    fn missing_directory_and_files_are_model_errors() {
        let err = ModelDir::open(Path::new("/no/such/model"), None).unwrap_err();
        assert_eq!(err.kind(), "model");
        let dir = tempfile::tempdir().unwrap();
        let err = ModelDir::open(dir.path(), None).unwrap_err();
        assert!(err.to_string().contains("missing file"), "{err}");
    }

    #[test]
    fn window_comes_from_caller_then_config_capped_by_positions() {
        let dir = model_with_config(&format!(
            r#"{{{LABELS}, "max_position_embeddings": 256, "whosaid": {{"max_window_tokens": 192}}}}"#
        ));
        let m = ModelDir::open(dir.path(), None).unwrap();
        assert_eq!(m.window(None), 192);
        assert_eq!(m.window(Some(64)), 64);
        assert_eq!(m.window(Some(1000)), 256);
    }

    #[test]
    fn casing_scheme_is_checked() {
        let ok = model_with_config(&format!(
            r#"{{{LABELS}, "whosaid": {{"casing_scheme": "{CASING_SCHEME}"}}}}"#
        ));
        assert!(ModelDir::open(ok.path(), None).is_ok());
        let bad = model_with_config(&format!(
            r#"{{{LABELS}, "whosaid": {{"casing_scheme": "word-v0"}}}}"#
        ));
        let err = ModelDir::open(bad.path(), None).unwrap_err();
        assert!(err.to_string().contains("casing_scheme"), "{err:#}");
    }
}
