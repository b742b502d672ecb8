//! The tokenizer wrapper, and the one place where sentence-relative tokenizer offsets become
//! article-relative spans ([`to_article_span`]).

use std::path::Path;

use tokenizers::Tokenizer;

use super::{casing, plan_windows, Encodings, Token, Word};
use crate::article::Article;
use crate::error::{Error, Result};
use crate::segment::Segments;
use crate::span::Span;

/// How articles are cut into model windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncoderConfig {
    /// Model window length in tokens, special tokens included.
    pub max_tokens: usize,
    /// Tokens shared by consecutive windows of a sentence longer than a window.
    pub overlap: usize,
    /// Pack several sentences into a window (more context) or one sentence per window.
    pub pack_sentences: bool,
}

impl Default for EncoderConfig {
    fn default() -> Self {
        EncoderConfig {
            max_tokens: 128,
            overlap: 32,
            pack_sentences: true,
        }
    }
}

/// A loaded tokenizer plus windowing settings.
pub struct Encoder {
    tokenizer: Tokenizer,
    config: EncoderConfig,
    prefix: Vec<u32>,
    suffix: Vec<u32>,
    pad_id: u32,
}

/// Converts a tokenizer offset, relative to the sentence starting at byte `sentence_start`,
/// into an article span checked against `body`. The only place this shift happens.
pub(crate) fn to_article_span(
    body: &str,
    sentence_start: usize,
    offset: (usize, usize),
) -> Option<Span> {
    let s = Span::new(offset.0.min(offset.1), offset.1).shift(sentence_start);
    Span::checked(body, s.start, s.end)
}

impl Encoder {
    /// Loads `tokenizer.json`. Padding and truncation stored in the file are switched off:
    /// whosaid pads per batch and windows long inputs itself, so nothing is ever truncated.
    pub fn from_file(path: &Path, config: EncoderConfig) -> Result<Encoder> {
        let model_err = |message: &str, source| Error::Model {
            path: path.to_path_buf(),
            message: message.to_string(),
            source: Some(source),
        };
        let mut tokenizer =
            Tokenizer::from_file(path).map_err(|e| model_err("cannot load tokenizer", e))?;
        tokenizer
            .with_truncation(None)
            .map_err(|e| model_err("cannot turn truncation off", e))?;
        tokenizer.with_padding(None);
        // the special tokens a model expects around a sequence, found from the tokenizer's
        // own template: encode one word with specials and see what surrounds it
        let probe = tokenizer
            .encode("a", true)
            .map_err(|e| model_err("tokenizer cannot encode a probe word", e))?;
        let mask = probe.get_special_tokens_mask();
        let ids = probe.get_ids();
        let first = mask.iter().position(|m| *m == 0).unwrap_or(ids.len());
        let last = mask
            .iter()
            .rposition(|m| *m == 0)
            .map_or(ids.len(), |p| p + 1);
        let prefix = ids[..first].to_vec();
        let suffix = ids[last..].to_vec();
        let pad_id = ["[PAD]", "<pad>", "<PAD>"]
            .iter()
            .find_map(|t| tokenizer.token_to_id(t))
            .unwrap_or(0);
        let specials = prefix.len() + suffix.len();
        let config = EncoderConfig {
            max_tokens: config.max_tokens.max(specials + 2),
            ..config
        };
        Ok(Encoder {
            tokenizer,
            config,
            prefix,
            suffix,
            pad_id,
        })
    }

    /// Windowing settings in use.
    pub fn config(&self) -> EncoderConfig {
        self.config
    }

    /// Special tokens put before each window (e.g. `[CLS]`).
    pub fn prefix(&self) -> &[u32] {
        &self.prefix
    }

    /// Special tokens put after each window (e.g. `[SEP]`).
    pub fn suffix(&self) -> &[u32] {
        &self.suffix
    }

    /// Id used for padding.
    pub fn pad_id(&self) -> u32 {
        self.pad_id
    }

    /// Tokenizes every sentence and plans the windows.
    pub fn encode(&self, article: &Article, segments: &Segments) -> Result<Encodings> {
        let body = article.body.as_str();
        let mut enc = Encodings::default();
        let mut sentence_ranges = Vec::with_capacity(segments.sentences.len());
        for (si, sentence) in segments.sentences.iter().enumerate() {
            let text = sentence.span.slice(body);
            // `encode`, never `encode_fast`: the fast path returns (0, 0) offsets
            let e = self
                .tokenizer
                .encode(text, false)
                .map_err(|source| Error::Tokenize {
                    id: article.id.clone(),
                    source,
                })?;
            let first_token = enc.tokens.len();
            let mut last_word: Option<u32> = None;
            for (k, ((&id, &offset), (&wid, &special))) in e
                .get_ids()
                .iter()
                .zip(e.get_offsets())
                .zip(e.get_word_ids().iter().zip(e.get_special_tokens_mask()))
                .enumerate()
            {
                // special tokens (also at (0, 0)) are detected by the mask, never by offsets
                if special == 1 {
                    continue;
                }
                let span = to_article_span(body, sentence.span.start, offset).ok_or_else(|| {
                    Error::Internal {
                        id: article.id.clone(),
                        message: format!("token {k} offset {offset:?} is not on a char boundary"),
                    }
                })?;
                let new_word = wid.is_none() || wid != last_word || enc.words.is_empty();
                let new_word = new_word || enc.tokens.len() == first_token;
                if new_word {
                    enc.words.push(Word {
                        span,
                        tokens: enc.tokens.len()..enc.tokens.len(),
                        sentence: si,
                        casing: casing::PAD,
                    });
                }
                last_word = wid;
                let w = enc.words.len() - 1;
                let word = &mut enc.words[w];
                word.span = word.span.cover(&span);
                word.tokens.end = enc.tokens.len() + 1;
                enc.tokens.push(Token { id, span, word: w });
            }
            sentence_ranges.push(first_token..enc.tokens.len());
        }
        for w in &mut enc.words {
            w.casing = casing::class_of(w.span.slice(body));
        }
        let capacity = self.config.max_tokens - self.prefix.len() - self.suffix.len();
        enc.windows = plan_windows(
            &sentence_ranges,
            capacity,
            self.config.overlap,
            self.config.pack_sentences,
        );
        Ok(enc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_shift_to_article_and_are_checked() {
        let body = "Zoë said. “Café” 😀\r\nok";
        let sent = body.find('“').unwrap();
        let s = to_article_span(body, sent, (3, 8)).unwrap();
        assert_eq!(s.slice(body), "Café");
        // an offset that cuts the emoji is refused
        let emoji = body.find('😀').unwrap() - sent;
        assert_eq!(to_article_span(body, sent, (emoji, emoji + 2)), None);
        assert_eq!(
            to_article_span(body, sent, (0, 3)).unwrap().slice(body),
            "“"
        );
    }
}
