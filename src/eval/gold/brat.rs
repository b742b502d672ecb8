//! brat standoff: a directory of `NAME.txt` + `NAME.ann` pairs (brat's own layout, searched
//! recursively), or PolNeAR's layout, `text/ARTICLE.txt` + `attributions/ARTICLE_ANNOTATOR.ann`.
//!
//! `.ann` lines read: `T` text-bound annotations (`T3<TAB>Label 10 20;25 30<TAB>text`,
//! discontinuous fragments separated by `;`), `R` relations (`R1<TAB>Type Arg1:T1 Arg2:T2`)
//! and `E` events (`E1<TAB>Type:T4 Role:T1 Role2:T2`). Attributes, normalizations, notes
//! and equivalences (`A`, `M`, `N`, `#`, `*`) carry nothing the scorers read and are skipped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{disambiguate, Annotators, Document, Event, LabelledSpan, Link, Read, SpanCheck};
use crate::error::{Error, Result};

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn bad(path: &Path, line: usize, message: String) -> Error {
    Error::GoldItem {
        path: path.to_path_buf(),
        item: format!("line {line}"),
        message,
    }
}

/// Files under `dir` (recursively) with extension `ext`, sorted by path.
fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let p = entry.map_err(io(dir))?.path();
        if p.is_dir() {
            files(&p, ext, out)?;
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(p);
        }
    }
    out.sort();
    Ok(())
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads a brat directory.
pub(super) fn read(dir: &Path, annotators: Annotators) -> Result<Read> {
    if !dir.is_dir() {
        return Err(Error::GoldItem {
            path: dir.to_path_buf(),
            item: "directory".into(),
            message: "brat gold is a directory of .txt and .ann files".into(),
        });
    }
    // (article id, annotator, text file, ann file), in article then annotator order
    let mut pairs: Vec<(String, Option<String>, PathBuf, PathBuf)> = Vec::new();
    let mut warnings = Vec::new();
    let (text_dir, ann_dir) = (dir.join("text"), dir.join("attributions"));
    if text_dir.is_dir() && ann_dir.is_dir() {
        let mut texts = Vec::new();
        files(&text_dir, "txt", &mut texts)?;
        let mut anns = Vec::new();
        files(&ann_dir, "ann", &mut anns)?;
        let mut by_article: BTreeMap<String, (PathBuf, Vec<(String, PathBuf)>)> = texts
            .into_iter()
            .map(|t| (stem(&t), (t, Vec::new())))
            .collect();
        for a in anns {
            let s = stem(&a);
            // the longest article name that the annotation file's name starts with
            let article = by_article
                .keys()
                .filter(|k| s == **k || s.starts_with(&format!("{k}_")))
                .max_by_key(|k| k.len())
                .cloned();
            match article {
                Some(k) => {
                    let annotator = s[k.len()..].trim_start_matches('_').to_string();
                    if let Some(entry) = by_article.get_mut(&k) {
                        entry.1.push((annotator, a));
                    }
                }
                None => warnings.push(format!(
                    "{}: no text/ file for this annotation file",
                    a.display()
                )),
            }
        }
        for (article, (text, mut anns)) in by_article {
            anns.sort();
            if anns.is_empty() {
                warnings.push(format!("{article}: no annotation file; skipped"));
            }
            let keep = match annotators {
                Annotators::First => anns.len().min(1),
                Annotators::All => anns.len(),
            };
            for (annotator, ann) in anns.into_iter().take(keep) {
                let annotator = (!annotator.is_empty()).then_some(annotator);
                pairs.push((article.clone(), annotator, text.clone(), ann));
            }
        }
    } else {
        let mut anns = Vec::new();
        files(dir, "ann", &mut anns)?;
        for ann in anns {
            let text = ann.with_extension("txt");
            if !text.exists() {
                warnings.push(format!("{}: no .txt beside it; skipped", ann.display()));
                continue;
            }
            let id = ann
                .strip_prefix(dir)
                .unwrap_or(&ann)
                .with_extension("")
                .to_string_lossy()
                .into_owned();
            pairs.push((id, None, text, ann));
        }
    }
    if pairs.is_empty() {
        return Err(Error::GoldItem {
            path: dir.to_path_buf(),
            item: "directory".into(),
            message: "no .txt + .ann pairs (brat) and no text/ + attributions/ (PolNeAR layout)"
                .into(),
        });
    }
    let mut documents = Vec::with_capacity(pairs.len());
    for (id, annotator, text_path, ann_path) in pairs {
        let text = std::fs::read_to_string(&text_path).map_err(io(&text_path))?;
        let ann = std::fs::read_to_string(&ann_path).map_err(io(&ann_path))?;
        let mut doc = parse_ann(&ann, &ann_path, &id, &text, &mut warnings)?;
        doc.annotator = annotator;
        documents.push(doc);
    }
    disambiguate(&mut documents);
    Ok(Read {
        documents,
        warnings,
    })
}

/// True when `line` starts an annotation: an id (`T12`, `R3`, `E1`, `A2`, `#1`, `*`) then a tab.
fn starts_annotation(line: &str) -> bool {
    let Some((id, _)) = line.split_once('\t') else {
        return false;
    };
    let mut chars = id.chars();
    match chars.next() {
        Some('T' | 'R' | 'E' | 'A' | 'M' | 'N' | '#') => chars.all(|c| c.is_ascii_alphanumeric()),
        Some('*') => id.len() == 1,
        _ => false,
    }
}

/// The annotation records of a `.ann` file with their 1-based first line: a line that does
/// not start an annotation continues the one before (the stored text of a span that covers
/// a line break holds that line break).
fn records(ann: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    for (n, line) in ann.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if starts_annotation(line) || out.is_empty() {
            if !line.trim().is_empty() {
                out.push((n + 1, line.to_string()));
            }
        } else if let Some(last) = out.last_mut() {
            last.1.push('\n');
            last.1.push_str(line);
        }
    }
    out
}

/// Parses one `.ann` file against its text.
pub(super) fn parse_ann(
    ann: &str,
    path: &Path,
    id: &str,
    text: &str,
    warnings: &mut Vec<String>,
) -> Result<Document> {
    let check = SpanCheck::new(path, id, text);
    let mut doc = Document {
        id: id.to_string(),
        text: text.to_string(),
        ..Document::default()
    };
    for (n, line) in records(ann) {
        let line = line.as_str();
        let mut cols = line.splitn(3, '\t');
        let ann_id = cols.next().unwrap_or("");
        let body = cols.next().unwrap_or("");
        match ann_id.chars().next() {
            Some('T') => {
                let stored = cols.next();
                let (label, offsets) = body.split_once(' ').ok_or_else(|| {
                    bad(
                        path,
                        n,
                        format!("{ann_id}: expected `Label START END`, got {body:?}"),
                    )
                })?;
                let mut fragments = Vec::new();
                for frag in offsets.split(';') {
                    let mut it = frag.split_whitespace();
                    let (Some(s), Some(e), None) = (it.next(), it.next(), it.next()) else {
                        return Err(bad(path, n, format!("{ann_id}: bad fragment {frag:?}")));
                    };
                    let parse = |v: &str| {
                        v.parse::<usize>().map_err(|_| {
                            bad(path, n, format!("{ann_id}: offset {v:?} is not a number"))
                        })
                    };
                    fragments.push((parse(s)?, parse(e)?));
                }
                check.span(
                    &format!("line {n}"),
                    ann_id,
                    ann_id,
                    &fragments,
                    stored,
                    warnings,
                )?;
                doc.spans.push(LabelledSpan {
                    id: ann_id.to_string(),
                    label: label.to_string(),
                    fragments,
                });
            }
            Some('R') => {
                let mut parts = body.split_whitespace();
                let _label = parts.next();
                let mut args = parts.filter_map(|a| a.split_once(':'));
                match (args.next(), args.next()) {
                    (Some((_, from)), Some((_, to))) => doc.links.push(Link {
                        from: from.to_string(),
                        to: to.to_string(),
                    }),
                    _ => {
                        return Err(bad(
                            path,
                            n,
                            format!("{ann_id}: expected `Type Arg1:ID Arg2:ID`, got {body:?}"),
                        ))
                    }
                }
            }
            Some('E') => {
                let mut parts = body.split_whitespace();
                let head = parts.next().unwrap_or("");
                let (label, trigger) = head.split_once(':').ok_or_else(|| {
                    bad(
                        path,
                        n,
                        format!("{ann_id}: expected `Type:TRIGGER …`, got {body:?}"),
                    )
                })?;
                let mut args = Vec::new();
                for a in parts {
                    let (role, target) = a.split_once(':').ok_or_else(|| {
                        bad(
                            path,
                            n,
                            format!("{ann_id}: argument {a:?} is not `Role:ID`"),
                        )
                    })?;
                    args.push((role.to_string(), target.to_string()));
                }
                doc.events.push(Event {
                    label: label.to_string(),
                    trigger: trigger.to_string(),
                    args,
                });
            }
            Some('A' | 'M' | 'N' | '#' | '*') => {}
            _ => return Err(bad(path, n, format!("unknown annotation line {line:?}"))),
        }
    }
    Ok(doc)
}
