//! The authors' commands: `new` writes files that `check` accepts (or whose
//! blanks it reports), `schema` agrees with `check` on the front matter,
//! `diff` explains a change against a git revision, and the completions and
//! the manual page come from the clap definition.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};

use crate::harness::{Expected, Site, repo};

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// The diagnostics `check` finds in one file of the site.
fn found_in(site: &Site, path: &str) -> Vec<Expected> {
    site.check().diagnostics.iter().map(Expected::from).filter(|d| d.file == path).collect()
}

// `folio new`

#[test]
fn new_writes_an_instrument_that_check_accepts() {
    let site = Site::real_catalogue();
    let output = site.folio(&[
        "new",
        "--type",
        "recommendation",
        "--title",
        "Recommendation on the Digital Exchange of Certificates of Origin",
        "--body",
        "council",
        "--subject",
        "origin",
        "--subject",
        "it-data",
        "--status",
        "in-force",
        "--adopted",
        "2024-06-28",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let path = "content/instruments/recommendation/\
        recommendation-on-the-digital-exchange-of-certificates-of-origin-2024.md";
    assert_eq!(stdout(&output).trim(), path);
    assert!(stderr(&output).is_empty(), "nothing left blank: {}", stderr(&output));

    let text = std::fs::read_to_string(site.root.join(path)).unwrap();
    assert!(text.contains("subjects: [origin, it-data]\n"), "{text}");
    // A new instrument has no relations yet and names no source: two
    // warnings, never an error.
    let rules: Vec<String> = found_in(&site, path).into_iter().map(|d| d.rule).collect();
    assert_eq!(rules, ["missing-source", "orphan-instrument"], "{text}");
}

#[test]
fn new_without_a_terminal_leaves_blanks_that_check_reports_in_place() {
    let site = Site::base();
    let output = site.folio(&["new", "--type", "convention", "--title", "Заголовок кириллицей"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let path = "content/instruments/convention/zagolovok-kirillitsey.md";
    assert_eq!(stdout(&output).trim(), path);
    assert!(stderr(&output).contains("left blank: body, subjects, status, adopted"));

    // Each blank is reported on its own line, at the marker.
    let text = std::fs::read_to_string(site.root.join(path)).unwrap();
    let mut expected: Vec<Expected> = ["unknown-body", "unknown-subject", "unknown-status"]
        .iter()
        .zip(["body: ", "subjects: [", "status: "])
        .chain([(&"invalid-date", "adopted: ")])
        .map(|(rule, prefix)| {
            let line = text.lines().position(|l| l.starts_with(prefix)).unwrap() + 1;
            let column = prefix.chars().count() + 1;
            Expected { file: path.to_owned(), rule: (*rule).to_owned(), line, column }
        })
        .collect();
    expected.sort();
    let mut found: Vec<Expected> =
        found_in(&site, path).into_iter().filter(|d| !is_warning(&d.rule)).collect();
    found.sort();
    assert_eq!(found, expected, "{text}");
    assert!(text.contains("# in_force: required when the status is in-force"), "{text}");
}

fn is_warning(rule: &str) -> bool {
    matches!(rule, "orphan-instrument" | "missing-source")
}

#[test]
fn new_leaves_blank_what_the_status_requires() {
    let site = Site::base();
    let args = ["new", "--type", "convention", "--title", "Transit Convention", "--body"];
    let output = site.folio(
        &[
            &args[..],
            &["council", "--subject", "procedures", "--status", "in-force", "--adopted", "1975"],
        ]
        .concat(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("left blank: in_force"), "{}", stderr(&output));

    let path = "content/instruments/convention/transit-convention-1975.md";
    let rules: Vec<String> = found_in(&site, path)
        .into_iter()
        .map(|d| d.rule)
        .filter(|rule| !is_warning(rule))
        .collect();
    assert_eq!(rules, ["invalid-date"]);
}

#[test]
fn new_never_reuses_an_id() {
    let site = Site::base();
    let args = ["new", "--type", "guide", "--title", "Guide to Transit", "--adopted", "2010"];
    for expected in ["guide-to-transit-2010.md", "guide-to-transit-2010-2.md"] {
        let output = site.folio(&args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_eq!(stdout(&output).trim(), format!("content/instruments/guide/{expected}"));
    }

    let output = site.folio(&[&args[..], &["--id", "guide-to-transit-2010"]].concat());
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("already used"), "{}", stderr(&output));
}

#[test]
fn new_refuses_values_the_classification_does_not_have() {
    let site = Site::base();
    let output = site.folio(&[
        "new",
        "--type",
        "guide",
        "--title",
        "A",
        "--subject",
        "orign",
        "--status",
        "in-force",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr(&output);
    assert!(stderr.contains("unknown subject `orign`; did you mean `origin`?"), "{stderr}");
    assert!(stderr.contains("status `in-force` does not apply to a guide"), "{stderr}");
    assert!(!site.root.join("content/instruments").exists());
}

// `folio schema`

/// Front matter as an editor sees it: YAML 1.2, where `yes` is text.
fn front_matter_json(text: &str) -> Option<Value> {
    let split = folio::content::front_matter::split(text).ok()?;
    let yaml = &text[split.yaml_body.start..split.yaml_body.end];
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    serde_saphyr::from_str_with_options(yaml, options).ok()
}

fn validator(site: &Site) -> jsonschema::Validator {
    validator_of(site, &["schema"])
}

fn validator_of(site: &Site, args: &[&str]) -> jsonschema::Validator {
    let output = site.folio(args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let schema: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert!(jsonschema::meta::is_valid(&schema), "not a valid 2020-12 schema");
    jsonschema::draft202012::new(&schema).unwrap()
}

fn errors_of(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator.iter_errors(instance).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

#[test]
fn schema_accepts_every_instrument_of_the_catalogue() {
    let site = Site::real_catalogue();
    let instruments = validator(&site);
    let translations = validator_of(&site, &["schema", "--translation"]);
    let mut count = 0;
    for entry in walkdir::WalkDir::new(repo().join("content/instruments")) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let front_matter = front_matter_json(&text).expect("front matter");
        // `<id>.<language>.md` is a translation.
        let translation = entry.file_name().to_string_lossy().matches('.').count() > 1;
        let validator = if translation { &translations } else { &instruments };
        let errors = errors_of(validator, &front_matter);
        assert!(errors.is_empty(), "{}: {errors:#?}", entry.path().display());
        count += 1;
    }
    assert!(count > 100, "only {count} instruments");
}

/// A valid convention of the shared fixture classification, with every field.
fn full_instrument() -> Value {
    json!({
        "id": "kyoto-convention-1973",
        "title": "International Convention on the Simplification of Customs Procedures",
        "short_title": "Kyoto Convention",
        "type": "convention",
        "body": "council",
        "subjects": ["procedures", "origin"],
        "status": "in-force",
        "adopted": "1973-05-18",
        "place": "Kyoto",
        "in_force": 1974,
        "relations": { "amends": ["ccc-convention-1950"], "amended-by": ["rkc-protocol-1999"] },
        "parties": { "count": 63, "as_of": "2021-02" },
        "source": "https://fixture.example.org/kyoto",
        "reviewed": "2021-12",
    })
}

#[test]
fn schema_rejects_type_errors() {
    let validator = validator(&Site::base());
    assert_eq!(errors_of(&validator, &full_instrument()), Vec::<String>::new());

    let cases: &[(&str, Value)] = &[
        ("unknown subject", json!({ "subjects": ["procedures", "orign"] })),
        ("a list where text is expected", json!({ "title": ["Kyoto Convention"] })),
        ("text where a list is expected", json!({ "subjects": "procedures" })),
        ("a date in words", json!({ "adopted": "18 May 1973" })),
        ("a date with slashes", json!({ "in_force": "1974/09/25" })),
        ("a year out of range", json!({ "in_force": 19740 })),
        ("unknown type", json!({ "type": "Convention" })),
        ("unknown body", json!({ "body": "councl" })),
        ("unknown status", json!({ "status": "inforce" })),
        ("status of another category", json!({ "status": "current" })),
        ("unknown relation", json!({ "relations": { "amend": ["x"] } })),
        ("relation to text", json!({ "relations": { "amends": "ccc-convention-1950" } })),
        ("invalid id", json!({ "id": "Kyoto_Convention" })),
        ("unknown field", json!({ "subject": ["origin"] })),
        ("parties in words", json!({ "parties": { "count": "seventy" } })),
    ];
    for (what, change) in cases {
        let mut instance = full_instrument();
        for (field, value) in change.as_object().unwrap() {
            instance[field] = value.clone();
        }
        assert!(!validator.is_valid(&instance), "the schema accepts {what}: {instance}");
    }
}

#[test]
fn schema_and_check_agree_on_required_fields() {
    let site = Site::base();
    let validator = validator(&site);
    for field in folio::content::instrument::FIELDS {
        let mut instance = full_instrument();
        instance.as_object_mut().unwrap().remove(*field);
        let yaml: String = instance
            .as_object()
            .unwrap()
            .iter()
            .map(|(key, value)| format!("{key}: {value}\n"))
            .collect();
        let path = "content/instruments/kyoto-convention-1973.md";
        site.write(path, format!("---\n{yaml}---\nText.\n"));

        let check_requires = found_in(&site, path).iter().any(|d| d.rule == "missing-field");
        let schema_requires = !validator.is_valid(&instance);
        assert_eq!(schema_requires, check_requires, "without `{field}`");
    }
}

/// The rules of the fixtures whose errors lie in one file's front matter.
const SHAPE_RULES: &[&str] = &[
    "unknown-type",
    "unknown-body",
    "unknown-subject",
    "unknown-status",
    "unknown-relation",
    "status-not-for-category",
    "wrong-type",
];

#[test]
fn schema_rejects_the_type_errors_of_the_fixtures() {
    let validator = validator(&Site::base());
    let mut rejected = 0;
    for rule in SHAPE_RULES {
        let folder = repo().join("tests/fixtures/rules").join(rule).join("content/instruments");
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let expects: Vec<&str> = text
                .lines()
                .filter_map(|l| l.split_once("expect: ").map(|(_, rest)| rest))
                .collect();
            let instance = front_matter_json(&text).expect("front matter");
            let valid = validator.is_valid(&instance);
            if expects.iter().any(|e| SHAPE_RULES.iter().any(|r| e.starts_with(r))) {
                assert!(!valid, "{} is accepted", path.display());
                rejected += 1;
            } else if expects.is_empty() {
                let errors = errors_of(&validator, &instance);
                assert!(valid, "{} is rejected: {errors:#?}", path.display());
            }
        }
    }
    assert!(rejected >= SHAPE_RULES.len(), "only {rejected} fixture files checked");
}

#[test]
fn schema_of_translations_allows_only_their_fields() {
    let site = Site::base();
    let validator = validator_of(&site, &["schema", "--translation"]);
    assert!(validator.is_valid(&json!({ "id": "kyoto-convention-1973", "title": "Киотская" })));
    assert!(
        !validator.is_valid(&json!({ "id": "kyoto-convention-1973", "title": "К", "type": "x" }))
    );
}

// `folio diff`

fn git(root: &Path, args: &[&str]) {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "user.name=folio", "-c", "user.email=folio@example.org"])
        .args(["-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", stderr(&output));
}

fn instrument(id: &str, kind: &str, status: &str, extra: &str) -> String {
    let year = id.rsplit('-').next().unwrap();
    format!(
        "---\nid: {id}\ntitle: Title of {id}\ntype: {kind}\nbody: council\n\
         subjects: [procedures]\nstatus: {status}\nadopted: {year}\n{extra}---\nText of {id}.\n"
    )
}

/// A repository with three instruments committed, then changed on disk:
/// `gamma` removed, `delta` added (superseding `beta`), `beta` superseded
/// and renamed, `alpha` no longer amended by anything.
fn changed_repository() -> Site {
    let site = Site::base();
    let alpha = "content/instruments/alpha-convention-1970.md";
    site.write(alpha, instrument("alpha-convention-1970", "convention", "superseded", ""));
    site.write(
        "content/instruments/beta-convention-1990.md",
        instrument(
            "beta-convention-1990",
            "convention",
            "in-force",
            "in_force: 1991\nrelations:\n  amends: [alpha-convention-1970]\n",
        ),
    );
    site.write(
        "content/instruments/gamma-guide-2005.md",
        instrument("gamma-guide-2005", "guide", "current", ""),
    );
    git(&site.root, &["init", "--quiet"]);
    git(&site.root, &["add", "."]);
    git(&site.root, &["commit", "--quiet", "-m", "three instruments"]);

    std::fs::remove_file(site.root.join("content/instruments/gamma-guide-2005.md")).unwrap();
    site.write(
        "content/instruments/delta-guide-2010.md",
        instrument(
            "delta-guide-2010",
            "guide",
            "current",
            "relations:\n  supersedes: [beta-convention-1990]\n",
        ),
    );
    let beta = instrument("beta-convention-1990", "convention", "superseded", "in_force: 1991\n");
    site.write("content/instruments/beta-convention-1990.md", beta);
    site
}

#[test]
fn diff_reports_added_removed_and_changed_instruments() {
    let site = changed_repository();
    let output = site.folio(&["diff", "HEAD", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let diff: Value = serde_json::from_str(&stdout(&output)).unwrap();

    let ids = |list: &str| -> Vec<String> {
        diff[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids("added"), ["delta-guide-2010"]);
    assert_eq!(ids("removed"), ["gamma-guide-2005"]);
    assert_eq!(ids("changed"), ["alpha-convention-1970", "beta-convention-1990"]);
    assert_eq!(diff["renamed"], json!([]));
    assert_eq!(diff["added"][0]["relations"][0]["relation"], "supersedes");

    // Both sides of each relation: alpha loses the derived `amended-by`,
    // beta loses `amends` and gains the derived `superseded-by`.
    let alpha = &diff["changed"][0];
    assert_eq!(alpha["fields"], json!([]));
    assert_eq!(alpha["relations_lost"][0]["relation"], "amended-by");
    assert_eq!(alpha["relations_lost"][0]["other"], "beta-convention-1990");
    let beta = &diff["changed"][1];
    assert_eq!(
        beta["fields"],
        json!([{ "field": "status", "old": "in-force", "new": "superseded" }])
    );
    assert_eq!(beta["relations_gained"][0]["relation"], "superseded-by");
    assert_eq!(beta["relations_gained"][0]["other"], "delta-guide-2010");
    assert_eq!(beta["relations_lost"][0]["relation"], "amends");
    assert_eq!(
        diff["statuses"],
        json!([{ "id": "beta-convention-1990", "old": "in-force", "new": "superseded",
                 "old_label": "In force", "new_label": "Superseded" }])
    );

    let page = |path: &str| {
        diff["pages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["path"] == path)
            .map(|p| p["change"].clone())
    };
    assert_eq!(page("instruments/delta-guide-2010/"), Some(json!("added")));
    assert_eq!(page("instruments/gamma-guide-2005/"), Some(json!("removed")));
    assert_eq!(page("instruments/alpha-convention-1970/"), Some(json!("changed")));
    assert_eq!(page("statuses/in-force/"), Some(json!("changed")));
    assert_eq!(page("types/guide/"), Some(json!("changed")));
    assert_eq!(page("bodies/secretariat/"), None);
    assert_eq!(diff["pages"][0]["url"], "https://fixture.example.org/");
}

#[test]
fn diff_prints_a_summary_for_people() {
    let site = changed_repository();
    let output = site.folio(&["diff", "HEAD"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.starts_with("`HEAD` → the working tree: 1 added, 1 removed, 0 renamed, 2 changed"),
        "{text}"
    );
    for line in [
        "  + delta-guide-2010  Title of delta-guide-2010  (guide, current)",
        "      supersedes beta-convention-1990",
        "  - gamma-guide-2005  Title of gamma-guide-2005  (guide, current)",
        "  ~ beta-convention-1990  Title of beta-convention-1990",
        "      status: in-force → superseded",
        "      + superseded-by delta-guide-2010",
        "      - amends alpha-convention-1970",
        "      - amended-by beta-convention-1990",
        "  beta-convention-1990: In force → Superseded",
        "  + /instruments/delta-guide-2010/",
        "  - /instruments/gamma-guide-2005/",
    ] {
        assert!(text.lines().any(|l| l == line), "no line {line:?} in\n{text}");
    }
}

#[test]
fn diff_sees_a_renamed_file_as_one_rename() {
    let site = changed_repository();
    git(&site.root, &["add", "--all"]);
    git(&site.root, &["commit", "--quiet", "-m", "changes"]);
    let old = site.root.join("content/instruments/alpha-convention-1970.md");
    let text = std::fs::read_to_string(&old)
        .unwrap()
        .replace("id: alpha-convention-1970", "id: alpha-1970");
    std::fs::remove_file(&old).unwrap();
    site.write("content/instruments/alpha-1970.md", text);

    let diff: Value =
        serde_json::from_str(&stdout(&site.folio(&["diff", "HEAD", "--json"]))).unwrap();
    assert_eq!(diff["added"], json!([]));
    assert_eq!(diff["removed"], json!([]));
    assert_eq!(diff["renamed"][0]["from"], "alpha-convention-1970");
    assert_eq!(diff["renamed"][0]["to"], "alpha-1970");
    assert_eq!(diff["renamed"][0]["matched_by"], "title");
    assert_eq!(diff["changed"], json!([]));
}

#[test]
fn diff_against_an_unknown_revision_is_a_usage_error() {
    let site = changed_repository();
    let output = site.folio(&["diff", "no-such-branch"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("`no-such-branch` is not a revision"), "{}", stderr(&output));
}

// Completions and the manual page

#[test]
fn bash_completion_knows_the_subcommands() {
    let output = Site::base().folio(&["completions", "bash"]);
    assert_eq!(output.status.code(), Some(0));
    let script = stdout(&output);
    for word in ["build", "check", "new", "schema", "diff", "--root"] {
        assert!(script.contains(word), "no `{word}` in the bash completion");
    }
}

#[test]
fn man_page_documents_the_global_options() {
    let output = Site::base().folio(&["man"]);
    assert_eq!(output.status.code(), Some(0));
    let page = stdout(&output);
    assert!(page.contains(".TH folio 1"), "not a roff page for folio(1): {page}");
    assert!(page.contains("\\fB\\-\\-root\\fR"), "{page}");
    assert!(page.contains("folio\\-diff(1)"), "{page}");
}
