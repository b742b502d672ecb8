//! STAGE 3 · [`Encodings`] → [`TokenPredictions`]: the model boundary.
//!
//! Windows of many articles are sorted by length inside the buffer the caller hands in
//! (length bucketing), padded into batches, classified, and the softmaxed scores of each token
//! are taken from the one window that owns it. A failing batch is retried window by window so
//! one bad article cannot fail its neighbours. Must not know about entities or quotes.

mod batch;
pub mod decode;
pub mod fixture;
pub mod labels;
#[cfg(feature = "onnx")]
pub mod onnx;

use crate::encoding::{Encoder, Encodings};
use crate::error::BoxError;

pub use batch::{Batch, BatchStats};
pub use labels::{AttributionLayout, LabelMap, Prefix, Tag};

/// Name of the token-ids input tensor.
pub const TENSOR_INPUT_IDS: &str = "input_ids";
/// Name of the attention-mask input tensor.
pub const TENSOR_ATTENTION_MASK: &str = "attention_mask";
/// Name of the segment-ids input tensor (optional).
pub const TENSOR_TOKEN_TYPE_IDS: &str = "token_type_ids";
/// Name of the word-casing input tensor (optional; see `encoding::casing`).
pub const TENSOR_CASING_IDS: &str = "casing_ids";
/// Name of the output tensor.
pub const TENSOR_LOGITS: &str = "logits";
/// Name of the joint graph's second output: `[batch, seq, 9]`, three O/B/I groups for the
/// cue, source and content of an attribution, from the same encoder pass as [`TENSOR_LOGITS`]
/// (see `scripts/train_joint.py`).
pub const TENSOR_ATTRIBUTION: &str = "attribution_logits";
/// Width of [`TENSOR_ATTRIBUTION`]: three layers of three tags.
pub const ATTRIBUTION_WIDTH: usize = 9;

/// What one batch returns: entity logits, and attribution logits when the model has them and they are wanted.
/// Both row-major `[rows, seq, width]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Logits {
    /// Entity logits, width = number of labels.
    pub ner: Vec<f32>,
    /// Attribution logits, width [`ATTRIBUTION_WIDTH`]; empty when the model has none (or they are not wanted).
    pub attribution: Vec<f32>,
}

/// Anything that turns a padded batch into logits.
pub trait TokenClassifier: Send {
    /// Labels of the output classes, in logit order.
    fn labels(&self) -> &LabelMap;
    /// True when the model takes a `casing_ids` input.
    fn wants_casing(&self) -> bool;
    /// True when the model also tags attributions ([`TENSOR_ATTRIBUTION`]).
    fn has_attribution(&self) -> bool {
        false
    }

    /// Logits for the batch.
    fn logits(&mut self, batch: &Batch) -> Result<Logits, BoxError>;

    /// How many batches [`TokenClassifier::logits_all`] runs at once (1: one after another).
    fn parallelism(&self) -> usize {
        1
    }

    /// Logits for each batch, in order; an implementation may run several at once. A panic
    /// while classifying a batch is that batch's error ([`guarded`]), never its neighbours'.
    fn logits_all(&mut self, batches: &[Batch]) -> Vec<Result<Logits, BoxError>> {
        batches.iter().map(|b| guarded(|| self.logits(b))).collect()
    }
}

/// Batches handed to [`TokenClassifier::logits_all`] at once, per unit of its parallelism:
/// enough for every session to stay busy while batches differ in length, few enough that the
/// inputs and logits held at once stay small.
const BATCHES_IN_FLIGHT_PER_SESSION: usize = 4;

/// Per-token class probabilities of one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TokenPredictions {
    /// Number of classes.
    pub n_labels: usize,
    /// Probabilities, row-major `[tokens, labels]`.
    pub probs: Vec<f32>,
    /// Attribution tag probabilities, row-major `[tokens, ATTRIBUTION_WIDTH]` (each group of
    /// three sums to 1); empty when the model has no attribution output.
    pub attribution: Vec<f32>,
}

impl TokenPredictions {
    /// Probabilities of token `t` (empty if out of range).
    pub fn token(&self, t: usize) -> &[f32] {
        self.probs
            .get(t * self.n_labels..(t + 1) * self.n_labels)
            .unwrap_or(&[])
    }

    /// Attribution probabilities of token `t`: cue, source, content, each O/B/I (empty if
    /// the model has no attribution output).
    pub fn attribution(&self, t: usize) -> &[f32] {
        self.attribution
            .get(t * ATTRIBUTION_WIDTH..(t + 1) * ATTRIBUTION_WIDTH)
            .unwrap_or(&[])
    }
}

/// Runs the classifier over the windows of every article in `docs`.
///
/// Returns one result per article, in order, and batch statistics. `batch_size` is the number
/// of windows per inference call. The output depends only on `docs` and `batch_size`, never on
/// timing or thread count.
pub fn predict(
    classifier: &mut dyn TokenClassifier,
    encoder: &Encoder,
    docs: &[&Encodings],
    batch_size: usize,
) -> (Vec<Result<TokenPredictions, BoxError>>, BatchStats) {
    let n_labels = classifier.labels().len();
    let casing = classifier.wants_casing();
    let attr = if classifier.has_attribution() {
        ATTRIBUTION_WIDTH
    } else {
        0
    };
    let mut out: Vec<Result<TokenPredictions, BoxError>> = docs
        .iter()
        .map(|d| {
            Ok(TokenPredictions {
                n_labels,
                probs: vec![0.0; d.tokens.len() * n_labels],
                attribution: vec![0.0; d.tokens.len() * attr],
            })
        })
        .collect();
    let order = bucket_order(docs);
    let mut stats = BatchStats::default();
    let chunks: Vec<&[(usize, usize)]> = order.chunks(batch_size.max(1)).collect();
    let in_flight = classifier.parallelism().max(1) * BATCHES_IN_FLIGHT_PER_SESSION;
    for group in chunks.chunks(in_flight) {
        let batches: Vec<Batch> = group
            .iter()
            .map(|chunk| Batch::build(encoder, docs, chunk, casing))
            .collect();
        batches.iter().for_each(|b| stats.add(b));
        let results = classifier.logits_all(&batches);
        for ((chunk, batch), result) in group.iter().zip(&batches).zip(results) {
            settle(classifier, encoder, docs, chunk, batch, result, &mut out);
        }
    }
    (out, stats)
}

/// Scatters one batch's logits into `out`; a failed batch of several windows is retried window
/// by window, so only the article whose window fails is lost.
fn settle(
    classifier: &mut dyn TokenClassifier,
    encoder: &Encoder,
    docs: &[&Encodings],
    chunk: &[(usize, usize)],
    batch: &Batch,
    result: Result<Logits, BoxError>,
    out: &mut [Result<TokenPredictions, BoxError>],
) {
    let n_labels = classifier.labels().len();
    let casing = classifier.wants_casing();
    match result {
        Ok(logits) => scatter(batch, &logits, docs, chunk, n_labels, out),
        Err(_) if chunk.len() > 1 => {
            // retry alone, so only the article whose window fails is lost
            for one in chunk {
                let single = std::slice::from_ref(one);
                let b = Batch::build(encoder, docs, single, casing);
                match guarded(|| classifier.logits(&b)) {
                    Ok(l) => scatter(&b, &l, docs, single, n_labels, out),
                    Err(e) => out[one.0] = Err(e),
                }
            }
        }
        Err(e) => out[chunk[0].0] = Err(e),
    }
}

/// A panic inside the classifier, caught and returned as the batch's error; the pipeline
/// reports it as an internal error of the article.
#[derive(Debug)]
pub struct ModelPanic(pub String);

impl std::fmt::Display for ModelPanic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "panic in the model: {}", self.0)
    }
}

impl std::error::Error for ModelPanic {}

/// A classifier call, with a panic inside it turned into an error for the batch (which
/// [`predict`] then retries window by window).
pub fn guarded(f: impl FnOnce() -> Result<Logits, BoxError>) -> Result<Logits, BoxError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let msg = crate::error::panic_message(payload.as_ref());
        Err(Box::new(ModelPanic(msg)) as BoxError)
    })
}

/// Every (article, window) pair of `docs`, longest window first: consecutive runs of this order
/// make the batches, so padding stays small. The sort is stable, so ties keep input order and
/// the batches depend on nothing but the input.
pub fn bucket_order(docs: &[&Encodings]) -> Vec<(usize, usize)> {
    let mut order: Vec<(usize, usize)> = docs
        .iter()
        .enumerate()
        .flat_map(|(d, e)| (0..e.windows.len()).map(move |w| (d, w)))
        .collect();
    order.sort_by_key(|&(d, w)| std::cmp::Reverse(docs[d].windows[w].tokens.len()));
    order
}

fn scatter(
    batch: &Batch,
    logits: &Logits,
    docs: &[&Encodings],
    chunk: &[(usize, usize)],
    n_labels: usize,
    out: &mut [Result<TokenPredictions, BoxError>],
) {
    let cells = batch.rows * batch.seq;
    let attr_ok =
        logits.attribution.is_empty() || logits.attribution.len() == cells * ATTRIBUTION_WIDTH;
    if logits.ner.len() != cells * n_labels || !attr_ok {
        let msg = format!(
            "model returned {} logits ({} attribution) for a [{}, {}, {}] batch",
            logits.ner.len(),
            logits.attribution.len(),
            batch.rows,
            batch.seq,
            n_labels
        );
        for &(d, _) in chunk {
            out[d] = Err(msg.clone().into());
        }
        return;
    }
    for (row, &(d, w)) in chunk.iter().enumerate() {
        let window = &docs[d].windows[w];
        let Ok(pred) = &mut out[d] else { continue };
        for t in window.owned.clone() {
            let pos = batch.prefix_len + (t - window.tokens.start);
            let base = (row * batch.seq + pos) * n_labels;
            let dst = &mut pred.probs[t * n_labels..(t + 1) * n_labels];
            softmax(&logits.ner[base..base + n_labels], dst);
            if pred.attribution.is_empty() || logits.attribution.is_empty() {
                continue;
            }
            let src = (row * batch.seq + pos) * ATTRIBUTION_WIDTH;
            let dst = &mut pred.attribution[t * ATTRIBUTION_WIDTH..(t + 1) * ATTRIBUTION_WIDTH];
            for g in 0..ATTRIBUTION_WIDTH / 3 {
                softmax(
                    &logits.attribution[src + 3 * g..src + 3 * g + 3],
                    &mut dst[3 * g..3 * g + 3],
                );
            }
        }
    }
}

/// Numerically stable softmax of `x` into `out`.
pub fn softmax(x: &[f32], out: &mut [f32]) {
    let max = x.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for (o, v) in out.iter_mut().zip(x) {
        *o = (v - max).exp();
        sum += *o;
    }
    for o in out.iter_mut() {
        *o /= sum;
    }
}
