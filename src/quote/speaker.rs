//! Speaker resolution: from the mention next to the cue to an entity cluster.
//!
//! - A mention that holds a named entity resolves to its cluster (`name`).
//! - `he`/`she` resolve to the previous speaker when that was a person within two
//!   paragraphs, else to the most recent person mentioned before (`pronoun`); `I` to the
//!   speaker of the quotation it stands in, else it stays unresolved; `they`/`it`/`we`
//!   to the most recent organisation speaker or mention, except that `they` after a group of
//!   people named by a plural noun (`Economists … they warned`) stays unresolved; `you` stays unresolved; an object
//!   pronoun (`him`, `her`, `them`, `me`, `us`) is never a speaker.
//! - In an interview or transcript layout ([`super::turns`]: paragraphs opening with
//!   `Name:`), `I` resolves to the entity of its turn's label and `you` to the other party's
//!   in a two-party interview; when the label holds no entity the speaker stays unresolved.
//! - A mention holding a person or organisation resolves to it; any other entity only when
//!   the mention ends with it: a nominal such as "the Turkish media" or "officials" stays
//!   unresolved rather than joining the adjective's cluster (`none`).
//! - A role phrase (`the minister`, `a campaign spokesman`) resolves to the person introduced
//!   with that role word (`Defence Minister Hulusi Akar`, `Akar, the minister,`) and every other
//!   word of the phrase; only a role noun (`source::ROLE_NOUNS`) heads one (`title`).
//! - A quote without a cue inherits the previous quote's speaker only when guarded: same
//!   paragraph with no other person mentioned in between, or a quote-only paragraph right after
//!   that speaker's paragraph with no other person in between (`inherited`). Inheriting across
//!   a paragraph break unguarded is right only 3–17% of the time on PolNeAR.

use super::claim::{ClaimKind, Quote, Resolution, Speaker};
use super::lexicon::{self, is_object_pronoun, Number, Person, Refers};
use super::rules::{self, DIRECT_INHERITED as RULE_INHERITED, DIRECT_NO_CUE as RULE_NO_CUE};
use super::source;
use super::turns::Turns;
use super::window::{near_after, near_before, ROLE_AFTER_BYTES, ROLE_BEFORE_BYTES};
use super::words::Words;
use crate::entity::{is_org, is_person, Entities, Entity};
use crate::segment::Segments;
use crate::span::Span;

/// Resolves every quote's speaker in place, in body order (`turns`: the article's interview
/// layout, [`Turns::find`]).
pub(crate) fn resolve(
    words: &Words<'_>,
    segments: &Segments,
    entities: &Entities,
    turns: &Turns,
    quotes: &mut [Quote],
) {
    let body = words.body();
    let para_of = |pos: usize| segments.paragraph_at(pos).unwrap_or(usize::MAX);
    // the last quote before `q` that has a speaker (kept as we go, so the walk is linear)
    let mut last_with_speaker: Option<usize> = None;
    for q in 0..quotes.len() {
        if q > 0 && quotes[q - 1].speaker.is_some() {
            last_with_speaker = Some(q - 1);
        }
        let (before, rest) = quotes.split_at_mut(q);
        let quote = &mut rest[0];
        // an object pronoun is the listener ("told him"), never the speaker
        if quote
            .speaker
            .as_ref()
            .is_some_and(|s| is_object_pronoun(s.mention.slice(body)))
        {
            quote.speaker = None;
        }
        match quote.speaker.as_mut() {
            Some(s) => resolve_mention(words, segments, entities, turns, before, s),
            None if quote.rule == RULE_NO_CUE => {
                let Some(prev) = last_with_speaker.and_then(|p| before.get(p)) else {
                    continue;
                };
                let Some(ps) = prev.speaker.as_ref() else {
                    continue;
                };
                let prev_end = prev.content().end.max(ps.mention.end);
                let start = quote.content().start;
                let (pp, qp) = (para_of(prev.content().start), para_of(start));
                let other_person = mentions_in(entities, Span::new(prev_end, start.max(prev_end)))
                    .any(|e| {
                        is_person(&e.label)
                            && e.span.start >= prev_end
                            && e.span.end <= start
                            && (ps.cluster != Some(e.cluster))
                    });
                let quote_only = segments.paragraphs.get(qp).is_some_and(|p| {
                    let covered: usize = quote
                        .pieces
                        .iter()
                        .filter(|x| p.span.contains(x))
                        .map(Span::len)
                        .sum();
                    covered * QUOTE_ONLY_SHARE.1 >= p.span.len() * QUOTE_ONLY_SHARE.0
                });
                // the paragraph of the previous claim's last character (its end is exclusive:
                // a content that closes its paragraph ends on the paragraph break)
                let prev_para = para_of(prev_end.saturating_sub(1));
                let next_para = prev_para.checked_add(1);
                let guarded = !other_person && (pp == qp || (quote_only && Some(qp) == next_para));
                if guarded {
                    quote.speaker = Some(Speaker {
                        resolution: Resolution::Inherited,
                        ..ps.clone()
                    });
                    quote.agree(RULE_INHERITED);
                    quote.score = rules::rule(RULE_INHERITED).score;
                }
            }
            None => {}
        }
    }
}

fn resolve_mention(
    all: &Words<'_>,
    segments: &Segments,
    entities: &Entities,
    turns: &Turns,
    before: &[Quote],
    s: &mut Speaker,
) {
    let body = all.body();
    let cluster_name = |c: usize| entities.clusters.get(c).map(|c| c.name.clone());
    // 1. a named entity inside the mention: the first person ("Kenji Mori, a strategist at
    // Daiwa"), else the first organisation, else any entity
    // an entity that modifies a common noun is not what the mention names ("the Kestrelian
    // media", "the Trump campaign", "Trump's lawyer"): after it comes the mention's end, an
    // apposition or `of` ("Kenji Mori of Daiwa"), not a word in lower case or a possessive
    // "the M5S party", "the Lyon city council" name the organisation; "the Clinton campaign"
    // is not Clinton
    let org_head = s
        .mention
        .slice(body)
        .split_whitespace()
        .next_back()
        .is_some_and(|w| {
            let w = w
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            ORG_NOUNS.contains(&w.as_str())
        });
    let heads = |e: &Entity| {
        let after = body
            .get(e.span.end..s.mention.end)
            .unwrap_or("")
            .trim_start();
        let after = after
            .strip_prefix("'s")
            .or_else(|| after.strip_prefix("’s"))
            .unwrap_or(after)
            .trim_start();
        let next: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '-')
            .collect();
        let same_org = org_head && is_org(&e.label);
        let modifies = next.chars().next().is_some_and(char::is_lowercase)
            && !ATTACHMENT_WORDS.contains(&next.as_str());
        same_org || !modifies
    };
    let inside = |want: &dyn Fn(&str) -> bool| {
        mentions_in(entities, s.mention)
            .find(|e| e.span.overlaps(&s.mention) && want(&e.label) && heads(e))
    };
    // any other entity only as the mention's head ("the Turkish media" is not the MISC
    // cluster "Turkish"; "the White House" is the LOC it ends with)
    let named = inside(&|l| is_person(l))
        .or_else(|| inside(&|l| is_org(l)))
        .or_else(|| {
            mentions_in(entities, s.mention)
                .find(|e| e.span.overlaps(&s.mention) && e.span.end >= s.mention.end)
        });
    if let Some(e) = named {
        s.cluster = Some(e.cluster);
        s.name = cluster_name(e.cluster).unwrap_or_else(|| s.name.clone());
        s.resolution = Resolution::Name;
        return;
    }
    let text = s.mention.slice(body).to_lowercase();
    let para = segments.paragraph_at(s.mention.start).unwrap_or(0);
    // 2. a relative pronoun ("Ana Ruiz, who said …"): its antecedent, or nobody ("members
    // who voted": a group no entity names)
    if let Some(antecedent) = relative_antecedent(body, segments, entities, s.mention) {
        if let Some(c) = antecedent {
            s.cluster = Some(c);
            s.name = cluster_name(c).unwrap_or_else(|| s.name.clone());
            s.resolution = Resolution::Pronoun;
        }
        return;
    }
    // 3. pronouns
    if let Some(pronoun) = lexicon::pronoun(&text).filter(|p| p.is_mention()) {
        // in an interview or transcript, "I" is the turn's speaker and "you" the other party:
        // their label's entity, or nobody (never the person named last)
        let label = match (pronoun.person, pronoun.number) {
            (Person::First, Number::Singular) => Some(turns.speaker_of(para)),
            (Person::Second, _) => Some(turns.other_party(para)),
            _ => None,
        };
        if let Some(Some(label)) = label {
            let labelled = mentions_in(entities, label)
                .find(|e| e.span.overlaps(&label) && (is_person(&e.label) || is_org(&e.label)));
            if let Some(e) = labelled {
                s.cluster = Some(e.cluster);
                s.name = cluster_name(e.cluster).unwrap_or_else(|| s.name.clone());
                s.resolution = Resolution::Pronoun;
            }
            return;
        }
        // elsewhere "I" is the speaker of the quotation it stands in, or nobody: the person
        // named last is rarely the one who says "I"
        if pronoun.person == Person::First && pronoun.number == Number::Singular {
            let quoting = before.iter().rev().find_map(|q| {
                let ps = q.speaker.as_ref()?;
                (q.kind == ClaimKind::Direct && q.pieces.iter().any(|p| p.contains(&s.mention)))
                    .then_some(ps.cluster?)
            });
            if let Some(c) = quoting {
                s.cluster = Some(c);
                s.name = cluster_name(c).unwrap_or_else(|| s.name.clone());
                s.resolution = Resolution::Pronoun;
            }
            return;
        }
        // he/she/I a person; they/it/we an organisation (or a group); "you" stays unresolved
        if pronoun.person == Person::Second {
            return;
        }
        let personal = pronoun.refers == Refers::Person;
        // "Economists … were cautious: growth, they warned": a group of people named by a
        // plural noun just before is what "they" means; no organisation is, so it stays
        // unresolved rather than joining one named earlier
        if pronoun.number == Number::Plural
            && pronoun.person == Person::Third
            && group_noun_before(all, segments, s.mention.start)
        {
            return;
        }
        let want = |label: &str| {
            if personal {
                is_person(label)
            } else {
                is_org(label)
            }
        };
        let prev_speaker = before.iter().rev().take(PRONOUN_LOOKBACK).find_map(|p| {
            let ps = p.speaker.as_ref()?;
            let c = ps.cluster?;
            let near = segments
                .paragraph_at(ps.mention.start)
                .is_some_and(|pp| para.saturating_sub(pp) <= PRONOUN_PARAGRAPHS);
            (near && entities.clusters.get(c).is_some_and(|cl| want(&cl.label))).then_some(c)
        });
        let recent = || {
            // walking back from the mention, stop once two paragraphs back are passed
            mentions_before(entities, s.mention.start)
                .rev()
                .take_while(|e| {
                    segments
                        .paragraph_at(e.span.start)
                        .is_some_and(|pp| para.saturating_sub(pp) <= PRONOUN_PARAGRAPHS)
                })
                .find(|e| e.span.end <= s.mention.start && want(&e.label))
                .map(|e| e.cluster)
        };
        if let Some(c) = prev_speaker.or_else(recent) {
            s.cluster = Some(c);
            s.name = cluster_name(c).unwrap_or_else(|| s.name.clone());
            s.resolution = Resolution::Pronoun;
        }
        return;
    }
    // 4. role phrases: find the person introduced with the head role word and every other
    // word of the phrase ("the former president": `former President Bill Clinton`; "the
    // Democratic nominee" is not the one introduced as `Republican nominee`). Only a role noun
    // (`source::ROLE_NOUNS`) heads one: a capitalised name the tagger missed ("Trump"), a group ("these
    // voters"), a number ("5 percent") or a thing ("the ad") stays unresolved.
    // (scanned as texts of their own, as the role words were found before the carrier)
    let words = Words::of_span(body, s.mention);
    let words = words.sentence(0);
    let phrase: Vec<&str> = words
        .iter()
        .filter(|w| w.is_word())
        .map(|w| w.lower())
        .collect();
    let Some((&head, modifiers)) = phrase.split_last() else {
        return;
    };
    // "Mr. King" is a name, whatever its last word
    if !source::ROLE_NOUNS.contains(&head) || phrase.iter().any(|w| HONORIFICS.contains(w)) {
        return;
    }
    let modifiers: Vec<&str> = modifiers
        .iter()
        .copied()
        .filter(|m| !ROLE_DETERMINERS.contains(m))
        .collect();
    // the head and every modifier among `window`'s words, the head not qualified there by a
    // word the phrase lacks ("Vice President Joseph Biden" is not "the president")
    let holds = |window: &[&str]| {
        let qualified = |k: usize| {
            k.checked_sub(1)
                .and_then(|j| window.get(j))
                .is_some_and(|q| ROLE_QUALIFIERS.contains(q) && !modifiers.contains(q))
        };
        window
            .iter()
            .enumerate()
            .any(|(k, w)| *w == head && !qualified(k))
            && modifiers.iter().all(|m| window.contains(m))
    };
    let role_person = mentions_before(entities, s.mention.start)
        .rev()
        .filter(|e| e.span.end <= s.mention.start && is_person(&e.label))
        .take(ROLE_CANDIDATES)
        .find(|e| {
            let Some(si) = segments.sentence_at(e.span.start) else {
                return false;
            };
            let sent = segments.sentences[si].span;
            // "Defence Minister Hulusi Akar": the role words within a few words before the name
            let pre = Words::of_span(
                body,
                near_before(body, sent.start, e.span.start, ROLE_BEFORE_BYTES),
            );
            let pre = pre.sentence(0);
            let n = ROLE_WORDS_BEFORE + modifiers.len();
            let pre: Vec<&str> = pre[pre.len().saturating_sub(n)..]
                .iter()
                .map(|w| w.lower())
                .collect();
            // "Akar, the minister,": the role words within a few words after the name
            let post = Words::of_span(
                body,
                near_after(body, e.span.end, sent.end, ROLE_AFTER_BYTES),
            );
            let post = post.sentence(0);
            let after_comma = post.first().is_some_and(|w| w.text == ",");
            let post: Vec<&str> = post
                .iter()
                .take(ROLE_WORDS_AFTER + modifiers.len())
                .map(|w| w.lower())
                .collect();
            holds(&pre) || (after_comma && holds(&post))
        });
    if let Some(e) = role_person {
        s.cluster = Some(e.cluster);
        s.name = cluster_name(e.cluster).unwrap_or_else(|| s.name.clone());
        s.resolution = Resolution::Title;
    }
}

/// Words that make a role another one ("Vice President", "former minister", "deputy mayor"):
/// where the person was introduced with one, the phrase must have it too.
const ROLE_QUALIFIERS: &[&str] = &[
    "vice",
    "deputy",
    "assistant",
    "acting",
    "former",
    "associate",
];

/// Courtesy titles: a phrase holding one is a name ("Mr. King"), not a role.
const HONORIFICS: &[&str] = &[
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame",
];

/// Words of a role phrase that need not appear where its person was introduced.
const ROLE_DETERMINERS: &[&str] = &[
    "the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this", "that",
];

/// Plural nouns naming groups of people that a following `they` usually means (`Economists
/// … they warned`, `Scientology officials … where they claimed`): none of them is an
/// organisation entity, so such a `they` is left unresolved.
const GROUP_NOUNS: &[&str] = &[
    "officials",
    "economists",
    "researchers",
    "scientists",
    "analysts",
    "experts",
    "critics",
    "lawmakers",
    "legislators",
    "authors",
    "residents",
    "protesters",
    "investigators",
    "prosecutors",
    "lawyers",
    "doctors",
    "teachers",
    "workers",
    "members",
    "voters",
    "activists",
    "leaders",
    "advocates",
    "campaigners",
    "opponents",
    "supporters",
    "observers",
    "historians",
    "diplomats",
    "executives",
    "employees",
    "students",
    "parents",
    "farmers",
    "witnesses",
    "organisers",
    "organizers",
    "volunteers",
    "police",
    "sources",
    "people",
];

/// True when a [`GROUP_NOUNS`] word sits in the sentence holding `pos` before it, or in the
/// sentence before that within the same paragraph, and is not followed by `of` (a group of
/// an organisation is that organisation).
fn group_noun_before(all: &Words<'_>, segments: &Segments, pos: usize) -> bool {
    let Some(si) = segments.sentence_at(pos) else {
        return false;
    };
    let para = segments.paragraph_at(pos);
    let first = if si > 0 && segments.paragraph_at(segments.sentences[si - 1].span.start) == para {
        si - 1
    } else {
        si
    };
    let window = Span::new(segments.sentences[first].span.start, pos);
    let words = all.within(window);
    // "the members of the Security Council": the organisation after `of` is the group
    words.iter().enumerate().any(|(k, w)| {
        GROUP_NOUNS.contains(&w.lower()) && words.get(k + 1).is_none_or(|n| n.lower() != "of")
    })
}

/// Share of its paragraph (numerator, denominator) a cue-less quotation must cover to be a
/// quote-only paragraph that may inherit the previous paragraph's speaker.
const QUOTE_ONLY_SHARE: (usize, usize) = (8, 10);

/// Paragraphs back a pronoun looks for its previous speaker or person: further back, the
/// person named is rarely the one meant.
const PRONOUN_PARAGRAPHS: usize = 2;

/// Words before a person's name that may hold its role word ("Defence Minister Hulusi Akar").
const ROLE_WORDS_BEFORE: usize = 4;

/// Words after a person's name, opening with a comma, that may hold its role ("Akar, the
/// minister,").
const ROLE_WORDS_AFTER: usize = 6;

/// How many earlier claims a pronoun looks back over for the previous speaker (far more than
/// two paragraphs hold; it bounds the cost in an article of thousands of claims).
const PRONOUN_LOOKBACK: usize = 64;

/// How many earlier person mentions a role phrase is checked against.
const ROLE_CANDIDATES: usize = 200;

/// Mentions overlapping `range` (mentions are in body order and do not overlap, so their ends
/// are sorted too).
fn mentions_in(entities: &Entities, range: Span) -> impl Iterator<Item = &Entity> {
    let first = entities
        .mentions
        .partition_point(|e| e.span.end <= range.start);
    entities.mentions[first..]
        .iter()
        .take_while(move |e| e.span.start < range.end)
}

/// Lower-case words after a name that attach to it rather than make it the modifier of a
/// noun: coordination ("Ana Ruiz and Tomas Reyes"), prepositions ("Ana Ruiz of Daiwa",
/// "Dan Ode at the National Review"), relative pronouns, and the cues of an inverted source.
const ATTACHMENT_WORDS: &[&str] = &[
    "and", "or", "of", "for", "at", "from", "with", "in", "on", "by", "to", "who", "which",
    "whose", "said", "says", "told", "added", "wrote",
];

/// Generic nouns that may head a phrase an organisation's name modifies and still name that
/// organisation ("the M5S party", "the Lyon city council").
const ORG_NOUNS: &[&str] = &[
    "party",
    "group",
    "company",
    "firm",
    "agency",
    "network",
    "union",
    "movement",
    "organization",
    "organisation",
    "association",
    "corporation",
    "council",
    "committee",
];

/// Most words of an apposition between a relative pronoun and its antecedent ("Ana Ruiz, a
/// spokeswoman for the ministry, who said").
const RELATIVE_APPOSITION_WORDS: usize = 6;

/// Words before an entity that make it the modifier of another noun, not the head a relative
/// clause describes ("the wife of Ana Ruiz, who said", "a spokesman for Ana Ruiz, who said":
/// unresolved; "a talk with Ana Ruiz, who said" is Ana Ruiz).
const OBJECT_OF: &[&str] = &["of", "for"];

/// Entities before a relative pronoun looked at for its antecedent (the antecedent, then
/// those inside an apposition between them).
const RELATIVE_CANDIDATES: usize = 3;

/// For a relative pronoun speaker (`who` a person, `which` anything but a person), the
/// cluster it stands for: the named entity right before it in its sentence, with only a
/// comma between, or a short apposition between commas ("McConnell, now the Senate majority
/// leader, who"), and not itself the object of a preposition. `Some(None)`: a relative
/// pronoun with no such antecedent (a restrictive "members who voted"); `None`: not a
/// relative pronoun.
fn relative_antecedent(
    body: &str,
    segments: &Segments,
    entities: &Entities,
    mention: Span,
) -> Option<Option<usize>> {
    let first = mention
        .slice(body)
        .split_whitespace()
        .next()?
        .to_lowercase();
    let person = match first.as_str() {
        "who" => true,
        "which" => false,
        _ => return None,
    };
    let sentence = segments.sentence_at(mention.start);
    let close = |e: &Entity| {
        let Some(gap) = body.get(e.span.end..mention.start).map(str::trim) else {
            return false;
        };
        let apposition = gap
            .strip_prefix(',')
            .and_then(|g| g.strip_suffix(','))
            .map(str::trim);
        match apposition {
            _ if gap == "," => true,
            Some(inner) => {
                !inner.is_empty()
                    && !inner.contains(',')
                    && inner.split_whitespace().count() <= RELATIVE_APPOSITION_WORDS
            }
            None => false,
        }
    };
    let object = |e: &Entity| {
        body.get(..e.span.start)
            .and_then(|b| b.split_whitespace().next_back())
            .is_some_and(|w| OBJECT_OF.contains(&w.to_lowercase().as_str()))
    };
    let antecedent = mentions_before(entities, mention.start)
        .rev()
        .filter(|e| e.span.end <= mention.start)
        .take_while(|e| sentence.is_some() && segments.sentence_at(e.span.start) == sentence)
        .take(RELATIVE_CANDIDATES)
        .find(|e| close(e))
        .filter(|e| is_person(&e.label) == person && !object(e));
    Some(antecedent.map(|e| e.cluster))
}

/// The clusters of a coordinated speaker phrase ("Mayor Ana Ruiz and Governor Tomas Reyes",
/// "Obama and Clinton"): the person and organisation entities in `mention`, in order, when at
/// least two of them are joined by `and` or `&`; empty for any other phrase ("Clinton
/// spokesman Nick Merrill" is one person). Each of them said the claim.
pub fn coordinated(body: &str, entities: &Entities, mention: Span) -> Vec<usize> {
    let named: Vec<&Entity> = mentions_in(entities, mention)
        .filter(|e| mention.contains(&e.span) && (is_person(&e.label) || is_org(&e.label)))
        .collect();
    // every gap between two of them is a coordination: `and`, `&`, commas, and the titles
    // or roles of the next name ("and Governor"), nothing else ("Abba Tijani, director
    // general of the Commission for Museums and Monuments" is one person)
    let gaps: Vec<&str> = named
        .windows(2)
        .map(|w| body.get(w[0].span.end..w[1].span.start).unwrap_or(""))
        .collect();
    fn words(gap: &str) -> impl Iterator<Item = &str> {
        gap.split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
    }
    let joins = |gap: &str| words(gap).any(|w| matches!(w, "and" | "&"));
    let allowed = |gap: &str| {
        words(gap).all(|w| {
            let l = w.to_lowercase();
            matches!(l.as_str(), "and" | "&" | "the" | "both")
                || w.starts_with(char::is_uppercase)
                || source::ROLE_NOUNS.contains(&l.as_str())
                || l.strip_suffix('s')
                    .is_some_and(|r| source::ROLE_NOUNS.contains(&r))
        })
    };
    // and the phrase opens with them, past titles only ("Presidential candidates Hillary
    // Clinton and Donald Trump"; not "lawyers for both Donald and Ivana Trump", "a study by
    // Harvard and Berkeley")
    let before = named
        .first()
        .and_then(|e| body.get(mention.start..e.span.start))
        .unwrap_or("");
    if !gaps.iter().any(|g| joins(g)) || !gaps.iter().all(|g| allowed(g)) || !allowed(before) {
        return Vec::new();
    }
    let mut clusters: Vec<usize> = Vec::new();
    for e in named {
        if !clusters.contains(&e.cluster) {
            clusters.push(e.cluster);
        }
    }
    clusters
}

/// Mentions starting before byte `pos`, in body order.
fn mentions_before(entities: &Entities, pos: usize) -> std::slice::Iter<'_, Entity> {
    let end = entities.mentions.partition_point(|e| e.span.start < pos);
    entities.mentions[..end].iter()
}

/// Folds an inherited quote into the claim right before it when both are direct quotes of the
/// same speaker in the same paragraph: PolNeAR (and readers) treat `“Q1,” she said. “Q2.” …
/// “Q3.”` as one claim in several pieces.
pub(crate) fn merge_continuations(segments: &Segments, quotes: &mut Vec<Quote>) {
    let mut out: Vec<Quote> = Vec::with_capacity(quotes.len());
    for q in quotes.drain(..) {
        if let Some(prev) = out.last_mut() {
            let same_para = |a: usize, b: usize| {
                segments.paragraph_at(a).is_some()
                    && segments.paragraph_at(a) == segments.paragraph_at(b)
            };
            let mergeable = q.support.contains(&RULE_INHERITED)
                && prev.kind == ClaimKind::Direct
                && q.kind == ClaimKind::Direct
                && prev.speaker.as_ref().map(|s| s.mention)
                    == q.speaker.as_ref().map(|s| s.mention)
                && same_para(prev.content().end.saturating_sub(1), q.content().start);
            if mergeable {
                prev.pieces.extend(q.pieces);
                prev.unclosed |= q.unclosed;
                continue;
            }
        }
        out.push(q);
    }
    *quotes = out;
}

#[cfg(test)]
mod tests {
    use crate::article::Article;
    use crate::entity::{Cluster, Entities, Entity, ModelTags};
    use crate::quote::attribute;
    use crate::segment::segment;
    use crate::span::Span;

    /// Entities from `(mention text, label, cluster)`, each mention the n-th occurrence in
    /// order of the list; cluster names are their first mention.
    fn entities(body: &str, list: &[(&str, &str, usize)]) -> Entities {
        let mut from = 0;
        let mut mentions = Vec::new();
        let mut clusters: Vec<Cluster> = Vec::new();
        for &(text, label, cluster) in list {
            let start = from + body[from..].find(text).expect("mention in body");
            from = start + text.len();
            if clusters.len() <= cluster {
                clusters.push(Cluster {
                    name: text.to_string(),
                    label: label.to_string(),
                    mentions: Vec::new(),
                });
            }
            clusters[cluster].mentions.push(mentions.len());
            mentions.push(Entity {
                span: Span::new(start, from),
                label: label.to_string(),
                score: 0.99,
                cluster,
            });
        }
        Entities { mentions, clusters }
    }

    /// (speaker mention, resolved name, resolution) of each claim.
    fn speakers(
        body: &str,
        ents: &[(&str, &str, usize)],
    ) -> Vec<Option<(String, String, &'static str)>> {
        let article = Article::new("t", body);
        let segments = segment(&article);
        attribute(
            &article,
            &segments,
            &entities(body, ents),
            &ModelTags::RulesOnly,
        )
        .into_iter()
        .map(|q| {
            q.speaker.map(|s| {
                (
                    s.mention.slice(body).to_string(),
                    s.name,
                    s.resolution.as_str(),
                )
            })
        })
        .collect()
    }

    fn sp(mention: &str, name: &str, how: &'static str) -> Option<(String, String, &'static str)> {
        Some((mention.into(), name.into(), how))
    }

    /// Interview layout: "I" is the turn's speaker, "you" the other party, never the person
    /// named last; outside a turn the usual pronoun rules hold.
    #[test]
    fn first_and_second_person_in_interview_turns() {
        let body = "Wikinews spoke to Tomas Reyes about a statue of Ines Gil.\n\n\
                    Wikinews: Last year you said that bronze was the only choice for Gil?\n\n\
                    Tomas Reyes: Yes. Ines Gil liked it. I said that bronze outlives us all.";
        let ents = [
            ("Wikinews", "ORG", 0),
            ("Tomas Reyes", "PER", 1),
            ("Ines Gil", "PER", 2),
            ("Wikinews", "ORG", 0),
            ("Tomas Reyes", "PER", 1),
            ("Ines Gil", "PER", 2),
        ];
        let got = speakers(body, &ents);
        assert!(
            got.contains(&sp("you", "Tomas Reyes", "pronoun")),
            "{got:?}"
        );
        assert!(got.contains(&sp("I", "Tomas Reyes", "pronoun")), "{got:?}");
        // outside an interview and outside a quotation, "I" is nobody we know, not the person
        // named last
        let body = "Tomas Reyes met Ines Gil. I said that bronze outlives us all.";
        let got = speakers(body, &[("Tomas Reyes", "PER", 0), ("Ines Gil", "PER", 1)]);
        assert_eq!(got, [sp("I", "I", "none")]);
    }

    /// A name inside the speaker phrase resolves it only as what the phrase names, not as the
    /// modifier of a common noun.
    #[test]
    #[allow(clippy::type_complexity)]
    fn a_name_modifying_a_noun_is_not_the_speaker() {
        let cases: &[(&str, &[(&str, &str, usize)], (&str, &str, &'static str))] = &[
            (
                "The Kestrelian media said the plan would fail.",
                &[("Kestrelian", "ORG", 0)],
                ("The Kestrelian media", "The Kestrelian media", "none"),
            ),
            (
                "The Ruiz campaign said the plan would fail.",
                &[("Ruiz", "PER", 0)],
                ("The Ruiz campaign", "The Ruiz campaign", "none"),
            ),
            (
                "Ruiz spokesman Tomas Reyes said the plan would fail.",
                &[("Ruiz", "PER", 0), ("Tomas Reyes", "PER", 1)],
                ("Ruiz spokesman Tomas Reyes", "Tomas Reyes", "name"),
            ),
            (
                "The Norvent party said the plan would fail.",
                &[("Norvent", "ORG", 0)],
                ("The Norvent party", "Norvent", "name"),
            ),
        ];
        for (body, ents, (mention, name, how)) in cases {
            assert_eq!(speakers(body, ents), [sp(mention, name, how)], "{body}");
        }
    }

    /// A coordinated speaker phrase names each of its people and organisations; one person
    /// with a role before the name is not a coordination.
    #[test]
    #[allow(clippy::type_complexity)]
    fn coordinated_speakers_are_each_named() {
        let cases: &[(&str, &[(&str, &str, usize)], &[usize])] = &[
            (
                "Mayor Ana Ruiz and Governor Tomas Reyes",
                &[("Ana Ruiz", "PER", 0), ("Tomas Reyes", "PER", 1)],
                &[0, 1],
            ),
            (
                "Ruiz & Norvent",
                &[("Ruiz", "PER", 0), ("Norvent", "ORG", 1)],
                &[0, 1],
            ),
            (
                "Norvent spokesman Tomas Reyes",
                &[("Norvent", "ORG", 0), ("Tomas Reyes", "PER", 1)],
                &[],
            ),
            ("Ana Ruiz and colleagues", &[("Ana Ruiz", "PER", 0)], &[]),
            (
                "lawyers for both Ana Ruiz and Tomas Reyes",
                &[("Ana Ruiz", "PER", 0), ("Tomas Reyes", "PER", 1)],
                &[],
            ),
            (
                "Presidential candidates Ana Ruiz and Tomas Reyes",
                &[("Ana Ruiz", "PER", 0), ("Tomas Reyes", "PER", 1)],
                &[0, 1],
            ),
            (
                "Abba Tijani, director general of the Commission for Museums and Monuments",
                &[
                    ("Abba Tijani", "PER", 0),
                    ("Commission for Museums", "ORG", 1),
                    ("Monuments", "ORG", 2),
                ],
                &[],
            ),
            // a place is not a speaker
            (
                "Ana Ruiz and Lyon",
                &[("Ana Ruiz", "PER", 0), ("Lyon", "LOC", 1)],
                &[],
            ),
        ];
        for (body, ents, want) in cases {
            let e = entities(body, ents);
            let got = super::coordinated(body, &e, Span::new(0, body.len()));
            assert_eq!(got, *want, "{body}");
        }
    }

    #[test]
    fn names_resolve_to_their_cluster() {
        let body = "Hulusi Akar arrived on Monday. “We stand together,” Akar said.";
        let got = speakers(body, &[("Hulusi Akar", "PER", 0), ("Akar", "PER", 0)]);
        assert_eq!(got, [sp("Akar", "Hulusi Akar", "name")]);
    }

    #[test]
    fn titles_resolve_to_the_person_introduced_with_them() {
        let body = "Defence Minister Hulusi Akar met his counterpart. The minister said the talks went well.";
        let got = speakers(body, &[("Hulusi Akar", "PER", 0)]);
        assert_eq!(got, [sp("The minister", "Hulusi Akar", "title")]);
        let two = [("Ana Ruiz", "PER", 0), ("Tomas Reyes", "PER", 1)];
        let cases: &[(&str, &str, &str, &'static str)] = &[
            // a qualified role is another role
            (
                "Vice President Ana Ruiz met President Tomas Reyes. The president said the talks went well.",
                "The president",
                "Tomas Reyes",
                "title",
            ),
            // every word of the phrase, not only its head
            (
                "Republican nominee Ana Ruiz met Democratic nominee Tomas Reyes. The Republican nominee said the talks went well.",
                "The Republican nominee",
                "Ana Ruiz",
                "title",
            ),
            (
                "Ana Ruiz, the mayor, met Tomas Reyes. The former mayor said the talks went well.",
                "The former mayor",
                "The former mayor",
                "none",
            ),
            // not role nouns: a group, a thing, a name with a courtesy title
            (
                "Ana Ruiz spoke to voters with Tomas Reyes. These voters said the talks went well.",
                "These voters",
                "These voters",
                "none",
            ),
            (
                "Ana Ruiz ran an ad against Tomas Reyes. The ad said the talks went badly.",
                "The ad",
                "The ad",
                "none",
            ),
            (
                "Ana Ruiz, the king of the fair, met Tomas Reyes. Mr. King said the talks went well.",
                "Mr. King",
                "Mr. King",
                "none",
            ),
        ];
        for (body, mention, name, how) in cases {
            let got = speakers(body, &two);
            assert_eq!(got, [sp(mention, name, how)], "{body}");
        }
    }

    #[test]
    fn personal_pronouns_resolve_to_a_person_and_they_to_an_organisation() {
        let body = "Maria Santos spoke first. She said the plant would stay open.\n\n\
                    Norvent Semiconductor posted its results. They said demand remained strong.";
        let got = speakers(
            body,
            &[
                ("Maria Santos", "PER", 0),
                ("Norvent Semiconductor", "ORG", 1),
            ],
        );
        assert_eq!(
            got,
            [
                sp("She", "Maria Santos", "pronoun"),
                sp("They", "Norvent Semiconductor", "pronoun"),
            ]
        );
    }

    /// A relative pronoun speaker is its antecedent: the entity right before it, past a short
    /// apposition, agreeing (`who` a person, `which` not), not the modifier of another noun;
    /// otherwise nobody.
    #[test]
    fn relative_pronouns_resolve_to_their_antecedent() {
        let ruiz = ("Ana Ruiz", "PER", 0);
        let senate = ("Senate", "ORG", 1);
        let norvent = ("Norvent", "ORG", 2);
        type Case = (
            &'static str,
            Vec<(&'static str, &'static str, usize)>,
            Option<&'static str>,
        );
        let cases: Vec<Case> = vec![
            (
                "The vote followed a long talk with Ana Ruiz, now the Senate majority leader, who said that the bill was rushed.",
                vec![ruiz, senate],
                Some("Ana Ruiz"),
            ),
            (
                "The vote followed a long talk with Ana Ruiz and the Senate and Norvent, which said that the bill was rushed.",
                vec![ruiz, senate, norvent],
                Some("Norvent"),
            ),
            // agreement: an organisation is not `who`
            (
                "The vote followed a long talk with Ana Ruiz and the Senate and Norvent, who said that the bill was rushed.",
                vec![ruiz, senate, norvent],
                None,
            ),
            // the modifier of another noun is not what the clause describes
            (
                "The vote followed a talk with the Senate and a lawyer for Ana Ruiz, who said that the bill was rushed.",
                vec![("Senate", "ORG", 0), ("Ana Ruiz", "PER", 1)],
                None,
            ),
            // a restrictive clause after a group: nobody, not the person named last
            (
                "Ana Ruiz and the Senate and Norvent met the members who said that the bill was rushed.",
                vec![ruiz, senate, norvent],
                None,
            ),
        ];
        for (body, ents, want) in &cases {
            let article = Article::new("t", *body);
            let segments = segment(&article);
            let entities = entities(body, ents);
            let pronoun = ["who", "which"]
                .iter()
                .find_map(|w| body.find(&format!(" {w} ")).map(|k| (k + 1, w.len())))
                .unwrap();
            let mention = Span::new(pronoun.0, pronoun.0 + pronoun.1);
            let got = super::relative_antecedent(body, &segments, &entities, mention)
                .map(|c| c.map(|c| entities.clusters[c].name.as_str()));
            assert_eq!(got, Some(*want), "{body}");
        }
        // not a relative pronoun
        let body = "Ana Ruiz said so.";
        let article = Article::new("t", body);
        let got = super::relative_antecedent(
            body,
            &segment(&article),
            &entities(body, &[ruiz]),
            Span::new(0, 8),
        );
        assert_eq!(got, None);
    }

    /// `they` after a group of people named by a plural noun stays unresolved; a group "of"
    /// an organisation is that organisation.
    #[test]
    fn they_after_a_group_noun_stays_unresolved() {
        let cases: &[(&str, &str)] = &[
            (
                "Norvent Semiconductor posted its results.\n\n\
                 Economists in Malmö were cautious. They said demand would slow.",
                "They",
            ),
            (
                "Norvent Semiconductor posted its results.\n\n\
                 The members of Norvent Semiconductor met. They said demand would slow.",
                "Norvent Semiconductor",
            ),
        ];
        for (body, want) in cases {
            let got = speakers(body, &[("Norvent Semiconductor", "ORG", 0)]);
            let names: Vec<String> = got.into_iter().flatten().map(|s| s.1).collect();
            assert_eq!(names, [*want], "{body:?}");
        }
    }

    #[test]
    fn it_resolves_to_an_organisation_not_a_person() {
        let body = "Maria Santos joined the Lyon council in May. It said the budget was balanced.";
        let got = speakers(
            body,
            &[("Maria Santos", "PER", 0), ("Lyon council", "ORG", 1)],
        );
        assert_eq!(got, [sp("It", "Lyon council", "pronoun")]);
    }

    #[test]
    fn organisations_resolve_by_name() {
        let body = "The Lyon city council said that the vote was postponed.";
        let got = speakers(body, &[("Lyon", "ORG", 0)]);
        assert_eq!(got, [sp("The Lyon city council", "Lyon", "name")]);
    }

    #[test]
    fn object_pronouns_are_never_speakers() {
        for body in ["“Go home,” told him.", "“We are done,” said them."] {
            let got = speakers(body, &[]);
            assert!(
                got.iter().all(|s| s
                    .as_ref()
                    .is_none_or(|s| !["him", "them"].contains(&s.0.as_str()))),
                "{body}: {got:?}"
            );
        }
    }

    #[test]
    fn you_stays_unresolved() {
        let body = "Norvent Semiconductor posted results. You said the plant would stay open.";
        let got = speakers(body, &[("Norvent Semiconductor", "ORG", 0)]);
        assert_eq!(got, [sp("You", "You", "none")]);
    }

    #[test]
    fn a_nominal_is_not_linked_to_an_adjective_entity() {
        let body = "The Turkish media said the visit was a success.";
        let got = speakers(body, &[("Turkish", "MISC", 0)]);
        assert_eq!(got, [sp("The Turkish media", "The Turkish media", "none")]);
        let body = "Officials said the bridge would reopen in June.";
        assert_eq!(speakers(body, &[]), [sp("Officials", "Officials", "none")]);
    }
}
