//! Sentence boundaries inside one paragraph, tuned for news.
//!
//! A boundary follows `.`, `!`, `?` or `…` (plus any closing quotes or brackets) when
//! whitespace follows and the next word can start a sentence. It is suppressed after:
//! - title abbreviations that always precede a name (`Gen.`, `Sen.`, `Dr.`, `Mr.`);
//! - single-letter initials (`John F. Kennedy`) and dotted acronyms inside a name (`U.S. Army`),
//!   unless a typical sentence opener follows (`... in the U.S. The ...`);
//! - month abbreviations before a number (`Sept. 11`), `No. 5`;
//! - a lower-case or digit continuation (`e.g. the`, `3 p.m. yesterday`).
//!
//! Decimals (`3.5`) never split because no whitespace follows the dot. A terminator inside a
//! quotation followed by a lower-case word (`"Why?" he asked.`) does not split either.

use super::punct;
use crate::span::Span;

/// Always followed by a name or a number: never end a sentence.
pub(crate) const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "gov", "lt", "col", "sgt", "capt",
    "cmdr", "adm", "maj", "brig", "cpl", "pvt", "st", "rev", "hon", "pres", "supt", "det", "insp",
    "atty", "fr", "sr", "jr", "messrs", "mme", "mlle", "no", "nos", "vol", "art", "fig", "ft",
    "mt", "vs", "v", "approx", "ca", "cf", "dept", "est", "gov't", "sec",
];

/// Month abbreviations: no boundary when a number follows (`Sept. 11`).
pub(crate) const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// Abbreviations that may also end a sentence (`Inc.`, `U.S.`): split only before a typical
/// sentence opener (`Jr.` and `Sr.` are titles that may end one, handled with them).
pub(crate) const ENDERS: &[&str] = &[
    "inc", "corp", "co", "ltd", "llc", "plc", "bros", "etc", "u.s", "u.k", "u.n", "e.u", "d.c",
    "l.a", "n.y",
];

/// Clock abbreviations: they end a sentence unless the time goes on (`at 7 p.m. Tuesday`,
/// `9 a.m. EDT`); `7 p.m. Donald Trump said` is two sentences (a timeline's entries).
const CLOCK: &[&str] = &["a.m", "p.m"];

/// The days of the week, lower case (also read by the quote rules: `said Monday that …`).
pub(crate) const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// What follows a clock time inside a sentence besides a weekday or a month abbreviation:
/// days, months, time zones.
const TIME_GOES_ON: &[&str] = &[
    "today",
    "tonight",
    "tomorrow",
    "yesterday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "et",
    "edt",
    "est",
    "ct",
    "cdt",
    "cst",
    "mt",
    "mdt",
    "mst",
    "pt",
    "pdt",
    "pst",
    "gmt",
    "utc",
    "bst",
    "cet",
    "cest",
    "local",
    "eastern",
    "central",
    "mountain",
    "pacific",
    "israel",
    "moscow",
    "beijing",
];

/// Words that commonly open a news sentence; after an ambiguous abbreviation they signal a
/// boundary.
const OPENERS: &[&str] = &[
    "the",
    "a",
    "an",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "but",
    "and",
    "in",
    "on",
    "at",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "their",
    "its",
    "our",
    "there",
    "if",
    "when",
    "while",
    "after",
    "before",
    "as",
    "for",
    "some",
    "many",
    "most",
    "officials",
    "police",
    "yet",
    "still",
    "meanwhile",
    "however",
    "also",
    "so",
    "since",
    "although",
];

/// What may follow a terminator inside its sentence: a closing mark (also `“`, which some
/// texts close with), a closing bracket.
fn is_closer(c: char) -> bool {
    punct::can_close(c) || c == '“' || matches!(c, ')' | ']' | '}')
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '。' | '！' | '？')
}

/// The word (letters, digits, inner dots, apostrophes) ending just before byte `dot`.
fn word_before(text: &str, dot: usize) -> &str {
    let head = &text[..dot];
    let start = head
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '.' || *c == '\'' || *c == '’')
        .last()
        .map_or(dot, |(i, _)| i);
    &head[start..]
}

/// The next word after `pos` (skipping opening quotes and brackets).
fn word_after(text: &str, pos: usize) -> &str {
    let tail = &text[pos..];
    let tail = tail.trim_start_matches(|c: char| punct::can_open(c) || matches!(c, '(' | '['));
    let end = tail
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '\'' || *c == '’'))
        .map_or(tail.len(), |(i, _)| i);
    &tail[..end]
}

/// True when `bare` (lower case, without its final dot) is an abbreviation of any of the
/// three lists: the one list of abbreviations, shared with the quote rules' word scanner.
fn is_abbreviation(bare: &str) -> bool {
    !bare.is_empty()
        && [TITLES, MONTHS, ENDERS, CLOCK]
            .iter()
            .any(|l| l.contains(&bare))
}

/// True when the dot at byte `dot` of `text` belongs to the abbreviation before it (`Mr.`,
/// `Sept.`, `U.S.` mid-sentence): the word is one of the abbreviations and the dot does not
/// end a sentence here. The quote rules' word scanner asks this, so a word keeps its dot
/// exactly where segmentation does not split (`at 3 p.m. The minister` splits after `p.m.`,
/// and the scanner sees the dot as the end of a sentence too).
pub(crate) fn abbreviation_dot(text: &str, dot: usize) -> bool {
    let word = word_before(text, dot).to_lowercase();
    let bare = word.trim_end_matches('.');
    if !is_abbreviation(bare) {
        return false;
    }
    let after = &text[dot + 1..];
    let Some(gap) = after.find(|c: char| !c.is_whitespace()) else {
        // the end of the text ends its last sentence
        return false;
    };
    if gap == 0 {
        // `Mr.,` `p.m.)`: punctuation right after the dot, never a boundary of its own
        return true;
    }
    !is_boundary(text, dot, '.', dot + 1 + gap, false)
}

/// Decides whether a terminator at `dot` followed by `next` (the start of the next word) ends
/// the sentence.
fn is_boundary(text: &str, dot: usize, term: char, next_pos: usize, closed_quote: bool) -> bool {
    let next = word_after(text, next_pos);
    let first = text[next_pos..].chars().next().unwrap_or(' ');
    let next_first = next.chars().next();
    // a lower-case continuation never starts a sentence in news prose
    if next_first.is_some_and(|c| c.is_lowercase()) {
        return false;
    }
    // a terminator followed by a closing quotation mark ends the sentence (`said “no.” Then`)
    if term != '.' || closed_quote {
        return true;
    }
    let word = word_before(text, dot);
    let lower = word.to_lowercase();
    let bare = lower.trim_end_matches('.');
    let next_lower = next.to_lowercase();
    let opener = OPENERS.contains(&next_lower.as_str());
    let digit_next = next_first.is_some_and(|c| c.is_ascii_digit());
    if TITLES.contains(&bare) && !bare.is_empty() {
        // `No.` and `St.` can end a sentence only before an opener; titles never
        return opener && matches!(bare, "no" | "st" | "sr" | "jr" | "vs" | "est" | "sec");
    }
    if MONTHS.contains(&bare) {
        return !digit_next;
    }
    if CLOCK.contains(&bare) {
        let time_goes_on = [WEEKDAYS, MONTHS, TIME_GOES_ON]
            .iter()
            .any(|l| l.contains(&next_lower.as_str()));
        return !(digit_next || time_goes_on);
    }
    if ENDERS.contains(&bare) {
        return opener || punct::can_open(first);
    }
    // single initial (`F.`) or dotted acronym (`U.S.`, `D.C.`) not in the enders list
    let letters: Vec<char> = bare.chars().filter(|c| *c != '.').collect();
    let initial = letters.len() == 1 && letters[0].is_alphabetic();
    let dotted = bare.contains('.') && letters.iter().all(|c| c.is_alphabetic());
    if initial || dotted {
        return opener;
    }
    true
}

/// Trimmed sentence spans inside `para` (article-relative).
pub(super) fn sentences(body: &str, para: Span) -> Vec<Span> {
    let text = para.slice(body);
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if !is_terminator(c) {
            i += 1;
            continue;
        }
        // swallow repeated terminators and closing quotes/brackets
        let mut j = i + 1;
        while j < chars.len() && (is_terminator(chars[j].1) || is_closer(chars[j].1)) {
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |(p, _)| *p);
        // need whitespace after the cluster
        let mut k = j;
        while k < chars.len() && chars[k].1.is_whitespace() {
            k += 1;
        }
        if k == j || k >= chars.len() {
            i = j.max(i + 1);
            continue;
        }
        let next_pos = chars[k].0;
        let closed_quote = chars[i + 1..j].iter().any(|(_, q)| punct::can_close(*q));
        if is_boundary(text, pos, c, next_pos, closed_quote) {
            push(&mut out, body, para.start, start, end);
            start = next_pos;
        }
        i = k;
    }
    push(&mut out, body, para.start, start, text.len());
    out
}

fn push(out: &mut Vec<Span>, body: &str, base: usize, start: usize, end: usize) {
    let s = Span::new(base + start, base + end).trim(body);
    if !s.is_empty() {
        out.push(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A word given twice in a list is a list that drifted; titles, months and
    /// enders are one abbreviation list, so no word is in two of them.
    #[test]
    fn word_lists_hold_each_word_once() {
        let mut all = std::collections::HashSet::new();
        for (name, list) in [
            ("TITLES", TITLES),
            ("MONTHS", MONTHS),
            ("ENDERS", ENDERS),
            ("CLOCK", CLOCK),
            ("OPENERS", OPENERS),
            ("TIME_GOES_ON", TIME_GOES_ON),
            ("WEEKDAYS", WEEKDAYS),
        ] {
            let mut seen = std::collections::HashSet::new();
            for w in list.iter() {
                assert!(seen.insert(*w), "{name} lists {w:?} twice");
                if !matches!(name, "OPENERS" | "TIME_GOES_ON" | "WEEKDAYS") {
                    assert!(all.insert(*w), "{w:?} is in two abbreviation lists");
                }
            }
        }
    }

    fn split(text: &str) -> Vec<&str> {
        sentences(text, Span::new(0, text.len()))
            .iter()
            .map(|s| s.slice(text))
            .collect()
    }

    #[test]
    fn news_sentence_table() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Gen. Mark Milley spoke. He left.",
                &["Gen. Mark Milley spoke.", "He left."],
            ),
            (
                "Sen. Ann Lee met Rep. Bo Kim.",
                &["Sen. Ann Lee met Rep. Bo Kim."],
            ),
            (
                "The U.S. Army said so. It was late.",
                &["The U.S. Army said so.", "It was late."],
            ),
            (
                "It grew in the U.S. The rest fell.",
                &["It grew in the U.S.", "The rest fell."],
            ),
            (
                "After Sept. 11 it changed. Not now.",
                &["After Sept. 11 it changed.", "Not now."],
            ),
            (
                "Acme Inc. Chief Jo Ray quit.",
                &["Acme Inc. Chief Jo Ray quit."],
            ),
            (
                "He joined Acme Inc. The firm grew.",
                &["He joined Acme Inc.", "The firm grew."],
            ),
            (
                "John F. Kennedy won. Yes.",
                &["John F. Kennedy won.", "Yes."],
            ),
            (
                "Growth was 3.5 percent. Good.",
                &["Growth was 3.5 percent.", "Good."],
            ),
            (
                "He said, “I quit.” Then he left.",
                &["He said, “I quit.”", "Then he left."],
            ),
            (
                "“Why?” she asked. “Because.”",
                &["“Why?” she asked.", "“Because.”"],
            ),
            (
                "\"Stop!\" he yelled. Nobody did.",
                &["\"Stop!\" he yelled.", "Nobody did."],
            ),
            ("Wait... what? Yes!", &["Wait... what?", "Yes!"]),
            ("At 3 p.m. the vote began.", &["At 3 p.m. the vote began."]),
            (
                "It opens at 9 a.m. Tuesday. Go.",
                &["It opens at 9 a.m. Tuesday.", "Go."],
            ),
            (
                "The polls shut at 8 p.m. EDT.",
                &["The polls shut at 8 p.m. EDT."],
            ),
            (
                "7 p.m. Donald Trump spoke. He left.",
                &["7 p.m.", "Donald Trump spoke.", "He left."],
            ),
            (
                "Dr. Zoë Ångström agreed. 😀 Fine.",
                &["Dr. Zoë Ångström agreed.", "😀 Fine."],
            ),
            ("Ends without a dot", &["Ends without a dot"]),
            ("", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(split(text), *want, "input: {text}");
        }
    }

    /// The word scanner keeps an abbreviation's dot exactly where no sentence ends on it.
    #[test]
    fn abbreviation_dot_agrees_with_segmentation() {
        let cases: &[(&str, &str, bool)] = &[
            ("Mr. Bo Kim spoke.", "Mr.", true),
            ("It grew in the U.S. The rest fell.", "U.S.", false),
            ("The U.S. Army said so.", "U.S.", true),
            ("7 p.m. Donald Trump spoke.", "p.m.", false),
            ("At 9 a.m. Tuesday it opens.", "a.m.", true),
            ("He joined Acme Inc.", "Inc.", false),
            ("He met Sen.", "Sen.", false),
            ("The firm, Acme Co., grew.", "Co.", true),
            ("She sang. He left.", "sang.", false),
        ];
        for (text, word, keeps) in cases {
            let dot = text.find(word).unwrap() + word.len() - 1;
            assert_eq!(abbreviation_dot(text, dot), *keeps, "{word:?} in {text:?}");
            let splits = split(text).iter().any(|s| s.ends_with(word));
            if splits {
                assert!(
                    !keeps,
                    "{word:?} ends a sentence in {text:?} yet keeps its dot"
                );
            }
        }
    }

    #[test]
    fn spans_are_article_relative() {
        let body = "xx\n\nOne. Two.";
        let spans = sentences(body, Span::new(4, body.len()));
        let texts: Vec<_> = spans.iter().map(|s| s.slice(body)).collect();
        assert_eq!(texts, ["One.", "Two."]);
        assert_eq!(spans[0].start, 4);
    }
}
