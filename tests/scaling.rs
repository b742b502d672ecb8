//! The cost of the stages after inference as one article grows: claims assembly (rules and
//! tagged claims), cue and source lookup, speaker resolution and clustering must stay linear
//! (or n log n) in article length. Each check builds an article of `n` and `10 n` paragraphs of
//! attribution sentences with model tags on every cue, source and content, and compares the
//! best of three timings: a linear stage takes about 10 × as long, a quadratic one 100 ×.

use std::time::{Duration, Instant};

use whosaid::article::Article;
use whosaid::entity::{Cluster, Entities, Entity};
use whosaid::entity::{ModelTags, Tagged, TaggedSpan};
use whosaid::segment::segment_text;
use whosaid::span::Span;

/// An article of `n` paragraphs, each with an indirect claim, a direct quote with its cue, a
/// pronoun speaker and a cue-less quotation, tagged the way the model tags them.
fn article(n: usize) -> (String, Entities, Tagged) {
    let mut body = String::new();
    let mut tagged = Tagged::default();
    let mut mentions = Vec::new();
    let mut clusters: Vec<Cluster> = Vec::new();
    let add = |list: &mut Vec<TaggedSpan>, start: usize, text: &str| {
        list.push(TaggedSpan {
            span: sp(start, start + text.len()),
            score: 0.9,
        });
    };
    for i in 0..n {
        if i > 0 {
            body.push_str("\n\n");
        }
        let name = format!("Zoë Name{}", i % 997);
        let p = body.len();
        let content = "the talks on the bridge went well";
        let s1 = format!("{name} said {content}. ");
        body.push_str(&s1);
        add(&mut tagged.sources, p, &name);
        add(&mut tagged.cues, p + name.len() + 1, "said");
        add(&mut tagged.contents, p + name.len() + 6, content);
        let c = clusters
            .iter()
            .position(|c| c.name == name)
            .unwrap_or_else(|| {
                clusters.push(Cluster {
                    name: name.clone(),
                    label: "PER".into(),
                    mentions: vec![],
                });
                clusters.len() - 1
            });
        clusters[c].mentions.push(mentions.len());
        mentions.push(Entity {
            span: sp(p, p + name.len()),
            label: "PER".into(),
            score: 0.9,
            cluster: c,
        });
        let q = body.len();
        let quote = "“We will reopen it in June,”";
        body.push_str(quote);
        body.push_str(" she told reporters. “Nobody expected that.”");
        add(&mut tagged.contents, q, quote);
        add(&mut tagged.cues, q + quote.len() + 5, "told");
        add(&mut tagged.sources, q + quote.len() + 1, "she");
        body.push_str(" Officials believe the plan is sound, according to the ministry.");
    }
    // clusters must be ordered by first mention: they are, by construction
    tagged.contents.sort_by_key(|t| (t.span.start, t.span.end));
    (body, Entities { mentions, clusters }, tagged)
}

/// The best of three timings of `run`, and the claims it made.
fn best_of_three(mut run: impl FnMut() -> usize) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut claims = 0;
    for _ in 0..3 {
        let t = Instant::now();
        claims = run();
        best = best.min(t.elapsed());
    }
    (best, claims)
}

/// Times `time` at `small` and `10 × small` paragraphs: at least `min_claims` claims at the
/// small size, about 10 × as many at the large one, and under 30 × the time (linear: ~10;
/// quadratic: ~100; 30 leaves room for noise and cache effects).
fn assert_linear(
    what: &str,
    small: usize,
    min_claims: usize,
    time: impl Fn(usize) -> (Duration, usize),
) {
    let (t1, c1) = time(small);
    let (t10, c10) = time(small * 10);
    assert!(c1 >= min_claims, "the fixture makes claims: {c1}");
    assert!(c10 >= c1 * 9, "{c10} claims at 10 × the size, {c1} at 1 ×");
    let ratio = t10.as_secs_f64() / t1.as_secs_f64().max(1e-6);
    eprintln!(
        "{what}: {small} paragraphs {t1:?}, {} paragraphs {t10:?}, ratio {ratio:.1}",
        small * 10
    );
    assert!(ratio < 30.0, "{what} grows {ratio:.1} × for 10 × the input");
}

fn claims_time(n: usize) -> (Duration, usize) {
    let (body, entities, tagged) = article(n);
    let a = Article::new("big", body.clone());
    let tagged = ModelTags::Model(tagged);
    best_of_three(|| {
        let seg = segment_text(&body);
        whosaid::quote::attribute(&a, &seg, &entities, &tagged).len()
    })
}

#[test]
fn claims_stage_is_linear_in_article_length() {
    assert_linear("claims stage", 200, 400, claims_time);
}

fn sp(start: usize, end: usize) -> Span {
    Span { start, end }
}

mod util;

/// The whole pipeline after the model (decoding, tags, clusters, claims, record) on the tiny
/// tokenizer with a fixture classifier that tags entities and attributions.
fn tagged_pipeline() -> whosaid::pipeline::Pipeline {
    use whosaid::prediction::fixture::FixtureClassifier;
    let encoder = util::tiny_encoder(128, 16);
    let labels = util::per_org_labels();
    // minister → PER, president → ORG; said/told → cue, minister/president → source,
    // talks → content B, meeting/peace → content I
    let classifier = FixtureClassifier::new(labels, &[(128, 1), (129, 3)]).with_attribution(&[
        (117, [1, 0, 0]),
        (119, [1, 0, 0]),
        (128, [0, 1, 0]),
        (129, [0, 1, 0]),
        (139, [0, 0, 1]),
        (140, [0, 0, 2]),
        (147, [0, 0, 2]),
    ]);
    whosaid::pipeline::Pipeline::new(
        encoder,
        Box::new(classifier),
        whosaid::pipeline::PipelineConfig::default(),
    )
}

fn pipeline_time(n: usize) -> (Duration, usize) {
    let para = "The minister said the talks meeting peace were good. “We will win the vote,” the president told reporters. He says the deal is new.";
    let body = vec![para; n].join("\n\n");
    let mut p = tagged_pipeline();
    best_of_three(|| {
        p.process(Article::new("big", body.clone()))
            .unwrap()
            .quotes
            .len()
    })
}

#[test]
fn whole_pipeline_is_linear_in_article_length() {
    assert_linear("the pipeline", 150, 150, pipeline_time);
}

#[test]
#[ignore = "slow: 100 × the size, for profiling"]
fn whole_pipeline_at_100x() {
    for n in [150, 1500, 15000] {
        let (t, c) = pipeline_time(n);
        eprintln!("pipeline: {n} paragraphs {t:?}, {c} claims");
    }
}
