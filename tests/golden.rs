//! Golden records: `data/sample` and the project's own fixture articles
//! (`tests/fixtures/golden/articles.jsonl`) through the real binary and the shipped model must
//! give exactly the committed `tests/fixtures/golden/records.jsonl`, byte for byte. Any change of
//! output (rules, model, calibration, record writer) shows up here as a diff; when it is
//! intended, `scripts/update_golden.sh` regenerates the file and the commit says why.

mod util;

use util::{records, root, run, show, whosaid};

fn extract(args: &[&str]) -> String {
    let mut cmd = whosaid();
    cmd.args(["extract", "-q"])
        .args(args)
        .arg(root().join("data/sample"))
        .arg(root().join("tests/fixtures/golden/articles.jsonl"));
    let o = run(cmd, b"");
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn records_equal_the_golden_file() {
    let golden =
        std::fs::read_to_string(root().join("tests/fixtures/golden/records.jsonl")).unwrap();
    // the file is generated at --batch-size 1; records do not depend on batching, so the
    // default settings must give the same bytes
    for args in [&["--batch-size", "1"][..], &[][..]] {
        let got = extract(args);
        if got != golden {
            let (g, w) = (records(&got), records(&golden));
            assert_eq!(g.len(), w.len(), "record count ({args:?})");
            for (g, w) in g.iter().zip(&w) {
                assert_eq!(
                    g, w,
                    "record {} differs from tests/fixtures/golden/records.jsonl ({args:?}); \
                     if intended, run scripts/update_golden.sh",
                    w["id"]
                );
            }
            panic!("output differs from the golden file in formatting only ({args:?})");
        }
    }
}
