//! The only place that knows the order of the stages.
//!
//! `article → segment → encoding → prediction → entity → quote → record`
//!
//! [`Pipeline::run`] streams articles in chunks of `buffer` articles through three threads
//! that overlap: reading + segmentation + tokenization (parallel over the chunk), inference
//! (batched across the chunk's articles, windows bucketed by length), and decoding + claims +
//! record building (parallel), handing outcomes to the caller's sink in input order. Memory is
//! bounded by a few chunks in flight. Output depends only on the input, `buffer` and
//! `batch_size`, never on thread count or timing.

mod load;

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::article::{Article, Origin};
use crate::encoding::{Encoder, Encodings};
use crate::entity::{self, Aggregation, Entities};
use crate::error::{panic_message, Error, Result};
use crate::prediction::{self, AttributionLayout, BatchStats, TokenClassifier, TokenPredictions};
use crate::quote::confidence::Calibration;
use crate::quote::{self, Quote};
use crate::record::Record;
use crate::segment::{self, Segments};
use crate::span::ArticleId;

pub use load::{
    load, thread_split, LoadOptions, ModelDir, CASING_SCHEME, DEFAULT_MODEL,
    DEFAULT_WINDOW_OVERLAP, DEFAULT_WINDOW_TOKENS,
};

/// Tuning of a pipeline run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PipelineConfig {
    /// Subword → word aggregation.
    pub aggregation: Aggregation,
    /// Windows per inference call.
    pub batch_size: usize,
    /// Articles per chunk: windows are sorted by length within a chunk.
    pub buffer: usize,
    /// Body bytes per chunk: a chunk closes before the article that would take it past this,
    /// and an article of a quarter of this or more is a chunk of its own, so a huge article
    /// never holds back the records of its neighbours for longer than its own processing.
    pub chunk_bytes: usize,
    /// Extract claims and speakers (off for NER-only evaluation).
    pub claims: bool,
    /// Report calibrated claim confidences (`quote::confidence`, with the model's table;
    /// a model without one reports raw scores); off, the raw scores.
    pub calibrate: bool,
    /// Decode word tags as the most probable BIO-valid sequence (`prediction::decode`);
    /// off, each word's argmax.
    pub bio_constraints: bool,
    /// What the model's attribution tags make: joined with the rules' claims (what whosaid
    /// writes; [`load`](crate::pipeline::load) sets the model's own `min_score`) or the
    /// model's claims alone (`--model-alone`, the model's part for eval).
    pub merge: quote::Merge,
}

/// Default [`PipelineConfig::batch_size`]: windows per inference call. Small batches keep a
/// single-threaded session's activations in cache, and each session runs its own batch
/// (`prediction::onnx::session_split`); measured on 2 cores with
/// `scripts/bench/compare_binaries.py`, sessions and batches of 8 together took 0.87 × the
/// time of one session at 32. Records do not depend on it.
pub const DEFAULT_BATCH_SIZE: usize = 8;

/// Default [`PipelineConfig::chunk_bytes`]: 1 MiB, about 200 news articles (so the
/// `buffer` count closes ordinary chunks); articles of 256 KiB or more go alone.
pub const DEFAULT_CHUNK_BYTES: usize = 1 << 20;

impl Default for PipelineConfig {
    fn default() -> Self {
        PipelineConfig {
            aggregation: Aggregation::First,
            batch_size: DEFAULT_BATCH_SIZE,
            buffer: 64,
            chunk_bytes: DEFAULT_CHUNK_BYTES,
            claims: true,
            calibrate: true,
            bio_constraints: true,
            merge: quote::Merge::default(),
        }
    }
}

/// Everything the pipeline produced for one article.
#[derive(Debug, Clone)]
pub struct Processed {
    /// The article.
    pub article: Article,
    /// Its segments.
    pub segments: Segments,
    /// Its entities (byte spans).
    pub entities: Entities,
    /// Its claims (byte spans).
    pub quotes: Vec<Quote>,
    /// Its record (code point offsets).
    pub record: Record,
}

/// What happened to one input item.
#[derive(Debug)]
pub enum Outcome {
    /// The article was processed.
    Done(Box<Processed>),
    /// The item failed; `id` is known when the article could be read.
    Failed {
        /// Where it came from.
        origin: Origin,
        /// Article id, when known.
        id: Option<String>,
        /// Why.
        error: Error,
    },
}

/// Counters and per-stage times for `--stats`.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunStats {
    /// Articles processed or failed.
    pub articles: usize,
    /// Sentences.
    pub sentences: usize,
    /// Subword tokens.
    pub tokens: usize,
    /// Batch counters.
    pub batches: BatchStats,
    /// Time reading, segmenting and tokenizing.
    pub pre: Duration,
    /// Time in the model.
    pub inference: Duration,
    /// Time decoding, attributing claims and building records.
    pub post: Duration,
}

/// The stages with their loaded state.
pub struct Pipeline {
    encoder: Encoder,
    classifier: Box<dyn TokenClassifier>,
    config: PipelineConfig,
    /// The model's claim-confidence table; without one, claims carry raw scores.
    calibration: Option<Arc<Calibration>>,
    /// Where the cue, source and content sit in the model's attribution output.
    layout: AttributionLayout,
}

/// What the decoding stages read of the model besides its predictions: its labels, its
/// attribution layout and its claim-confidence table, with the stage tuning.
#[derive(Clone)]
struct Post {
    labels: prediction::LabelMap,
    layout: AttributionLayout,
    calibration: Option<Arc<Calibration>>,
    config: PipelineConfig,
}

type Pre = (Article, Result<(Segments, Encodings)>);

impl Pipeline {
    /// A pipeline over a loaded encoder and classifier.
    pub fn new(
        encoder: Encoder,
        classifier: Box<dyn TokenClassifier>,
        config: PipelineConfig,
    ) -> Pipeline {
        Pipeline {
            encoder,
            classifier,
            config,
            calibration: None,
            layout: AttributionLayout::default(),
        }
    }

    /// The group order of the model's attribution output (the model's `config.json`); [`load`]
    /// sets it, the default is the order `scripts/train_joint.py` writes.
    pub fn set_attribution_layout(&mut self, layout: AttributionLayout) {
        self.layout = layout;
    }

    fn post(&self) -> Post {
        Post {
            labels: self.classifier.labels().clone(),
            layout: self.layout,
            calibration: self.calibration.clone(),
            config: self.config,
        }
    }

    /// Claim confidences calibrated with `table` (the model's `confidence.json`); `None`:
    /// raw scores. [`load`] sets the model directory's table.
    pub fn set_calibration(&mut self, table: Option<Calibration>) {
        self.calibration = table.map(Arc::new);
    }

    /// The claim-confidence table in use, if any.
    pub fn calibration(&self) -> Option<&Calibration> {
        self.calibration.as_deref()
    }

    /// The tuning this pipeline runs with.
    pub fn config(&self) -> PipelineConfig {
        self.config
    }

    /// Sets the articles per chunk of [`Pipeline::run`] (at least 1).
    pub fn set_buffer(&mut self, buffer: usize) {
        self.config.buffer = buffer.max(1);
    }

    /// The encoder.
    pub fn encoder(&self) -> &Encoder {
        &self.encoder
    }

    /// Processes one article (library convenience; batch runs use [`Pipeline::run`]).
    pub fn process(&mut self, article: Article) -> Result<Processed> {
        let segments = segment::segment(&article);
        self.process_segmented(vec![(article, segments)])
            .pop()
            .unwrap_or_else(|| {
                Err(Error::Internal {
                    id: Default::default(),
                    message: "no output for one input".into(),
                })
            })
    }

    /// Processes articles whose segments are given (evaluation on gold sentences), in order.
    pub fn process_segmented(&mut self, items: Vec<(Article, Segments)>) -> Vec<Result<Processed>> {
        let pre: Vec<Pre> = items
            .into_par_iter()
            .map(|(a, s)| {
                let enc = guarded(&a.id, "tokenization", || {
                    self.encoder.encode(&a, &s).map(|e| (s, e))
                });
                (a, enc)
            })
            .collect();
        let (inferred, _) = self.infer(pre);
        let post = self.post();
        inferred
            .into_par_iter()
            .map(|(a, r)| finish(a, r, &post))
            .collect()
    }

    fn infer(&mut self, pre: Vec<Pre>) -> (Vec<Inferred>, BatchStats) {
        let ok: Vec<&Encodings> = pre
            .iter()
            .filter_map(|(_, r)| r.as_ref().ok().map(|(_, e)| e))
            .collect();
        let (preds, stats) = prediction::predict(
            self.classifier.as_mut(),
            &self.encoder,
            &ok,
            self.config.batch_size,
        );
        let mut preds = preds.into_iter();
        let out = pre
            .into_iter()
            .map(|(a, r)| {
                let r = attach(&a, r, &mut preds);
                (a, r)
            })
            .collect();
        (out, stats)
    }

    /// Streams `input` through every stage and hands each outcome to `sink`, in input order.
    /// Stops early, returning the sink's error, if the sink fails (a closed pipe).
    pub fn run<I, S>(&mut self, input: I, mut sink: S) -> std::io::Result<RunStats>
    where
        I: Iterator<Item = Result<Article>> + Send,
        S: FnMut(Outcome) -> std::io::Result<()> + Send,
    {
        let buffer = self.config.buffer.max(1);
        let config = self.config;
        let post = self.post();
        let mut stats = RunStats::default();
        // rendezvous channels: at most one chunk per stage is alive, so peak memory does not
        // depend on corpus size (measured: 1x vs 10x corpus within 3%, BENCHMARKS.md)
        let (pre_tx, pre_rx) = sync_channel::<(Vec<Item>, Duration)>(0);
        let (inf_tx, inf_rx) = sync_channel::<Vec<InfItem>>(0);
        let encoder = &self.encoder;
        let classifier = &mut self.classifier;
        std::thread::scope(|scope| {
            let chunk_bytes = config.chunk_bytes.max(1);
            scope.spawn(move || read_and_encode(input, buffer, chunk_bytes, encoder, pre_tx));
            let post = scope.spawn(move || post_and_sink(inf_rx, &post, &mut sink));
            for (chunk, pre_time) in pre_rx {
                let t = Instant::now();
                stats.pre += pre_time;
                let (items, b) =
                    infer_chunk(classifier.as_mut(), encoder, config, chunk, &mut stats);
                stats.batches.merge(&b);
                stats.inference += t.elapsed();
                if inf_tx.send(items).is_err() {
                    break; // the sink stopped
                }
            }
            drop(inf_tx);
            let (post_time, result) = post.join().unwrap_or_else(|_| {
                (
                    Duration::ZERO,
                    Err(std::io::Error::other("post-processing thread panicked")),
                )
            });
            stats.post = post_time;
            result.map(|()| stats)
        })
    }
}

type Inferred = (Article, Result<(Segments, Encodings, TokenPredictions)>);

/// An input item after pre-processing: an article with its encodings, or a read failure.
enum Item {
    Article(Pre),
    Unreadable(Error),
}

enum InfItem {
    Article(Box<Inferred>),
    Unreadable(Error),
}

/// The next chunk of `input`: at most `buffer` items and, unless it is one article, at most
/// `chunk_bytes` body bytes; an article of `chunk_bytes / 4` or more is a chunk of its own.
fn next_chunk<I>(
    input: &mut std::iter::Peekable<I>,
    buffer: usize,
    chunk_bytes: usize,
) -> Vec<Result<Article>>
where
    I: Iterator<Item = Result<Article>>,
{
    let mut raw = Vec::new();
    let mut bytes = 0usize;
    while raw.len() < buffer {
        let size = match input.peek() {
            None => break,
            Some(Ok(a)) => a.body.len(),
            Some(Err(_)) => 0,
        };
        let alone = size >= chunk_bytes / 4;
        if !raw.is_empty() && (alone || bytes.saturating_add(size) > chunk_bytes) {
            break;
        }
        let Some(item) = input.next() else { break };
        raw.push(item);
        bytes = bytes.saturating_add(size);
        if alone {
            break;
        }
    }
    raw
}

fn read_and_encode<I>(
    input: I,
    buffer: usize,
    chunk_bytes: usize,
    encoder: &Encoder,
    tx: SyncSender<(Vec<Item>, Duration)>,
) where
    I: Iterator<Item = Result<Article>>,
{
    let mut input = input.peekable();
    while input.peek().is_some() {
        let t = Instant::now();
        let raw = next_chunk(&mut input, buffer, chunk_bytes);
        let items: Vec<Item> = raw
            .into_par_iter()
            .map(|r| match r {
                Ok(a) => {
                    let e = guarded(&a.id, "segmentation and tokenization", || {
                        let s = segment::segment(&a);
                        encoder.encode(&a, &s).map(|e| (s, e))
                    });
                    Item::Article((a, e))
                }
                Err(e) => Item::Unreadable(e),
            })
            .collect();
        if tx.send((items, t.elapsed())).is_err() {
            return;
        }
    }
}

fn infer_chunk(
    classifier: &mut dyn TokenClassifier,
    encoder: &Encoder,
    config: PipelineConfig,
    chunk: Vec<Item>,
    stats: &mut RunStats,
) -> (Vec<InfItem>, BatchStats) {
    let docs: Vec<&Encodings> = chunk
        .iter()
        .filter_map(|i| match i {
            Item::Article((_, Ok((_, e)))) => Some(e),
            _ => None,
        })
        .collect();
    stats.articles += chunk.len();
    stats.tokens += docs.iter().map(|d| d.tokens.len()).sum::<usize>();
    stats.sentences += chunk
        .iter()
        .map(|i| match i {
            Item::Article((_, Ok((s, _)))) => s.sentences.len(),
            _ => 0,
        })
        .sum::<usize>();
    let (preds, b) = prediction::predict(classifier, encoder, &docs, config.batch_size);
    let mut preds = preds.into_iter();
    let items = chunk
        .into_iter()
        .map(|i| match i {
            Item::Unreadable(e) => InfItem::Unreadable(e),
            Item::Article((a, r)) => {
                let r = attach(&a, r, &mut preds);
                InfItem::Article(Box::new((a, r)))
            }
        })
        .collect();
    (items, b)
}

fn post_and_sink<S>(
    rx: Receiver<Vec<InfItem>>,
    post: &Post,
    sink: &mut S,
) -> (Duration, std::io::Result<()>)
where
    S: FnMut(Outcome) -> std::io::Result<()>,
{
    let mut time = Duration::ZERO;
    for chunk in rx {
        let t = Instant::now();
        let outcomes: Vec<Outcome> = chunk
            .into_par_iter()
            .map(|i| match i {
                InfItem::Unreadable(error) => Outcome::Failed {
                    origin: match &error {
                        Error::BadInput { input, line, .. } => Origin {
                            input: input.clone(),
                            line: *line,
                        },
                        Error::Io { path, .. } => Origin {
                            input: path.display().to_string(),
                            line: 0,
                        },
                        _ => Origin::default(),
                    },
                    id: None,
                    error,
                },
                InfItem::Article(item) => {
                    let (a, r) = *item;
                    let origin = a.origin.clone();
                    let id = a.id.0.clone();
                    match finish(a, r, post) {
                        Ok(p) => Outcome::Done(Box::new(p)),
                        Err(error) => Outcome::Failed {
                            origin,
                            id: Some(id),
                            error,
                        },
                    }
                }
            })
            .collect();
        time += t.elapsed();
        for o in outcomes {
            if let Err(e) = sink(o) {
                return (time, Err(e));
            }
        }
    }
    (time, Ok(()))
}

/// Runs one article's stage, turning a panic inside it (a bug in a rule, in the tokenizer)
/// into an [`Error::Internal`] for that article, so the run goes on with the others.
pub fn guarded<T>(id: &ArticleId, stage: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => Err(Error::Internal {
            id: id.clone(),
            message: format!("panic in {stage}: {}", panic_message(payload.as_ref())),
        }),
    }
}

/// Pairs an article's encodings with the next prediction (predictions come in the order of the
/// articles that encoded successfully).
fn attach(
    article: &Article,
    encoded: Result<(Segments, Encodings)>,
    preds: &mut impl Iterator<Item = std::result::Result<TokenPredictions, crate::error::BoxError>>,
) -> Result<(Segments, Encodings, TokenPredictions)> {
    let (s, e) = encoded?;
    match preds.next() {
        Some(Ok(p)) => Ok((s, e, p)),
        Some(Err(source)) if source.is::<prediction::ModelPanic>() => Err(Error::Internal {
            id: article.id.clone(),
            message: source.to_string(),
        }),
        Some(Err(source)) => Err(Error::Inference {
            id: article.id.clone(),
            source,
        }),
        None => Err(Error::Internal {
            id: article.id.clone(),
            message: "no prediction for article".into(),
        }),
    }
}

/// Decoding, claims and the record of one article, a panic inside them caught as its error.
fn finish(
    article: Article,
    r: Result<(Segments, Encodings, TokenPredictions)>,
    post: &Post,
) -> Result<Processed> {
    let id = article.id.clone();
    guarded(&id, "decoding and claims", || {
        decode_and_attribute(article, r, post)
    })
}

fn decode_and_attribute(
    article: Article,
    r: Result<(Segments, Encodings, TokenPredictions)>,
    post: &Post,
) -> Result<Processed> {
    let config = post.config;
    let (segments, enc, preds) = r?;
    let entities = entity::decode(
        &article,
        &enc,
        &preds,
        &post.labels,
        config.aggregation,
        config.bio_constraints,
    )?;
    let quotes = if config.claims {
        let tags = entity::attribution::decode(
            &article.body,
            &enc,
            &preds,
            post.layout,
            config.bio_constraints,
        );
        let mut quotes = quote::attribute_with(&article, &segments, &entities, &tags, config.merge);
        if let (true, Some(table)) = (config.calibrate, post.calibration.as_deref()) {
            quote::confidence::calibrate(&mut quotes, table, tags.model_ran());
        }
        quotes
    } else {
        Vec::new()
    };
    let record = Record::new(&article, &entities, &quotes);
    Ok(Processed {
        article,
        segments,
        entities,
        quotes,
        record,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes(chunks: &[Vec<Result<Article>>]) -> Vec<Vec<usize>> {
        chunks
            .iter()
            .map(|c| {
                c.iter()
                    .map(|r| r.as_ref().map_or(0, |a| a.body.len()))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn chunks_close_on_count_bytes_and_huge_articles() {
        let arts = [10, 10, 10, 10, 10, 30, 10, 60, 100, 10, 10];
        let items: Vec<Result<Article>> = arts
            .iter()
            .map(|&n| Ok(Article::new("a", "x".repeat(n))))
            .collect();
        let mut input = items.into_iter().peekable();
        let mut chunks = Vec::new();
        while input.peek().is_some() {
            // buffer 4 articles, 100 bytes: 25 bytes or more go alone
            chunks.push(next_chunk(&mut input, 4, 100));
        }
        assert_eq!(
            sizes(&chunks),
            [
                vec![10, 10, 10, 10],
                vec![10],
                vec![30],
                vec![10],
                vec![60],
                vec![100],
                vec![10, 10]
            ]
        );
    }
}
