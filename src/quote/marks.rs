//! Quotation marks and the quoted spans they delimit.
//!
//! Double marks in every style: straight `"`, curly `“ ”`, low-high `„ “`, guillemets `« »`,
//! and the doubled apostrophes of some archives (`''…''`, PTB ``` ``…'' ```). Single marks
//! (`‘ ’`, `'`) count only inside a double quotation, or when the article uses them as its
//! main style (no double marks at all). Apostrophes (don’t, voters’) are never marks.
//!
//! Pairing never aborts: an unmatched mark is skipped, a quotation still open at the end of a
//! paragraph continues into the next paragraph when that one opens with a mark (the news
//! convention for multi-paragraph quotes), and is otherwise closed at the paragraph end and
//! flagged `unclosed`.

use super::claim::ClaimKind;
use crate::segment::punct;
use crate::segment::Segments;
use crate::span::Span;

/// Which way a mark can face.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Facing {
    Open,
    Close,
    Either,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    span: Span,
    facing: Facing,
    double: bool,
}

/// A quotation: marks included in `span`, excluded in `inner`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quoted {
    /// From the opening mark to the closing mark (or paragraph end), inclusive.
    pub span: Span,
    /// Inside the marks, trimmed.
    pub inner: Span,
    /// Paragraph index.
    pub paragraph: usize,
    /// No closing mark before the paragraph end.
    pub unclosed: bool,
    /// Continues in the next paragraph (multi-paragraph quote); the next `Quoted` is its tail.
    pub continues: bool,
    /// Single-mark quotation.
    pub single: bool,
}

fn letter_or_digit(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

/// Every candidate mark of the paragraph text, with the facing its context allows.
fn marks_in(body: &str, para: Span, singles: bool) -> Vec<Mark> {
    let text = para.slice(body);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (p, c) = chars[i];
        let prev = if i > 0 { Some(chars[i - 1].1) } else { None };
        // doubled apostrophes / backticks act as one double mark
        let pair = |a: char, b: char| c == a && chars.get(i + 1).is_some_and(|x| x.1 == b);
        if pair('\'', '\'') || pair('`', '`') || pair('‘', '‘') || pair('’', '’') {
            let facing = if c == '`' || c == '‘' {
                Facing::Open
            } else if c == '’' {
                Facing::Close
            } else {
                facing_of(prev, chars.get(i + 2).map(|x| x.1))
            };
            out.push(Mark {
                span: Span::new(para.start + p, para.start + p + 2 * c.len_utf8()),
                facing,
                double: true,
            });
            i += 2;
            continue;
        }
        let next = chars.get(i + 1).map(|x| x.1);
        let (facing, double) = match c {
            '“' => {
                // some texts use “ for both ends: a “ glued to the previous word closes
                if letter_or_digit(prev) || prev.is_some_and(|p| ".,!?".contains(p)) {
                    (Facing::Either, true)
                } else {
                    (Facing::Open, true)
                }
            }
            '”' => {
                if prev.is_none_or(char::is_whitespace) && letter_or_digit(next) {
                    (Facing::Either, true)
                } else {
                    (Facing::Close, true)
                }
            }
            '„' | '«' => (Facing::Open, true),
            '»' => (Facing::Close, true),
            '"' => (facing_of(prev, next), true),
            '‘' | '‹' if singles => (Facing::Open, false),
            '›' if singles => (Facing::Close, false),
            '’' | '\'' if singles => {
                // apostrophe inside a word (don’t) or after a plural (voters’ )
                if letter_or_digit(prev) && letter_or_digit(next) {
                    i += 1;
                    continue;
                }
                if c == '\'' {
                    (facing_of(prev, next), false)
                } else {
                    (Facing::Close, false)
                }
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.push(Mark {
            span: Span::new(para.start + p, para.start + p + c.len_utf8()),
            facing,
            double,
        });
        i += 1;
    }
    out
}

/// Facing of an ambiguous straight mark from its neighbours.
fn facing_of(prev: Option<char>, next: Option<char>) -> Facing {
    let space_before = prev.is_none_or(|c| c.is_whitespace() || "([{—–-/".contains(c));
    let space_after = next.is_none_or(|c| c.is_whitespace() || ".,;:!?)]}—–".contains(c));
    match (space_before, space_after) {
        (true, false) => Facing::Open,
        (false, true) => Facing::Close,
        _ => Facing::Either,
    }
}

/// The quotations of `quoted` (in body order and disjoint, as [`quotations`] makes them)
/// that overlap or touch `span`, found by binary search.
pub fn touching(quoted: &[Quoted], span: Span) -> &[Quoted] {
    let lo = quoted.partition_point(|q| q.span.end < span.start);
    let hi = quoted.partition_point(|q| q.span.start <= span.end);
    &quoted[lo..hi.max(lo)]
}

/// The kind of a claim from its content pieces: the one definition of direct / mixed /
/// indirect, used by the rules, by the model's claims and by `eval` for gold attributions.
///
/// - `direct`: quotations (marks included) cover at least nine tenths of the content;
/// - `mixed`: otherwise, some of the content lies inside a quotation's marks;
///   (a quotation whose mark is never closed counts for neither);
/// - `belief`: otherwise, when the cue reports a belief or a finding (`belief`);
/// - `indirect`: the rest.
pub(crate) fn claim_kind(pieces: &[Span], quoted: &[Quoted], belief: bool) -> ClaimKind {
    let len: usize = pieces.iter().map(Span::len).sum();
    let mut covered = 0;
    let mut inside = false;
    for p in pieces {
        // a mark never closed (and not continued in the next paragraph) proves nothing
        for q in touching(quoted, *p)
            .iter()
            .filter(|q| !q.unclosed || q.continues)
        {
            let overlap = p
                .end
                .min(q.span.end)
                .saturating_sub(p.start.max(q.span.start));
            covered += overlap;
            inside |= p.overlaps(&q.inner);
        }
    }
    if len > 0 && covered * DIRECT_SHARE.1 >= len * DIRECT_SHARE.0 {
        ClaimKind::Direct
    } else if inside {
        ClaimKind::Mixed
    } else if belief {
        ClaimKind::Belief
    } else {
        ClaimKind::Indirect
    }
}

/// All quotations of the article, in body order and disjoint (each starts at or after the
/// end of the one before).
pub fn quotations(body: &str, segments: &Segments) -> Vec<Quoted> {
    let doubles = body.contains(punct::DOUBLE) || body.contains("''");
    let mut out: Vec<Quoted> = Vec::new();
    let paras = &segments.paragraphs;
    for (pi, para) in paras.iter().enumerate() {
        let marks = marks_in(body, para.span, true);
        let has_double = marks.iter().any(|m| m.double);
        // single marks are quotation marks when nested or when the article has no doubles
        let use_single_top = !doubles && !has_double;
        let mut open_double: Option<Mark> = None;
        let mut open_single: Option<Mark> = None;
        for m in marks {
            let single_ok = !m.double && (use_single_top || open_double.is_some());
            if !m.double && !single_ok {
                continue;
            }
            let slot = if m.double {
                &mut open_double
            } else {
                &mut open_single
            };
            match (*slot, m.facing) {
                (None, Facing::Open | Facing::Either) => *slot = Some(m),
                (None, Facing::Close) => {} // stray closing mark: skip
                (Some(o), Facing::Close | Facing::Either) => {
                    *slot = None;
                    if m.double || use_single_top {
                        out.push(make(body, o.span.start, m.span.end, o, pi, false, false));
                    }
                }
                (Some(o), Facing::Open) => {
                    // a new opening mark while one is open: close the first before it
                    if m.double || use_single_top {
                        out.push(make(body, o.span.start, m.span.start, o, pi, true, false));
                    }
                    *slot = Some(m);
                }
            }
        }
        if let Some(o) = open_double.or(if use_single_top { open_single } else { None }) {
            // news convention: the next paragraph reopens the quote without closing this one
            let next_opens = paras.get(pi + 1).is_some_and(|n| {
                let t = n.span.slice(body);
                t.starts_with(|c| punct::is_double(c) && punct::can_open(c))
                    || t.starts_with("''")
                    || t.starts_with("``")
            });
            out.push(make(
                body,
                o.span.start,
                para.span.end,
                o,
                pi,
                !next_opens,
                next_opens,
            ));
        }
    }
    debug_assert!(out.windows(2).all(|w| w[0].span.end <= w[1].span.start));
    out
}

fn make(
    body: &str,
    start: usize,
    end: usize,
    open: Mark,
    paragraph: usize,
    unclosed: bool,
    continues: bool,
) -> Quoted {
    let span = Span::new(start, end).trim(body);
    let close_len = if unclosed || continues {
        0
    } else {
        body[..span.end]
            .chars()
            .next_back()
            .map_or(0, char::len_utf8)
            * if body[..span.end].ends_with("''") || body[..span.end].ends_with("’’") {
                2
            } else {
                1
            }
    };
    let inner_start = open.span.end.min(span.end);
    let inner_end = span.end.saturating_sub(close_len).max(inner_start);
    Quoted {
        span,
        inner: Span::new(inner_start, inner_end).trim(body),
        paragraph,
        unclosed,
        continues,
        single: !open.double,
    }
}

/// Share of a content (numerator, denominator) that quotations must cover for the claim to be
/// direct: nine tenths, so a quotation with a trailing word or mark outside it stays direct.
const DIRECT_SHARE: (usize, usize) = (9, 10);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::segment_text;

    /// The pairing reads exactly the one mark set: every mark of `segment::punct` is a
    /// candidate here (the backtick doubled), and nothing else is.
    #[test]
    fn every_mark_of_the_one_set_is_read_and_no_other() {
        for c in punct::OPENING
            .iter()
            .chain(punct::CLOSING)
            .chain(punct::STRAIGHT)
        {
            let text = if *c == '`' {
                "a `` b".to_string()
            } else {
                format!("a {c} b")
            };
            let marks = marks_in(&text, Span::new(0, text.len()), true);
            assert_eq!(marks.len(), 1, "{c:?}");
            assert_eq!(marks[0].double, *c == '`' || punct::is_double(*c), "{c:?}");
        }
        for c in ['(', '-', '|', '*', '~'] {
            let text = format!("a {c} b");
            assert!(
                marks_in(&text, Span::new(0, text.len()), true).is_empty(),
                "{c:?}"
            );
        }
    }

    fn quotes(body: &str) -> Vec<(&str, bool, bool)> {
        quotations(body, &segment_text(body))
            .iter()
            .map(|q| (q.span.slice(body), q.unclosed, q.continues))
            .collect()
    }

    #[test]
    fn every_mark_style() {
        let cases: &[(&str, &[&str])] = &[
            ("He said \"yes, Zoë.\" Done.", &["\"yes, Zoë.\""]),
            ("He said “yes.” Done.", &["“yes.”"]),
            ("Er sagte „ja“ dazu.", &["„ja“"]),
            ("Il a dit « oui » hier.", &["« oui »"]),
            ("He said ''I hope so,'' and left.", &["''I hope so,''"]),
            ("He said ``fine'' then.", &["``fine''"]),
            ("She said ‘no’ to it.", &["‘no’"]),
            (
                "“It’s the voters’ choice,” she said.",
                &["“It’s the voters’ choice,”"],
            ),
            (
                "“He called it ‘a sham’ twice,” she said.",
                &["“He called it ‘a sham’ twice,”"],
            ),
        ];
        for (body, want) in cases {
            let got: Vec<&str> = quotes(body).iter().map(|q| q.0).collect();
            assert_eq!(got, *want, "{body}");
        }
    }

    #[test]
    fn apostrophes_are_not_marks_when_doubles_exist() {
        let body = "“Don’t,” he said. It was 'odd' in the voters’ view.";
        let got: Vec<&str> = quotes(body).iter().map(|q| q.0).collect();
        assert_eq!(got, ["“Don’t,”"]);
    }

    #[test]
    fn unbalanced_marks_never_abort() {
        let body =
            "“One,” she said. “Two is open.\n\nNext paragraph has no mark.\n\n“Three,” he said.";
        let got = quotes(body);
        assert_eq!(got[0], ("“One,”", false, false));
        assert_eq!(got[1], ("“Two is open.", true, false));
        assert_eq!(got[2], ("“Three,”", false, false));
    }

    #[test]
    fn multi_paragraph_quote_continues() {
        let body = "“First part of it.\n\n“Second part,” Akar said.";
        let got = quotes(body);
        assert_eq!(got[0], ("“First part of it.", false, true));
        assert_eq!(got[1], ("“Second part,”", false, false));
    }

    #[test]
    fn inner_excludes_marks() {
        let body = "x ''I hope so,'' y";
        let q = quotations(body, &segment_text(body))[0];
        assert_eq!(q.inner.slice(body), "I hope so,");
    }
}
