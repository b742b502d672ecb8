//! STAGE 3 · [`Encodings`] → [`TokenPredictions`]: the model boundary.
//!
//! Windows of many articles are sorted by length inside the buffer the caller hands in
//! (length bucketing), padded into batches, classified, and the softmaxed scores of each token
//! are taken from the one window that owns it. A failing batch is retried window by window so
//! one bad article cannot fail its neighbours. Must not know about entities or quotes.

mod batch;
pub mod fixture;
pub mod labels;
#[cfg(feature = "onnx")]
pub mod onnx;

use crate::encoding::{Encoder, Encodings};
use crate::error::BoxError;

pub use batch::{Batch, BatchStats};
pub use labels::{LabelMap, Prefix, Tag};

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

/// Anything that turns a padded batch into logits.
pub trait TokenClassifier: Send {
    /// Labels of the output classes, in logit order.
    fn labels(&self) -> &LabelMap;
    /// True when the model takes a `casing_ids` input.
    fn wants_casing(&self) -> bool;
    /// Logits for the batch, row-major `[rows, seq, labels]`.
    fn logits(&mut self, batch: &Batch) -> Result<Vec<f32>, BoxError>;
}

/// Per-token class probabilities of one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TokenPredictions {
    /// Number of classes.
    pub n_labels: usize,
    /// Probabilities, row-major `[tokens, labels]`.
    pub probs: Vec<f32>,
}

impl TokenPredictions {
    /// Probabilities of token `t` (empty if out of range).
    pub fn token(&self, t: usize) -> &[f32] {
        self.probs
            .get(t * self.n_labels..(t + 1) * self.n_labels)
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
    let mut out: Vec<Result<TokenPredictions, BoxError>> = docs
        .iter()
        .map(|d| {
            Ok(TokenPredictions {
                n_labels,
                probs: vec![0.0; d.tokens.len() * n_labels],
            })
        })
        .collect();
    let order = bucket_order(docs);
    let mut stats = BatchStats::default();
    for chunk in order.chunks(batch_size.max(1)) {
        let batch = Batch::build(encoder, docs, chunk, casing);
        stats.add(&batch);
        match classifier.logits(&batch) {
            Ok(logits) => scatter(&batch, &logits, docs, chunk, n_labels, &mut out),
            Err(_) if chunk.len() > 1 => {
                // retry alone, so only the article whose window fails is lost
                for one in chunk {
                    let single = std::slice::from_ref(one);
                    let b = Batch::build(encoder, docs, single, casing);
                    match classifier.logits(&b) {
                        Ok(l) => scatter(&b, &l, docs, single, n_labels, &mut out),
                        Err(e) => out[one.0] = Err(e),
                    }
                }
            }
            Err(e) => out[chunk[0].0] = Err(e),
        }
    }
    (out, stats)
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
    logits: &[f32],
    docs: &[&Encodings],
    chunk: &[(usize, usize)],
    n_labels: usize,
    out: &mut [Result<TokenPredictions, BoxError>],
) {
    if logits.len() != batch.rows * batch.seq * n_labels {
        let msg = format!(
            "model returned {} logits for a [{}, {}, {}] batch",
            logits.len(),
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
            softmax(&logits[base..base + n_labels], dst);
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
