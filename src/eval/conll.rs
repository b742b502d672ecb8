//! CoNLL column gold: token first, tag last, `-DOCSTART-` lines between documents, blank lines
//! between sentences. IOB1 input is detected and normalised to IOB2.

use std::path::Path;

use crate::article::Article;
use crate::error::{Error, Result};
use crate::segment::Segments;
use crate::span::Span;

/// One gold sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldSentence {
    /// Tokens.
    pub tokens: Vec<String>,
    /// IOB2 tags, one per token.
    pub tags: Vec<String>,
}

/// A document: sentences between `-DOCSTART-` lines.
pub type GoldDoc = Vec<GoldSentence>;

/// The gold documents as articles (`doc{n}`: sentences joined by newlines, tokens by single
/// spaces, the gold sentences as the segmentation) and each token's code point span, per
/// document and sentence (records give entities in code points).
pub fn to_items(docs: &[GoldDoc]) -> (Vec<super::driver::Item>, Vec<Vec<Vec<Span>>>) {
    let mut items = Vec::with_capacity(docs.len());
    let mut token_spans = Vec::with_capacity(docs.len());
    for (d, doc) in docs.iter().enumerate() {
        let mut body = String::new();
        let mut chars = 0;
        let mut sent_spans = Vec::new();
        let mut toks = Vec::new();
        for s in doc {
            if !body.is_empty() {
                body.push('\n');
                chars += 1;
            }
            let start = body.len();
            let mut spans = Vec::new();
            for (i, t) in s.tokens.iter().enumerate() {
                if i > 0 {
                    body.push(' ');
                    chars += 1;
                }
                let n = t.chars().count();
                spans.push(Span::new(chars, chars + n));
                body.push_str(t);
                chars += n;
            }
            sent_spans.push(Span::new(start, body.len()));
            toks.push(spans);
        }
        let segments = Segments::from_sentences(&body, &sent_spans);
        items.push((Article::new(format!("doc{d}"), body), segments));
        token_spans.push(toks);
    }
    (items, token_spans)
}

/// Parses a CoNLL file into documents. Returns the documents and whether the input was IOB1.
pub fn read(path: &Path) -> Result<(Vec<GoldDoc>, bool)> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_bytes(&bytes, path)
}

/// Parses raw CoNLL bytes: text that is not UTF-8 is an error naming the first bad line.
pub fn parse_bytes(bytes: &[u8], path: &Path) -> Result<(Vec<GoldDoc>, bool)> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text, path),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64
                + 1;
            Err(Error::Gold {
                path: path.to_path_buf(),
                line,
                message: format!("not valid UTF-8: {e}"),
            })
        }
    }
}

/// Checks one tag: `O`, or `B-`/`I-` and a type (the IOB schemes the scorer reads).
fn check_tag(tag: &str) -> std::result::Result<(), String> {
    if tag == "O" {
        return Ok(());
    }
    match tag.split_once('-') {
        Some(("B" | "I", kind)) if !kind.is_empty() => Ok(()),
        _ => Err(format!(
            "malformed tag `{tag}` (want IOB tags: `O`, or `B-`/`I-` and a type, such as `B-PER`)"
        )),
    }
}

/// Parses CoNLL text (see [`read`]).
pub fn parse(text: &str, path: &Path) -> Result<(Vec<GoldDoc>, bool)> {
    let mut docs: Vec<GoldDoc> = Vec::new();
    let mut doc: GoldDoc = Vec::new();
    let mut sent = GoldSentence {
        tokens: vec![],
        tags: vec![],
    };
    let flush_sent = |sent: &mut GoldSentence, doc: &mut GoldDoc| {
        if !sent.tokens.is_empty() {
            doc.push(std::mem::replace(
                sent,
                GoldSentence {
                    tokens: vec![],
                    tags: vec![],
                },
            ));
        }
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.starts_with("-DOCSTART-") {
            flush_sent(&mut sent, &mut doc);
            if !doc.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            continue;
        }
        if line.is_empty() {
            flush_sent(&mut sent, &mut doc);
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.len() < 2 {
            return Err(Error::Gold {
                path: path.to_path_buf(),
                line: n as u64 + 1,
                message: format!("expected `token ... tag`, got `{line}`"),
            });
        }
        let tag = cols[cols.len() - 1];
        check_tag(tag).map_err(|message| Error::Gold {
            path: path.to_path_buf(),
            line: n as u64 + 1,
            message,
        })?;
        sent.tokens.push(cols[0].to_string());
        sent.tags.push(tag.to_string());
    }
    flush_sent(&mut sent, &mut doc);
    if !doc.is_empty() {
        docs.push(doc);
    }
    // IOB1: some I- tag starts an entity (follows O or another type)
    let iob1 = docs.iter().flatten().any(|s| {
        s.tags.iter().enumerate().any(|(i, t)| {
            t.starts_with("I-")
                && (i == 0 || s.tags[i - 1] == "O" || s.tags[i - 1].get(2..) != t.get(2..))
        })
    });
    if iob1 {
        for s in docs.iter_mut().flatten() {
            s.tags = to_iob2(&s.tags);
        }
    }
    Ok((docs, iob1))
}

/// Normalises IOB1 (or mixed) tags to IOB2.
pub fn to_iob2(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tags.len());
    for t in tags {
        let prev = out.last().map(String::as_str).unwrap_or("O");
        if let Some(kind) = t.strip_prefix("I-") {
            if prev == "O" || prev.get(2..) != Some(kind) {
                out.push(format!("B-{kind}"));
                continue;
            }
        }
        out.push(t.clone());
    }
    out
}

/// Entity spans `(first token, last token + 1, type)` of IOB2 tags (the seqeval definition:
/// an entity ends at O, at B-, or at a type change).
pub fn spans(tags: &[String]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (i, t) in tags.iter().enumerate() {
        let (p, kind) = match t.split_once('-') {
            Some((p, k)) => (p, k),
            None => ("O", ""),
        };
        let continues = p == "I" && open.as_ref().is_some_and(|(_, k)| k == kind);
        if !continues {
            if let Some((s, k)) = open.take() {
                out.push((s, i, k));
            }
            if p != "O" {
                open = Some((i, kind.to_string()));
            }
        }
    }
    if let Some((s, k)) = open {
        out.push((s, tags.len(), k));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(x: &[&str]) -> Vec<String> {
        x.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reads_docs_and_detects_iob1() {
        let text = "-DOCSTART- -X- O O\n\nZoë NNP B-NP I-PER\nMüller NNP I-NP I-PER\nsaid VBD O O\n\nBonn NNP O I-LOC\n\n-DOCSTART- O\n\nX NN O O";
        let (docs, iob1) = parse(text, Path::new("g")).unwrap();
        assert!(iob1);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].len(), 2);
        assert_eq!(docs[0][0].tags, v(&["B-PER", "I-PER", "O"]));
        assert_eq!(docs[0][1].tags, v(&["B-LOC"]));
    }

    #[test]
    fn malformed_tags_are_errors_naming_the_line() {
        for (text, line) in [
            ("Zoë B\nMüller I-PER\n", 1),
            ("a O\nb B-\n", 2),
            ("a O\n\nb X-PER\n", 3),
            ("a O\nb -PER\n", 2),
        ] {
            match parse(text, Path::new("g.conll")) {
                Err(Error::Gold {
                    line: l, message, ..
                }) => {
                    assert_eq!(l, line, "{text:?}: {message}");
                    assert!(message.contains("malformed tag"), "{message}");
                }
                other => panic!("{text:?}: want a gold error, got {other:?}"),
            }
        }
    }

    #[test]
    fn non_utf8_is_an_error_naming_the_line() {
        let bytes = b"a O\nb O\ncaf\xe9 B-LOC\n";
        match parse_bytes(bytes, Path::new("g")) {
            Err(Error::Gold { line, .. }) => assert_eq!(line, 3),
            other => panic!("want a gold error, got {other:?}"),
        }
    }

    #[test]
    fn spans_follow_seqeval() {
        let tags = v(&["B-PER", "I-PER", "I-ORG", "O", "B-LOC", "B-LOC", "I-LOC"]);
        assert_eq!(
            spans(&tags),
            [
                (0, 2, "PER".to_string()),
                (2, 3, "ORG".to_string()),
                (4, 5, "LOC".to_string()),
                (5, 7, "LOC".to_string())
            ]
        );
    }
}
