//! The throughput ceiling: the same ONNX model (and attribution head, when the model directory
//! has one) over the same windows whosaid would build,
//! timing nothing but the inference calls (no reading, segmentation, decoding, claims or
//! output). Used by scripts/bench/run.sh.
//!
//! cargo run --release --example ceiling -- MODEL_DIR ORT_LIB THREADS BATCH INPUT.jsonl

use std::path::PathBuf;
use std::time::Instant;

use whosaid::article::{ArticleReader, ReadOptions};
use whosaid::encoding::{Encoder, EncoderConfig, Encodings};
use whosaid::prediction::onnx::{init_runtime, OnnxClassifier};
use whosaid::prediction::{bucket_order, Batch, LabelMap, TokenClassifier};
use whosaid::segment::segment;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a: Vec<String> = std::env::args().collect();
    if a.len() != 6 {
        return Err(
            "usage: ceiling MODEL_DIR ORT_LIB THREADS BATCH(0: the default) INPUT.jsonl".into(),
        );
    }
    let model = PathBuf::from(&a[1]);
    let threads: usize = a[3].parse()?;
    // 0: the pipeline's default batch size
    let batch: usize = match a[4].parse()? {
        0 => whosaid::pipeline::DEFAULT_BATCH_SIZE,
        n => n,
    };
    let env = init_runtime(&PathBuf::from(&a[2]))?;
    let labels = LabelMap::from_config(&model.join("config.json"))?;
    let onnx = ["model.int8.onnx", "model.onnx"]
        .iter()
        .map(|f| model.join(f))
        .find(|p| p.exists())
        .ok_or("no model file")?;
    // attribution logits too, when the graph has them: the ceiling of the full extract
    let mut clf = OnnxClassifier::load(&env, &onnx, labels, threads, true)?;
    let encoder = Encoder::from_file(&model.join("tokenizer.json"), EncoderConfig::default())?;
    let articles: Vec<_> = ArticleReader::new(&[PathBuf::from(&a[5])], ReadOptions::default())
        .filter_map(Result::ok)
        .collect();
    let encs: Vec<Encodings> = articles
        .iter()
        .map(|x| encoder.encode(x, &segment(x)))
        .collect::<Result<_, _>>()?;
    // the same bucketing as the pipeline: chunks of 64 articles, windows sorted by length
    let mut batches = Vec::new();
    for chunk in encs.chunks(64) {
        let docs: Vec<&Encodings> = chunk.iter().collect();
        for items in bucket_order(&docs).chunks(batch) {
            batches.push(Batch::build(&encoder, &docs, items, clf.wants_casing()));
        }
    }
    // positions the model computes (padding included): what its int8 matmuls run over
    let positions: usize = batches.iter().map(|b| b.rows * b.seq).sum();
    let t = Instant::now();
    let mut logits = 0usize;
    // as the pipeline runs them: handed over together, one batch per session at a time
    for r in clf.logits_all(&batches) {
        logits += r.map_err(|e| e.to_string())?.ner.len();
    }
    let secs = t.elapsed().as_secs_f64();
    let words: usize = articles
        .iter()
        .map(|x| x.body.split_whitespace().count())
        .sum();
    println!(
        "{{\"articles\": {}, \"words\": {words}, \"seconds\": {secs:.4}, \"batches\": {}, \"positions\": {positions}, \"logits\": {logits}}}",
        articles.len(),
        batches.len()
    );
    Ok(())
}
