//! The label map of a token-classification model (`config.json` `id2label`) and tag parsing.
//!
//! Schemes: BIO/IOB2, IOB1 (I- may start an entity), BIOES and BILOU (`S-`/`U-` single,
//! `E-`/`L-` last), and plain IO (`PER` without prefix). All decode with one rule set (see
//! `entity::bio`), so the scheme only matters for the prefixes it uses.

use std::collections::BTreeMap;
use std::path::Path;

use super::decode::Transitions;
use crate::error::{Error, Result};

/// Prefix of a tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefix {
    /// Outside any entity.
    Outside,
    /// First token of an entity (`B-`).
    Begin,
    /// Inside an entity (`I-`, or a bare type).
    Inside,
    /// Last token of an entity (`E-`, `L-`).
    End,
    /// A one-word entity (`S-`, `U-`).
    Single,
}

/// One parsed label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Prefix.
    pub prefix: Prefix,
    /// Entity type (`PER`, `ORG`, ...); empty for `O`.
    pub kind: String,
}

/// Outside label as written in label maps.
pub const LABEL_OUTSIDE: &str = "O";

impl Tag {
    /// Parses `B-PER`, `I-ORG`, `S-LOC`, `E-MISC`, `O`, or a bare `PER`.
    pub fn parse(label: &str) -> Tag {
        if label == LABEL_OUTSIDE || label.is_empty() {
            return Tag {
                prefix: Prefix::Outside,
                kind: String::new(),
            };
        }
        let (p, kind) = match label.split_once(['-', '_']) {
            Some((p, k)) if p.len() == 1 => (p, k),
            _ => ("", label),
        };
        let prefix = match p {
            "B" => Prefix::Begin,
            "E" | "L" => Prefix::End,
            "S" | "U" => Prefix::Single,
            _ => Prefix::Inside,
        };
        Tag {
            prefix,
            kind: kind.to_string(),
        }
    }
}

/// Labels of the model's output classes, in logit order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelMap {
    labels: Vec<String>,
    tags: Vec<Tag>,
}

/// Reads and parses a model's `config.json`.
pub fn read_config(path: &Path) -> Result<serde_json::Value> {
    crate::error::read_model_json(path, "cannot read config", "config is not valid JSON")
}

/// Where each attribution role sits in the model's attribution output (`attribution_logits`,
/// three groups of O/B/I): the group index of the cue, the source and the content, as the
/// model's `config.json` declares them (`whosaid.attribution.groups`). A retrained model with
/// another group order is read by its own order, never by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttributionLayout {
    groups: [usize; 3],
}

impl Default for AttributionLayout {
    /// The order `scripts/train_joint.py` writes: cue, source, content.
    fn default() -> Self {
        AttributionLayout { groups: [0, 1, 2] }
    }
}

impl AttributionLayout {
    /// The roles, in the order [`AttributionLayout::groups`] gives their groups.
    pub const ROLES: [&'static str; 3] = ["cue", "source", "content"];
    /// The tags of each group, in score order.
    pub const TAGS: [&'static str; 3] = ["O", "B", "I"];

    /// The group index of the cue, the source and the content, in that order.
    pub fn groups(&self) -> [usize; 3] {
        self.groups
    }

    /// `whosaid.attribution` of a parsed `config.json` (`path` names it in errors): `None` when
    /// the config declares no attribution output. Refused: an output name other than
    /// [`super::TENSOR_ATTRIBUTION`], tags other than O, B, I in that order, groups that are not
    /// the three roles each once.
    pub fn from_config_value(
        value: &serde_json::Value,
        path: &Path,
    ) -> Result<Option<AttributionLayout>> {
        let Some(decl) = value.pointer("/whosaid/attribution") else {
            return Ok(None);
        };
        let err = |message: String| Error::Model {
            path: path.to_path_buf(),
            message: format!("whosaid.attribution: {message}"),
            source: None,
        };
        let strings = |key: &str| -> Result<Vec<&str>> {
            decl.get(key)
                .and_then(|v| v.as_array())
                .and_then(|a| a.iter().map(|x| x.as_str()).collect::<Option<Vec<_>>>())
                .ok_or_else(|| err(format!("`{key}` is not a list of strings")))
        };
        let output = decl.get("output").and_then(|v| v.as_str());
        if output != Some(super::TENSOR_ATTRIBUTION) {
            return Err(err(format!(
                "`output` is {output:?}; this build reads `{}`",
                super::TENSOR_ATTRIBUTION
            )));
        }
        let tags = strings("tags")?;
        if tags != Self::TAGS {
            return Err(err(format!(
                "`tags` are {tags:?}; this build decodes {:?} in that order",
                Self::TAGS
            )));
        }
        let groups = strings("groups")?;
        let mut layout = [usize::MAX; 3];
        for (slot, role) in layout.iter_mut().zip(Self::ROLES) {
            let found: Vec<usize> = (0..groups.len()).filter(|&g| groups[g] == role).collect();
            match found[..] {
                [g] => *slot = g,
                _ => {
                    return Err(err(format!(
                        "`groups` are {groups:?}; this build needs {:?}, each once",
                        Self::ROLES
                    )))
                }
            }
        }
        if groups.len() != Self::ROLES.len() {
            return Err(err(format!(
                "`groups` are {groups:?}; this build needs {:?}, each once",
                Self::ROLES
            )));
        }
        Ok(Some(AttributionLayout { groups: layout }))
    }
}

impl LabelMap {
    /// A label map from labels in logit order.
    pub fn new(labels: Vec<String>) -> LabelMap {
        let tags = labels.iter().map(|l| Tag::parse(l)).collect();
        LabelMap { labels, tags }
    }

    /// Reads `id2label` from a Hugging Face `config.json`. Ids must run 0..n without holes.
    pub fn from_config(path: &Path) -> Result<LabelMap> {
        LabelMap::from_config_value(&read_config(path)?, path)
    }

    /// `id2label` of a parsed `config.json` (`path` names it in errors).
    pub fn from_config_value(value: &serde_json::Value, path: &Path) -> Result<LabelMap> {
        let err = |message: String| Error::Model {
            path: path.to_path_buf(),
            message,
            source: None,
        };
        let map = value
            .get("id2label")
            .and_then(|v| v.as_object())
            .ok_or_else(|| err("config has no `id2label` object".into()))?;
        let mut by_id = BTreeMap::new();
        for (k, v) in map {
            let id: usize = k
                .parse()
                .map_err(|_| err(format!("id2label key `{k}` is not a number")))?;
            let label = v
                .as_str()
                .ok_or_else(|| err(format!("id2label value for {k} is not a string")))?;
            by_id.insert(id, label.to_string());
        }
        if by_id.is_empty() {
            return Err(err("id2label is empty".into()));
        }
        if by_id.keys().copied().ne(0..by_id.len()) {
            return Err(err("id2label ids do not run from 0 without holes".into()));
        }
        Ok(LabelMap::new(by_id.into_values().collect()))
    }

    /// Number of labels (= logits width).
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True for an empty map.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Parsed tag of class `i`.
    pub fn tag(&self, i: usize) -> Option<&Tag> {
        self.tags.get(i)
    }

    /// Label string of class `i`.
    pub fn label(&self, i: usize) -> Option<&str> {
        self.labels.get(i).map(String::as_str)
    }

    /// BIO constraints for this label set ([`Transitions::bio`]: `I-X` only after `B-X` or
    /// `I-X`) when every label is `O`, `B-X` or `I-X` and every `I-X` has its `B-X`; `None`
    /// for other schemes (BIOES, IO), which decode by argmax. An IOB1 model (whose `I-` may
    /// start an entity) would be misread as BIO; the models whosaid ships are BIO.
    pub fn bio_constraints(&self) -> Option<Transitions> {
        let mut inside_of = Vec::with_capacity(self.len());
        for (label, tag) in self.labels.iter().zip(&self.tags) {
            inside_of.push(match tag.prefix {
                Prefix::Outside | Prefix::Begin => None,
                Prefix::Inside if label.len() > 2 && label.starts_with('I') => {
                    let begin = self
                        .tags
                        .iter()
                        .position(|t| t.prefix == Prefix::Begin && t.kind == tag.kind)?;
                    Some(begin)
                }
                _ => return None,
            });
        }
        Some(Transitions::bio(&inside_of))
    }

    /// Entity types in first-seen order.
    pub fn kinds(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in &self.tags {
            if !t.kind.is_empty() && !out.contains(&t.kind) {
                out.push(t.kind.clone());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_table() {
        let cases = [
            ("O", Prefix::Outside, ""),
            ("B-PER", Prefix::Begin, "PER"),
            ("I-ORG", Prefix::Inside, "ORG"),
            ("E-LOC", Prefix::End, "LOC"),
            ("S-MISC", Prefix::Single, "MISC"),
            ("L-LOC", Prefix::End, "LOC"),
            ("U-PER", Prefix::Single, "PER"),
            ("PER", Prefix::Inside, "PER"),
            ("B-creative-work", Prefix::Begin, "creative-work"),
        ];
        for (l, p, k) in cases {
            let t = Tag::parse(l);
            assert_eq!((t.prefix, t.kind.as_str()), (p, k), "{l}");
        }
    }

    #[test]
    fn bio_constraints_only_for_bio_label_sets() {
        let map = |l: &[&str]| LabelMap::new(l.iter().map(|s| s.to_string()).collect());
        let t = map(&["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]).bio_constraints();
        assert_eq!(t.as_ref().map(Transitions::len), Some(5));
        assert_eq!(
            t,
            Some(Transitions::bio(&[None, None, Some(1), None, Some(3)]))
        );
        for other in [
            &["O", "B-PER", "E-PER", "S-PER"][..], // BIOES
            &["O", "PER", "LOC"],                  // IO
            &["O", "I-PER"],                       // I- without B-
        ] {
            assert!(map(other).bio_constraints().is_none(), "{other:?}");
        }
    }

    #[test]
    fn attribution_layout_is_read_by_role_and_checked() {
        let p = Path::new("config.json");
        let parse = |decl: &str| {
            let v: serde_json::Value =
                serde_json::from_str(&format!(r#"{{"whosaid": {{"attribution": {decl}}}}}"#))
                    .unwrap();
            AttributionLayout::from_config_value(&v, p)
        };
        let ok = |groups: &str| {
            parse(&format!(
                r#"{{"output": "attribution_logits", "groups": {groups}, "tags": ["O", "B", "I"]}}"#
            ))
        };
        assert_eq!(
            ok(r#"["cue", "source", "content"]"#).unwrap(),
            Some(AttributionLayout::default())
        );
        // another order is read by role: the content is group 0, the cue group 1
        let swapped = ok(r#"["content", "cue", "source"]"#).unwrap().unwrap();
        assert_eq!(swapped.groups(), [1, 2, 0]);
        for bad in [
            r#"["cue", "cue", "content"]"#,
            r#"["cue", "source"]"#,
            r#"["cue", "source", "content", "cue"]"#,
            r#"["cue", "speaker", "content"]"#,
        ] {
            let e = ok(bad).unwrap_err().to_string();
            assert!(e.contains("each once"), "{bad}: {e}");
        }
        let e = parse(r#"{"output": "attribution_logits", "groups": ["cue", "source", "content"], "tags": ["B", "I", "O"]}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("tags"), "{e}");
        let e = parse(r#"{"output": "tags", "groups": ["cue", "source", "content"], "tags": ["O", "B", "I"]}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("output"), "{e}");
        // no declaration: none
        let none = serde_json::json!({"whosaid": {}});
        assert_eq!(
            AttributionLayout::from_config_value(&none, p).unwrap(),
            None
        );
    }

    #[test]
    fn config_with_holes_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.json");
        std::fs::write(&p, r#"{"id2label": {"0": "O", "2": "B-PER"}}"#).unwrap();
        let e = LabelMap::from_config(&p).unwrap_err().to_string();
        assert!(e.contains("holes"), "{e}");
        std::fs::write(&p, r#"{"id2label": {"1": "B-PER", "0": "O"}}"#).unwrap();
        let m = LabelMap::from_config(&p).unwrap();
        assert_eq!(m.label(1), Some("B-PER"));
    }
}
