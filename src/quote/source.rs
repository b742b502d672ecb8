//! Finding the source mention next to a cue, without a parser.
//!
//! Before the cue ("Akar said", "a campaign spokesman said", "Sarandon, 69, told"): skip
//! auxiliaries and adverbs ("has also said"), skip a comma-delimited apposition, then take the
//! noun phrase ending there: a pronoun; a capitalised name run (with titles, role nouns,
//! "of"); or a determiner phrase ending in a source noun ("the ministry", "a senior
//! official"). After the cue ("said Mr. Brown, who …"): the same phrase read forwards.

use super::claim::{Resolution, Speaker};
use super::lexicon::{self, is_pronoun};
use super::words::W;
use crate::span::Span;

/// Auxiliaries and adverbs that may sit between a source and its cue.
const BETWEEN: &[&str] = &[
    "has",
    "have",
    "had",
    "also",
    "previously",
    "later",
    "then",
    "repeatedly",
    "once",
    "recently",
    "reportedly",
    "publicly",
    "privately",
    "again",
    "will",
    "would",
    "could",
    "may",
    "might",
    "did",
    "does",
    "do",
    "is",
    "was",
    "were",
    "are",
    "not",
    "never",
    "already",
    "often",
    "frequently",
    "earlier",
    "further",
    "just",
    "simply",
    "both",
    "all",
    "still",
    "even",
    "who",
    "n't",
    "long",
    "always",
    "now",
    "first",
    "initially",
    "originally",
    "immediately",
    "quickly",
    "subsequently",
    "ultimately",
    "finally",
    "angrily",
];

/// Words that open a noun phrase.
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "these", "those", "his", "her", "their", "its", "our", "my", "your",
    "some", "many", "most", "several", "both", "all", "no", "each", "another", "one", "two",
    "three", "four", "five", "other", "few", "more", "top",
];

/// Nouns that name one person by a role ("the minister", "the curator", "his lawyer"): they
/// head a source phrase like [`SOURCE_NOUNS`], and they are the only heads a speaker phrase may
/// be resolved by title with ([`super::speaker`]: to the person the article introduced with
/// it). Singular only: a plural is a group, not one person.
pub(crate) const ROLE_NOUNS: &[&str] = &[
    "president",
    "minister",
    "premier",
    "chancellor",
    "governor",
    "mayor",
    "senator",
    "congressman",
    "congresswoman",
    "representative",
    "lawmaker",
    "legislator",
    "ambassador",
    "secretary",
    "commissioner",
    "chairman",
    "chairwoman",
    "chair",
    "director",
    "chief",
    "executive",
    "founder",
    "leader",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "nominee",
    "candidate",
    "curator",
    "lawyer",
    "attorney",
    "judge",
    "prosecutor",
    "sheriff",
    "officer",
    "detective",
    "professor",
    "researcher",
    "scientist",
    "economist",
    "analyst",
    "author",
    "editor",
    "reporter",
    "columnist",
    "writer",
    "poet",
    "host",
    "anchor",
    "coach",
    "manager",
    "owner",
    "captain",
    "general",
    "admiral",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "bishop",
    "priest",
    "rabbi",
    "imam",
    "father",
    "mother",
    "wife",
    "husband",
    "son",
    "daughter",
    "brother",
    "sister",
    "doctor",
    "physician",
    "vice-president",
    "president-elect",
    "ceo",
    "adviser",
    "advisor",
    "aide",
    "strategist",
    "pollster",
];

/// True for a noun that can be a source on its own or head a source phrase: a role noun or
/// one of [`SOURCE_NOUNS`].
fn is_source_noun(w: &str) -> bool {
    SOURCE_NOUNS.contains(&w) || ROLE_NOUNS.contains(&w)
}

/// Nouns other than [`ROLE_NOUNS`] that can be a source on their own or head a source phrase
/// (groups, sources, organisations).
const SOURCE_NOUNS: &[&str] = &[
    "official",
    "officials",
    "source",
    "sources",
    "analysts",
    "expert",
    "experts",
    "critic",
    "critics",
    "observer",
    "observers",
    "supporter",
    "supporters",
    "opponent",
    "opponents",
    "aides",
    "advisers",
    "advisors",
    "voter",
    "voters",
    "resident",
    "residents",
    "witness",
    "witnesses",
    "police",
    "prosecutors",
    "investigator",
    "investigators",
    "lawmakers",
    "democrats",
    "republicans",
    "poll",
    "polls",
    "survey",
    "surveys",
    "study",
    "studies",
    "report",
    "reports",
    "researchers",
    "scientists",
    "economists",
    "diplomat",
    "diplomats",
    "authorities",
    "officers",
    "leaders",
    "people",
    "member",
    "members",
    "spokespeople",
    "ministry",
    "candidates",
    "court",
    "campaign",
    "government",
    "administration",
    "department",
    "agency",
    "company",
    "firm",
    "group",
    "party",
    "committee",
    "council",
    "commission",
    "statement",
    "data",
    "figures",
    "records",
    "documents",
    "memo",
    "letter",
    "email",
    "emails",
    "article",
    "paper",
    "newspaper",
    "website",
    "organizers",
    "activists",
    "protesters",
    "demonstrators",
    "workers",
    "union",
    "executives",
    "strategists",
    "consultant",
    "consultants",
    "pollsters",
    "lawyers",
    "historian",
    "frontrunner",
    "rival",
    "rivals",
    "challenger",
    "incumbent",
    "delegate",
    "delegates",
    "donor",
    "donors",
    "commander",
    "army",
    "military",
    "military's",
    "spokesmen",
    "representatives",
    "envoy",
    "head",
    "team",
    "staff",
    "staffers",
    "counsel",
    "man",
    "woman",
    "men",
    "women",
    "friend",
    "friends",
    "colleague",
    "colleagues",
    "everyone",
    "nobody",
    "someone",
    "majority",
    "americans",
    "others",
    "parents",
    "students",
    "teachers",
    "doctors",
    "users",
    "fans",
    "citizens",
    "republican",
    "democrat",
    "conservatives",
    "liberals",
    "progressives",
    "evangelicals",
    "insiders",
    "allies",
    "backers",
    "foes",
    "detractors",
    "skeptics",
    "advocates",
];

/// Words that end a phrase scan (clause starters, prepositions that do not belong).
const STOP: &[&str] = &[
    "that", "which", "and", "but", "or", "while", "when", "because", "if", "as", "after", "before",
    "since", "although", "though", "where", "so", "than", "whether", "how", "why", "what", "to",
    "in", "on", "at", "with", "by", "from", "into", "about", "over", "under", "during", "without",
    "against", "said", "says", "say", "told", "not", "also", "has", "have", "had", "is", "was",
    "were", "are", "be", "been", "will", "would", "could", "can", "it's", "there", "here", "yet",
    "now", "then", "later",
];

/// A source phrase as a range of word indices `[first, last]`.
pub type Phrase = (usize, usize);

/// The speaker a rule found (phrase `p` of `words`), before resolution.
pub fn speaker(words: &[W<'_>], p: Phrase, body: &str) -> Speaker {
    mention(words[p.0].span.cover(&words[p.1].span), body)
}

/// An unresolved speaker for the mention at `span`, trimmed to the source as PolNeAR marks it
/// (see [`trim`]).
pub fn mention(span: Span, body: &str) -> Speaker {
    let span = trim(span, body);
    Speaker {
        mention: span,
        cluster: None,
        name: span.slice(body).to_string(),
        resolution: Resolution::None,
    }
}

/// Lower-case `-ing` words that open a phrase after a comma without being a participle clause.
const NOT_PARTICIPLES: &[&str] = &["including", "during", "according", "notwithstanding"];

/// The source inside a mention span: a subject pronoun without its contracted auxiliary
/// (`He’s` of `He’s claiming`, `I've`), and a name without a participle clause after it
/// (`Trump, speaking to a veterans group,` → `Trump`). Relative clauses and appositions stay:
/// PolNeAR's sources keep them (`Luis Rubio, who heads …`).
pub fn trim(span: Span, body: &str) -> Span {
    let text = span.slice(body);
    if let Some(k) = text.find(['\'', '’']) {
        let suffix = text[k..].trim_start_matches(['\'', '’']).to_lowercase();
        let auxiliary = matches!(suffix.as_str(), "s" | "ve" | "re" | "ll" | "d" | "m");
        if k > 0 && auxiliary && lexicon::pronoun(&text[..k].to_lowercase()).is_some() {
            return Span::new(span.start, span.start + k);
        }
    }
    let mut from = 0;
    while let Some(c) = text[from..].find(", ").map(|c| c + from) {
        let next = text[c + 2..]
            .split(|ch: char| !ch.is_alphanumeric())
            .next()
            .unwrap_or("");
        let participle = next.len() > 4
            && next.ends_with("ing")
            && next.chars().all(|ch| ch.is_lowercase())
            && !NOT_PARTICIPLES.contains(&next);
        if participle && c > 0 {
            return Span::new(span.start, span.start + text[..c].trim_end().len());
        }
        from = c + 2;
    }
    span
}

fn is_name_word(w: &W<'_>) -> bool {
    w.is_capitalized() && w.is_word()
}

fn is_possessive(w: &W<'_>) -> bool {
    let l = w.lower();
    l.ends_with("'s") || l.ends_with("’s")
}

/// Bytes above which a word ending in `-ly` between source and cue is an adverb (`Akar
/// reportedly said`; `only`, `Ely` and `July` are not).
const LY_ADVERB_MIN_BYTES: usize = 4;
/// Most words of an apposition set off by commas (`Akar, the defence minister, said`; `said
/// X, the Nobel Prize-winning former director.`): longer stretches are clauses.
const APPOSITION_WORDS: usize = 16;
/// Most words of a parenthetical after a name (`Rep. Bobby Scott (D-Va.) said`).
const PARENTHETICAL_WORDS: usize = 8;
/// Most words between a determiner and the head noun of a source (`the veteran announcer`).
const DETERMINER_REACH: usize = 3;
/// Most words of a source phrase (a name with its title, `the former deputy prime minister`).
const PHRASE_WORDS: usize = 8;
/// Most lower-case role words before a name (`campaign manager Robby Mook`).
const ROLE_MODIFIER_WORDS: usize = 3;

/// The source phrase ending right before word `cue` (and not before `floor`).
pub fn before(words: &[W<'_>], cue: usize, floor: usize) -> Option<Phrase> {
    let mut j = cue.checked_sub(1)?;
    // auxiliaries and adverbs between source and cue
    while j > floor {
        let l = words[j].lower();
        if BETWEEN.contains(&l)
            || (l.ends_with("ly") && l.len() > LY_ADVERB_MIN_BYTES && !words[j].is_capitalized())
        {
            j -= 1;
        } else {
            break;
        }
    }
    if j < floor {
        return None;
    }
    // apposition: "Sarandon, 69, told" / "Akar, the minister, said" — the source runs from
    // the name to the comma before the cue, as PolNeAR marks it
    if words[j].text == "," {
        let open = (floor..j)
            .rev()
            .take(APPOSITION_WORDS)
            .find(|&k| words[k].text == ",")?;
        let head = before_phrase(words, open, floor)?;
        return Some((head.0, j));
    }
    // a parenthetical after the name: "Rep. Bobby Scott (D-Va.) said"
    if words[j].text == ")" {
        let open = (floor..j)
            .rev()
            .take(PARENTHETICAL_WORDS)
            .find(|&k| words[k].text == "(")?;
        let head = before_phrase(words, open, floor)?;
        return Some((head.0, j));
    }
    before_phrase(words, j + 1, floor)
}

fn before_phrase(words: &[W<'_>], end_excl: usize, floor: usize) -> Option<Phrase> {
    let j = end_excl.checked_sub(1)?;
    if j < floor {
        return None;
    }
    let head = &words[j];
    let hl = head.lower();
    // "He’s claiming": a pronoun with a contracted auxiliary
    let bare = hl.trim_end_matches("'s").trim_end_matches("’s");
    if bare != hl && is_pronoun(bare) {
        return Some((j, j));
    }
    if is_pronoun(hl) {
        let subject = lexicon::pronoun(hl).is_some_and(|p| p.case == lexicon::Case::Subject);
        return subject.then_some((j, j));
    }
    if !head.is_word() || STOP.contains(&hl) || DETERMINERS.contains(&hl) {
        return None;
    }
    let named = is_name_word(head);
    if !named && !is_source_noun(hl) {
        // any noun opened by a determiner within three words: "the announcer", "one questioner"
        let det = (j.saturating_sub(DETERMINER_REACH).max(floor)..j)
            .rev()
            .find(|&k| DETERMINERS.contains(&words[k].lower()) || is_possessive(&words[k]))?;
        let clean = words[det + 1..=j]
            .iter()
            .all(|w| w.is_word() && !STOP.contains(&w.lower()) && !is_pronoun(w.lower()));
        return clean.then_some((det, j));
    }
    let mut k = j;
    let mut best = j;
    while k > floor && j - k < PHRASE_WORDS {
        let w = &words[k - 1];
        let l = w.lower();
        if !w.is_word() {
            break;
        }
        if DETERMINERS.contains(&l) {
            best = k - 1;
            break;
        }
        if STOP.contains(&l) && !matches!(l, "of" | "for") {
            break;
        }
        if is_pronoun(l) && !is_possessive(w) {
            break;
        }
        // a verb-like lower-case word ends the phrase unless it is a known source/role noun
        // or a modifier inside a determiner phrase (checked when a determiner is found)
        k -= 1;
        if is_name_word(w) || is_source_noun(l) || is_possessive(w) {
            best = k;
        }
    }
    // "midfielder Martín Zubimendi", "campaign manager Robby Mook": up to three lower-case
    // role words before a name, when they open the clause or follow a determiner
    if named {
        let mut k = best;
        while k > floor
            && best - k < ROLE_MODIFIER_WORDS
            && words[k - 1].is_word()
            && !words[k - 1].is_capitalized()
        {
            let l = words[k - 1].lower();
            if STOP.contains(&l) || is_pronoun(l) || DETERMINERS.contains(&l) {
                break;
            }
            k -= 1;
        }
        let opens =
            k == floor || !words[k - 1].is_word() || DETERMINERS.contains(&words[k - 1].lower());
        if k < best && opens {
            let role_start = if k > floor && DETERMINERS.contains(&words[k - 1].lower()) {
                k - 1
            } else {
                k
            };
            return Some((role_start, j));
        }
    }
    // lower-case modifiers only count when a determiner or name opens the phrase, or a role
    // noun titles a name (`spokesman Ali Karimi`)
    let first = &words[best];
    let fl = first.lower();
    let titles_name = named && is_source_noun(fl);
    if best < j
        && !(is_name_word(first)
            || DETERMINERS.contains(&fl)
            || is_possessive(first)
            || titles_name)
    {
        return Some((j, j));
    }
    Some((best, j))
}

/// The source phrase starting at word `start` (after an inverted cue: "said Mr. Brown").
pub fn after(words: &[W<'_>], start: usize) -> Option<Phrase> {
    let w = words.get(start)?;
    let l = w.lower();
    if is_pronoun(l) {
        let subject = lexicon::pronoun(l).is_some_and(lexicon::Pronoun::can_follow_cue);
        return subject.then_some((start, start));
    }
    if !(is_name_word(w) || DETERMINERS.contains(&l) || is_source_noun(l)) {
        return None;
    }
    let mut end = start;
    let mut k = start + 1;
    while k < words.len() && k - start < PHRASE_WORDS {
        let x = &words[k];
        let xl = x.lower();
        if !x.is_word()
            || (STOP.contains(&xl) && xl != "of")
            || super::cues::cue_at(words, k).is_some()
        {
            break;
        }
        if is_name_word(x) || is_source_noun(xl) {
            end = k;
        } else if !DETERMINERS.contains(&xl)
            && xl != "of"
            && !x.text.chars().all(char::is_lowercase)
        {
            break;
        }
        k += 1;
    }
    let first = &words[start];
    if DETERMINERS.contains(&first.lower()) && end == start {
        return None;
    }
    // "(D-Va.)" right after the name
    if words.get(end + 1).is_some_and(|w| w.text == "(") {
        if let Some(close) = (end + 2..words.len().min(end + 2 + PARENTHETICAL_WORDS))
            .find(|&k| words[k].text == ")")
        {
            end = close;
        }
    }
    Some((start, end))
}

/// Extends an inverted source over a trailing apposition that runs to the sentence end
/// (`said Dr. Harold Varmus, the Nobel Prize-winning former director.`), as PolNeAR marks it.
pub fn with_apposition(words: &[W<'_>], p: Phrase) -> Phrase {
    let mut end = p.1;
    // ", the Nobel Prize-winning former director." — an apposition running to the sentence end
    if words.get(end + 1).is_some_and(|w| w.text == ",") {
        let rest = &words[end + 2..];
        let stop = rest
            .iter()
            .position(|w| matches!(w.text, "." | "!" | "?" | ";" | "“" | "\"" | "”"))
            .unwrap_or(rest.len());
        let clause = rest[..stop].iter().enumerate().any(|(k, w)| {
            w.lower().ends_with("ing")
                || super::cues::cue_at(rest, k).is_some()
                || w.lower() == "and"
        });
        if stop > 0 && stop <= APPOSITION_WORDS && !clause {
            end = end + 1 + stop;
        }
    }
    (p.0, end)
}

#[cfg(test)]
mod tests {
    use super::super::words::Words;
    use super::*;

    /// A word given twice in a list is a list that drifted.
    #[test]
    fn word_lists_hold_each_word_once() {
        for (name, list) in [
            ("BETWEEN", BETWEEN),
            ("DETERMINERS", DETERMINERS),
            ("SOURCE_NOUNS", SOURCE_NOUNS),
            ("ROLE_NOUNS", ROLE_NOUNS),
            ("STOP", STOP),
        ] {
            let mut seen = std::collections::HashSet::new();
            for w in list.iter() {
                assert!(seen.insert(*w), "{name} lists {w:?} twice");
            }
        }
        // a role noun is stated once, in ROLE_NOUNS
        for w in ROLE_NOUNS {
            assert!(
                !SOURCE_NOUNS.contains(w),
                "{w:?} is in ROLE_NOUNS and SOURCE_NOUNS"
            );
        }
    }
    use crate::span::Span;

    fn src_before(s: &str, cue: &str) -> Option<String> {
        let all = Words::of(s);
        let w = all.within(Span::new(0, s.len()));
        let c = w.iter().position(|x| x.text == cue)?;
        before(&w, c, 0).map(|(a, b)| s[w[a].span.start..w[b].span.end].to_string())
    }

    #[test]
    fn source_before_table() {
        let cases = [
            ("Akar said it", "said", Some("Akar")),
            (
                "Defence Minister Hulusi Akar said",
                "said",
                Some("Defence Minister Hulusi Akar"),
            ),
            (
                "a campaign spokesman said",
                "said",
                Some("a campaign spokesman"),
            ),
            ("the ministry has also said", "said", Some("the ministry")),
            ("he told", "told", Some("he")),
            ("Sarandon, 69, told", "told", Some("Sarandon, 69,")),
            ("officials said", "said", Some("officials")),
            (
                "Vatican officials emphasized",
                "emphasized",
                Some("Vatican officials"),
            ),
            (
                "the Secretary of State said",
                "said",
                Some("the Secretary of State"),
            ),
            ("which said", "said", None),
            ("it was raining, said", "said", None),
            (
                "Zoë Ångström’s lawyer said",
                "said",
                Some("Zoë Ångström’s lawyer"),
            ),
        ];
        for (s, cue, want) in cases {
            assert_eq!(src_before(s, cue).as_deref(), want, "{s}");
        }
    }

    #[test]
    fn source_after_table() {
        let s = "said Mr. Brown, who runs it";
        let all = Words::of(s);
        let w = all.within(Span::new(0, s.len()));
        let (a, b) = after(&w, 1).unwrap();
        assert_eq!(&s[w[a].span.start..w[b].span.end], "Mr. Brown");
        let (a, b) = with_apposition(&w, (a, b));
        assert_eq!(&s[w[a].span.start..w[b].span.end], "Mr. Brown, who runs it");
        let s = "said the top Republican strategist in Ohio";
        let all = Words::of(s);
        let w = all.within(Span::new(0, s.len()));
        let (a, b) = after(&w, 1).unwrap();
        assert_eq!(
            &s[w[a].span.start..w[b].span.end],
            "the top Republican strategist"
        );
    }

    /// `trim`: what of a mention span is the source.
    #[test]
    fn trim_table() {
        let cases: &[(&str, &str)] = &[
            // a contracted auxiliary is the cue's, not the source's
            ("He’s", "He"),
            ("I've", "I"),
            ("they're", "they"),
            // a possessive name is not a pronoun: kept
            ("Zoë’s", "Zoë’s"),
            // a participle clause after the name goes
            ("Trump, speaking to a veterans group in Virginia,", "Trump"),
            (
                "Inés Fajardo, 59, appearing after the mayor,",
                "Inés Fajardo, 59",
            ),
            // relative clauses, appositions and "including" stay, as PolNeAR marks them
            (
                "Luis Rubio, who heads the centre,",
                "Luis Rubio, who heads the centre,",
            ),
            (
                "Proponents, including the mayors,",
                "Proponents, including the mayors,",
            ),
            ("Akar, the minister,", "Akar, the minister,"),
            (
                "Ms. Ode, during the hearing,",
                "Ms. Ode, during the hearing,",
            ),
        ];
        for (text, want) in cases {
            let got = trim(Span::new(0, text.len()), text);
            assert_eq!(got.slice(text), *want, "{text:?}");
        }
    }
}
