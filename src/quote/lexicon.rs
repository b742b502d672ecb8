//! The small closed word classes the quote rules read, stated once: sentence terminators,
//! dashes, pronouns (with person, number, case and what they can refer to) and the adverbs
//! that may sit inside a verb group. Quotation marks live in `segment::punct` (segmentation
//! reads them too); reporting cues in [`super::cues`]; the rule-specific word lists (what may
//! stand between a source and its cue, which labels are not sources) stay with their rule.

/// The em dash `—`.
pub(crate) const EM_DASH: &str = "—";
/// The en dash `–`.
pub(crate) const EN_DASH: &str = "–";
/// The horizontal bar `―` (the quotation dash of some house styles).
pub(crate) const HORIZONTAL_BAR: &str = "―";

/// True for a word-scanner token that ends a clause for the quote rules: `.`, `!`, `?`, `;`.
pub(crate) fn is_terminator(token: &str) -> bool {
    matches!(token, "." | "!" | "?" | ";")
}

/// True for a dash token (em dash, en dash, horizontal bar; not the hyphen).
pub(crate) fn is_dash(token: &str) -> bool {
    matches!(token, EM_DASH | EN_DASH | HORIZONTAL_BAR)
}

/// Grammatical person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Person {
    /// I, we: the speaker.
    First,
    /// You: the one spoken to.
    Second,
    /// He, she, it, they: someone else.
    Third,
}

/// Grammatical number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Number {
    /// One.
    Singular,
    /// Several (also an organisation spoken of as they).
    Plural,
    /// Either (you).
    Either,
}

/// Where the pronoun stands: as subject (a possible speaker) or object (the one spoken to or
/// about, never the speaker).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// He, she, they, ... (and you, read as a subject).
    Subject,
    /// Him, her, them, me, us.
    Object,
}

/// The kind of entity a pronoun can refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refers {
    /// A person (I, he, she, him, her, me).
    Person,
    /// An organisation or a group of people (it, we, they, them, us).
    Group,
    /// Either (you).
    Either,
}

/// One pronoun form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pronoun {
    /// The lower-case form.
    pub form: &'static str,
    /// Person.
    pub person: Person,
    /// Number.
    pub number: Number,
    /// Case.
    pub case: Case,
    /// What it can refer to.
    pub refers: Refers,
}

const fn p(
    form: &'static str,
    person: Person,
    number: Number,
    case: Case,
    refers: Refers,
) -> Pronoun {
    Pronoun {
        form,
        person,
        number,
        case,
        refers,
    }
}

/// Every personal pronoun form the rules know.
pub const PRONOUNS: &[Pronoun] = {
    use Case::*;
    use Number::*;
    use Person::*;
    &[
        p("i", First, Singular, Subject, Refers::Person),
        p("we", First, Plural, Subject, Refers::Group),
        p("you", Second, Either, Subject, Refers::Either),
        p("he", Third, Singular, Subject, Refers::Person),
        p("she", Third, Singular, Subject, Refers::Person),
        p("it", Third, Singular, Subject, Refers::Group),
        p("they", Third, Plural, Subject, Refers::Group),
        p("me", First, Singular, Object, Refers::Person),
        p("us", First, Plural, Object, Refers::Group),
        p("him", Third, Singular, Object, Refers::Person),
        p("her", Third, Singular, Object, Refers::Person),
        p("them", Third, Plural, Object, Refers::Group),
    ]
};

/// The pronoun `lower` (a lower-case word) is, if any.
pub fn pronoun(lower: &str) -> Option<&'static Pronoun> {
    PRONOUNS.iter().find(|p| p.form == lower)
}

impl Pronoun {
    /// True for the forms the cue and source rules read as a pronoun mention: every subject
    /// form and the third-person objects (a cue's subject, or the one it is told to); `me` and
    /// `us` only ever stand as objects.
    pub fn is_mention(&self) -> bool {
        self.case == Case::Subject || self.person == Person::Third
    }

    /// True for a subject form that can be a source after an inverted cue ("said he"): not
    /// the second person.
    pub fn can_follow_cue(&self) -> bool {
        self.case == Case::Subject && self.person != Person::Second
    }
}

/// True when `w` (any case) is a pronoun mention ([`Pronoun::is_mention`]).
pub fn is_pronoun(w: &str) -> bool {
    pronoun(&w.to_lowercase()).is_some_and(Pronoun::is_mention)
}

/// Relative pronouns that stand as a cue's subject ("Ana Ruiz, who said …").
pub const RELATIVE_PRONOUNS: &[&str] = &["who", "which", "that", "whom"];

/// True when `mention` (any case, surrounding space ignored) is a pronoun and nothing else,
/// personal or relative: on its own it names no one.
pub fn is_bare_pronoun(mention: &str) -> bool {
    let m = mention.trim().to_lowercase();
    pronoun(&m).is_some() || RELATIVE_PRONOUNS.contains(&m.as_str())
}

/// True when `mention` (any case, surrounding space ignored) is an object pronoun: the one
/// spoken to or about, never the speaker.
pub fn is_object_pronoun(mention: &str) -> bool {
    pronoun(&mention.trim().to_lowercase()).is_some_and(|p| p.case == Case::Object)
}

/// True for an adverb that may stand inside a verb group ("is also saying", "has now said"):
/// a short closed list, or any word of more than four letters ending in `-ly`.
pub(crate) fn is_verb_group_adverb(lower: &str) -> bool {
    matches!(
        lower,
        "also" | "now" | "still" | "once" | "again" | "already" | "not" | "just" | "even"
    ) || (lower.ends_with("ly") && lower.len() > 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pronoun_table() {
        // form: (mention, can follow a cue, object)
        let table = [
            ("he", (true, true, false)),
            ("She", (true, true, false)),
            ("they", (true, true, false)),
            ("it", (true, true, false)),
            ("I", (true, true, false)),
            ("we", (true, true, false)),
            ("you", (true, false, false)),
            ("him", (true, false, true)),
            ("her", (true, false, true)),
            ("them", (true, false, true)),
            ("me", (false, false, true)),
            ("us", (false, false, true)),
            ("minister", (false, false, false)),
        ];
        for (w, want) in table {
            let got = (
                is_pronoun(w),
                pronoun(&w.to_lowercase()).is_some_and(Pronoun::can_follow_cue),
                is_object_pronoun(&format!(" {w} ")),
            );
            assert_eq!(got, want, "{w}");
        }
        // what each can refer to, for the speaker stage
        let refers = |w: &str| pronoun(w).map(|p| p.refers);
        assert_eq!(refers("she"), Some(Refers::Person));
        assert_eq!(refers("they"), Some(Refers::Group));
        assert_eq!(refers("you"), Some(Refers::Either));
        assert_eq!(
            pronoun("we").map(|p| (p.person, p.number)),
            Some((Person::First, Number::Plural))
        );
        // every form once
        for (i, a) in PRONOUNS.iter().enumerate() {
            assert!(
                PRONOUNS[i + 1..].iter().all(|b| b.form != a.form),
                "{}",
                a.form
            );
        }
    }

    #[test]
    fn terminators_dashes_adverbs() {
        for t in [".", "!", "?", ";"] {
            assert!(is_terminator(t), "{t}");
        }
        for t in [",", ":", "…", "—"] {
            assert!(!is_terminator(t), "{t}");
        }
        assert!([EM_DASH, EN_DASH, HORIZONTAL_BAR]
            .iter()
            .all(|d| is_dash(d)));
        assert!(!is_dash("-"));
        for (w, want) in [
            ("also", true),
            ("reportedly", true),
            ("only", false),
            ("fly", false),
        ] {
            assert_eq!(is_verb_group_adverb(w), want, "{w}");
        }
    }
}
