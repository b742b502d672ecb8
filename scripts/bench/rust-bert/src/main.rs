//! Peer benchmark: rust-bert 0.23's NER pipeline over whole articles, same architecture as
//! whosaid's default model (MiniLM-L6 + 9-label head from bench-work/hf-minilm-ner).
//! Prints one JSON line with the seconds spent in `predict`.
//!
//! rust-bert-bench MODEL_DIR CORPUS.jsonl THREADS
use std::time::Instant;

use rust_bert::pipelines::common::{ModelResource, ModelType};
use rust_bert::pipelines::token_classification::{
    LabelAggregationOption, TokenClassificationConfig, TokenClassificationModel,
};
use rust_bert::resources::LocalResource;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(&a[1]);
    tch::set_num_threads(a[3].parse()?);
    let texts: Vec<String> = std::fs::read_to_string(&a[2])?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<serde_json::Value>(l).map(|v| v["text"].as_str().unwrap_or("").to_string()))
        .collect::<Result<_, _>>()?;
    let res = |f: &str| LocalResource { local_path: dir.join(f) };
    let mut config = TokenClassificationConfig::new(
        ModelType::Bert,
        ModelResource::Torch(Box::new(res("model.safetensors"))),
        res("config.json"),
        res("vocab.txt"),
        None,
        true,
        None,
        None,
        LabelAggregationOption::First,
    );
    config.batch_size = 32;
    let model = TokenClassificationModel::new(config)?;
    let t = Instant::now();
    let mut entities = 0;
    // rust-bert 0.23 mixes sentences up when one call holds more inputs than batch_size
    // (features[sentence_idx] instead of features[start + sentence_idx]): call per chunk
    for chunk in texts.chunks(32) {
        let refs: Vec<&str> = chunk.iter().map(String::as_str).collect();
        entities += model.predict(&refs, true, false).iter().map(Vec::len).sum::<usize>();
    }
    let words: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
    println!(
        "{{\"articles\": {}, \"words\": {words}, \"seconds\": {:.4}, \"entities\": {entities}}}",
        texts.len(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
