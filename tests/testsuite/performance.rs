//! Performance, measured without clocks: the synthetic catalogue that the
//! benchmarks build is valid and repeatable, and the work of a build grows no
//! faster than the catalogue. Timings on a shared machine are noise; counts of
//! lookups, checks, pages and bytes are not.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use folio::pipeline::{self, Settings};
use folio::synth::{self, Options};
use folio::work::{self, Work};

/// A synthetic site in a temporary folder.
struct Synthetic {
    _temp: tempfile::TempDir,
    root: PathBuf,
}

fn synthetic(count: usize, seed: u64) -> Synthetic {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let root = temp.path().join("site");
    let summary = synth::write(&root, &Options { count, seed, replace: false })
        .expect("the synthetic catalogue is written");
    assert_eq!(summary.instruments, count);
    Synthetic { _temp: temp, root }
}

fn settings(root: &Path) -> Settings {
    Settings {
        root: root.to_owned(),
        out: root.join("public"),
        base_url: None,
        deny_warnings: true,
    }
}

/// Every file under `root` with its bytes, in path order.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (e.path().strip_prefix(root).unwrap().to_owned(), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn synthetic_catalogue_passes_check_without_warnings() {
    let site = synthetic(300, 1);

    let outcome = pipeline::check(&settings(&site.root)).expect("check runs");

    let shown: Vec<String> = outcome
        .diagnostics
        .iter()
        .take(10)
        .map(|d| format!("{} {}: {}", d.file.path.display(), d.rule, d.message))
        .collect();
    assert!(
        outcome.diagnostics.is_empty(),
        "{} diagnostics:\n{}",
        outcome.diagnostics.len(),
        shown.join("\n")
    );
    assert_eq!(outcome.instruments, 300);
}

#[test]
fn synthetic_catalogue_has_the_shape_of_the_real_one() {
    let site = synthetic(300, 2);
    let files = tree(&site.root.join("content/instruments"));
    assert_eq!(files.len(), 300);

    let mut words = 0;
    let mut cyrillic = 0;
    let mut tables = 0;
    for (path, bytes) in &files {
        let text = std::str::from_utf8(bytes).unwrap();
        let body = text.splitn(3, "---\n").nth(2).expect("front matter, then a body");
        let body_words: Vec<&str> = body.split_whitespace().collect();
        words += body_words.len();
        cyrillic += body_words.iter().filter(|w| w.chars().any(is_cyrillic)).count();
        tables += usize::from(body.contains("| --- |"));

        let links = body.matches("](").count() - body.matches("](https://").count();
        assert!((2..=5).contains(&links), "{}: {links} links to instruments", path.display());
        assert!(body.contains("\n## "), "{}: no `##` heading", path.display());
        assert!(
            (250..=1_800).contains(&body_words.len()),
            "{}: {} words",
            path.display(),
            body_words.len()
        );
    }

    let share = cyrillic as f64 / words as f64;
    assert!((0.05..=0.20).contains(&share), "Cyrillic share of words {share:.3}");
    assert!((10..=100).contains(&tables), "{tables} bodies with a table");
}

#[test]
fn the_same_seed_writes_the_same_files() {
    let first = tree(&synthetic(120, 7).root);
    let again = tree(&synthetic(120, 7).root);
    let other = tree(&synthetic(120, 8).root);

    assert_eq!(first.len(), again.len());
    for ((path, bytes), (path_again, bytes_again)) in first.iter().zip(&again) {
        assert_eq!(path, path_again);
        assert!(bytes == bytes_again, "{} differs between two runs", path.display());
    }
    assert_ne!(first, other, "another seed should give another catalogue");
}

/// Where the child process finds the site whose build it counts.
const CHILD_SITE: &str = "FOLIO_TEST_WORK_SITE";

/// Per-instrument work may grow by this factor from the smaller to the larger
/// catalogue before the test calls it more than linear. Quadratic work over
/// four times the instruments grows it fourfold.
const SLACK: f64 = 1.3;

/// Build catalogues of 500 and 2,000 instruments, each in a process of its
/// own so that no other test adds to the counters, and compare the work per
/// instrument.
#[test]
fn work_grows_linearly_with_the_catalogue() {
    if let Some(root) = std::env::var_os(CHILD_SITE) {
        report_work(Path::new(&root));
        return;
    }

    let small = synthetic(500, 3);
    let large = synthetic(2_000, 3);
    let small_work = counted_build(&small.root);
    let large_work = counted_build(&large.root);

    let mut table = String::new();
    let mut failures = Vec::new();
    for work in Work::ALL {
        let name = work.name();
        let (a, b) = (small_work[name] as f64 / 500.0, large_work[name] as f64 / 2_000.0);
        let growth = b / a;
        table.push_str(&format!(
            "{name:>16}: {a:>10.1} → {b:>10.1} per instrument (× {growth:.2})\n"
        ));
        if a == 0.0 {
            failures
                .push(format!("`{name}` counted nothing: is its `work::count` still in place?"));
        } else if growth > SLACK {
            failures.push(format!("`{name}` grows faster than the catalogue (× {growth:.2})"));
        }
    }
    println!("work per instrument, 500 → 2,000 instruments:\n{table}");
    assert!(failures.is_empty(), "{}\n\n{table}", failures.join("\n"));
}

/// Run this test's binary on `root` as a child and read its counts.
fn counted_build(root: &Path) -> BTreeMap<String, u64> {
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "performance::work_grows_linearly_with_the_catalogue"])
        .args(["--nocapture", "--test-threads=1"])
        .env(CHILD_SITE, root)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));

    let counts: BTreeMap<String, u64> = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("work "))
        .filter_map(|rest| rest.split_once(' '))
        .map(|(name, value)| (name.to_owned(), value.parse().unwrap()))
        .collect();
    assert_eq!(counts.len(), Work::ALL.len(), "the child printed:\n{stdout}");
    counts
}

/// In the child: build the site and print every counter.
fn report_work(root: &Path) {
    work::reset();
    let outcome = pipeline::build(&settings(root)).expect("build runs");
    assert!(outcome.written.is_some(), "the build failed: {:?}", outcome.diagnostics.first());
    println!();
    for (work, value) in work::snapshot() {
        println!("work {} {value}", work.name());
    }
}

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}
