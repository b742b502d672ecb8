//! Paragraph boundaries.
//!
//! News text comes in two shapes: paragraphs separated by blank lines (with hard-wrapped lines
//! inside), or one paragraph per line. If the body holds any blank line, blank lines separate
//! paragraphs; otherwise every line break does.

use crate::span::Span;

/// Trimmed, non-empty paragraph spans of `body`, in order.
pub(super) fn paragraphs(body: &str) -> Vec<Span> {
    let lines = lines(body);
    let blank = |l: &Span| l.slice(body).trim().is_empty();
    let has_blank = {
        // a blank line between two non-blank lines
        let mut seen_text = false;
        let mut pending_blank = false;
        let mut found = false;
        for l in &lines {
            if blank(l) {
                pending_blank = seen_text;
            } else {
                if pending_blank {
                    found = true;
                    break;
                }
                seen_text = true;
            }
        }
        found
    };
    let mut out = Vec::new();
    let mut cur: Option<Span> = None;
    for l in &lines {
        if blank(l) {
            if let Some(c) = cur.take() {
                out.push(c);
            }
            continue;
        }
        let t = l.trim(body);
        cur = Some(match cur {
            Some(c) if has_blank => c.cover(&t),
            Some(c) => {
                out.push(c);
                t
            }
            None => t,
        });
    }
    out.extend(cur);
    out
}

/// Line spans without their terminators (`\n`, `\r\n`, `\r`, U+2028, U+2029).
fn lines(body: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut iter = body.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let end_of_line = match c {
            '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' => Some(i + c.len_utf8()),
            '\r' => {
                if let Some(&(j, '\n')) = iter.peek() {
                    iter.next();
                    Some(j + 1)
                } else {
                    Some(i + 1)
                }
            }
            _ => None,
        };
        if let Some(next) = end_of_line {
            out.push(Span::new(start, i));
            start = next;
        }
    }
    out.push(Span::new(start, body.len()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(body: &str) -> Vec<&str> {
        paragraphs(body).iter().map(|s| s.slice(body)).collect()
    }

    #[test]
    fn blank_lines_separate_when_present() {
        assert_eq!(texts("a b\nc d\n\n  e f  \n\n\n"), ["a b\nc d", "e f"]);
    }

    #[test]
    fn single_newlines_separate_otherwise() {
        assert_eq!(texts("a b\r\nc d\re"), ["a b", "c d", "e"]);
    }

    #[test]
    fn empty_and_whitespace_bodies_have_no_paragraphs() {
        assert!(texts("").is_empty());
        assert!(texts(" \n\t\r\n ").is_empty());
    }

    #[test]
    fn non_ascii_lines() {
        assert_eq!(
            texts("“Ça va,” dit-il.\n\n😀 ok"),
            ["“Ça va,” dit-il.", "😀 ok"]
        );
    }
}
