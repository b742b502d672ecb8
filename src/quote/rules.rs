//! The registry: every rule that makes or supports a claim, with its id, the kinds of claim
//! it makes, one example sentence, and the order in which [`super::attribute`] tries it. Rule
//! ids are stated here once; the rule modules and the README use these constants.
//!
//! A record's `rule` is the rule that found the claim, assigned where the claim is made and
//! never rewritten. When other sources agree with the claim, their ids are in its `support`
//! (registry order): `model.tagged` when the model's tagged content covers a rule's claim (and
//! then, for a cue-less quotation, the cue and speaker are the model's), the rules whose
//! indirect claims a model claim replaced, `direct.inherited` when a cue-less quotation took
//! the previous speaker. A claim's provenance ([`super::Quote::provenance`]: `rule`, then
//! `support`, joined by `+`) is what its confidence is calibrated under.
//!
//! `confidence` in a record is, for every rule and for the model's claims alike, the
//! calibrated probability that the claim's content matches gold by overlap, fitted per rule
//! on PolNeAR dev (`scripts/fit_confidence.sh --cross` → the model's `confidence.json`, applied in
//! [`super::confidence`]); the rules' raw scores are only the input of that fit.

use super::claim::Quote;
use super::direct::{self, Found};
use super::indirect::{self, At};
use super::marks::Quoted;
use super::words::Words;
use crate::segment::Segments;
use crate::span::Span;

/// A rule's stable id: what records carry in `rule` and `support` ([`RuleId::as_str`]). The
/// variants are declared in registry order (the order [`super::attribute`] tries the rules),
/// which is the order `support` lists them in; a test holds [`RULES`] to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleId {
    /// `direct.quote_cue`: quotation, then speaker and cue (`“Q,” Akar said.`).
    DirectQuoteCue,
    /// `direct.cue_quote`: speaker and cue, then quotation (`Akar said: “Q”`).
    DirectCueQuote,
    /// `direct.split`: an attributed quotation continued by the next one (`“Q1,” she said. “Q2.”`).
    DirectSplit,
    /// `direct.no_cue`: a speech-like quotation with no cue of its own.
    DirectNoCue,
    /// `indirect.colon`: headline or transcript line `SOURCE: CONTENT`.
    IndirectColon,
    /// `indirect.according_to`: `according to SOURCE`.
    IndirectAccordingTo,
    /// `indirect.participle`: `SOURCE did X, saying (that) CONTENT`.
    IndirectParticiple,
    /// `indirect.quoted_as`: `SOURCE was quoted as saying CONTENT`.
    IndirectQuotedAs,
    /// `indirect.cue_content`: source and cue, then content.
    IndirectCueContent,
    /// `indirect.content_cue`: content, then source and cue.
    IndirectContentCue,
    /// `model.tagged`: a claim from the model's attribution tags.
    ModelTagged,
    /// `direct.inherited` (support only): a cue-less quotation inherits the previous speaker.
    DirectInherited,
}

impl RuleId {
    /// The id as records and the confidence table spell it.
    pub const fn as_str(self) -> &'static str {
        match self {
            RuleId::DirectQuoteCue => "direct.quote_cue",
            RuleId::DirectCueQuote => "direct.cue_quote",
            RuleId::DirectSplit => "direct.split",
            RuleId::DirectNoCue => "direct.no_cue",
            RuleId::IndirectColon => "indirect.colon",
            RuleId::IndirectAccordingTo => "indirect.according_to",
            RuleId::IndirectParticiple => "indirect.participle",
            RuleId::IndirectQuotedAs => "indirect.quoted_as",
            RuleId::IndirectCueContent => "indirect.cue_content",
            RuleId::IndirectContentCue => "indirect.content_cue",
            RuleId::ModelTagged => "model.tagged",
            RuleId::DirectInherited => "direct.inherited",
        }
    }

    /// The id spelled `s`, if it is one.
    pub fn parse(s: &str) -> Option<RuleId> {
        RULES.iter().map(|r| r.id).find(|id| id.as_str() == s)
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Rule id: quotation, then speaker and cue (`“Q,” Akar said.`).
pub const DIRECT_QUOTE_CUE: RuleId = RuleId::DirectQuoteCue;
/// Rule id: speaker and cue, then quotation (`Akar said: “Q”`).
pub const DIRECT_CUE_QUOTE: RuleId = RuleId::DirectCueQuote;
/// Rule id: an attributed quotation continued by the next one (`“Q1,” she said. “Q2.”`).
pub const DIRECT_SPLIT: RuleId = RuleId::DirectSplit;
/// Rule id: a speech-like quotation with no cue of its own.
pub const DIRECT_NO_CUE: RuleId = RuleId::DirectNoCue;
/// Rule id (support only): a cue-less quotation inherits the previous speaker under guards.
pub const DIRECT_INHERITED: RuleId = RuleId::DirectInherited;
/// Rule id: headline or transcript line `SOURCE: CONTENT`.
pub const INDIRECT_COLON: RuleId = RuleId::IndirectColon;
/// Rule id: `according to SOURCE`.
pub const INDIRECT_ACCORDING_TO: RuleId = RuleId::IndirectAccordingTo;
/// Rule id: source and cue, then content.
pub const INDIRECT_CUE_CONTENT: RuleId = RuleId::IndirectCueContent;
/// Rule id: `SOURCE did X, saying (that) CONTENT`.
pub const INDIRECT_PARTICIPLE: RuleId = RuleId::IndirectParticiple;
/// Rule id: `SOURCE was quoted as saying CONTENT`.
pub const INDIRECT_QUOTED_AS: RuleId = RuleId::IndirectQuotedAs;
/// Rule id: content, then source and cue.
pub const INDIRECT_CONTENT_CUE: RuleId = RuleId::IndirectContentCue;
/// Rule id: a claim from the model's attribution tags.
pub const MODEL_TAGGED: RuleId = RuleId::ModelTagged;

/// Raw score of a belief or finding (`X believes`, `the poll shows`) from a reported-speech
/// rule, whatever the rule's own score: weaker evidence of a claim than speech.
pub const BELIEF_SCORE: f32 = 0.5;
/// Raw score of `indirect.cue_content` with the cue `say` or `tell`: the plainest reporting
/// verbs, right more often than the rule's other cues.
pub const SAY_TELL_SCORE: f32 = 0.8;

/// A step-1 function: tried on each quotation chain (the quotations of one quote running over
/// paragraphs, in order; never empty).
pub type ChainRule = fn(&Words<'_>, &Segments, &[Quoted]) -> Option<Found>;
/// A step-2 function of a whole paragraph (its index and span).
pub type ParagraphRule = fn(&Words<'_>, usize, Span, &[Quoted]) -> Option<Quote>;
/// A step-2 function tried at each word of each sentence.
pub type WordRule = fn(&At<'_, '_>) -> Option<Quote>;

/// A row's function, by the step that runs it.
#[derive(Clone, Copy)]
pub enum Run {
    /// Step 1 (`quote::direct`): the chain rows in registry order; the first that finds a cue
    /// attributes the chain.
    Chain(ChainRule),
    /// Step 2 (`quote::indirect`), per paragraph.
    Paragraph(ParagraphRule),
    /// Step 2 (`quote::indirect`), per word of a sentence: the word rows in registry order;
    /// the first that finds a claim at a word wins, and the scan goes on after its cue.
    Word(WordRule),
    /// A step of its own over what the finders produced, in the module named (its input is
    /// not one quotation or one word: split pieces, cue-less quotations, the model's tags,
    /// earlier speakers).
    Step(&'static str),
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Run::Chain(_) => f.write_str("Chain"),
            Run::Paragraph(_) => f.write_str("Paragraph"),
            Run::Word(_) => f.write_str("Word"),
            Run::Step(m) => write!(f, "Step({m})"),
        }
    }
}

/// One row of the registry.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The id records carry.
    pub id: RuleId,
    /// Claim kinds it makes.
    pub kinds: &'static [&'static str],
    /// What it matches.
    pub matches: &'static str,
    /// A sentence it fires on (the registry test checks that it does).
    pub example: &'static str,
    /// What it does: finds claims (its id is a claim's `rule`), or only supports claims other
    /// rules found (its id appears in `support`, never as `rule`).
    pub role: Role,
    /// The raw score of what it finds (the strength of its evidence: the calibration's input,
    /// not a probability); `model.tagged` scores each claim by the model's mean tag
    /// probability instead, and `direct.inherited` sets the score of the claim it lends a
    /// speaker to.
    pub score: f32,
    /// Its function, run by its step in registry order.
    pub run: Run,
}

/// What a rule contributes to a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// It finds claims (and may also support other rules' claims: `model.tagged`).
    Finds,
    /// It only supports claims others found (`direct.inherited` lends a speaker).
    Supports,
}

/// Every rule, in the order [`super::attribute`] tries them:
///
/// 1. Quotations that begin with a capital (a phrase quoted in lower case is part of its
///    sentence's claim), one at a time (chains over paragraphs count as one): a cue after the
///    closing mark (of the first quotation, else of the last of a chain), else one before the
///    opening mark (or ending the previous paragraph); then quotations that continue an
///    attributed one join it; else a speech-like quotation stays cue-less.
/// 2. Reported speech, skipping what step 1 attributed: headline/transcript lines per
///    paragraph; then per sentence, word by word, `according to`, else a cue with the source
///    before it and the content after it (participle and `quoted as` forms first), else the
///    content before it.
/// 3. When the model ran: its tagged claims replace the reported-speech claims they overlap,
///    and support (and lend cue and speaker to cue-less) quotations they cover;
///    reported-speech claims that no tag touches are dropped. In an interview layout a
///    turn's question (`Wikinews: Why bronze?`, [`super::turns`]) is dropped: a prompt, not
///    a claim.
/// 4. Speaker resolution: a cue-less quotation may inherit the previous speaker.
pub const RULES: &[Rule] = &[
    Rule {
        id: DIRECT_QUOTE_CUE,
        kinds: &["direct"],
        matches: "a quotation, then the speaker and cue, then the sentence end or a short tail",
        example: "“We will not give up,” Zoë Ångström said on Friday.",
        score: 0.95,
        run: Run::Chain(direct::quote_cue),
        role: Role::Finds,
    },
    Rule {
        id: DIRECT_CUE_QUOTE,
        kinds: &["direct"],
        matches: "the speaker and cue (or `Name:`), then the quotation",
        example: "Zoë Ångström said: “We will not give up.”",
        score: 0.9,
        run: Run::Chain(direct::cue_quote),
        role: Role::Finds,
    },
    Rule {
        id: DIRECT_SPLIT,
        kinds: &["direct"],
        matches: "an attributed quotation followed by another with nothing in between",
        example: "“The first part,” she said. “The second part.”",
        score: 0.95,
        run: Run::Step("quote::direct::continuations"),
        role: Role::Finds,
    },
    Rule {
        id: DIRECT_NO_CUE,
        kinds: &["direct"],
        matches: "a speech-like quotation (a clause, not a title or scare quote) with no cue",
        example: "The hall fell silent.\n\n“We have waited long enough for this bridge and we will not wait any longer.”",
        score: 0.5,
        run: Run::Step("quote::direct::speech_like"),
        role: Role::Finds,
    },
    Rule {
        id: INDIRECT_COLON,
        kinds: &["indirect", "mixed"],
        matches: "a headline or transcript line `SOURCE: CONTENT` with a short capitalised source",
        example: "WALLACE: Let us start with the economy tonight.",
        score: 0.6,
        run: Run::Paragraph(indirect::colon_line),
        role: Role::Finds,
    },
    Rule {
        id: INDIRECT_ACCORDING_TO,
        kinds: &["indirect", "mixed"],
        matches: "`According to SOURCE, CONTENT` or `CONTENT, according to SOURCE`",
        example: "According to the ministry, the talks will resume in May.",
        score: 0.8,
        run: Run::Word(indirect::according_to),
        role: Role::Finds,
    },
    Rule {
        id: INDIRECT_PARTICIPLE,
        kinds: &["indirect", "mixed"],
        matches: "`SOURCE did X, saying (that) CONTENT`",
        example: "The minister left the meeting early, saying that the offer was an insult.",
        score: 0.6,
        run: Run::Word(indirect::participle),
        role: Role::Finds,
    },
    Rule {
        id: INDIRECT_QUOTED_AS,
        kinds: &["indirect", "mixed"],
        matches: "`SOURCE was quoted as saying CONTENT`",
        example: "The coach was quoted as saying the team would recover.",
        score: 0.6,
        run: Run::Word(indirect::quoted_as),
        role: Role::Finds,
    },
    Rule {
        id: INDIRECT_CUE_CONTENT,
        kinds: &["indirect", "mixed", "belief"],
        matches: "`SOURCE CUE (that) CONTENT`, also beliefs and findings (`the poll shows`)",
        example: "The mayor said that the bridge would reopen in June.",
        score: 0.6,
        run: Run::Word(indirect::cue_content),
        role: Role::Finds,
    },
    Rule {
        id: INDIRECT_CONTENT_CUE,
        kinds: &["indirect", "mixed", "belief"],
        matches: "`CONTENT, SOURCE CUE.` or `CONTENT, CUE SOURCE.`",
        example: "The bridge will reopen in June, the mayor said.",
        score: 0.8,
        run: Run::Word(indirect::content_cue),
        role: Role::Finds,
    },
    Rule {
        id: MODEL_TAGGED,
        kinds: &["direct", "indirect", "mixed", "belief"],
        matches: "a content the model tagged, with a tagged cue and source nearby (mean tag probability at least quote::TAGGED_MIN_CONFIDENCE)",
        example: "Officials expect the deal to pass, a report by the agency found.",
        score: 0.0,
        run: Run::Step("quote::tagged::tagged_quotes, joined in quote::attribute::combine"),
        role: Role::Finds,
    },
    Rule {
        id: DIRECT_INHERITED,
        kinds: &["direct"],
        matches: "a cue-less quotation after an attributed one: same paragraph, or a quote-only paragraph right after, no other person in between",
        example: "“We start today,” Akar said.\n\n“Nothing will stop us now, not the weather and not the cost.”",
        score: 0.7,
        run: Run::Step("quote::speaker::resolve"),
        role: Role::Supports,
    },
];

/// The registry row of `id` (rows are in [`RuleId`] order, one per id: a test holds them to it).
pub fn rule(id: RuleId) -> &'static Rule {
    &RULES[id as usize]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;
    use crate::entity::{Entities, ModelTags, Tagged, TaggedSpan};
    use crate::segment::segment;
    use crate::span::Span;

    fn span_of(body: &str, part: &str) -> TaggedSpan {
        let start = body
            .find(part)
            .unwrap_or_else(|| panic!("{part:?} not in {body:?}"));
        TaggedSpan {
            span: Span::new(start, start + part.len()),
            score: 0.9,
        }
    }

    /// One tagged cue, source and content, each found by its text in `body`.
    fn tagged(body: &str, cue: &str, source: &str, content: &str) -> Tagged {
        Tagged {
            cues: vec![span_of(body, cue)],
            sources: vec![span_of(body, source)],
            contents: vec![span_of(body, content)],
        }
    }

    /// The claims of `body` (no entities), with the model's `tags` or the rules alone.
    fn run(body: &str, tags: Option<&Tagged>) -> Vec<crate::quote::Quote> {
        let article = Article::new("x", body);
        let segments = segment(&article);
        let tags = tags.map_or(ModelTags::RulesOnly, |t| ModelTags::Model(t.clone()));
        crate::quote::attribute(&article, &segments, &Entities::default(), &tags)
    }

    /// The model's tags each model rule's example is run with.
    fn tags(id: RuleId, body: &str) -> Option<Tagged> {
        let t = |cue: &str, source: &str, content: &str| tagged(body, cue, source, content);
        match id {
            MODEL_TAGGED => Some(t(
                "found",
                "a report by the agency",
                "Officials expect the deal to pass",
            )),
            _ => None,
        }
    }

    /// A cue and source the tags found inside a cue-less quotation belong to a claim nested in
    /// it, not to the quotation; the quotation then inherits the speaker of the paragraph that
    /// introduces it, also when that claim's content closes its paragraph (a trailing colon).
    #[test]
    fn a_quotation_takes_no_speaker_from_inside_itself() {
        let body = "Ana Ruiz, the bishop, has called the ruling “dangerous” and “ideological” in a statement sent to every parish in the diocese:\n\n“We face a dangerous ruling. With this way of thinking, they wait for the praise of some supporters.”";
        let intro = tagged(
            body,
            "has called",
            "Ana Ruiz, the bishop,",
            "the ruling “dangerous” and “ideological” in a statement sent to every parish in the diocese:",
        );
        let nested = tagged(
            body,
            "wait",
            "they",
            "“We face a dangerous ruling. With this way of thinking, they wait for the praise of some supporters.”",
        );
        let tags = Tagged {
            cues: [intro.cues, nested.cues].concat(),
            sources: [intro.sources, nested.sources].concat(),
            contents: [intro.contents, nested.contents].concat(),
        };
        let quotes = run(body, Some(&tags));
        let q = quotes.iter().find(|q| q.rule == DIRECT_NO_CUE).unwrap();
        assert_eq!(q.cue, None);
        let s = q.speaker.as_ref().unwrap();
        assert_eq!(
            (s.mention.slice(body), s.resolution.as_str()),
            ("Ana Ruiz, the bishop,", "inherited")
        );
        assert_eq!(q.support, [MODEL_TAGGED, DIRECT_INHERITED]);
    }

    /// Each step runs its rows in registry order: which rows carry which kind of function.
    #[test]
    fn rows_carry_their_functions_by_step() {
        let of = |want: fn(&Run) -> bool| -> Vec<RuleId> {
            RULES
                .iter()
                .filter(|r| want(&r.run))
                .map(|r| r.id)
                .collect()
        };
        assert_eq!(
            of(|r| matches!(r, Run::Chain(_))),
            [RuleId::DirectQuoteCue, RuleId::DirectCueQuote]
        );
        assert_eq!(
            of(|r| matches!(r, Run::Paragraph(_))),
            [RuleId::IndirectColon]
        );
        assert_eq!(
            of(|r| matches!(r, Run::Word(_))),
            [
                RuleId::IndirectAccordingTo,
                RuleId::IndirectParticiple,
                RuleId::IndirectQuotedAs,
                RuleId::IndirectCueContent,
                RuleId::IndirectContentCue
            ]
        );
        // the steps name a function that exists in the module they give
        for r in RULES {
            if let Run::Step(at) = r.run {
                let (module, function) = at.split(',').next().unwrap().rsplit_once("::").unwrap();
                let file = format!(
                    "{}/src/{}.rs",
                    env!("CARGO_MANIFEST_DIR"),
                    module.replace("::", "/")
                );
                let src = std::fs::read_to_string(&file).unwrap();
                assert!(src.contains(&format!("fn {function}(")), "{}: {at}", r.id);
            }
        }
    }

    #[test]
    fn every_rule_fires_on_its_example() {
        for r in RULES {
            let article = Article::new("x", r.example);
            let segments = segment(&article);
            let tagged = tags(r.id, r.example).map_or(ModelTags::RulesOnly, ModelTags::Model);
            let quotes =
                crate::quote::attribute(&article, &segments, &Entities::default(), &tagged);
            let got: Vec<(String, &str)> = quotes
                .iter()
                .map(|q| (q.provenance(), q.kind.as_str()))
                .collect();
            let by = |q: &crate::quote::Quote| match r.role {
                Role::Finds => q.rule == r.id,
                Role::Supports => q.support.contains(&r.id) && q.rule != r.id,
            };
            assert!(
                quotes
                    .iter()
                    .any(|q| by(q) && r.kinds.contains(&q.kind.as_str())),
                "{}: {:?} gave {got:?}",
                r.id,
                r.example
            );
        }
    }

    /// Ids are never rewritten: a cue-less quotation whose cue and speaker the model tagged
    /// stays `direct.no_cue`, with the model in its support; one that inherits the previous
    /// speaker stays `direct.no_cue`, with `direct.inherited` in its support.
    #[test]
    fn a_claim_keeps_its_rule_and_says_who_agrees() {
        let body = "Zoë Ångström, the mayor, spoke first. “We will not give up on this bridge or on the people who need it.”";
        let tags = tagged(
            body,
            "spoke",
            "Zoë Ångström",
            "“We will not give up on this bridge or on the people who need it.”",
        );
        let quotes = run(body, Some(&tags));
        let q = quotes.iter().find(|q| q.kind.as_str() == "direct").unwrap();
        assert_eq!(
            (q.rule, q.support.as_slice()),
            (DIRECT_NO_CUE, &[MODEL_TAGGED][..])
        );
        assert_eq!(q.provenance(), "direct.no_cue+model.tagged");
        assert!(q.speaker.is_some() && q.cue.is_some());
        // without the model the same quotation has no speaker and no support
        let alone = run(body, None);
        let q = alone.iter().find(|q| q.kind.as_str() == "direct").unwrap();
        assert_eq!((q.rule, q.support.len()), (DIRECT_NO_CUE, 0));
        assert!(q.speaker.is_none());
        // inherited: the rule stays, the support says where the speaker came from
        let r = rule(DIRECT_INHERITED);
        let quotes = run(r.example, None);
        let q = quotes.last().unwrap();
        assert_eq!(
            (q.rule, q.support.as_slice()),
            (DIRECT_NO_CUE, &[DIRECT_INHERITED][..])
        );
        assert_eq!(q.speaker.as_ref().unwrap().resolution.as_str(), "inherited");
        // a model claim that replaced a rule's claim carries that rule
        let body = "The mayor said that the bridge would reopen in June.";
        let tags = tagged(body, "said", "The mayor", "the bridge would reopen in June");
        let quotes = run(body, Some(&tags));
        let got: Vec<String> = quotes.iter().map(|q| q.provenance()).collect();
        assert_eq!(got, ["model.tagged+indirect.cue_content"]);
    }

    #[test]
    fn registry_rows_follow_the_rule_ids_and_sort_support() {
        // one row per id, in RuleId order: `rule(id)` indexes, `support` sorts by the id
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(r.id as usize, i, "{}", r.id);
            assert_eq!(rule(r.id).id, r.id);
            assert_eq!(RuleId::parse(r.id.as_str()), Some(r.id));
        }
        assert_eq!(RuleId::parse("nope"), None);
        assert!(DIRECT_QUOTE_CUE < MODEL_TAGGED && MODEL_TAGGED < DIRECT_INHERITED);
        // every score is a raw score in [0, 1]
        assert!(RULES.iter().all(|r| (0.0..=1.0).contains(&r.score)));
    }

    #[test]
    fn ids_are_unique_and_every_calibrated_rule_is_registered() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id.as_str()).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate rule ids");
        let table: serde_json::Value =
            serde_json::from_str(include_str!("../../models/minilm-conll03/confidence.json"))
                .unwrap();
        for key in table["rules"].as_object().unwrap().keys() {
            for id in key.split('+') {
                assert!(
                    RuleId::parse(id).is_some(),
                    "the default model's confidence.json calibrates {key}: {id} is not in the registry"
                );
            }
        }
    }

    #[test]
    fn the_readme_names_only_registered_rules_and_all_of_them() {
        let readme = include_str!("../../README.md");
        for r in RULES {
            assert!(
                readme.contains(&format!("`{}`", r.id)),
                "README lacks `{}`",
                r.id
            );
        }
        // every `direct.x` / `indirect.x` / `model.x` id the README mentions is registered
        for word in readme.split('`') {
            let is_id = ["direct.", "indirect.", "model."].iter().any(|p| {
                word.strip_prefix(p).is_some_and(|rest| {
                    !rest.is_empty()
                        && !["onnx", "json", "rs"].contains(&rest)
                        && rest.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                })
            });
            if is_id {
                assert!(
                    RuleId::parse(word).is_some(),
                    "README names {word}, not in the registry"
                );
            }
        }
    }
}
