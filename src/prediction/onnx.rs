//! ONNX Runtime classifier (feature `onnx`): one session per classifier, schema checked at load.

use std::path::{Path, PathBuf};

use ort::environment::Environment;
use ort::session::builder::GraphOptimizationLevel;
use ort::session::{HasSelectedOutputs, OutputSelector, RunOptions, Session};
use ort::value::{Tensor, ValueType};

use super::{
    Batch, LabelMap, Logits, TokenClassifier, ATTRIBUTION_WIDTH, TENSOR_ATTENTION_MASK,
    TENSOR_ATTRIBUTION, TENSOR_ATTRIBUTION_HIDDEN, TENSOR_CASING_IDS, TENSOR_INPUT_IDS,
    TENSOR_LOGITS, TENSOR_TOKEN_TYPE_IDS,
};
use crate::error::{BoxError, Error, Result};

/// Loads the ONNX Runtime shared library once per process. Must run before any session is
/// built; later calls are no-ops.
pub fn init_runtime(dylib: &Path) -> Result<Environment> {
    static INIT: std::sync::OnceLock<std::result::Result<Environment, String>> =
        std::sync::OnceLock::new();
    let r = INIT.get_or_init(|| {
        let builder = ort::init_from(dylib).map_err(|e| e.to_string())?;
        builder
            .with_name("whosaid")
            .with_telemetry(false)
            .build()
            .map_err(|e| e.to_string())
    });
    r.clone()
        .map_err(|message| model_error(dylib, format!("cannot load ONNX Runtime: {message}")))
}

/// A token classifier backed by an ONNX Runtime session.
pub struct OnnxClassifier {
    session: Session,
    labels: LabelMap,
    has_token_types: bool,
    has_casing: bool,
    /// The attribution head (`attribution.int8.onnx`), when loaded and wanted.
    head: Option<Session>,
    /// Asks the NER session for the entity logits alone (no branch-point copy).
    ner_only: RunOptions<HasSelectedOutputs>,
    /// Asks for the entity logits and the branch point the head reads.
    with_hidden: RunOptions<HasSelectedOutputs>,
    logits_name: String,
    path: PathBuf,
}

fn build_session(env: &Environment, path: &Path, threads: usize) -> ort::Result<Session> {
    Session::builder(env)?
        .with_optimization_level(GraphOptimizationLevel::Level3)?
        .with_intra_threads(threads.max(1))?
        .with_inter_threads(1)?
        // memory patterns are cached per input shape; with a new [batch, sequence] shape in
        // almost every batch the cache only grows, so peak RSS would grow with the corpus
        .with_memory_pattern(false)?
        .commit_from_file(path)
}

/// A model error about the file at `path`.
fn model_error(path: &Path, message: String) -> Error {
    Error::Model {
        path: path.to_path_buf(),
        message,
        source: None,
    }
}

/// Builds a session for `path`; a failure names the file and `what` it was meant to be.
fn open_session(env: &Environment, path: &Path, threads: usize, what: &str) -> Result<Session> {
    build_session(env, path, threads).map_err(|e| Error::Model {
        path: path.to_path_buf(),
        message: format!("cannot load {what}"),
        source: Some(Box::new(std::io::Error::other(e.to_string()))),
    })
}

impl OnnxClassifier {
    /// Loads `model` and checks its inputs and outputs against `labels`: `input_ids` and
    /// `attention_mask` must exist, `token_type_ids` and `casing_ids` are filled when present,
    /// and a static logits width must equal the number of labels.
    pub fn load(
        env: &Environment,
        model: &Path,
        labels: LabelMap,
        threads: usize,
    ) -> Result<OnnxClassifier> {
        let err = |message: String| model_error(model, message);
        let session = open_session(env, model, threads, "ONNX model")?;
        let inputs: Vec<String> = session
            .inputs()
            .iter()
            .map(|i| i.name().to_string())
            .collect();
        for required in [TENSOR_INPUT_IDS, TENSOR_ATTENTION_MASK] {
            if !inputs.iter().any(|n| n == required) {
                return Err(err(format!(
                    "model has no `{required}` input (inputs: {})",
                    inputs.join(", ")
                )));
            }
        }
        let known = [
            TENSOR_INPUT_IDS,
            TENSOR_ATTENTION_MASK,
            TENSOR_TOKEN_TYPE_IDS,
            TENSOR_CASING_IDS,
        ];
        if let Some(unknown) = inputs.iter().find(|n| !known.contains(&n.as_str())) {
            return Err(err(format!(
                "model input `{unknown}` is not one whosaid can fill"
            )));
        }
        let output = session
            .outputs()
            .iter()
            .find(|o| o.name() == TENSOR_LOGITS)
            .or_else(|| session.outputs().first())
            .ok_or_else(|| err("model has no outputs".into()))?;
        if let ValueType::Tensor { shape, .. } = output.dtype() {
            if shape.len() != 3 {
                return Err(err(format!(
                    "output `{}` has rank {}, expected [batch, sequence, labels]",
                    output.name(),
                    shape.len()
                )));
            }
            let width = shape[2];
            if width > 0 && width as usize != labels.len() {
                return Err(err(format!(
                    "logits width {width} differs from the {} labels in config.json id2label",
                    labels.len()
                )));
            }
        }
        let logits_name = output.name().to_string();
        let ner_only = RunOptions::new()
            .map_err(|e| err(e.to_string()))?
            .with_outputs(OutputSelector::no_default().with(logits_name.as_str()));
        let with_hidden = RunOptions::new()
            .map_err(|e| err(e.to_string()))?
            .with_outputs(
                OutputSelector::no_default()
                    .with(logits_name.as_str())
                    .with(TENSOR_ATTRIBUTION_HIDDEN),
            );
        Ok(OnnxClassifier {
            head: None,
            ner_only,
            with_hidden,
            has_token_types: inputs.iter().any(|n| n == TENSOR_TOKEN_TYPE_IDS),
            has_casing: inputs.iter().any(|n| n == TENSOR_CASING_IDS),
            session,
            labels,
            logits_name,
            path: model.to_path_buf(),
        })
    }

    /// Loads the attribution head `head` (see `scripts/train_attribution.py`): its inputs must
    /// be `attribution_hidden` and `attention_mask` and its output `attribution_logits`
    /// `[batch, sequence, 9]`, and the NER graph must expose `attribution_hidden`.
    pub fn with_attribution_head(
        mut self,
        env: &Environment,
        head: &Path,
        threads: usize,
    ) -> Result<OnnxClassifier> {
        let err = |message: String| model_error(head, message);
        if !self
            .session
            .outputs()
            .iter()
            .any(|o| o.name() == TENSOR_ATTRIBUTION_HIDDEN)
        {
            return Err(err(format!(
                "{} has no `{TENSOR_ATTRIBUTION_HIDDEN}` output for the attribution head to read",
                self.path.display()
            )));
        }
        let session = open_session(env, head, threads, "the attribution head")?;
        let inputs: Vec<&str> = session.inputs().iter().map(|i| i.name()).collect();
        for required in [TENSOR_ATTRIBUTION_HIDDEN, TENSOR_ATTENTION_MASK] {
            if !inputs.contains(&required) {
                return Err(err(format!("head has no `{required}` input")));
            }
        }
        let output = session
            .outputs()
            .iter()
            .find(|o| o.name() == TENSOR_ATTRIBUTION)
            .ok_or_else(|| err(format!("head has no `{TENSOR_ATTRIBUTION}` output")))?;
        if let ValueType::Tensor { shape, .. } = output.dtype() {
            if shape.len() != 3 || (shape[2] > 0 && shape[2] as usize != ATTRIBUTION_WIDTH) {
                return Err(err(format!(
                    "output `{TENSOR_ATTRIBUTION}` has shape {:?}, expected [batch, sequence, {ATTRIBUTION_WIDTH}]",
                    &shape[..]
                )));
            }
        }
        self.head = Some(session);
        Ok(self)
    }

    /// Path of the loaded model.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl TokenClassifier for OnnxClassifier {
    fn labels(&self) -> &LabelMap {
        &self.labels
    }

    fn wants_casing(&self) -> bool {
        self.has_casing
    }

    fn has_attribution(&self) -> bool {
        self.head.is_some()
    }

    fn logits(&mut self, b: &Batch) -> std::result::Result<Logits, BoxError> {
        let shape = [b.rows as i64, b.seq as i64];
        let mut inputs = vec![
            (
                TENSOR_INPUT_IDS,
                Tensor::from_array((shape, b.input_ids.clone()))?.into_dyn(),
            ),
            (
                TENSOR_ATTENTION_MASK,
                Tensor::from_array((shape, b.attention_mask.clone()))?.into_dyn(),
            ),
        ];
        if self.has_token_types {
            inputs.push((
                TENSOR_TOKEN_TYPE_IDS,
                Tensor::from_array((shape, b.token_type_ids.clone()))?.into_dyn(),
            ));
        }
        if self.has_casing {
            inputs.push((
                TENSOR_CASING_IDS,
                Tensor::from_array((shape, b.casing_ids.clone()))?.into_dyn(),
            ));
        }
        let options = if self.head.is_some() {
            &self.with_hidden
        } else {
            &self.ner_only
        };
        let outputs = self.session.run_with_options(inputs, options)?;
        let value = outputs
            .get(&self.logits_name)
            .ok_or_else(|| format!("no `{}` output", self.logits_name))?;
        let (out_shape, data) = value.try_extract_tensor::<f32>()?;
        let n = self.labels.len() as i64;
        if out_shape.len() != 3 || out_shape[2] != n {
            return Err(format!(
                "logits shape {:?} does not end in the {n} labels of config.json",
                &out_shape[..]
            )
            .into());
        }
        let ner = data.to_vec();
        let attribution = match self.head.as_mut() {
            Some(head) => {
                let hidden = outputs
                    .get(TENSOR_ATTRIBUTION_HIDDEN)
                    .ok_or_else(|| format!("no `{TENSOR_ATTRIBUTION_HIDDEN}` output"))?;
                let (hshape, hdata) = hidden.try_extract_tensor::<f32>()?;
                let hidden = Tensor::from_array((hshape.to_vec(), hdata.to_vec()))?.into_dyn();
                let mask = Tensor::from_array((shape, b.attention_mask.clone()))?.into_dyn();
                let out = head.run(vec![
                    (TENSOR_ATTRIBUTION_HIDDEN, hidden),
                    (TENSOR_ATTENTION_MASK, mask),
                ])?;
                let value = out
                    .get(TENSOR_ATTRIBUTION)
                    .ok_or_else(|| format!("no `{TENSOR_ATTRIBUTION}` output"))?;
                let (ashape, adata) = value.try_extract_tensor::<f32>()?;
                if ashape.len() != 3 || ashape[2] != ATTRIBUTION_WIDTH as i64 {
                    return Err(format!("{TENSOR_ATTRIBUTION} shape {:?}", &ashape[..]).into());
                }
                adata.to_vec()
            }
            None => Vec::new(),
        };
        Ok(Logits { ner, attribution })
    }
}
