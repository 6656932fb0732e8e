//! The `folio` binary as a user runs it: exit codes and printed diagnostics.

use crate::harness::Site;

#[test]
fn check_reports_every_error_of_a_run_with_positions() {
    let site = Site::fixture("sites/three-errors");
    let output = site.folio(&["check", "--format", "short"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().filter(|l| l.contains(": error[")).collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert!(
        lines[0].starts_with("content/instruments/one-convention-1980.md:4:7: error[unknown-type]"),
        "{stderr}"
    );
    assert!(lines[0].contains("did you mean `convention`?"), "{stderr}");
    assert!(
        lines[1]
            .starts_with("content/instruments/one-convention-1980.md:8:10: error[invalid-date]"),
        "{stderr}"
    );
    assert!(
        lines[2].starts_with(
            "content/instruments/two-guide-2000.md:9:17: error[unknown-relation-target]"
        ),
        "{stderr}"
    );
    assert!(lines[2].contains("one-convention-1980"), "{stderr}");
}

#[test]
fn human_diagnostics_show_the_line_and_a_caret() {
    let site = Site::fixture("sites/three-errors");
    let output = site.folio(&["check"]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("error[unknown-type]: unknown type `conventoin`"), "{stderr}");
    assert!(stderr.contains("--> content/instruments/one-convention-1980.md:4:7"), "{stderr}");
    assert!(stderr.contains("type: conventoin"), "{stderr}");
    assert!(stderr.contains("^^^^^^^^^^"), "{stderr}");
    assert!(stderr.contains("help: did you mean `convention`?"), "{stderr}");
}

#[test]
fn a_build_with_errors_exits_1_and_writes_nothing() {
    let site = Site::fixture("sites/three-errors");
    let output = site.folio(&["build"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!site.out().exists());
}

#[test]
fn a_folder_without_content_is_a_usage_error() {
    let site = Site::fixture("sites/three-errors");
    let output = site.folio(&["check", "--root", "no-such-folder"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no-such-folder/content not found"));
}

#[test]
fn json_diagnostics_are_one_object_per_line() {
    let site = Site::fixture("sites/three-errors");
    let output = site.folio(&["check", "--format", "json"]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    let objects: Vec<serde_json::Value> =
        stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(objects.len(), 3);
    assert_eq!(objects[0]["rule"], "unknown-type");
    assert_eq!(objects[0]["line"], 4);
    assert_eq!(objects[0]["column"], 7);
}
