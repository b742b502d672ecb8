//! Same article, same record: an article's record is byte-identical alone, inside any corpus,
//! in any order, at any `--batch-size`, `--buffer` and `--threads`. Checked with the real
//! shipped int8 model and with the tiny test model, whose `model.int8.onnx` comes out of the
//! same export (scripts/quantize_rowwise.py). A dynamically quantized graph fails these tests
//! (its activation scales are taken over the whole padded batch).

mod util;

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use serde_json::Value;
use util::{default_model, root, run, show, tiny_model, whosaid};

/// Our own news-like articles of very different lengths (one sentence to a few windows), with
/// direct and indirect quotes, titles, pronouns, curly quotes and non-ASCII names, so that
/// batches mix short and long windows and padding varies from batch to batch.
fn own_articles() -> Vec<(String, String)> {
    let people = [
        ("Marta Řezníčková", "the finance minister", "She"),
        ("Tomás Aguilar", "the mayor of Valdeluz", "He"),
        ("Greenfield Energy", "the company", "It"),
        (
            "Ingrid Solberg",
            "a spokeswoman for the port authority",
            "She",
        ),
    ];
    let sentences = [
        "{name}, {role}, said on Tuesday that the budget would be published in March.",
        "“We will not raise fares this year,” {name} told reporters in the city hall.",
        "{pro} added that talks with the unions had been “difficult but honest”.",
        "According to {name}, the harbour works are three months behind schedule.",
        "The opposition called the plan a gamble with public money.",
        "“Nobody asked the residents,” said Jana Dvořák, who runs a café near the docks.",
        "{pro} said the figures would be checked by an independent auditor.",
        "Officials in Zürich and Kraków were also briefed on the proposal, {role} said.",
    ];
    let mut out = Vec::new();
    for (i, (name, role, pro)) in people.iter().enumerate() {
        // 1, 4, 11 and 22 sentences: from a few tokens to several windows
        let n = [1, 4, 11, 22][i];
        let mut paragraphs = Vec::new();
        for k in 0..n {
            let s = sentences[(k + i) % sentences.len()]
                .replace("{name}", name)
                .replace("{role}", role)
                .replace("{pro}", pro);
            paragraphs.push(s);
        }
        out.push((
            format!("own-{i}"),
            paragraphs.join(if i % 2 == 0 { " " } else { "\n\n" }),
        ));
    }
    out
}

/// The article set: the shipped sample plus our own articles, as JSONL lines with ids.
fn corpus() -> Vec<(String, String)> {
    let sample = std::fs::read_to_string(root().join("data/sample/articles.jsonl")).unwrap();
    let mut out: Vec<(String, String)> = sample
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (v["id"].as_str().unwrap().to_string(), l.to_string())
        })
        .collect();
    for (id, text) in own_articles() {
        out.push((
            id.clone(),
            serde_json::json!({ "id": id, "text": text }).to_string(),
        ));
    }
    out
}

/// Runs `extract` on `lines` with `args`; each record's line as written, by article id.
fn extract(model: &Path, lines: &[&str], args: &[String]) -> BTreeMap<String, String> {
    let mut cmd = whosaid();
    cmd.args(["extract", "-", "-q", "--model"])
        .arg(model)
        .args(args);
    let input = lines.iter().map(|l| format!("{l}\n")).collect::<String>();
    let o = run(cmd, input.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    let recs: BTreeMap<String, String> = out
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (v["id"].as_str().unwrap().to_string(), l.to_string())
        })
        .collect();
    assert_eq!(recs.len(), lines.len(), "one record per article");
    recs
}

/// Each article run alone (its own process, batch of one window set).
fn alone(model: &Path) -> BTreeMap<String, String> {
    corpus()
        .iter()
        .map(|(id, line)| {
            let r = extract(model, &[line], &[]);
            (id.clone(), r[id].clone())
        })
        .collect()
}

/// A random corpus drawn from the article set: which articles, in which order, and the
/// batch settings.
fn draws() -> impl Strategy<Value = (Vec<usize>, usize, usize, usize)> {
    let n = corpus().len();
    (
        Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
        1..=n,
        1usize..40,
        1usize..6,
    )
        .prop_flat_map(|(order, keep, batch, buffer)| {
            (
                Just(order[..keep].to_vec()),
                Just(batch),
                Just(buffer),
                1usize..=3,
            )
        })
}

fn check_draw(
    model: &Path,
    reference: &BTreeMap<String, String>,
    (pick, batch, buffer, threads): (Vec<usize>, usize, usize, usize),
) -> Result<(), TestCaseError> {
    let all = corpus();
    let lines: Vec<&str> = pick.iter().map(|&i| all[i].1.as_str()).collect();
    let args = [
        "--batch-size".to_string(),
        batch.to_string(),
        "--buffer".to_string(),
        buffer.to_string(),
        "--threads".to_string(),
        threads.to_string(),
    ];
    let got = extract(model, &lines, &args);
    for (id, rec) in &got {
        prop_assert!(
            rec == &reference[id],
            "article {} differs inside a corpus of {} (batch {}, buffer {}, threads {}): {}",
            id,
            pick.len(),
            batch,
            buffer,
            threads,
            difference(&reference[id], rec)
        );
    }
    Ok(())
}

/// Where two records first differ, with some context (records are long).
fn difference(alone: &str, corpus: &str) -> String {
    let at = alone
        .bytes()
        .zip(corpus.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(alone.len().min(corpus.len()));
    let window = |s: &str| {
        let mut from = at.saturating_sub(60);
        while !s.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (at + 60).min(s.len());
        while !s.is_char_boundary(to) {
            to += 1;
        }
        s[from..to].to_string()
    };
    format!(
        "alone …{}… / in the corpus …{}…",
        window(alone),
        window(corpus)
    )
}

#[test]
fn the_whole_corpus_at_several_settings_equals_each_article_alone_real_model() {
    let model = default_model();
    let reference = alone(&model);
    let all = corpus();
    let lines: Vec<&str> = all.iter().map(|(_, l)| l.as_str()).collect();
    for args in [
        vec![],
        vec!["--batch-size", "1"],
        vec!["--batch-size", "7", "--buffer", "3"],
        vec!["--threads", "1"],
    ] {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let got = extract(&model, &lines, &args);
        for (id, rec) in &got {
            assert!(
                rec == &reference[id],
                "article {id} differs with {args:?}: {}",
                difference(&reference[id], rec)
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, .. ProptestConfig::default() })]

    /// The real shipped model: random subsets, orders and batch settings.
    #[test]
    fn records_do_not_depend_on_batch_neighbours_real_model(d in draws()) {
        static REFERENCE: std::sync::OnceLock<BTreeMap<String, String>> = std::sync::OnceLock::new();
        let model = default_model();
        let reference = REFERENCE.get_or_init(|| alone(&model));
        check_draw(&model, reference, d)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// The tiny model (int8 through the same export): more draws, for speed.
    #[test]
    fn records_do_not_depend_on_batch_neighbours_tiny_model(d in draws()) {
        static REFERENCE: std::sync::OnceLock<BTreeMap<String, String>> = std::sync::OnceLock::new();
        let model = tiny_model();
        let reference = REFERENCE.get_or_init(|| alone(&model));
        check_draw(&model, reference, d)?;
    }
}

#[test]
fn both_models_load_an_int8_graph_made_by_the_export() {
    // the tests above exercise quantized activations only if the int8 graph is what loads
    for dir in [default_model(), tiny_model()] {
        let bytes = std::fs::read(dir.join("model.int8.onnx")).unwrap();
        let marker = b"whosaid.activation_quantization";
        assert!(
            bytes.windows(marker.len()).any(|w| w == marker),
            "{}: model.int8.onnx was not made by scripts/quantize_rowwise.py",
            dir.display()
        );
    }
}
