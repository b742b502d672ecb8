//! ONNX Runtime classifier (feature `onnx`): one or more sessions of one graph, schema checked
//! at load. Several sessions run several batches at once (see [`session_split`]).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use ort::environment::Environment;
use ort::session::builder::GraphOptimizationLevel;
use ort::session::{HasSelectedOutputs, OutputSelector, RunOptions, Session};
use ort::value::{Tensor, ValueType};

use super::{
    Batch, LabelMap, Logits, TokenClassifier, ATTRIBUTION_WIDTH, TENSOR_ATTENTION_MASK,
    TENSOR_ATTRIBUTION, TENSOR_CASING_IDS, TENSOR_INPUT_IDS, TENSOR_LOGITS, TENSOR_TOKEN_TYPE_IDS,
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
///
/// One graph serves both tasks: `logits` for entities and, when the graph has it and claims
/// are wanted, `attribution_logits` from the same encoder pass (see `scripts/train_joint.py`).
pub struct OnnxClassifier {
    /// One or more sessions of the same graph, each with its own run options; batches handed
    /// over together are shared among them (see [`session_split`]).
    workers: Vec<Worker>,
    io: GraphIo,
    labels: LabelMap,
    path: PathBuf,
}

/// What every session needs to know about the graph's inputs and outputs.
struct GraphIo {
    labels: usize,
    has_token_types: bool,
    has_casing: bool,
    /// True when the graph has [`TENSOR_ATTRIBUTION`] and the caller wants it.
    attribution: bool,
    logits_name: String,
}

/// One session and the run options it is called with.
struct Worker {
    session: Session,
    /// The outputs asked for: the entity logits, plus the attribution logits when wanted.
    outputs: RunOptions<HasSelectedOutputs>,
}

/// Most sessions one classifier opens: each holds its own copy of the graph's weights (about
/// 45 MB of resident memory for the shipped int8 model), so past this many inference threads
/// the sessions share the threads instead.
pub const MAX_SESSIONS: usize = 8;

/// How `threads` inference threads are laid out: (sessions, intra-op threads per session).
///
/// One single-threaded session per thread, each running its own batch, up to [`MAX_SESSIONS`];
/// past that, the threads are shared out among the sessions. A small encoder's matmuls are too
/// short for ONNX Runtime to split well across threads, so whole batches side by side keep
/// every core busier (measured on 2 cores with `scripts/bench/compare_binaries.py`: with
/// batches of 8, 0.73 × the time of one two-thread session; BENCHMARKS.md has the end-to-end
/// figures). Logits do not depend on the layout: the int8 graph is
/// row-local and a batch's numbers are the same in any session at any thread count.
pub fn session_split(threads: usize) -> (usize, usize) {
    let threads = threads.max(1);
    let sessions = threads.min(MAX_SESSIONS);
    (sessions, threads / sessions)
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
    /// and a static logits width must equal the number of labels. With `attribution`, the
    /// graph's [`TENSOR_ATTRIBUTION`] output is read too when it has one (its shape checked);
    /// without, it is never fetched.
    pub fn load(
        env: &Environment,
        model: &Path,
        labels: LabelMap,
        threads: usize,
        attribution: bool,
    ) -> Result<OnnxClassifier> {
        let err = |message: String| model_error(model, message);
        let (sessions, intra) = session_split(threads);
        let session = open_session(env, model, intra, "ONNX model")?;
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
        let attribution_output = session
            .outputs()
            .iter()
            .find(|o| o.name() == TENSOR_ATTRIBUTION);
        if let Some(o) = attribution_output {
            if let ValueType::Tensor { shape, .. } = o.dtype() {
                if shape.len() != 3 || (shape[2] > 0 && shape[2] as usize != ATTRIBUTION_WIDTH) {
                    return Err(err(format!(
                        "output `{TENSOR_ATTRIBUTION}` has shape {:?}, expected [batch, sequence, {ATTRIBUTION_WIDTH}]",
                        &shape[..]
                    )));
                }
            }
        }
        let attribution = attribution && attribution_output.is_some();
        let run_options = || {
            let mut selected = OutputSelector::no_default().with(logits_name.as_str());
            if attribution {
                selected = selected.with(TENSOR_ATTRIBUTION);
            }
            RunOptions::new()
                .map(|o| o.with_outputs(selected))
                .map_err(|e| err(e.to_string()))
        };
        let mut workers = vec![Worker {
            session,
            outputs: run_options()?,
        }];
        for _ in 1..sessions {
            workers.push(Worker {
                session: open_session(env, model, intra, "ONNX model")?,
                outputs: run_options()?,
            });
        }
        Ok(OnnxClassifier {
            workers,
            io: GraphIo {
                labels: labels.len(),
                has_token_types: inputs.iter().any(|n| n == TENSOR_TOKEN_TYPE_IDS),
                has_casing: inputs.iter().any(|n| n == TENSOR_CASING_IDS),
                attribution,
                logits_name,
            },
            labels,
            path: model.to_path_buf(),
        })
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
        self.io.has_casing
    }

    fn has_attribution(&self) -> bool {
        self.io.attribution
    }

    fn parallelism(&self) -> usize {
        self.workers.len()
    }

    fn logits(&mut self, b: &Batch) -> std::result::Result<Logits, BoxError> {
        match self.workers.first_mut() {
            Some(w) => w.run(&self.io, b),
            None => Err("no session".into()),
        }
    }

    /// The batches shared among the sessions: each session takes the next batch not yet taken
    /// until none is left (the first on this thread, the others on scoped threads, so one
    /// session runs them all in order on this thread). A panic
    /// inside a session is that batch's error, as in [`super::guarded`].
    fn logits_all(&mut self, batches: &[Batch]) -> Vec<std::result::Result<Logits, BoxError>> {
        let io = &self.io;
        let Some((first, rest)) = self.workers.split_first_mut() else {
            return batches.iter().map(|_| Err("no session".into())).collect();
        };
        let next = AtomicUsize::new(0);
        let work = |worker: &mut Worker| {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(b) = batches.get(i) else { break };
                done.push((i, super::guarded(|| worker.run(io, b))));
            }
            done
        };
        let mut results: Vec<Option<std::result::Result<Logits, BoxError>>> =
            batches.iter().map(|_| None).collect();
        let finished = std::thread::scope(|scope| {
            let handles: Vec<_> = rest.iter_mut().map(|w| scope.spawn(|| work(w))).collect();
            let mut all = work(first);
            for h in handles {
                // `work` catches panics per batch, so a thread can only end by returning
                all.extend(h.join().unwrap_or_default());
            }
            all
        });
        for (i, r) in finished {
            results[i] = Some(r);
        }
        results
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Err("batch not run: its session stopped".into())))
            .collect()
    }
}

impl Worker {
    fn run(&mut self, g: &GraphIo, b: &Batch) -> std::result::Result<Logits, BoxError> {
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
        if g.has_token_types {
            inputs.push((
                TENSOR_TOKEN_TYPE_IDS,
                Tensor::from_array((shape, b.token_type_ids.clone()))?.into_dyn(),
            ));
        }
        if g.has_casing {
            inputs.push((
                TENSOR_CASING_IDS,
                Tensor::from_array((shape, b.casing_ids.clone()))?.into_dyn(),
            ));
        }
        let outputs = self.session.run_with_options(inputs, &self.outputs)?;
        let value = outputs
            .get(g.logits_name.as_str())
            .ok_or_else(|| format!("no `{}` output", g.logits_name))?;
        let (out_shape, data) = value.try_extract_tensor::<f32>()?;
        let n = g.labels as i64;
        if out_shape.len() != 3 || out_shape[2] != n {
            return Err(format!(
                "logits shape {:?} does not end in the {n} labels of config.json",
                &out_shape[..]
            )
            .into());
        }
        let ner = data.to_vec();
        let attribution = if g.attribution {
            let value = outputs
                .get(TENSOR_ATTRIBUTION)
                .ok_or_else(|| format!("no `{TENSOR_ATTRIBUTION}` output"))?;
            let (ashape, adata) = value.try_extract_tensor::<f32>()?;
            if ashape.len() != 3 || ashape[2] != ATTRIBUTION_WIDTH as i64 {
                return Err(format!("{TENSOR_ATTRIBUTION} shape {:?}", &ashape[..]).into());
            }
            adata.to_vec()
        } else {
            Vec::new()
        };
        Ok(Logits { ner, attribution })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_take_one_thread_each_up_to_the_cap() {
        for (threads, want) in [
            (0, (1, 1)),
            (1, (1, 1)),
            (2, (2, 1)),
            (7, (7, 1)),
            (MAX_SESSIONS, (MAX_SESSIONS, 1)),
            (2 * MAX_SESSIONS, (MAX_SESSIONS, 2)),
            (2 * MAX_SESSIONS + 1, (MAX_SESSIONS, 2)),
        ] {
            assert_eq!(session_split(threads), want, "{threads} threads");
        }
    }
}
