//! Reporting cues: the lexicon in `data/cues.txt` (compiled in), and the word scanner the rules
//! work on.
//!
//! The lexicon holds verbs of speech (say, tell, warn, quip, tweet …), of belief (believe,
//! think, hope …) and of finding (show, find … for polls and reports), each with its inflected
//! forms. Multi-word forms ("went on") are matched word by word.

use super::lexicon::{is_pronoun, is_verb_group_adverb};
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::span::Span;

/// Class of a cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueClass {
    /// Reported speech.
    Speech,
    /// Belief or intention.
    Belief,
    /// What a poll, study or report shows.
    Finding,
}

/// One lexicon entry matched at a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CueMatch {
    /// Number of words the cue spans.
    pub words: usize,
    /// Class.
    pub class: CueClass,
    /// Lemma (for rule decisions such as "tell takes an object").
    pub lemma: &'static str,
    /// True for the `-ing` form (participial: "…, saying that").
    pub participle: bool,
}

const LEXICON: &str = include_str!("../../data/cues.txt");

/// The lexicon, indexed by the first word of each form.
struct Lexicon {
    by_first: HashMap<&'static str, Vec<Entry>>,
}

/// One inflected form: its words, class and lemma.
type Entry = (Vec<&'static str>, CueClass, &'static str);

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut by_first: HashMap<&'static str, Vec<_>> = HashMap::new();
        for line in LEXICON.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut cols = line.split('\t');
            let class = match cols.next() {
                Some("speech") => CueClass::Speech,
                Some("belief") => CueClass::Belief,
                Some("finding") => CueClass::Finding,
                _ => continue,
            };
            let Some(lemma) = cols.next() else { continue };
            for form in cols {
                let words: Vec<&'static str> = form.split(' ').collect();
                if let Some(first) = words.first() {
                    by_first
                        .entry(first)
                        .or_default()
                        .push((words, class, lemma));
                }
            }
        }
        // longest forms first so "went on" wins over "went"
        for v in by_first.values_mut() {
            v.sort_by_key(|(w, _, _)| std::cmp::Reverse(w.len()));
        }
        Lexicon { by_first }
    })
}

/// Number of distinct inflected forms in the lexicon.
#[cfg(test)]
fn lexicon_size() -> usize {
    lexicon().by_first.values().map(Vec::len).sum()
}

/// A word or punctuation mark of the rule layer, with its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct W<'a> {
    /// Byte span in the body.
    pub span: Span,
    /// The text.
    pub text: &'a str,
}

impl W<'_> {
    /// True for a word starting with a letter or digit.
    pub fn is_word(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_alphanumeric)
    }

    /// True when the word starts with an upper-case letter.
    pub fn is_capitalized(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// Lower-cased text.
    pub fn lower(&self) -> String {
        self.text.to_lowercase()
    }
}

/// Words and punctuation of `span`: a word is a run of letters, digits and inner `'’-.` (so
/// `don't`, `U.S.`, `Mr.` stay whole); every other non-space char is its own token.
pub fn scan(body: &str, span: Span) -> Vec<W<'_>> {
    let text = span.slice(body);
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (p, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = p;
        let mut j = i + 1;
        if c.is_alphanumeric() {
            while j < chars.len() {
                let d = chars[j].1;
                let next_alnum = chars.get(j + 1).is_some_and(|(_, n)| n.is_alphanumeric());
                let inner = d.is_alphanumeric() || (matches!(d, '\'' | '’' | '-') && next_alnum);
                if inner || (d == '.' && abbreviation(text, start, chars[j].0, next_alnum)) {
                    j += 1;
                } else {
                    break;
                }
            }
        }
        let end = chars.get(j).map_or(text.len(), |(q, _)| *q);
        out.push(W {
            span: Span::new(span.start + start, span.start + end),
            text: &text[start..end],
        });
        i = j;
    }
    out
}

/// Keeps the dot at byte `dot` of `text` inside the word that ends there: inner dots of
/// short pieces (`U.S`, `e.g`), and an abbreviation's final dot wherever segmentation does
/// not end a sentence on it (`segment::abbreviation_dot`, one list and one decision), and
/// single capitals (`F. Smith`).
fn abbreviation(text: &str, start: usize, dot: usize, next_alnum: bool) -> bool {
    let word = &text[start..dot];
    if next_alnum {
        return word.chars().count() <= 2; // U.S, e.g
    }
    let bare = word.trim_end_matches('.');
    crate::segment::abbreviation_dot(text, dot)
        || (bare.chars().count() == 1 && bare.chars().all(char::is_uppercase))
}

/// The cue starting at word `i`, if any.
pub fn cue_at(words: &[W<'_>], i: usize) -> Option<CueMatch> {
    let first = words.get(i)?.lower();
    let entries = lexicon().by_first.get(first.as_str())?;
    for (forms, class, lemma) in entries {
        let ok = forms
            .iter()
            .enumerate()
            .all(|(k, f)| words.get(i + k).is_some_and(|w| w.lower() == *f));
        if ok {
            return Some(CueMatch {
                words: forms.len(),
                class: *class,
                lemma,
                participle: forms[0].ends_with("ing") && !progressive(words, i),
            });
        }
    }
    None
}

/// True when the `-ing` form at `i` follows a form of "be" ("is saying", "was also
/// demanding", "He’s claiming"): a finite verb with its subject before it, not a participle.
fn progressive(words: &[W<'_>], i: usize) -> bool {
    let mut k = i;
    while k > 0 {
        k -= 1;
        let l = words[k].lower();
        if matches!(
            l.as_str(),
            "is" | "was" | "are" | "were" | "am" | "be" | "been" | "'s" | "’s" | "'re" | "’re"
        ) || l.ends_with("'s") && is_pronoun(&l[..l.len() - 2])
            || l.ends_with("’s") && is_pronoun(&l[..l.len() - "’s".len()])
        {
            return true;
        }
        if !is_verb_group_adverb(&l) {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        scan(s, Span::new(0, s.len()))
            .iter()
            .map(|w| w.text)
            .collect()
    }

    #[test]
    fn scan_table() {
        assert_eq!(
            texts("Mr. Müller didn't say “no,” U.S. officials said."),
            [
                "Mr.",
                "Müller",
                "didn't",
                "say",
                "“",
                "no",
                ",",
                "”",
                "U.S.",
                "officials",
                "said",
                "."
            ]
        );
        assert_eq!(texts("well-known 3.5 😀"), ["well-known", "3.5", "😀"]);
        // a dot that ends a sentence is its own token, as segmentation splits there
        assert_eq!(
            texts("7 p.m. Trump spoke at 9 a.m. Tuesday in the U.S."),
            [
                "7", "p.m", ".", "Trump", "spoke", "at", "9", "a.m.", "Tuesday", "in", "the",
                "U.S", "."
            ]
        );
    }

    #[test]
    fn lexicon_has_hundreds_of_forms_and_multiword_cues() {
        assert!(lexicon_size() > 500, "{}", lexicon_size());
        let s = "He went on to say";
        let w = scan(s, Span::new(0, s.len()));
        let m = cue_at(&w, 1).unwrap();
        assert_eq!((m.words, m.lemma), (2, "go on"));
        assert_eq!(cue_at(&w, 4).unwrap().lemma, "say");
        assert!(cue_at(&w, 0).is_none());
        let s = "she quipped";
        assert_eq!(
            cue_at(&scan(s, Span::new(0, s.len())), 1).unwrap().lemma,
            "quip"
        );
    }
}
