//! Gold labels where people make them: brat standoff directories, Label Studio JSON exports
//! and doccano JSONL exports, read into one [`Document`] type, then mapped onto what the
//! scorers read ([`GoldArticle`] attributions for `eval quotes`, [`SpanGold`] entities for
//! `eval ner`). [`export`] writes whosaid's records back out as pre-annotations.
//!
//! Offsets in all three tools are code points into the document's text, as in whosaid's
//! records. A span out of range is an error naming file, item and field; a span whose stored
//! text differs from the slice it names is kept and reported ([`Read::warnings`]).

mod brat;
mod doccano;
pub mod export;
mod label_studio;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

use super::quotes::{GoldArticle, GoldAttribution, Piece};
use crate::error::{Error, Result};

/// A gold format `eval` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CoNLL columns (`eval ner` only).
    Conll,
    /// whosaid's attribution JSONL (`text`, `attributions`; `eval quotes` only).
    Polnear,
    /// brat standoff: `.txt` + `.ann` pairs, or PolNeAR's `text/` + `attributions/` layout.
    Brat,
    /// Label Studio JSON export (a list of tasks).
    LabelStudio,
    /// doccano JSONL export (`label` lists, or `entities` and `relations`).
    Doccano,
}

impl Format {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Conll => "conll",
            Format::Polnear => "polnear",
            Format::Brat => "brat",
            Format::LabelStudio => "label-studio",
            Format::Doccano => "doccano",
        }
    }
}

/// Which annotation of a document several people labelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Annotators {
    /// The first: brat's annotator files in name order, Label Studio's first annotation that
    /// was not cancelled.
    #[default]
    First,
    /// Every annotation, each scored as its own gold document.
    All,
}

/// A labelled span: one or more fragments (brat's discontinuous annotations), code points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelledSpan {
    /// The tool's id of the span (`T3`, a Label Studio region id, a doccano entity id).
    pub id: String,
    /// Its label.
    pub label: String,
    /// Fragments, `(start, end)` in code points.
    pub fragments: Vec<(usize, usize)>,
}

/// A directed link between two spans (brat relation, Label Studio or doccano relation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Span id it starts at.
    pub from: String,
    /// Span id it points to.
    pub to: String,
}

/// A brat event: a typed trigger with role-labelled arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Event type (`Attribution`).
    pub label: String,
    /// The trigger span's id (not an entity, whatever its label).
    pub trigger: String,
    /// `(role, span id)` pairs, the trigger excluded.
    pub args: Vec<(String, String)>,
}

/// One labelled document, whatever the tool.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    /// Article id (file stem, task data id, `article_id`, …).
    pub id: String,
    /// Who labelled it, when the tool says.
    pub annotator: Option<String>,
    /// The text every span points into.
    pub text: String,
    /// Labelled spans.
    pub spans: Vec<LabelledSpan>,
    /// Links between spans.
    pub links: Vec<Link>,
    /// Events.
    pub events: Vec<Event>,
}

/// Documents read, with the problems that did not stop reading.
#[derive(Debug, Clone, Default)]
pub struct Read {
    /// The documents, in the source's order.
    pub documents: Vec<Document>,
    /// Spans whose stored text does not slice back, unlabelled tasks, and such.
    pub warnings: Vec<String>,
}

/// Entities of one document, for span-level NER scoring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanGold {
    /// Article id.
    pub id: String,
    /// The text.
    pub text: String,
    /// `(start, end, label)` in code points, labels mapped.
    pub entities: Vec<(usize, usize, String)>,
}

/// How an annotation scheme's labels map onto whosaid's: which span labels are the source,
/// cue and content of an attribution, which brat event types are attributions, and how
/// entity labels are renamed. Read from a small JSON file (`--mapping`); every field
/// optional. Label matching is case-insensitive.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Span labels of sources (default `Source`).
    #[serde(default = "default_source")]
    pub source: Vec<String>,
    /// Span labels of cues (default `Cue`).
    #[serde(default = "default_cue")]
    pub cue: Vec<String>,
    /// Span labels of contents (default `Content`).
    #[serde(default = "default_content")]
    pub content: Vec<String>,
    /// brat event types that are attributions (default PolNeAR's `Attribution` and
    /// `Attribution-no-source`).
    #[serde(default = "default_events")]
    pub attribution_events: Vec<String>,
    /// Read brat's numbered repeats of a role (`Content2:T22`, a second content piece of
    /// the same event) as more pieces of that role. Off by default: PolNeAR's own JSONL
    /// keeps only the first, and the default reading gives exactly its figures (PolNeAR dev
    /// has 3 such arguments in 94 files).
    #[serde(default)]
    pub repeated_roles: bool,
    /// Entity label renames (default `PERSON`→`PER`, `ORGANIZATION`→`ORG`,
    /// `LOCATION`→`LOC`); other labels are kept as they are.
    #[serde(default = "default_entities")]
    pub entities: BTreeMap<String, String>,
}

fn default_source() -> Vec<String> {
    vec!["Source".into()]
}
fn default_cue() -> Vec<String> {
    vec!["Cue".into()]
}
fn default_content() -> Vec<String> {
    vec!["Content".into()]
}
fn default_events() -> Vec<String> {
    vec!["Attribution".into(), "Attribution-no-source".into()]
}
fn default_entities() -> BTreeMap<String, String> {
    [
        ("PERSON", "PER"),
        ("ORGANIZATION", "ORG"),
        ("LOCATION", "LOC"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect()
}

impl Default for Mapping {
    fn default() -> Self {
        Mapping {
            source: default_source(),
            cue: default_cue(),
            content: default_content(),
            attribution_events: default_events(),
            repeated_roles: false,
            entities: default_entities(),
        }
    }
}

/// An attribution role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Who.
    Source,
    /// The reporting cue.
    Cue,
    /// What was said.
    Content,
}

fn has(labels: &[String], label: &str) -> bool {
    labels.iter().any(|l| l.eq_ignore_ascii_case(label))
}

impl Mapping {
    /// Reads a mapping file.
    pub fn from_file(path: &Path) -> Result<Mapping> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|e| Error::GoldItem {
            path: path.to_path_buf(),
            item: "mapping".into(),
            message: format!("not a label mapping: {e}"),
        })
    }

    /// The attribution role of a span label, if it has one.
    pub fn role(&self, label: &str) -> Option<Role> {
        if has(&self.source, label) {
            Some(Role::Source)
        } else if has(&self.cue, label) {
            Some(Role::Cue)
        } else if has(&self.content, label) {
            Some(Role::Content)
        } else {
            None
        }
    }

    /// An entity label renamed.
    pub fn entity_label(&self, label: &str) -> String {
        self.entities
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(label))
            .map_or_else(|| label.to_string(), |(_, v)| v.clone())
    }
}

/// Guesses the format of `path`: a directory is brat; a JSON list is Label Studio; a JSONL
/// file is doccano when its first object has `label`, `labels` or `entities` (and no
/// `attributions`), else PolNeAR-style; anything else is CoNLL columns.
pub fn detect(path: &Path) -> Result<Format> {
    if path.is_dir() {
        return Ok(Format::Brat);
    }
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    // the first MiB decides; the reader reads the whole file afterwards
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::fs::File::open(path).map_err(io)?, 1 << 20),
        &mut bytes,
    )
    .map_err(io)?;
    let head = String::from_utf8_lossy(&bytes);
    let trimmed = head.trim_start();
    if trimmed.starts_with('[') {
        return Ok(Format::LabelStudio);
    }
    if trimmed.starts_with('{') {
        // a JSON object per line: doccano or a Label Studio task by their keys; anything
        // else is read as PolNeAR-style JSONL, whose reader names what is wrong with it
        let first = trimmed.lines().next().unwrap_or("");
        if let Ok(serde_json::Value::Object(o)) = serde_json::from_str::<serde_json::Value>(first) {
            if !o.contains_key("attributions") {
                if ["label", "labels", "entities"]
                    .iter()
                    .any(|k| o.contains_key(*k))
                {
                    return Ok(Format::Doccano);
                }
                if o.contains_key("data") && o.contains_key("annotations") {
                    return Ok(Format::LabelStudio);
                }
            }
        }
        return Ok(Format::Polnear);
    }
    Ok(Format::Conll)
}

/// Reads documents in one of the span formats (brat, Label Studio, doccano).
pub fn read(path: &Path, format: Format, annotators: Annotators) -> Result<Read> {
    let mut read = match format {
        Format::Brat => brat::read(path, annotators)?,
        Format::LabelStudio => label_studio::read(path, annotators)?,
        Format::Doccano => doccano::read(path)?,
        Format::Conll | Format::Polnear => {
            return Err(Error::GoldItem {
                path: path.to_path_buf(),
                item: "format".into(),
                message: format!("{} is not a span format", format.name()),
            })
        }
    };
    let dangling: Vec<String> = read.documents.iter().flat_map(dangling).collect();
    read.warnings.extend(dangling);
    Ok(read)
}

/// Checks one span's fragments against the text length; the error names the field.
fn check_fragment(
    path: &Path,
    item: &str,
    field: &str,
    (start, end): (usize, usize),
    len: usize,
) -> Result<()> {
    let message = if start > end {
        format!("{field}: start {start} is after end {end}")
    } else if end > len {
        format!("{field}: end {end} is past the text ({len} code points)")
    } else {
        return Ok(());
    };
    Err(Error::GoldItem {
        path: path.to_path_buf(),
        item: item.to_string(),
        message,
    })
}

/// Compares a span's stored text with the slice its fragments name (fragments joined by one
/// space, brat's convention); `Some(warning)` when they differ.
fn slice_warning(
    doc_id: &str,
    span_id: &str,
    chars: &[char],
    fragments: &[(usize, usize)],
    stored: &str,
) -> Option<String> {
    let slice = super::slice_pieces(chars, fragments, " ");
    (slice != stored).then(|| {
        format!("{doc_id} {span_id}: stored text {stored:?} does not slice back (the offsets give {slice:?})")
    })
}

/// Links and event arguments that name a span the document does not have.
fn dangling(doc: &Document) -> Vec<String> {
    let ids: BTreeSet<&str> = doc.spans.iter().map(|s| s.id.as_str()).collect();
    let mut warnings = Vec::new();
    for l in &doc.links {
        for end in [&l.from, &l.to] {
            if !ids.contains(end.as_str()) {
                warnings.push(format!(
                    "{}: a link names span {end:?}, which is not there",
                    doc.id
                ));
            }
        }
    }
    for e in &doc.events {
        for (_, id) in &e.args {
            if !ids.contains(id.as_str()) {
                warnings.push(format!(
                    "{}: an event names span {id:?}, which is not there",
                    doc.id
                ));
            }
        }
    }
    warnings
}

fn pieces(chars: &[char], spans: &[&LabelledSpan]) -> Vec<Piece> {
    let mut out: Vec<Piece> = spans
        .iter()
        .flat_map(|s| s.fragments.iter())
        .map(|&(start, end)| Piece {
            start,
            end,
            text: chars[start..end].iter().collect(),
        })
        .collect();
    out.sort_by_key(|p| (p.start, p.end));
    out.dedup();
    out
}

/// The attributions of one document, and how many role spans were left out. Events of an
/// attribution type give one attribution each (arguments by role name, else by their span's
/// label). In a document with such events, role spans outside every event are left out (an
/// unfinished annotation; PolNeAR's JSONL leaves them out too). In a document without, role
/// spans are grouped by links: each connected group is one attribution; a group with
/// several cues is split, each cue taking the contents and sources linked to it (or to its
/// contents), and a content linked to no cue standing alone with its sources.
pub fn attributions(doc: &Document, mapping: &Mapping) -> (Vec<GoldAttribution>, usize) {
    let chars: Vec<char> = doc.text.chars().collect();
    let by_id: BTreeMap<&str, &LabelledSpan> =
        doc.spans.iter().map(|s| (s.id.as_str(), s)).collect();
    let role_of = |s: &LabelledSpan| mapping.role(&s.label);
    let mut out = Vec::new();
    let mut in_event: BTreeSet<&str> = BTreeSet::new();
    for e in &doc.events {
        if !has(&mapping.attribution_events, &e.label) {
            continue;
        }
        let mut roles: BTreeMap<Role, Vec<&LabelledSpan>> = BTreeMap::new();
        for (role, id) in &e.args {
            let Some(span) = by_id.get(id.as_str()) else {
                continue;
            };
            // brat numbers repeated roles (Content2): read only when asked; the role name
            // wins over the span label
            in_event.insert(span.id.as_str());
            let name = role.trim_end_matches(|c: char| c.is_ascii_digit());
            if name != role && !mapping.repeated_roles {
                continue;
            }
            if let Some(r) = mapping.role(name).or_else(|| role_of(span)) {
                roles.entry(r).or_default().push(span);
            }
        }
        out.push(attribution(&chars, &roles));
    }
    // the rest: role spans outside events, grouped by links
    let free: Vec<&LabelledSpan> = doc
        .spans
        .iter()
        .filter(|s| role_of(s).is_some() && !in_event.contains(s.id.as_str()))
        .collect();
    if !out.is_empty() || free.is_empty() {
        return (out, free.len());
    }
    let index: BTreeMap<&str, usize> = free
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut adj: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); free.len()];
    for l in &doc.links {
        if let (Some(&a), Some(&b)) = (index.get(l.from.as_str()), index.get(l.to.as_str())) {
            if a != b {
                adj[a].insert(b);
                adj[b].insert(a);
            }
        }
    }
    let mut seen = vec![false; free.len()];
    for start in 0..free.len() {
        if seen[start] {
            continue;
        }
        let mut group = vec![start];
        seen[start] = true;
        let mut k = 0;
        while k < group.len() {
            for &n in &adj[group[k]] {
                if !seen[n] {
                    seen[n] = true;
                    group.push(n);
                }
            }
            k += 1;
        }
        group.sort_unstable();
        let role = |i: usize| role_of(free[i]);
        let cues: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&i| role(i) == Some(Role::Cue))
            .collect();
        if cues.len() <= 1 {
            let mut roles: BTreeMap<Role, Vec<&LabelledSpan>> = BTreeMap::new();
            for &i in &group {
                if let Some(r) = role(i) {
                    roles.entry(r).or_default().push(free[i]);
                }
            }
            if roles.contains_key(&Role::Content) || roles.contains_key(&Role::Cue) {
                out.push(attribution(&chars, &roles));
            }
            continue;
        }
        let mut taken = BTreeSet::new();
        for &q in &cues {
            let contents: Vec<usize> = adj[q]
                .iter()
                .copied()
                .filter(|&i| role(i) == Some(Role::Content))
                .collect();
            let sources: BTreeSet<usize> = adj[q]
                .iter()
                .chain(contents.iter().flat_map(|&c| adj[c].iter()))
                .copied()
                .filter(|&i| role(i) == Some(Role::Source))
                .collect();
            taken.extend(contents.iter().copied());
            let mut roles: BTreeMap<Role, Vec<&LabelledSpan>> = BTreeMap::new();
            roles.insert(Role::Cue, vec![free[q]]);
            roles.insert(Role::Content, contents.iter().map(|&i| free[i]).collect());
            roles.insert(Role::Source, sources.iter().map(|&i| free[i]).collect());
            out.push(attribution(&chars, &roles));
        }
        for &c in &group {
            if role(c) == Some(Role::Content) && !taken.contains(&c) {
                let mut roles: BTreeMap<Role, Vec<&LabelledSpan>> = BTreeMap::new();
                roles.insert(Role::Content, vec![free[c]]);
                let sources = adj[c]
                    .iter()
                    .copied()
                    .filter(|&i| role(i) == Some(Role::Source))
                    .map(|i| free[i])
                    .collect();
                roles.insert(Role::Source, sources);
                out.push(attribution(&chars, &roles));
            }
        }
    }
    (out, 0)
}

fn attribution(chars: &[char], roles: &BTreeMap<Role, Vec<&LabelledSpan>>) -> GoldAttribution {
    let get = |r| roles.get(&r).map_or_else(Vec::new, |v| pieces(chars, v));
    GoldAttribution {
        source: get(Role::Source),
        cue: get(Role::Cue),
        content: get(Role::Content),
    }
}

/// Documents → gold articles for `eval quotes`, and a warning per document whose role spans
/// were left out (see [`attributions`]). With several annotations of one article
/// (`Annotators::All`), the second and later copies' ids get `#annotator`.
pub fn to_quote_gold(read: &Read, mapping: &Mapping) -> (Vec<GoldArticle>, Vec<String>) {
    let mut warnings = Vec::new();
    let gold = read
        .documents
        .iter()
        .map(|d| {
            let (attributions, left_out) = attributions(d, mapping);
            if left_out > 0 {
                warnings.push(format!(
                    "{}: {left_out} source/cue/content spans outside every attribution event; left out",
                    d.id
                ));
            }
            GoldArticle {
                article: Some(d.id.clone()),
                text: d.text.clone(),
                attributions,
            }
        })
        .collect();
    (gold, warnings)
}

/// Documents → entity gold for `eval ner`: every span without an attribution role that is
/// not an event trigger, one per
/// fragment run (a discontinuous entity counts from its first start to its last end), labels
/// renamed by the mapping.
pub fn to_entity_gold(read: &Read, mapping: &Mapping) -> Vec<SpanGold> {
    read.documents
        .iter()
        .map(|d| {
            let triggers: BTreeSet<&str> = d.events.iter().map(|e| e.trigger.as_str()).collect();
            let mut entities: Vec<(usize, usize, String)> = d
                .spans
                .iter()
                .filter(|s| {
                    mapping.role(&s.label).is_none()
                        && !s.fragments.is_empty()
                        && !triggers.contains(s.id.as_str())
                })
                .map(|s| {
                    let start = s.fragments.iter().map(|f| f.0).min().unwrap_or(0);
                    let end = s.fragments.iter().map(|f| f.1).max().unwrap_or(0);
                    (start, end, mapping.entity_label(&s.label))
                })
                .collect();
            entities.sort();
            entities.dedup();
            SpanGold {
                id: d.id.clone(),
                text: d.text.clone(),
                entities,
            }
        })
        .collect()
}

/// An id given as a JSON string or number, as text.
fn id_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Makes ids unique when several annotators' copies of one article are kept: the second and
/// later copies get `#annotator` (or `#n`).
fn disambiguate(docs: &mut [Document]) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for d in docs.iter_mut() {
        let n = seen.entry(d.id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            let tag = d.annotator.clone().unwrap_or_else(|| n.to_string());
            d.id = format!("{}#{tag}", d.id);
        }
    }
}

/// What the three readers share: a text's code points and the checks of one span.
struct SpanCheck<'a> {
    path: &'a Path,
    doc_id: String,
    chars: Vec<char>,
}

impl SpanCheck<'_> {
    fn new<'a>(path: &'a Path, doc_id: &str, text: &str) -> SpanCheck<'a> {
        SpanCheck {
            path,
            doc_id: doc_id.to_string(),
            chars: text.chars().collect(),
        }
    }

    /// Range-checks `fragments` (error) and compares `stored` text (warning).
    fn span(
        &self,
        item: &str,
        field: &str,
        span_id: &str,
        fragments: &[(usize, usize)],
        stored: Option<&str>,
        warnings: &mut Vec<String>,
    ) -> Result<()> {
        for &f in fragments {
            check_fragment(self.path, item, field, f, self.chars.len())?;
        }
        if let Some(w) =
            stored.and_then(|t| slice_warning(&self.doc_id, span_id, &self.chars, fragments, t))
        {
            warnings.push(w);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
