//! STAGE 2 · ([`Article`], [`Segments`]) → [`Encodings`]: subword tokens, words and model windows.
//!
//! Input: the article and its sentences. Output: every subword token of the article with its
//! article-relative byte span and word, every word with its span, and the windows the model
//! will see. Invariants: every token sits on char boundaries and slices back to the text it was
//! made from; windows never cut a sentence unless the sentence alone is longer than a window;
//! every token is *owned* by exactly one window, and only the owner's prediction counts.
//! Must not know about ONNX, labels or quotes.

pub mod casing;
mod tokenizer;
mod window;

use std::ops::Range;

use crate::span::Span;

pub use tokenizer::{Encoder, EncoderConfig};
pub use window::plan_windows;

/// One subword token of the article (special tokens are never stored here).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Vocabulary id.
    pub id: u32,
    /// Article-relative byte span of the text the token came from.
    pub span: Span,
    /// Index of the word (in [`Encodings::words`]) the token belongs to.
    pub word: usize,
}

/// A word as the tokenizer's pre-tokenizer sees it (whitespace and punctuation split).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Article-relative byte span.
    pub span: Span,
    /// Tokens of the word, as a range into [`Encodings::tokens`].
    pub tokens: Range<usize>,
    /// Sentence index.
    pub sentence: usize,
    /// Casing class (see [`casing`]).
    pub casing: u8,
}

/// A slice of tokens the model sees at once, between `[CLS]` and `[SEP]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Tokens in the window (range into [`Encodings::tokens`]).
    pub tokens: Range<usize>,
    /// Tokens whose prediction this window owns (a sub-range of `tokens`).
    pub owned: Range<usize>,
}

/// Tokens, words and windows of one article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Encodings {
    /// All subword tokens in body order.
    pub tokens: Vec<Token>,
    /// All words in body order.
    pub words: Vec<Word>,
    /// Model windows; their owned ranges tile `0..tokens.len()`.
    pub windows: Vec<Window>,
}
