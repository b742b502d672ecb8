//! Crash safety: kill -9 the extractor at random moments, resume, and compare with an
//! uninterrupted run: the same records, none missing, none twice.

mod util;

use std::collections::HashMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use util::*;

fn corpus(n: usize) -> String {
    let bodies = [
        "“Azerbaijan is a fraternal country for us,” Akar said. He added that talks went well.",
        "The mayor said the vote was fair. Zoë Ångström 😀 disagreed: “It was not.”",
        "Officials said 40 people were hurt, according to the ministry.\n\nNobody else spoke.",
        "",
    ];
    (0..n)
        .map(|i| {
            serde_json::json!({"id": format!("doc-{i}"), "text": format!("{} ({i})", bodies[i % bodies.len()])})
                .to_string()
                + "\n"
        })
        .collect()
}

fn extract(input: &std::path::Path, out: &std::path::Path, resume: bool) -> std::process::Command {
    let mut cmd = whosaid();
    cmd.args([
        "extract",
        "-q",
        "--threads",
        "1",
        "--buffer",
        "16",
        "--model",
    ])
    .arg(tiny_model())
    .arg(input)
    .arg("-o")
    .arg(out);
    if resume {
        cmd.arg("--resume");
    }
    cmd.stdout(Stdio::null()).stderr(Stdio::null());
    cmd
}

fn by_id(text: &str) -> HashMap<String, String> {
    let mut m = HashMap::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("no torn line survives");
        let id = v["id"].as_str().unwrap().to_string();
        assert!(
            m.insert(id.clone(), line.to_string()).is_none(),
            "duplicate record {id}"
        );
    }
    m
}

#[test]
fn kill_and_resume_loses_and_duplicates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    write(&input, corpus(3000));
    let reference = dir.path().join("ref.jsonl");
    let t = Instant::now();
    let status = extract(&input, &reference, false).status().unwrap();
    assert!(status.success());
    let full = t.elapsed();
    let want = by_id(&std::fs::read_to_string(&reference).unwrap());
    assert_eq!(want.len(), 3000);

    let out = dir.path().join("out.jsonl");
    // a small deterministic generator of kill times across the run
    let mut seed: u64 = 0x5eed;
    let mut kills = 0;
    for _ in 0..12 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let frac = (seed >> 33) as f64 / (1u64 << 31) as f64;
        let mut child = extract(&input, &out, true).spawn().unwrap();
        std::thread::sleep(Duration::from_secs_f64(full.as_secs_f64() * frac * 0.6));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL: no chance to flush or clean up
            kills += 1;
        }
        child.wait().unwrap();
    }
    assert!(kills > 0, "the test never interrupted a run");
    let status = extract(&input, &out, true).status().unwrap();
    assert!(status.success());
    let got = by_id(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(got.len(), want.len(), "records missing after {kills} kills");
    for (id, line) in &want {
        assert_eq!(got.get(id), Some(line), "record {id} differs");
    }
}

#[test]
fn resume_repairs_a_torn_last_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    write(&input, corpus(20));
    let out = dir.path().join("out.jsonl");
    assert!(extract(&input, &out, false).status().unwrap().success());
    let full = std::fs::read_to_string(&out).unwrap();
    // keep 5 whole lines and half of the 6th
    let cut: usize = full.lines().take(5).map(|l| l.len() + 1).sum::<usize>() + 30;
    std::fs::write(&out, &full[..cut]).unwrap();
    assert!(extract(&input, &out, true).status().unwrap().success());
    let got = by_id(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(got, by_id(&full));
}
