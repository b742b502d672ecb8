//! Linking mentions of one entity within an article.
//!
//! Mentions are visited fullest first. A mention joins an existing cluster of the same type
//! when its words are a contiguous part of the cluster's canonical name ("Akar" ⊂ "Hulusi
//! Akar", "Defence Ministry" ⊂ "Turkish Defence Ministry") or, for organisations, when it is
//! the acronym of the name ("UN" for "United Nations"). When several clusters fit (two people
//! called Smith) the one mentioned most recently before it wins. Otherwise it starts a cluster.
//! Clusters are numbered in order of first mention.

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
    // provisional clusters: (canonical mention index, members)
    let mut clusters: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut of = vec![usize::MAX; mentions.len()];
    for &i in &order {
        let fits = |c: &(usize, Vec<usize>)| {
            let canon = c.0;
            mentions[canon].label == mentions[i].label
                && (ws[canon] == ws[i]
                    || (ws[i].len() < ws[canon].len() && contiguous(&ws[i], &ws[canon]))
                    || acronym(texts[i], texts[canon]))
        };
        // most recent member before this mention, else the earliest cluster
        let best = clusters
            .iter()
            .enumerate()
            .filter(|(_, c)| fits(c))
            .max_by_key(|(k, c)| {
                let before = c.1.iter().filter(|&&m| m < i).max().copied();
                (before.map_or(0, |b| b + 1), std::cmp::Reverse(*k))
            })
            .map(|(k, _)| k);
        match best {
            Some(k) => {
                clusters[k].1.push(i);
                of[i] = k;
            }
            None => {
                of[i] = clusters.len();
                clusters.push((i, vec![i]));
            }
        }
    }
    // renumber by first mention
    let mut firsts: Vec<(usize, usize)> = clusters
        .iter()
        .enumerate()
        .map(|(k, c)| (c.1.iter().copied().min().unwrap_or(0), k))
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
