//! Reporting cues: the lexicon in `data/cues.txt` (compiled in), matched on the carrier's words
//! (`quote::words`).
//!
//! The lexicon holds verbs of speech (say, tell, warn, quip, tweet …), of belief (believe,
//! think, hope …) and of finding (show, find … for polls and reports), each with its inflected
//! forms. Multi-word forms ("went on") are matched word by word.

use super::lexicon::{is_pronoun, is_verb_group_adverb};
use std::collections::HashMap;
use std::sync::OnceLock;

use super::words::W;

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

/// The cue starting at word `i`, if any.
pub fn cue_at(words: &[W<'_>], i: usize) -> Option<CueMatch> {
    let first = words.get(i)?.lower();
    let entries = lexicon().by_first.get(first)?;
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
            l,
            "is" | "was" | "are" | "were" | "am" | "be" | "been" | "'s" | "’s" | "'re" | "’re"
        ) || l.ends_with("'s") && is_pronoun(&l[..l.len() - 2])
            || l.ends_with("’s") && is_pronoun(&l[..l.len() - "’s".len()])
        {
            return true;
        }
        if !is_verb_group_adverb(l) {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quote::words::Words;

    #[test]
    fn lexicon_has_hundreds_of_forms_and_multiword_cues() {
        assert!(lexicon_size() > 500, "{}", lexicon_size());
        let s = Words::of("He went on to say");
        let w = s.range(0..s.len());
        let m = cue_at(&w, 1).unwrap();
        assert_eq!((m.words, m.lemma), (2, "go on"));
        assert_eq!(cue_at(&w, 4).unwrap().lemma, "say");
        assert!(cue_at(&w, 0).is_none());
        let s = Words::of("she quipped");
        assert_eq!(cue_at(&s.range(0..2), 1).unwrap().lemma, "quip");
    }
}
