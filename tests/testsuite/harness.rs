//! The test harness: copy a fixture site into a temporary folder (adding the
//! shared `site.yaml` and `classification.yaml` where the fixture has none),
//! run folio on it, and compare what it reports with what the fixture's
//! files say they expect.
//!
//! A fixture states each expected diagnostic inside its files, in a comment
//! anywhere in the file it concerns:
//!
//! ```text
//! expect: unknown-subject at 7:12
//! expect: empty-file at content/instruments/empty.md 1:1
//! ```
//!
//! The second form names another file of the fixture, for files that cannot
//! hold a comment (empty or not UTF-8).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use folio::diagnostics::Diagnostic;
use folio::pipeline::{self, Outcome, Settings};

/// The repository's folder.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture site copied into a temporary folder.
pub struct Site {
    /// Keeps the folder alive.
    _temp: tempfile::TempDir,
    /// The site folder.
    pub root: PathBuf,
}

impl Site {
    /// Copy `tests/fixtures/<name>` with the shared base files.
    pub fn fixture(name: &str) -> Self {
        let site = Self::empty();
        copy_dir(&repo().join("tests/fixtures").join(name), &site.root);
        site.with_base()
    }

    /// A site with only the shared base files.
    pub fn base() -> Self {
        Self::empty().with_base()
    }

    /// A copy of the repository's real catalogue.
    pub fn real_catalogue() -> Self {
        let site = Self::empty();
        copy_dir(&repo().join("content"), &site.root.join("content"));
        site
    }

    fn empty() -> Self {
        let temp = tempfile::tempdir().expect("a temporary folder");
        let root = temp.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        Self { _temp: temp, root }
    }

    fn with_base(self) -> Self {
        for name in ["site.yaml", "classification.yaml"] {
            let target = self.root.join("content").join(name);
            if !target.exists() {
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::copy(repo().join("tests/fixtures/base/content").join(name), target)
                    .unwrap();
            }
        }
        self
    }

    /// Write a file of the site (bytes, so a test can write a BOM or CRLF).
    pub fn write(&self, path: &str, bytes: impl AsRef<[u8]>) -> &Self {
        let path = self.root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    /// The output folder.
    pub fn out(&self) -> PathBuf {
        self.root.join("public")
    }

    fn settings(&self) -> Settings {
        Settings { root: self.root.clone(), out: self.out(), base_url: None, deny_warnings: false }
    }

    /// Run `check` through the library.
    pub fn check(&self) -> Outcome {
        pipeline::check(&self.settings()).expect("check runs")
    }

    /// Run `build` through the library.
    pub fn build(&self) -> Outcome {
        pipeline::build(&self.settings()).expect("build runs")
    }

    /// Read a built file as text.
    pub fn read_out(&self, path: &str) -> String {
        std::fs::read_to_string(self.out().join(path))
            .unwrap_or_else(|err| panic!("public/{path}: {err}"))
    }

    /// Run the `folio` binary in the site folder.
    pub fn folio(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(args)
            .current_dir(&self.root)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }

    /// The expectations written in the fixture's files.
    pub fn expectations(&self) -> BTreeSet<Expected> {
        let mut expected = BTreeSet::new();
        for entry in walkdir::WalkDir::new(&self.root).sort_by_file_name() {
            let entry = entry.unwrap();
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
            let here = relative(&self.root, entry.path());
            for line in text.lines() {
                for (at, _) in line.match_indices("expect: ") {
                    if let Some(found) = parse_expectation(&line[at..], &here) {
                        expected.insert(found);
                    }
                }
            }
        }
        expected
    }
}

/// One expected diagnostic: file, rule, line, column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Expected {
    /// The file, relative to the site folder.
    pub file: String,
    /// The rule name.
    pub rule: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl From<&Diagnostic> for Expected {
    fn from(d: &Diagnostic) -> Self {
        let (line, column) = d.line_column();
        Self {
            file: d.file.path.to_string_lossy().replace('\\', "/"),
            rule: d.rule.to_owned(),
            line,
            column,
        }
    }
}

fn parse_expectation(line: &str, here: &str) -> Option<Expected> {
    let rest = &line[line.find("expect: ")? + "expect: ".len()..];
    let mut words = rest.split_whitespace();
    let rule = words.next()?.to_owned();
    if words.next()? != "at" {
        return None;
    }
    let mut place = words.next()?;
    let mut file = here.to_owned();
    if !place.contains(':') || place.contains('/') {
        file = place.to_owned();
        place = words.next()?;
    }
    let (line, column) = place.split_once(':')?;
    Some(Expected {
        file,
        rule,
        line: line.parse().ok()?,
        column: column.trim_end_matches(['-', '>', '#']).parse().ok()?,
    })
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/")
}

/// Copy a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
