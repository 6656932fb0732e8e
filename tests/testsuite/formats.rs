//! The four diagnostic formats of `folio check`, as snapshots over every
//! validation fixture: what a person, an editor, a tool and a CI log see.
//! Review changes with `cargo insta review` (or set `INSTA_UPDATE=always`).

use crate::harness::{Site, repo};

/// `folio check --format FORMAT` over every rule fixture, one section each.
fn over_every_fixture(format: &str) -> String {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("tests/fixtures/rules"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut all = String::new();
    for name in names {
        let site = Site::fixture(&format!("rules/{name}"));
        let output = site.folio(&["check", "--format", format]);
        let printed = match format {
            "json" | "github" => String::from_utf8(output.stdout).unwrap(),
            _ => String::from_utf8(output.stderr).unwrap(),
        };
        all.push_str(&format!(
            "==== {name} (exit {})\n{printed}\n",
            output.status.code().unwrap_or(-1)
        ));
    }
    all
}

#[test]
fn human() {
    insta::assert_snapshot!(over_every_fixture("human"));
}

#[test]
fn short() {
    insta::assert_snapshot!(over_every_fixture("short"));
}

#[test]
fn json() {
    insta::assert_snapshot!(over_every_fixture("json"));
}

#[test]
fn github() {
    insta::assert_snapshot!(over_every_fixture("github"));
}
