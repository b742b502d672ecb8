//! Linking mentions of one entity within an article.
//!
//! Mentions are visited fullest first. A mention joins an existing cluster of the same type
//! when its words are a contiguous part of the cluster's canonical name ("Akar" ⊂ "Hulusi
//! Akar", "Defence Ministry" ⊂ "Turkish Defence Ministry") or, for organisations, when it is
//! the acronym of the name ("UN" for "United Nations"), or is the same name spaced otherwise
//! ("Hugh Mc Guire" and "Hugh McGuire", as an interview's turn labels may spell it). When several clusters fit (two people
//! called Smith) the one mentioned most recently before it wins. Otherwise it starts a cluster.
//! Clusters are numbered in order of first mention.

use std::collections::HashMap;

use super::{Cluster, Entities, Entity};

fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            let w = w.trim_end_matches("'s").trim_end_matches("’s");
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn contiguous(needle: &[String], hay: &[String]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

fn acronym(mention: &str, name: &str) -> bool {
    let m: String = mention.chars().filter(|c| c.is_alphabetic()).collect();
    if m.chars().count() < 2 || !m.chars().all(|c| c.is_uppercase()) {
        return false;
    }
    let initials: String = name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect();
    initials == m
}

/// Assigns clusters to mentions.
pub(super) fn link(body: &str, mut mentions: Vec<Entity>) -> Entities {
    let texts: Vec<&str> = mentions.iter().map(|m| m.span.slice(body)).collect();
    let ws: Vec<Vec<String>> = texts.iter().map(|t| words(t)).collect();
    let mut order: Vec<usize> = (0..mentions.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(ws[i].len()), i));
    // provisional clusters: (canonical mention index, members in body order)
    let mut clusters: Vec<(usize, Vec<usize>)> = Vec::new();
    // candidate lookup, so linking stays near-linear on articles with many entities:
    // word → clusters whose canonical name holds it, initials → clusters
    let mut by_word: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_initials: HashMap<String, Vec<usize>> = HashMap::new();
    let mut of = vec![usize::MAX; mentions.len()];
    for &i in &order {
        let fits = |c: &(usize, Vec<usize>)| {
            let canon = c.0;
            mentions[canon].label == mentions[i].label
                && (ws[canon] == ws[i]
                    || (ws[i].len() < ws[canon].len() && contiguous(&ws[i], &ws[canon]))
                    || (ws[i].len() > 1 && ws[i].concat() == ws[canon].concat())
                    || acronym(texts[i], texts[canon]))
        };
        let letters: String = texts[i].chars().filter(|c| c.is_alphabetic()).collect();
        let mut cands: Vec<usize> = ws[i]
            .first()
            .and_then(|w| by_word.get(w.as_str()))
            .into_iter()
            .flatten()
            .chain(by_initials.get(&letters).into_iter().flatten())
            .copied()
            .collect();
        cands.sort_unstable();
        cands.dedup();
        // most recent member before this mention, else the earliest cluster
        let best = cands
            .into_iter()
            .filter(|&k| fits(&clusters[k]))
            .max_by_key(|&k| {
                let members = &clusters[k].1;
                let before = members.partition_point(|&m| m < i);
                let last = before.checked_sub(1).map(|p| members[p]);
                (last.map_or(0, |b| b + 1), std::cmp::Reverse(k))
            });
        match best {
            Some(k) => {
                let members = &mut clusters[k].1;
                let at = members.partition_point(|&m| m < i);
                members.insert(at, i);
                of[i] = k;
            }
            None => {
                let k = clusters.len();
                of[i] = k;
                clusters.push((i, vec![i]));
                for w in &ws[i] {
                    let list = by_word.entry(w.as_str()).or_default();
                    if list.last() != Some(&k) {
                        list.push(k);
                    }
                }
                let initials: String = texts[i]
                    .split_whitespace()
                    .filter_map(|w| w.chars().next())
                    .filter(|c| c.is_uppercase())
                    .collect();
                if initials.chars().count() >= 2 {
                    by_initials.entry(initials).or_default().push(k);
                }
            }
        }
    }
    // renumber by first mention
    let mut firsts: Vec<(usize, usize)> = clusters
        .iter()
        .enumerate()
        .map(|(k, c)| (c.1.first().copied().unwrap_or(0), k))
        .collect();
    firsts.sort();
    let mut new_id = vec![0; clusters.len()];
    for (n, &(_, k)) in firsts.iter().enumerate() {
        new_id[k] = n;
    }
    let mut out: Vec<Cluster> = firsts
        .iter()
        .map(|&(_, k)| Cluster {
            name: texts[clusters[k].0].to_string(),
            label: mentions[clusters[k].0].label.clone(),
            mentions: Vec::new(),
        })
        .collect();
    for (i, m) in mentions.iter_mut().enumerate() {
        m.cluster = new_id[of[i]];
        out[m.cluster].mentions.push(i);
    }
    Entities {
        mentions,
        clusters: out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    fn ents(body: &str, list: &[(&str, &str)]) -> Vec<Entity> {
        let mut from = 0;
        list.iter()
            .map(|(text, label)| {
                let s = from + body[from..].find(text).unwrap();
                from = s + text.len();
                Entity {
                    span: Span::new(s, s + text.len()),
                    label: label.to_string(),
                    score: 1.0,
                    cluster: 0,
                }
            })
            .collect()
    }

    #[test]
    fn surname_and_acronym_join_their_cluster() {
        let body = "Akar met Hulusi Akar at the United Nations. Akar told the UN and Zoë Ñúñez.";
        let e = ents(
            body,
            &[
                ("Akar", "PER"),
                ("Hulusi Akar", "PER"),
                ("United Nations", "ORG"),
                ("Akar", "PER"),
                ("UN", "ORG"),
                ("Zoë Ñúñez", "PER"),
            ],
        );
        let out = link(body, e);
        let ids: Vec<usize> = out.mentions.iter().map(|m| m.cluster).collect();
        assert_eq!(ids, [0, 0, 1, 0, 1, 2]);
        assert_eq!(out.clusters[0].name, "Hulusi Akar");
        assert_eq!(out.clusters[0].mentions, [0, 1, 3]);
        assert_eq!(out.clusters[1].name, "United Nations");
        assert_eq!(out.clusters[2].name, "Zoë Ñúñez");
    }

    #[test]
    fn a_name_spaced_otherwise_is_the_same_name() {
        let body = "Ana Mc Ñeil: Yes. Ana McÑeil founded it; Ana Mc Neil did not.";
        let e = ents(
            body,
            &[
                ("Ana Mc Ñeil", "PER"),
                ("Ana McÑeil", "PER"),
                ("Ana Mc Neil", "PER"),
            ],
        );
        let out = link(body, e);
        let ids: Vec<usize> = out.mentions.iter().map(|m| m.cluster).collect();
        // the same letters joined: one person; other letters: another
        assert_eq!(ids, [0, 0, 1]);
    }

    #[test]
    fn shared_surname_goes_to_most_recent() {
        let body = "John Smith spoke. Jane Smith replied. Smith said no.";
        let e = ents(
            body,
            &[
                ("John Smith", "PER"),
                ("Jane Smith", "PER"),
                ("Smith", "PER"),
            ],
        );
        let out = link(body, e);
        assert_eq!(out.mentions[2].cluster, 1);
    }

    #[test]
    fn different_types_never_merge() {
        let body = "Jordan visited Jordan.";
        let e = ents(body, &[("Jordan", "PER"), ("Jordan", "LOC")]);
        assert_eq!(link(body, e).clusters.len(), 2);
    }
}
