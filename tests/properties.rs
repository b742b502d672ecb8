//! Property tests over arbitrary Unicode text and quotation-mark soup: segmentation tiles the
//! text, every span sits on char boundaries and slices back, the quote stage never panics,
//! and the whole pipeline gives the same records at any thread count.

mod util;

use proptest::prelude::*;
use whosaid::article::Article;
use whosaid::entity::Entities;
use whosaid::pipeline::{Pipeline, PipelineConfig};
use whosaid::prediction::fixture::FixtureClassifier;
use whosaid::segment::segment_text;
use whosaid::span::Span;

/// Text made of news-like pieces: words, names, cues, every quotation mark, apostrophes,
/// newlines, CRLF, accents, emoji and CJK.
fn soup() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "said",
        "says",
        "told",
        "according to",
        "he",
        "She",
        "Akar",
        "Hulusi",
        "the minister",
        "that",
        "\"",
        "“",
        "”",
        "„",
        "«",
        "»",
        "‘",
        "’",
        "'",
        "''",
        "``",
        ",",
        ".",
        ":",
        "?",
        "!",
        "—",
        " ",
        " ",
        " ",
        "\n",
        "\n\n",
        "\r\n",
        "Zoë",
        "Ångström",
        "😀",
        "東京",
        "Mr.",
        "U.S.",
        "3.5",
        "don’t",
        "voters’",
        "(",
        ")",
        "\t",
        "\u{a0}",
        "\u{2028}",
    ]);
    prop::collection::vec(atoms, 0..80).prop_map(|v| v.concat())
}

fn check_tiles(body: &str) {
    let seg = segment_text(body);
    let mut prev_end = 0;
    for p in &seg.paragraphs {
        assert!(Span::checked(body, p.span.start, p.span.end).is_some());
        assert!(p.span.start >= prev_end && !p.span.is_empty());
        assert!(
            body[prev_end..p.span.start].trim().is_empty(),
            "gap holds text"
        );
        assert_eq!(p.span.slice(body).trim(), p.span.slice(body));
        prev_end = p.span.end;
    }
    assert!(body[prev_end..].trim().is_empty());
    let mut prev_end = 0;
    for s in &seg.sentences {
        let para = seg.paragraphs[s.paragraph].span;
        assert!(para.contains(&s.span), "sentence outside its paragraph");
        assert!(s.span.start >= prev_end && !s.span.is_empty());
        assert!(
            body[prev_end..s.span.start].trim().is_empty(),
            "gap holds text"
        );
        prev_end = s.span.end;
    }
    // every non-space character belongs to some sentence
    let covered = seg
        .sentences
        .iter()
        .map(|s| {
            s.span
                .slice(body)
                .chars()
                .filter(|c| !c.is_whitespace())
                .count()
        })
        .sum::<usize>();
    assert_eq!(covered, body.chars().filter(|c| !c.is_whitespace()).count());
}

/// A pipeline over the tiny encoder and a fixture classifier (entities and messy attribution
/// tags) that runs `parallelism` batches at once.
fn tiny_pipeline_with(parallelism: usize) -> Pipeline {
    let encoder = util::tiny_encoder(16, 4);
    let labels = util::per_org_labels();
    // a few vocabulary ids labelled as entities, so decoding and clusters get exercised
    let classifier = FixtureClassifier::new(labels, &[(5, 1), (6, 2), (7, 3), (8, 4), (1, 1)])
        // messy attribution tags too, so the tagged-claim assembly sees arbitrary spans
        .with_attribution(&[
            (5, [0, 0, 1]),
            (6, [0, 0, 2]),
            (7, [1, 0, 0]),
            (8, [0, 1, 0]),
            (9, [0, 2, 2]),
            (10, [2, 0, 2]),
            (11, [1, 1, 1]),
        ])
        .with_parallelism(parallelism);
    Pipeline::new(
        encoder,
        Box::new(classifier),
        PipelineConfig {
            buffer: 3,
            batch_size: 4,
            ..PipelineConfig::default()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn segments_tile_any_text(body in "\\PC*") {
        check_tiles(&body);
    }

    #[test]
    fn segments_tile_quote_soup(body in soup()) {
        check_tiles(&body);
    }

    #[test]
    fn quote_stage_never_panics_and_spans_are_valid(body in soup()) {
        let seg = segment_text(&body);
        let article = Article::new("p", body.clone());
        check_quotes(&body, &whosaid::quote::attribute(&article, &seg, &Entities::default(), &whosaid::entity::ModelTags::RulesOnly))?;
    }
}

/// Every claim has content, and every content piece, cue and speaker mention is a valid span.
fn check_quotes(body: &str, quotes: &[whosaid::quote::Quote]) -> Result<(), TestCaseError> {
    for q in quotes {
        prop_assert!(!q.pieces.is_empty());
        let spans = q
            .pieces
            .iter()
            .copied()
            .chain(q.cue)
            .chain(q.speaker.as_ref().map(|s| s.mention));
        for s in spans {
            prop_assert!(
                Span::checked(body, s.start, s.end).is_some(),
                "bad span {s} in {body:?}"
            );
        }
    }
    Ok(())
}

/// Snaps a fraction pair onto char boundaries of `body`.
fn span_at(body: &str, a: f64, b: f64) -> Span {
    let bounds: Vec<usize> = body
        .char_indices()
        .map(|(i, _)| i)
        .chain([body.len()])
        .collect();
    let pick = |f: f64| bounds[((bounds.len() - 1) as f64 * f) as usize];
    let (x, y) = (pick(a.min(b)), pick(a.max(b)));
    Span::checked(body, x, y).expect("char boundaries")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn tagged_claims_never_panic_and_spans_are_valid(
        body in soup(),
        cuts in prop::collection::vec((0.0f64..1.0, 0.0f64..1.0, 0usize..3), 0..12),
    ) {
        use whosaid::entity::{ModelTags, Tagged, TaggedSpan};
        let seg = segment_text(&body);
        let article = Article::new("p", body.clone());
        let mut tagged = Tagged::default();
        for (a, b, layer) in cuts {
            let t = TaggedSpan { span: span_at(&body, a, b), score: 0.9 };
            match layer {
                0 => tagged.cues.push(t),
                1 => tagged.sources.push(t),
                _ => tagged.contents.push(t),
            }
        }
        tagged.contents.sort_by_key(|t| (t.span.start, t.span.end));
        check_quotes(&body, &whosaid::quote::attribute(&article, &seg, &Entities::default(), &ModelTags::Model(tagged)))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, .. ProptestConfig::default() })]

    #[test]
    fn records_slice_back_and_do_not_depend_on_threads(texts in prop::collection::vec(soup(), 1..6)) {
        let items = || -> Vec<_> {
            texts.iter().enumerate().map(|(i, t)| {
                let a = Article::new(format!("a{i}"), t.clone());
                let s = segment_text(t);
                (a, s)
            }).collect()
        };
        // threads of the pre/post pool, and batches the classifier runs at once
        let run_in = |threads: usize, parallelism: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let mut p = tiny_pipeline_with(parallelism);
            pool.install(|| p.process_segmented(items()))
                .into_iter()
                .map(|r| serde_json::to_value(r.unwrap().record).unwrap())
                .collect::<Vec<_>>()
        };
        let one = run_in(1, 1);
        prop_assert_eq!(&one, &run_in(4, 1));
        prop_assert_eq!(&one, &run_in(2, 3));
        for (t, r) in texts.iter().zip(&one) {
            util::assert_offsets(t, r);
            util::assert_schema(r);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    /// Arbitrary bytes, and CoNLL- or JSONL-shaped text, into each gold reader: a result or a
    /// gold error naming a line, never a panic.
    #[test]
    fn gold_readers_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..400),
        lines in prop::collection::vec(
            prop::sample::select(vec![
                "Zoë NNP B-PER", "x B", "x I-PER", "x O", "x -", "-DOCSTART- O", "", "x B-",
                "{\"text\": \"abc\", \"attributions\": [{\"content\": [{\"start\": 2, \"end\": 1}]}]}",
                "{\"text\": \"abc\", \"attributions\": [{\"cue\": [{\"start\": 0, \"end\": 9}]}]}",
                "{\"text\": \"é😀\", \"attributions\": [{\"source\": [{\"start\": 0, \"end\": 2, \"text\": \"é😀\"}]}]}",
                "{\"text\": 5}", "[]", "{", "\u{0}",
            ]),
            0..12,
        ),
    ) {
        let path = std::path::Path::new("gold");
        let text = lines.join("\n");
        for input in [&bytes[..], text.as_bytes()] {
            for r in [
                whosaid::eval::conll::parse_bytes(input, path).err(),
                whosaid::eval::quotes::parse_gold(input, path).err(),
                whosaid::eval::attribution::parse_gold(input, path).err(),
            ]
            .into_iter()
            .flatten()
            {
                prop_assert!(matches!(r, whosaid::error::Error::Gold { line, .. } if line >= 1), "{r}");
            }
        }
        // what the readers accept, the scorers take without panicking
        if let Ok(gold) = whosaid::eval::quotes::parse_gold(text.as_bytes(), path) {
            let mut scorer = whosaid::eval::quotes::QuoteScorer::default();
            for g in &gold {
                scorer.add(&g.text, &g.attributions, &[]);
            }
            let _ = scorer.scores();
        }
    }
}

/// A panic inside one article's processing (here: in the model, on one token) becomes that
/// article's `internal` error; the other articles of the same batch and chunk are processed.
#[test]
fn a_panic_becomes_the_article_error_and_the_run_goes_on() {
    // one batch of three windows (retried window by window), or a batch each run side by side
    for (parallelism, batch_size) in [(1, 8), (3, 8), (3, 1)] {
        a_panic_becomes_the_article_error_with(parallelism, batch_size);
    }
}

fn a_panic_becomes_the_article_error_with(parallelism: usize, batch_size: usize) {
    let encoder = util::tiny_encoder(16, 4);
    let labels = util::per_org_labels();
    // token 146 is "war"
    let classifier = FixtureClassifier::new(labels, &[])
        .with_panic_on(146)
        .with_parallelism(parallelism);
    let config = PipelineConfig {
        batch_size,
        ..PipelineConfig::default()
    };
    let mut p = Pipeline::new(encoder, Box::new(classifier), config);
    let texts = ["the talks said peace", "the war said no", "he said yes"];
    let input = texts
        .iter()
        .enumerate()
        .map(|(i, t)| Ok(Article::new(format!("a{i}"), *t)));
    let mut got = Vec::new();
    p.run(input, |o| {
        got.push(match o {
            whosaid::pipeline::Outcome::Done(d) => (d.record.id.clone(), "ok".to_string()),
            whosaid::pipeline::Outcome::Failed { id, error, .. } => {
                assert!(error.to_string().contains("panic"), "{error}");
                (id.unwrap_or_default(), error.kind().to_string())
            }
        });
        Ok(())
    })
    .unwrap();
    assert_eq!(
        got,
        [
            ("a0".to_string(), "ok".to_string()),
            ("a1".to_string(), "internal".to_string()),
            ("a2".to_string(), "ok".to_string())
        ]
    );
}

/// A panic in a stage closure is turned into an `internal` error naming the article.
#[test]
fn guarded_turns_a_panic_into_an_internal_error() {
    let id = whosaid::span::ArticleId("x1".into());
    let r: whosaid::error::Result<()> =
        whosaid::pipeline::guarded(&id, "claims", || panic!("rule bug at {}", 7));
    let e = r.unwrap_err();
    assert_eq!(e.kind(), "internal");
    assert!(
        e.to_string().contains("x1") && e.to_string().contains("rule bug at 7"),
        "{e}"
    );
}
