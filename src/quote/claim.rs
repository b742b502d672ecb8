//! The claim types every quote rule builds and the rest of the crate reads: [`Quote`], its
//! [`ClaimKind`], its [`Speaker`] and how the speaker was [`Resolution`]-resolved, and the
//! provenance key confidence is calibrated under. No rule logic here.

use super::rules::{self, RuleId};
use crate::span::Span;

/// What kind of claim a quote is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ClaimKind {
    /// Entirely inside quotation marks.
    Direct,
    /// Reported speech without marks.
    Indirect,
    /// Reported speech holding a quoted fragment.
    Mixed,
    /// A belief, report, poll or finding (`X believes`, `the poll shows`).
    Belief,
}

impl ClaimKind {
    /// Name used in records.
    pub fn as_str(&self) -> &'static str {
        match self {
            ClaimKind::Direct => "direct",
            ClaimKind::Indirect => "indirect",
            ClaimKind::Mixed => "mixed",
            ClaimKind::Belief => "belief",
        }
    }
}

/// How a speaker was tied to an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// The mention is (part of) a named entity.
    Name,
    /// A title or role noun ("the minister") linked to a named person.
    Title,
    /// A pronoun linked to the most recent compatible speaker or person.
    Pronoun,
    /// No cue of its own: inherited from the previous quote under guards.
    Inherited,
    /// Not linked to any entity.
    None,
}

impl Resolution {
    /// Name used in records.
    pub fn as_str(&self) -> &'static str {
        match self {
            Resolution::Name => "name",
            Resolution::Title => "title",
            Resolution::Pronoun => "pronoun",
            Resolution::Inherited => "inherited",
            Resolution::None => "none",
        }
    }
}

/// The speaker of a quote.
#[derive(Debug, Clone, PartialEq)]
pub struct Speaker {
    /// The mention next to the cue (for an inherited speaker, the mention it was inherited from).
    pub mention: Span,
    /// Entity cluster, when resolved.
    pub cluster: Option<usize>,
    /// Best name: the cluster's canonical name, or the mention text.
    pub name: String,
    /// How it was resolved.
    pub resolution: Resolution,
}

/// One claim: content, cue, speaker.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    /// Kind of claim.
    pub kind: ClaimKind,
    /// Content pieces in body order (several for split quotes); never empty.
    pub pieces: Vec<Span>,
    /// The reporting cue ("said", "according to"), if any.
    pub cue: Option<Span>,
    /// The speaker, if any.
    pub speaker: Option<Speaker>,
    /// Stable id of the rule that found the claim, set where the claim is made and never
    /// rewritten afterwards.
    pub rule: RuleId,
    /// The other rules (and `model.tagged`) that agree with the claim and were joined into
    /// it, in registry order: a model claim over a rule's claim, a rule's quotation whose cue
    /// and speaker the model tagged, a speaker inherited by `direct.inherited`. Empty: the
    /// claim's rule alone.
    pub support: Vec<RuleId>,
    /// The rule's raw score in [0, 1]: the strength of the rule's evidence, the input of the
    /// calibration, never a probability.
    pub score: f32,
    /// The calibrated probability that the content is right ([`confidence::calibrate`], with
    /// the model's table); `None` until calibrated (a model without a table, or raw scores
    /// asked for).
    pub confidence: Option<f32>,
    /// True when a quotation ran to the end of its paragraph without a closing mark.
    pub unclosed: bool,
}

impl Quote {
    /// The claim rule `rule` found: its kind, content pieces (body order, never empty), cue and
    /// speaker, scored with the rule's registry score ([`rules::Rule::score`]); no support, not
    /// calibrated, closed. The one place a rule's finding becomes a `Quote`.
    pub(crate) fn found(
        rule: RuleId,
        kind: ClaimKind,
        pieces: Vec<Span>,
        cue: Option<Span>,
        speaker: Option<Speaker>,
    ) -> Quote {
        Quote {
            kind,
            pieces,
            cue,
            speaker,
            rule,
            support: Vec::new(),
            score: rules::rule(rule).score,
            confidence: None,
            unclosed: false,
        }
    }

    /// The same claim with raw score `score` (a rule's variant: [`rules::BELIEF_SCORE`], the
    /// model's tag probability).
    pub(crate) fn scored(self, score: f32) -> Quote {
        Quote { score, ..self }
    }

    /// Records that rule `id` agrees with this claim (once; never its own rule), keeping
    /// `support` in registry order.
    pub(crate) fn agree(&mut self, id: RuleId) {
        if id != self.rule && !self.support.contains(&id) {
            self.support.push(id);
            self.support.sort();
        }
    }

    /// The claim's rule and the rules that agree with it, joined by `+`
    /// (`direct.no_cue+model.tagged`): the key its confidence is calibrated under.
    pub fn provenance(&self) -> String {
        let support: Vec<&str> = self.support.iter().map(|r| r.as_str()).collect();
        provenance(self.rule.as_str(), &support)
    }

    /// What a record reports as the claim's confidence: the calibrated probability, else the
    /// raw score.
    pub fn reported_confidence(&self) -> f32 {
        self.confidence.unwrap_or(self.score)
    }

    /// Span from the first piece's start to the last piece's end.
    pub fn content(&self) -> Span {
        let first = self.pieces.first().copied().unwrap_or_default();
        let last = self.pieces.last().copied().unwrap_or_default();
        first.cover(&last)
    }
}

/// A claim's provenance from its `rule` and `support` (as a record gives them): the rule,
/// then each supporting id, joined by `+`. The one spelling of the key that confidence is
/// calibrated under and that `eval quotes` groups its by-rule table by.
pub fn provenance<S: AsRef<str>>(rule: &str, support: &[S]) -> String {
    let mut key = rule.to_string();
    for s in support {
        key.push('+');
        key.push_str(s.as_ref());
    }
    key
}
