//! Table tests of the gold readers on hand-made fixtures (tests/fixtures/gold/).

use std::path::{Path, PathBuf};

use super::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/gold")
        .join(name)
}

/// Attributions as (source, cue, content) texts, pieces joined by `|`.
fn texts(a: &[GoldAttribution]) -> Vec<(String, String, String)> {
    let j = |p: &[Piece]| {
        p.iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("|")
    };
    a.iter()
        .map(|a| (j(&a.source), j(&a.cue), j(&a.content)))
        .collect()
}

fn t(s: &str, c: &str, q: &str) -> (String, String, String) {
    (s.into(), c.into(), q.into())
}

/// Attribution texts per article id.
type ByArticle = Vec<(String, Vec<(String, String, String)>)>;

/// The attributions of tests/fixtures/gold/quotes.jsonl, the reference for the other layouts.
fn reference() -> ByArticle {
    let bytes = std::fs::read(fixture("quotes.jsonl")).unwrap();
    crate::eval::quotes::parse_gold(&bytes, &fixture("quotes.jsonl"))
        .unwrap()
        .into_iter()
        .map(|g| (g.article.unwrap(), texts(&g.attributions)))
        .collect()
}

fn quote_gold(path: &Path, format: Format) -> ByArticle {
    let read = super::read(path, format, Annotators::First).unwrap();
    to_quote_gold(&read, &Mapping::default())
        .0
        .into_iter()
        .map(|g| (g.article.unwrap(), texts(&g.attributions)))
        .collect()
}

#[test]
fn every_layout_of_the_fixture_gives_the_jsonl_attributions() {
    let want = reference();
    assert_eq!(want.len(), 2);
    for (path, format) in [
        (fixture("brat"), Format::Brat),
        (fixture("label-studio.json"), Format::LabelStudio),
        (fixture("doccano.jsonl"), Format::Doccano),
    ] {
        let mut got = quote_gold(&path, format);
        got.retain(|(id, _)| id.starts_with("fixture-"));
        assert_eq!(got, want, "{}", format.name());
    }
}

#[test]
fn detection_by_extension_and_content() {
    let cases = [
        ("brat", Format::Brat),
        ("polnear-layout", Format::Brat),
        ("label-studio.json", Format::LabelStudio),
        ("doccano.jsonl", Format::Doccano),
        ("quotes.jsonl", Format::Polnear),
        ("mini.conll", Format::Conll),
    ];
    for (name, want) in cases {
        assert_eq!(detect(&fixture(name)).unwrap(), want, "{name}");
    }
}

#[test]
fn polnear_layout_discontinuous_content_and_annotators() {
    let dir = fixture("polnear-layout");
    let first = super::read(&dir, Format::Brat, Annotators::First).unwrap();
    assert_eq!(first.documents.len(), 1);
    assert_eq!(first.documents[0].id, "akar-visit");
    assert_eq!(first.documents[0].annotator.as_deref(), Some("ann1"));
    assert!(first.warnings.is_empty(), "{:?}", first.warnings);
    let (gold, _) = to_quote_gold(&first, &Mapping::default());
    assert_eq!(
        texts(&gold[0].attributions),
        [t("Akar", "said", "“We will,”|“keep standing by them.”")]
    );
    // the event trigger is not an entity; the PER span is
    let ents = to_entity_gold(&first, &Mapping::default());
    assert_eq!(ents[0].entities, [(11, 15, "PER".to_string())]);

    let all = super::read(&dir, Format::Brat, Annotators::All).unwrap();
    let ids: Vec<&str> = all.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["akar-visit", "akar-visit#ann2"]);
    // the second annotator links spans with relations instead of an event
    let (gold, _) = to_quote_gold(&all, &Mapping::default());
    assert_eq!(
        texts(&gold[1].attributions),
        [t("Akar", "said", "“keep standing by them.”")]
    );
}

#[test]
fn label_studio_skips_unlabelled_tasks_and_cancelled_annotations() {
    let read = super::read(
        &fixture("label-studio.json"),
        Format::LabelStudio,
        Annotators::All,
    )
    .unwrap();
    let ids: Vec<&str> = read.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["fixture-0", "fixture-1"]);
    assert_eq!(read.documents[1].annotator.as_deref(), Some("7"));
    assert!(
        read.warnings
            .iter()
            .any(|w| w.contains("no submitted annotation")),
        "{:?}",
        read.warnings
    );
    let ents = to_entity_gold(&read, &Mapping::default());
    assert_eq!(ents[0].entities, [(23, 35, "PER".to_string())]);
}

#[test]
fn doccano_sequence_labels_and_label_renames() {
    let read = super::read(
        &fixture("doccano.jsonl"),
        Format::Doccano,
        Annotators::First,
    )
    .unwrap();
    let last = read.documents.last().unwrap();
    assert_eq!(last.id, "3");
    let ents = to_entity_gold(&read, &Mapping::default());
    let want = [(0, 10, "PER".to_string()), (19, 23, "ORG".to_string())];
    assert_eq!(ents.last().unwrap().entities, want);
}

#[test]
fn a_mapping_reads_another_scheme() {
    let mapping = Mapping::from_file(&fixture("mapping.json")).unwrap();
    let text = "Ruiz said the law works.";
    let ann = "T1\tSpeaker 0 4\tRuiz\nT2\tVerb 5 9\tsaid\nT3\tQuote 10 23\tthe law works\n\
               R1\tLink Arg1:T1 Arg2:T2\nR2\tLink Arg1:T2 Arg2:T3\nT4\tGPE 14 17\tlaw\n";
    let mut warnings = Vec::new();
    let doc = brat::parse_ann(ann, Path::new("x.ann"), "x", text, &mut warnings).unwrap();
    let read = Read {
        documents: vec![doc],
        warnings,
    };
    let (gold, _) = to_quote_gold(&read, &mapping);
    assert_eq!(
        texts(&gold[0].attributions),
        [t("Ruiz", "said", "the law works")]
    );
    assert_eq!(
        to_entity_gold(&read, &mapping)[0].entities,
        [(14, 17, "LOC".to_string())]
    );
    // the default mapping sees no attribution in it
    assert!(to_quote_gold(&read, &Mapping::default()).0[0]
        .attributions
        .is_empty());
}

#[test]
fn links_group_spans_and_several_cues_split_a_group() {
    // one source linked to two cues, each with its own content
    let text = "Akar said A and later added B.";
    let span = |id: &str, label: &str, s: usize, e: usize| LabelledSpan {
        id: id.into(),
        label: label.into(),
        fragments: vec![(s, e)],
    };
    let link = |a: &str, b: &str| Link {
        from: a.into(),
        to: b.into(),
    };
    let doc = Document {
        id: "d".into(),
        text: text.into(),
        spans: vec![
            span("s", "Source", 0, 4),
            span("q1", "Cue", 5, 9),
            span("c1", "Content", 10, 11),
            span("q2", "Cue", 22, 27),
            span("c2", "Content", 28, 29),
            span("lone", "Content", 16, 21),
        ],
        links: vec![
            link("s", "q1"),
            link("q1", "c1"),
            link("s", "q2"),
            link("q2", "c2"),
        ],
        ..Document::default()
    };
    let got = texts(&attributions(&doc, &Mapping::default()).0);
    assert_eq!(
        got,
        [
            t("Akar", "said", "A"),
            t("Akar", "added", "B"),
            t("", "", "later"),
        ]
    );
}

#[test]
fn bad_gold_names_file_item_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &str, &str); 6] = [
        (
            "a.json",
            r#"[{"data": {"text": "abc"}, "annotations": [{"result": [{"type": "labels", "value": {"start": 1, "end": 9, "labels": ["PER"]}}]}]}]"#,
            "result[0].value: end 9 is past the text",
        ),
        (
            "b.json",
            r#"[{"data": {"text": 5}, "annotations": []}]"#,
            "`data.text` is not a string",
        ),
        ("c.json", r#"{"not": "a task list"#, "not JSON"),
        (
            "d.jsonl",
            "{\"text\": \"abc\", \"label\": [[2, 1, \"X\"]]}\n",
            "line 1: label[0]: start 2 is after end 1",
        ),
        (
            "e.jsonl",
            "{\"text\": \"abc\", \"entities\": [{\"label\": \"X\", \"start_offset\": 0}]}\n",
            "entities[0].end_offset: missing",
        ),
        (
            "f.jsonl",
            "{\"text\": \"abc\", \"label\": [[0, 1]]}\n",
            "label[0]: not [start, end",
        ),
    ];
    for (name, content, want) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, content).unwrap();
        let format = if name.ends_with(".json") {
            Format::LabelStudio
        } else {
            Format::Doccano
        };
        let err = super::read(&p, format, Annotators::First).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains(want) && msg.contains(name), "{name}: {msg}");
    }
    let brat_cases = [
        ("T1\tPER 0 99\tx\n", "line 1: T1: end 99 is past the text"),
        (
            "T1\tPER zero 3\tabc\n",
            "line 1: T1: offset \"zero\" is not a number",
        ),
        ("T1\tPER\n", "line 1: T1: expected `Label START END`"),
        ("E1\tAttribution\n", "line 1: E1: expected `Type:TRIGGER"),
        ("X1\twhat\n", "line 1: unknown annotation line"),
    ];
    for (ann, want) in brat_cases {
        let err = brat::parse_ann(ann, Path::new("g.ann"), "g", "abc", &mut Vec::new())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(want) && err.contains("g.ann"),
            "{ann:?}: {err}"
        );
    }
}

#[test]
fn label_studio_utf16_offsets_are_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("emoji.json");
    // "🎉 Akar said yes.": "Akar" is code points 2..6, UTF-16 units 3..7
    let task = |start: usize, end: usize| {
        format!(
            r#"[{{"data": {{"text": "🎉 Akar said yes."}}, "annotations": [{{"result": [{{"type": "labels", "value": {{"start": {start}, "end": {end}, "text": "Akar", "labels": ["PER"]}}}}]}}]}}]"#
        )
    };
    for (start, end, utf16) in [(2, 6, false), (3, 7, true)] {
        std::fs::write(&p, task(start, end)).unwrap();
        let read = super::read(&p, Format::LabelStudio, Annotators::First).unwrap();
        assert_eq!(
            read.documents[0].spans[0].fragments,
            [(2, 6)],
            "{start}..{end}"
        );
        let said = read.warnings.iter().any(|w| w.contains("UTF-16"));
        assert_eq!(said, utf16, "{:?}", read.warnings);
        assert!(
            !read
                .warnings
                .iter()
                .any(|w| w.contains("does not slice back")),
            "{:?}",
            read.warnings
        );
    }
}

#[test]
fn stored_text_across_a_line_break_continues_the_annotation() {
    let text = "Akar said:\nwe stay.";
    let ann = "T1\tContent 0 19\tAkar said:\nwe stay.\nT2\tCue 5 9\tsaid\n";
    let mut warnings = Vec::new();
    let doc = brat::parse_ann(ann, Path::new("i.ann"), "i", text, &mut warnings).unwrap();
    assert_eq!(doc.spans.len(), 2);
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn text_that_does_not_slice_back_is_reported_not_fatal() {
    let mut warnings = Vec::new();
    let doc = brat::parse_ann(
        "T1\tPER 0 3\tAbd\n",
        Path::new("h.ann"),
        "h",
        "Ünal said.",
        &mut warnings,
    )
    .unwrap();
    assert_eq!(doc.spans.len(), 1);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("\"Ünal\"") || warnings[0].contains("\"Üna\""),
        "{warnings:?}"
    );
}
