//! Fuzzes segmentation and quote extraction on arbitrary bytes (as UTF-8, lossily): they must
//! never panic, segments must tile the text, and every span must sit on char boundaries.
//!
//!     cargo install cargo-fuzz        # needs a nightly toolchain: rustup toolchain install nightly
//!     cargo +nightly fuzz run segment_quotes -- -max_total_time=300
#![no_main]

use libfuzzer_sys::fuzz_target;
use whosaid::article::Article;
use whosaid::entity::Entities;
use whosaid::segment::segment_text;
use whosaid::span::Span;

fuzz_target!(|data: &[u8]| {
    let body = String::from_utf8_lossy(data).into_owned();
    let seg = segment_text(&body);
    let mut prev = 0;
    for s in &seg.sentences {
        assert!(Span::checked(&body, s.span.start, s.span.end).is_some());
        assert!(s.span.start >= prev);
        assert!(body[prev..s.span.start].trim().is_empty());
        prev = s.span.end;
    }
    let article = Article::new("fuzz", body.clone());
    for q in whosaid::quote::attribute(
        &article,
        &seg,
        &Entities::default(),
        &whosaid::entity::ModelTags::RulesOnly,
    ) {
        for p in q.pieces.iter().chain(q.cue.iter()) {
            assert!(Span::checked(&body, p.start, p.end).is_some());
        }
    }
});
