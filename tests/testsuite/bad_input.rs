//! A corpus of bad and awkward inputs, each built by the `folio` binary on a
//! small site: the shared base files plus one or two instrument files whose
//! bytes are made here (a BOM, CRLF, NUL, invalid UTF-8, tabs, no-break
//! spaces), so that no editor can normalise them away.
//!
//! The tables:
//!
//! * [`bad_inputs`]: folio must exit with 1, never panic or hang, report a
//!   diagnostic with a line and column in the bad file, and write nothing.
//! * [`valid_inputs`]: awkward but valid; the build succeeds and the output
//!   is what the row of `known-failures.md` asks for.
//!
//! Case names start with the `known-failures.md` row they come from
//! (`bc004a-…`) where there is one.

use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use folio::rules;
use rayon::prelude::*;
use serde_json::Value;

use crate::build::{links, resolve, tree};
use crate::harness::{Site, repo};

/// How long one build may take before it counts as a hang.
const TIMEOUT: Duration = Duration::from_secs(60);

/// The id of the instrument most cases break.
const ID: &str = "tariff-guide-2000";

/// Its file.
const GUIDE: &str = "content/instruments/tariff-guide-2000.md";

/// Its title line.
const TITLE: &str = "title: Guide tariff-guide-2000";

/// A second instrument for links and relations.
const OTHER: &str = "other-guide-2001";

// ---------------------------------------------------------------------------
// Running the binary

/// What one run of the `folio` binary gave.
pub struct Run {
    /// The exit code; `None` when a signal ended the process.
    pub code: Option<i32>,
    /// The signal that ended it, if one did.
    pub signal: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Whether it was killed after [`TIMEOUT`].
    pub timed_out: bool,
}

impl Run {
    /// Everything a failure message needs.
    pub fn describe(&self) -> String {
        format!(
            "exit code {:?}, signal {:?}, timed out {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code,
            self.signal,
            self.timed_out,
            clip(&self.stdout),
            clip(&self.stderr)
        )
    }

    /// The JSON diagnostics of `--format json`, one object per line.
    fn diagnostics(&self) -> Result<Vec<Value>, String> {
        self.stdout
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| serde_json::from_str(line).map_err(|e| format!("not JSON: {line:?}: {e}")))
            .collect()
    }
}

/// Run the `folio` binary in `root` with extra environment variables, and
/// kill it if it runs longer than [`TIMEOUT`].
pub fn folio(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    use std::os::unix::process::ExitStatusExt;

    let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the folio binary starts");
    let stdout = drain(child.stdout.take().unwrap());
    let stderr = drain(child.stderr.take().unwrap());

    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            timed_out = true;
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(10));
    };

    Run {
        code: status.code(),
        signal: status.signal(),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
        timed_out,
    }
}

/// Read a pipe to its end on its own thread, so a chatty child never blocks.
fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

fn clip(text: &str) -> &str {
    let mut end = text.len().min(4000);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Staging and old folders of a build left in the site folder.
pub fn leftovers(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".public.folio-"))
        .collect()
}

// ---------------------------------------------------------------------------
// Making files

/// A valid guide; lines: 1 `---`, 2 id, 3 title, 4 type, 5 body, 6 subjects,
/// 7 status, 8 source, 9 `---`, 10 the text.
fn guide(id: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: Guide {id}\ntype: guide\nbody: secretariat\nsubjects: [origin]\n\
         status: current\nsource: https://fixture.example.org/{id}\n---\nThe text of {id}.\n"
    )
}

/// A valid convention in force.
fn convention(id: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: Convention {id}\ntype: convention\nbody: council\n\
         subjects: [procedures]\nstatus: in-force\nadopted: 1990-06-26\nin_force: 1993-11-27\n\
         source: https://fixture.example.org/{id}\n---\nThe text of {id}.\n"
    )
}

/// [`guide`] of [`ID`] with `from` replaced once by `to`.
fn edit(from: &str, to: &str) -> String {
    replace(&guide(ID), from, to)
}

/// `text` with `from` replaced once by `to`; `from` must be there.
fn replace(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} is not in {text:?}");
    text.replacen(from, to, 1)
}

/// [`guide`] of [`ID`] with one more front matter line, which is line 8.
fn with_line(line: &str) -> String {
    edit("source:", &format!("{line}\nsource:"))
}

/// [`guide`] of [`ID`] with another body.
fn with_body(body: &str) -> String {
    edit(&format!("The text of {ID}.\n"), body)
}

/// [`guide`] of `id` with a relation.
fn relating(id: &str, kind: &str, target: &str) -> String {
    replace(&guide(id), "source:", &format!("relations:\n  {kind}: [{target}]\nsource:"))
}

/// The path of an instrument file.
fn path(id: &str) -> String {
    format!("content/instruments/{id}.md")
}

/// The shared `site.yaml` with `from` replaced by `to`.
fn site_yaml(from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(repo().join("tests/fixtures/base/content/site.yaml"))
        .expect("the base site.yaml");
    replace(&text, from, to)
}

/// The shared `classification.yaml`.
fn classification_yaml() -> String {
    std::fs::read_to_string(repo().join("tests/fixtures/base/content/classification.yaml"))
        .expect("the base classification.yaml")
}

/// Text with every `\n` turned into `\r\n`.
fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

/// The bytes of `text` with a UTF-8 byte order mark in front.
fn bom(text: &str) -> Vec<u8> {
    [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()
}

/// `text` with the first `marker` replaced by raw `bytes` (not UTF-8).
fn splice(text: &str, marker: &str, bytes: &[u8]) -> Vec<u8> {
    let at = text.find(marker).unwrap_or_else(|| panic!("{marker:?} is not in {text:?}"));
    [&text.as_bytes()[..at], bytes, &text.as_bytes()[at + marker.len()..]].concat()
}

/// A front matter value nested `depth` times in flow brackets.
fn nested(open: &str, close: &str, depth: usize) -> String {
    format!("{}x{}", open.repeat(depth), close.repeat(depth))
}

/// Keys nested `depth` levels deep by indentation.
fn deep_block(depth: usize) -> String {
    let mut text = String::from("---\nid: tariff-guide-2000\nnested:\n");
    for level in 1..=depth {
        text.push_str(&" ".repeat(level));
        text.push_str(&format!("k{level}:\n"));
    }
    text.push_str("---\n");
    text
}

/// The classic "billion laughs": ten levels of ten aliases each.
fn alias_bomb() -> String {
    let mut text =
        String::from("---\nid: tariff-guide-2000\nlol0: &a0 [lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let p = level - 1;
        let row = vec![format!("*a{p}"); 10].join(", ");
        text.push_str(&format!("lol{level}: &a{level} [{row}]\n"));
    }
    text.push_str("title: *a9\n---\n");
    text
}

/// A site file as UTF-16 (little endian, with its BOM).
fn utf16(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    bytes
}

// ---------------------------------------------------------------------------
// The tables

/// A file of a case: a path below the site folder and its bytes.
type File = (String, Vec<u8>);

/// A bad input and the diagnostic it must give.
struct Bad {
    name: &'static str,
    files: Vec<File>,
    /// Work a file cannot do: symbolic links, names that are not UTF-8.
    setup: Option<fn(&Path)>,
    /// The file the diagnostic names, as JSON prints it.
    blamed: String,
    rule: &'static str,
    line: Option<usize>,
    says: Option<&'static str>,
}

impl Bad {
    fn new(name: &'static str, rule: &'static str) -> Self {
        Self {
            name,
            files: Vec::new(),
            setup: None,
            blamed: String::new(),
            rule,
            line: None,
            says: None,
        }
    }

    /// Add the file the diagnostic must name.
    fn bad(mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        let path = path.into();
        self.blamed.clone_from(&path);
        self.files.push((path, bytes.into()));
        self
    }

    /// Add another file.
    fn file(mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        self.files.push((path.into(), bytes.into()));
        self
    }

    /// Name the blamed file without writing it (links, odd names).
    fn blames(mut self, path: impl Into<String>) -> Self {
        self.blamed = path.into();
        self
    }

    fn setup(mut self, setup: fn(&Path)) -> Self {
        self.setup = Some(setup);
        self
    }

    /// The diagnostic's line, where the case pins it.
    fn line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Text the diagnostic's message must contain.
    fn says(mut self, text: &'static str) -> Self {
        self.says = Some(text);
        self
    }
}

/// A bad [`GUIDE`] file.
fn bad(name: &'static str, rule: &'static str, bytes: impl Into<Vec<u8>>) -> Bad {
    Bad::new(name, rule).bad(GUIDE, bytes)
}

/// Every bad input.
fn bad_inputs() -> Vec<Bad> {
    let mut cases = front_matter_cases();
    cases.extend(byte_cases());
    cases.extend(yaml_cases());
    cases.extend(type_cases());
    cases.extend(date_cases());
    cases.extend(id_cases());
    cases.extend(link_and_relation_cases());
    cases.extend(site_file_cases());
    cases
}

/// Delimiters and empty files: BC-004, BC-005 (b), BC-014.
fn front_matter_cases() -> Vec<Bad> {
    vec![
        bad(
            "bc004a-closing-line-with-an-extra-dash",
            rules::UNCLOSED_FRONT_MATTER,
            edit("\n---\nThe", "\n----\nThe"),
        )
        .line(1),
        bad("bc004b-no-closing-line", rules::UNCLOSED_FRONT_MATTER, edit("\n---\nThe", "\nThe"))
            .line(1),
        bad(
            "closing-line-with-text-after-it",
            rules::UNCLOSED_FRONT_MATTER,
            edit("\n---\nThe", "\n--- end\nThe"),
        ),
        bad(
            "closing-line-as-yaml-document-end",
            rules::UNCLOSED_FRONT_MATTER,
            edit("\n---\nThe", "\n...\nThe"),
        ),
        bad(
            "bc005b-no-front-matter-and-rules-below",
            rules::MISSING_FRONT_MATTER,
            "# Note\n\ntext\n\n---\n\nkey: v\n\n---\n\nend\n",
        )
        .line(1),
        bad("opening-line-indented", rules::MISSING_FRONT_MATTER, format!(" {}", guide(ID))),
        bad(
            "opening-line-with-four-dashes",
            rules::MISSING_FRONT_MATTER,
            format!("-{}", guide(ID)),
        ),
        bad(
            "two-byte-order-marks",
            rules::MISSING_FRONT_MATTER,
            bom(&format!("\u{feff}{}", guide(ID))),
        ),
        bad("only-the-opening-line", rules::UNCLOSED_FRONT_MATTER, "---"),
        bad("only-the-opening-line-and-a-newline", rules::UNCLOSED_FRONT_MATTER, "---\n"),
        bad("empty-file", rules::EMPTY_FILE, "").line(1),
        bad("white-space-and-no-break-spaces-only", rules::EMPTY_FILE, " \n\t\n\u{a0}\u{a0}\n"),
        bad("byte-order-mark-only", rules::EMPTY_FILE, bom("")),
        bad("empty-front-matter-only", rules::MISSING_FIELD, "---\n---\n"),
        bad("front-matter-of-comments-only", rules::MISSING_FIELD, "---\n# nothing yet\n---\n"),
        bad("front-matter-only-with-an-id", rules::MISSING_FIELD, format!("---\nid: {ID}\n---")),
        bad(
            "bc014-draft-instead-of-status",
            rules::UNKNOWN_FIELD,
            edit("status: current", "draft: true"),
        )
        .line(7),
        bad(
            "bc014-misspelt-status-key",
            rules::UNKNOWN_FIELD,
            edit("status: current", "stauts: current"),
        )
        .says("stauts"),
        bad(
            "bc014-unknown-status",
            rules::UNKNOWN_STATUS,
            edit("status: current", "status: withdrawn"),
        ),
        bad(
            "status-of-another-category",
            rules::STATUS_NOT_FOR_CATEGORY,
            edit("status: current", "status: in-force"),
        ),
    ]
}

/// Bytes no editor should produce: NUL, invalid UTF-8, UTF-16, and line
/// endings that must not move positions.
fn byte_cases() -> Vec<Bad> {
    let text = guide(ID);
    vec![
        bad("nul-in-a-value", rules::INVALID_YAML, edit(TITLE, "title: Gu\0ide")).line(3),
        bad("nul-in-a-key", rules::INVALID_YAML, edit("title:", "ti\0tle:")).line(3),
        bad(
            "invalid-utf8-in-front-matter",
            rules::UNREADABLE_FILE,
            splice(&text, "Guide", b"Gu\xFFide"),
        )
        .line(3),
        bad(
            "invalid-utf8-in-the-body",
            rules::UNREADABLE_FILE,
            splice(&text, "The text", b"The \xFE text"),
        )
        .line(10),
        bad("latin-1-e-acute", rules::UNREADABLE_FILE, splice(&text, "Guide", b"Caf\xE9")).line(3),
        bad(
            "truncated-two-byte-sequence-at-the-end",
            rules::UNREADABLE_FILE,
            [text.as_bytes(), b"\xD0"].concat(),
        ),
        bad("overlong-encoded-slash", rules::UNREADABLE_FILE, splice(&text, "Guide", b"\xC0\xAF")),
        bad("encoded-surrogate", rules::UNREADABLE_FILE, splice(&text, "Guide", b"\xED\xA0\x80")),
        bad("utf-16-with-its-byte-order-mark", rules::UNREADABLE_FILE, utf16(&text)).line(1),
        bad(
            "crlf-with-a-tab-indented-list",
            rules::INVALID_YAML,
            crlf(&edit("subjects: [origin]", "subjects:\n\t- origin")),
        )
        .line(7),
        bad(
            "lone-cr-endings-with-an-unclosed-quote",
            rules::INVALID_YAML,
            edit(TITLE, "title: \"Guide").replace('\n', "\r"),
        ),
        bad(
            "bom-and-crlf-with-a-duplicate-key",
            rules::DUPLICATE_KEY,
            bom(&crlf(&edit("source:", "title: Again\nsource:"))),
        )
        .line(8),
        bad(
            "mixed-endings-with-an-unknown-subject",
            rules::UNKNOWN_SUBJECT,
            edit("subjects: [origin]", "subjects: [orign]").replacen('\n', "\r\n", 3),
        )
        .line(6),
        bad(
            "no-break-space-indentation",
            rules::INVALID_YAML,
            edit("subjects: [origin]", "subjects:\n\u{a0}\u{a0}- origin"),
        ),
        bad(
            "no-break-space-in-a-subject",
            rules::UNKNOWN_SUBJECT,
            edit("[origin]", "[origin\u{a0}]"),
        ),
        bad(
            "control-characters-in-a-title",
            rules::CONTROL_CHARACTER,
            edit(TITLE, "title: \"Guide\\x1b[31m\\x0c\""),
        )
        .line(3),
        bad(
            "escaped-nul-in-a-subject",
            rules::CONTROL_CHARACTER,
            edit("[origin]", "[\"orig\\0in\"]"),
        )
        .line(6),
        bad(
            "zero-width-space-in-the-type",
            rules::UNKNOWN_TYPE,
            edit("type: guide", "type: gu\u{200b}ide"),
        ),
    ]
}

/// Malformed YAML of every kind, and YAML that is well formed but hostile.
fn yaml_cases() -> Vec<Bad> {
    vec![
        bad(
            "tab-indented-list",
            rules::INVALID_YAML,
            edit("subjects: [origin]", "subjects:\n\t- origin"),
        )
        .line(7),
        bad("tab-before-a-key", rules::INVALID_YAML, edit("title:", "\ttitle:")),
        bad("unclosed-double-quote", rules::INVALID_YAML, edit(TITLE, "title: \"Guide")),
        bad("unclosed-single-quote", rules::INVALID_YAML, edit(TITLE, "title: 'Guide")),
        bad("unclosed-flow-sequence", rules::INVALID_YAML, edit("[origin]", "[origin")),
        bad("unclosed-nested-flow-sequence", rules::INVALID_YAML, edit("[origin]", "[[origin]")),
        bad(
            "unclosed-flow-mapping",
            rules::INVALID_YAML,
            edit("source:", &format!("relations: {{amends: [{OTHER}]\nsource:")),
        ),
        bad("stray-closing-bracket", rules::INVALID_YAML, edit("[origin]", "[origin]]")),
        bad("stray-closing-brace", rules::INVALID_YAML, edit("[origin]", "[origin]}")),
        bad(
            "colon-and-space-in-a-plain-title",
            rules::INVALID_YAML,
            edit(TITLE, "title: Guide: how"),
        ),
        bad(
            "unknown-escape-in-double-quotes",
            rules::INVALID_YAML,
            edit(TITLE, "title: \"Gu\\qide\""),
        ),
        bad("bc011-duplicate-key", rules::DUPLICATE_KEY, edit("source:", "title: New\nsource:"))
            .line(8)
            .says("title"),
        bad(
            "duplicate-key-quoted-and-plain",
            rules::DUPLICATE_KEY,
            edit("source:", "\"title\": New\nsource:"),
        ),
        bad(
            "duplicate-key-in-relations",
            rules::DUPLICATE_KEY,
            edit(
                "source:",
                &format!("relations:\n  amends: [{OTHER}]\n  amends: [{OTHER}]\nsource:"),
            ),
        )
        .file(path(OTHER), guide(OTHER))
        .line(10),
        bad("undefined-alias", rules::INVALID_YAML, edit(TITLE, "title: *nowhere")),
        bad("alias-to-its-own-anchor", rules::INVALID_YAML, edit("[origin]", "&s [origin, *s]")),
        bad("alias-bomb", rules::INVALID_YAML, alias_bomb()),
        bad(
            "alias-to-a-list-where-text-is-expected",
            rules::WRONG_TYPE,
            edit(TITLE, "short_title: &s [origin]\ntitle: *s"),
        ),
        bad(
            "second-yaml-document-in-front-matter",
            rules::INVALID_YAML,
            edit("status:", "--- # a second document\nstatus:"),
        ),
        bad("document-end-then-more-yaml", rules::INVALID_YAML, edit("status:", "...\nstatus:")),
        bad("yaml-directive-after-the-start", rules::WRONG_TYPE, edit("id:", "%YAML 1.1\nid:")),
        bad(
            "ten-thousand-nested-brackets",
            rules::INVALID_YAML,
            edit("[origin]", &nested("[", "]", 10_000)),
        )
        .line(6),
        bad(
            "ten-thousand-unclosed-brackets",
            rules::INVALID_YAML,
            edit("[origin]", &"[".repeat(10_000)),
        ),
        bad(
            "ten-thousand-nested-braces",
            rules::INVALID_YAML,
            edit("[origin]", &nested("{a: ", "}", 10_000)),
        ),
        bad("three-thousand-indented-levels", rules::INVALID_YAML, deep_block(3_000)),
        bad("front-matter-is-a-list", rules::WRONG_TYPE, "---\n- id\n- title\n---\nText.\n"),
        bad("front-matter-is-a-scalar", rules::WRONG_TYPE, "---\njust some words\n---\nText.\n"),
        bad("complex-mapping-key", rules::WRONG_TYPE, edit("source:", "? [a, b]\n: c\nsource:")),
    ]
}

/// Values of the wrong shape, and YAML 1.1 booleans: BC-007, BC-008.
fn type_cases() -> Vec<Bad> {
    let site = "content/site.yaml";
    vec![
        bad(
            "bc007-yes-no-on-are-subjects-not-booleans",
            rules::UNKNOWN_SUBJECT,
            edit("[origin]", "[yes, no, on, origin]"),
        )
        .says("`yes`"),
        bad(
            "bc007-no-is-a-status-not-false",
            rules::UNKNOWN_STATUS,
            edit("status: current", "status: no"),
        )
        .says("`no`"),
        Bad::new("bc007-yes-in-a-boolean-setting", rules::WRONG_TYPE)
            .bad(site, site_yaml("current_to:", "allow_raw_html: yes\ncurrent_to:"))
            .file(GUIDE, guide(ID)),
        Bad::new("bc007-on-in-a-boolean-setting", rules::WRONG_TYPE)
            .bad(site, site_yaml("current_to:", "allow_raw_html: on\ncurrent_to:"))
            .file(GUIDE, guide(ID)),
        bad("bc007-yes-as-a-party-count", rules::WRONG_TYPE, with_line("parties: {count: yes}")),
        bad("text-as-a-party-count", rules::WRONG_TYPE, with_line("parties: {count: many}")),
        bad("negative-party-count", rules::WRONG_TYPE, with_line("parties: {count: -3}")),
        bad(
            "party-count-beyond-u32",
            rules::WRONG_TYPE,
            with_line("parties: {count: 99999999999}"),
        ),
        bad("fractional-party-count", rules::WRONG_TYPE, with_line("parties: {count: 1.5}")),
        bad("list-where-text-is-expected", rules::WRONG_TYPE, edit(TITLE, "title: [Guide, Two]")),
        bad(
            "mapping-where-text-is-expected",
            rules::WRONG_TYPE,
            edit("type: guide", "type: {key: guide}"),
        ),
        bad(
            "mapping-where-a-list-is-expected",
            rules::WRONG_TYPE,
            edit("[origin]", "{origin: true}"),
        ),
        bad("relations-as-a-list", rules::WRONG_TYPE, with_line("relations: [amends]")),
        bad(
            "relation-targets-as-a-mapping",
            rules::WRONG_TYPE,
            with_line("relations: {amends: {a: b}}"),
        ),
        bad("null-title", rules::MISSING_FIELD, edit(TITLE, "title: ~")),
        bad("blank-title", rules::MISSING_FIELD, edit(TITLE, "title: '  '")),
        bad("empty-subject-list", rules::MISSING_FIELD, edit("[origin]", "[]")),
        bad("empty-id", rules::MISSING_FIELD, edit("id: tariff-guide-2000", "id: \"\"")),
    ]
}

/// Dates out of range or of the wrong shape: BC-009's dates stay calendar
/// dates, so a time in them is an error.
fn date_cases() -> Vec<Bad> {
    let date = |name, line: &str| bad(name, rules::INVALID_DATE, with_line(line)).line(8);
    vec![
        date("year-0999", "adopted: 0999"),
        date("year-10000", "adopted: 10000"),
        date("february-29-of-2021", "adopted: 2021-02-29"),
        date("month-13", "adopted: 2021-13-01"),
        date("month-00", "adopted: 2021-00"),
        date("day-00", "adopted: 2021-01-00"),
        date("april-31", "adopted: 2021-04-31"),
        date("negative-year", "adopted: -2021"),
        date("month-not-zero-padded", "adopted: 1973-5-18"),
        date("date-with-a-time-and-zone", "adopted: 2024-03-01T00:30:00+10:00"),
        date("review-date-in-words", "reviewed: yesterday"),
        Bad::new("in-force-before-adopted", rules::IN_FORCE_BEFORE_ADOPTED).bad(
            path("transit-convention-1990"),
            replace(
                &convention("transit-convention-1990"),
                "in_force: 1993-11-27",
                "in_force: 1989-01-01",
            ),
        ),
    ]
}

/// Ids that try to leave the output folder, collide, or do not match their
/// file: BC-015, BC-016.
fn id_cases() -> Vec<Bad> {
    let id = |name, value: &str, file: &str| {
        Bad::new(name, rules::INVALID_ID)
            .bad(path(file), edit("id: tariff-guide-2000", &format!("id: {value}")))
    };
    vec![
        id("id-leaving-the-output-folder", "../../etc", "etc").line(2),
        id("absolute-id", "/abs", "abs"),
        id("id-with-a-slash", "a/b", "b"),
        id("id-dot-dot", "..", "dot-dot"),
        id("id-dot", "'.'", "dot"),
        id("id-with-a-backslash", "'a\\b'", "a-b"),
        id("id-with-percent-encoding", "a%2f..%2fb", "a-b"),
        Bad::new("id-with-an-escaped-nul", rules::CONTROL_CHARACTER)
            .bad(path("a-b"), edit("id: tariff-guide-2000", "id: \"a\\x00b\""))
            .line(2),
        id("id-with-an-escaped-newline", "\"a\\nb\"", "a-b"),
        id("bc015-cyrillic-id", "заголовок-кириллицей", "заголовок-кириллицей"),
        id("bc015-emoji-id", "📌", "📌"),
        id("bc015-styled-letters-id", "𝕋𝕖𝕤𝕥", "𝕋𝕖𝕤𝕥"),
        id("uppercase-id", "Tariff-Guide-2000", "Tariff-Guide-2000"),
        id("no-break-space-in-the-id", "tariff\u{a0}guide-2000", ID),
        Bad::new("ids-differing-only-in-case", rules::DUPLICATE_ID)
            .file("content/instruments/a/tariff-guide-2000.md", guide(ID))
            .bad(
                "content/instruments/b/Tariff-Guide-2000.md",
                edit("id: tariff-guide-2000", "id: Tariff-Guide-2000"),
            ),
        Bad::new("bc016-one-id-in-two-folders", rules::DUPLICATE_ID)
            .file("content/instruments/a/tariff-guide-2000.md", guide(ID))
            .bad("content/instruments/b/tariff-guide-2000.md", guide(ID))
            .line(2),
        Bad::new("id-not-the-file-name", rules::ID_FILE_MISMATCH)
            .bad("content/instruments/tariff-guide.md", guide(ID)),
        Bad::new("file-name-with-spaces", rules::ID_FILE_MISMATCH)
            .bad("content/instruments/tariff guide 2000.md", guide(ID)),
        Bad::new("file-name-in-cyrillic", rules::ID_FILE_MISMATCH)
            .bad("content/instruments/руководство.md", guide("rukovodstvo")),
        Bad::new("file-name-with-a-newline", rules::ID_FILE_MISMATCH)
            .bad("content/instruments/tariff\nguide-2000.md", guide(ID)),
        Bad::new("file-name-not-utf8", rules::ID_FILE_MISMATCH)
            .blames("content/instruments/tariff-\u{fffd}.md")
            .setup(|root| {
                let name = std::ffi::OsStr::from_bytes(b"tariff-\xFF.md");
                std::fs::write(root.join("content/instruments").join(name), guide(ID)).unwrap();
            }),
        Bad::new("symlink-loop-to-the-parent-folder", rules::UNREADABLE_FILE)
            .file(GUIDE, guide(ID))
            .blames("content/instruments/loop")
            .setup(|root| symlink("..", root.join("content/instruments/loop")).unwrap()),
        Bad::new("symlink-loop-to-the-site-folder", rules::UNREADABLE_FILE)
            .file(GUIDE, guide(ID))
            .blames("content/instruments/up")
            .setup(|root| symlink("../..", root.join("content/instruments/up")).unwrap()),
        Bad::new("symlink-to-itself", rules::UNREADABLE_FILE)
            .file(GUIDE, guide(ID))
            .blames("content/instruments/self.md")
            .setup(|root| symlink("self.md", root.join("content/instruments/self.md")).unwrap()),
        Bad::new("two-symlinks-in-a-loop", rules::UNREADABLE_FILE)
            .file(GUIDE, guide(ID))
            .blames("content/instruments/a.md")
            .setup(|root| {
                symlink("b.md", root.join("content/instruments/a.md")).unwrap();
                symlink("a.md", root.join("content/instruments/b.md")).unwrap();
            }),
        Bad::new("dangling-symlink", rules::UNREADABLE_FILE)
            .file(GUIDE, guide(ID))
            .blames("content/instruments/gone.md")
            .setup(|root| symlink("nowhere.md", root.join("content/instruments/gone.md")).unwrap()),
    ]
}

/// Relations and body links: BC-018, BC-019, BC-020, BC-030, and unsafe
/// links (BC-025's Markdown side).
fn link_and_relation_cases() -> Vec<Bad> {
    let linking = |name, body: &str, rule| {
        bad(name, rule, with_body(body)).file(
            path(OTHER),
            replace(&guide(OTHER), "The text", "## Scope\n\n## Сфера\n\nThe text"),
        )
    };
    vec![
        Bad::new("relation-cycle-of-two", rules::RELATION_CYCLE)
            .file(path("a-guide-2001"), relating("a-guide-2001", "supersedes", "b-guide-2002"))
            .bad(path("b-guide-2002"), relating("b-guide-2002", "supersedes", "a-guide-2001"))
            .line(9),
        Bad::new("relation-cycle-of-three", rules::RELATION_CYCLE)
            .file(path("a-guide-2001"), relating("a-guide-2001", "amends", "b-guide-2002"))
            .file(path("b-guide-2002"), relating("b-guide-2002", "amends", "c-guide-2003"))
            .bad(path("c-guide-2003"), relating("c-guide-2003", "amends", "a-guide-2001"))
            .says("a-guide-2001 → b-guide-2002 → c-guide-2003 → a-guide-2001"),
        bad("self-relation", rules::SELF_RELATION, relating(ID, "complements", ID)),
        bad(
            "bc030-unknown-relation-target",
            rules::UNKNOWN_RELATION_TARGET,
            relating(ID, "amends", "g-0042"),
        )
        .says("g-0042"),
        bad("unknown-relation-kind", rules::UNKNOWN_RELATION, relating(ID, "replaces", OTHER))
            .file(path(OTHER), guide(OTHER)),
        linking(
            "bc019-link-to-a-missing-entry",
            "See [a](missing-guide.md).\n",
            rules::UNKNOWN_LINK_TARGET,
        )
        .line(10),
        linking(
            "bc019-link-to-a-missing-heading",
            "See [b](other-guide-2001.md#scop).\n",
            rules::UNKNOWN_ANCHOR,
        )
        .line(10),
        linking(
            "bc019-local-link-to-a-missing-heading",
            "## Here\n\nSee [d](#local).\n",
            rules::UNKNOWN_ANCHOR,
        )
        .line(12),
        linking(
            "bc018-double-encoded-space",
            "See [a](other%2520guide.md).\n",
            rules::UNKNOWN_LINK_TARGET,
        ),
        linking(
            "bc018-encoded-cyrillic-file-name",
            "See [c](%D0%A0%D1%83%D0%BA%D0%BE%D0%B2%D0%BE%D0%B4%D1%81%D1%82%D0%B2%D0%BE.md).\n",
            rules::UNKNOWN_LINK_TARGET,
        ),
        linking(
            "bc020-heading-link-with-the-wrong-words",
            "See [x](other-guide-2001#сфера-действия).\n",
            rules::UNKNOWN_ANCHOR,
        ),
        linking(
            "bc030-anchor-in-another-entry",
            "See [x](other-guide-2001#no-such-heading).\n",
            rules::UNKNOWN_ANCHOR,
        ),
        bad("javascript-link", rules::UNSAFE_LINK, with_body("[Open](javascript:alert(1))\n"))
            .line(10),
        bad(
            "javascript-link-in-capitals",
            rules::UNSAFE_LINK,
            with_body("[Open]( JAVASCRIPT:alert(1))\n"),
        ),
        bad(
            "javascript-link-with-an-entity",
            rules::UNSAFE_LINK,
            with_body("[Open](javascript&colon;alert(1))\n"),
        ),
        bad(
            "data-url-image",
            rules::UNSAFE_LINK,
            with_body("![x](data:text/html;base64,PHNjcmlwdD4=)\n"),
        ),
        bad(
            "vbscript-reference-link",
            rules::UNSAFE_LINK,
            with_body("[Open][x]\n\n[x]: vbscript:msgbox(1)\n"),
        ),
    ]
}

/// The site's own files, and free pages.
fn site_file_cases() -> Vec<Bad> {
    let site = "content/site.yaml";
    let classification = "content/classification.yaml";
    let page = |title: &str| format!("---\ntitle: {title}\n---\nText.\n");
    vec![
        Bad::new("site-yaml-with-a-tab", rules::INVALID_YAML)
            .bad(site, site_yaml("languages: [en, ru]", "languages:\n\t- en")),
        Bad::new("site-yaml-with-bom-crlf-and-a-duplicate-key", rules::DUPLICATE_KEY)
            .bad(site, bom(&crlf(&site_yaml("current_to:", "title: Again\ncurrent_to:")))),
        Bad::new("site-yaml-empty", rules::INVALID_YAML).bad(site, ""),
        Bad::new("site-yaml-with-a-javascript-base-url", rules::INVALID_SITE_CONFIG).bad(
            site,
            site_yaml("base_url: https://fixture.example.org/", "base_url: javascript:alert(1)"),
        ),
        Bad::new("classification-with-an-unclosed-bracket", rules::INVALID_YAML)
            .bad(classification, replace(&classification_yaml(), "[adopted,", "[adopted")),
        Bad::new("page-with-empty-front-matter", rules::WRONG_TYPE)
            .bad("content/pages/about.md", "---\n---\nText.\n"),
        Bad::new("page-without-a-title", rules::MISSING_FIELD)
            .bad("content/pages/about.md", "---\norder: 1\n---\nText.\n"),
        Bad::new("page-with-an-unknown-field", rules::UNKNOWN_FIELD)
            .bad("content/pages/about.md", "---\ntitle: About\ndraft: true\n---\nText.\n"),
        Bad::new("page-named-like-a-folder-of-the-site", rules::RESERVED_PAGE_ID)
            .bad("content/pages/instruments.md", "---\ntitle: Instruments\n---\nText.\n"),
        Bad::new("bc016-page-names-differing-only-in-case", rules::DUPLICATE_ID)
            .file("content/pages/about.md", page("About"))
            .bad("content/pages/About.md", page("About again"))
            .says("differs only in case"),
        Bad::new("two-pages-of-one-name-in-two-folders", rules::DUPLICATE_ID)
            .file("content/pages/a/about.md", page("About"))
            .bad("content/pages/b/about.md", page("About again")),
        // A page's file name is its address: folio asks for a name that
        // needs no encoding rather than publish `/about%20us/`.
        Bad::new("page-file-name-with-a-space", rules::INVALID_ID)
            .bad("content/pages/about us.md", page("About us"))
            .line(1),
        Bad::new("page-file-name-in-cyrillic", rules::INVALID_ID)
            .bad("content/pages/проверка.md", page("Проверка"))
            .says("проверка"),
        Bad::new("page-file-name-in-capitals", rules::INVALID_ID)
            .bad("content/pages/ABOUT.md", page("About")),
        Bad::new("site-yaml-not-utf8", rules::UNREADABLE_FILE).bad(
            site,
            splice(&site_yaml("title: Fixture", "title: Fixture"), "Fixture", b"Caf\xE9"),
        ),
        Bad::new("classification-yaml-not-utf8", rules::UNREADABLE_FILE)
            .bad(classification, splice(&classification_yaml(), "[adopted,", b"[adopt\xFFed,")),
        Bad::new("site-yaml-with-an-escaped-control-character", rules::CONTROL_CHARACTER)
            .bad(site, site_yaml("title: Fixture catalogue", "title: \"Fixture\\acatalogue\""))
            .file(GUIDE, guide(ID)),
    ]
}

/// A site holding the files of a case.
fn site_of(files: &[File], setup: Option<fn(&Path)>) -> Site {
    let site = Site::base();
    std::fs::create_dir_all(site.root.join("content/instruments")).unwrap();
    for (path, bytes) in files {
        site.write(path, bytes);
    }
    if let Some(setup) = setup {
        setup(&site.root);
    }
    site
}

/// Build a bad case; what is wrong with folio's answer, if anything.
fn check_bad(case: &Bad) -> Result<(), String> {
    let site = site_of(&case.files, case.setup);
    let run = folio(&site.root, &["build", "--format", "json"], &[]);
    let fail = |why: String| Err(format!("{why}\n{}", run.describe()));

    if run.timed_out {
        return fail(format!("did not finish in {} s", TIMEOUT.as_secs()));
    }
    if run.stderr.contains("panicked") || run.code != Some(1) {
        return fail("expected exit code 1 without a panic".to_owned());
    }
    let diagnostics = match run.diagnostics() {
        Ok(diagnostics) => diagnostics,
        Err(err) => return fail(err),
    };
    let positioned = |d: &&Value| {
        d["severity"] == "error"
            && d["file"] == case.blamed.as_str()
            && d["line"].as_u64().is_some_and(|l| l >= 1)
            && d["column"].as_u64().is_some_and(|c| c >= 1)
    };
    let rule = |d: &&Value| d["rule"] == case.rule;
    let Some(found) = diagnostics.iter().filter(positioned).find(rule) else {
        return fail(format!(
            "no error[{}] with a line and column in {:?}",
            case.rule, case.blamed
        ));
    };
    if let Some(line) = case.line
        && found["line"] != line
    {
        return fail(format!("error[{}] at line {}, expected {line}", case.rule, found["line"]));
    }
    if let Some(text) = case.says
        && !found["message"].as_str().unwrap_or_default().contains(text)
    {
        return fail(format!("the message does not say {text:?}"));
    }

    if site.out().exists() {
        return fail("a failed build wrote public/".to_owned());
    }
    let left = leftovers(&site.root);
    if !left.is_empty() {
        return fail(format!("a failed build left {left:?}"));
    }
    Ok(())
}

/// Run every case in parallel; the failures, each with its case's name.
fn failures<T: Sync>(
    cases: &[T],
    name: fn(&T) -> &str,
    check: fn(&T) -> Result<(), String>,
) -> Vec<String> {
    let mut failed: Vec<String> = cases
        .par_iter()
        .filter_map(|case| check(case).err().map(|why| format!("## {}: {why}", name(case))))
        .collect();
    failed.sort();
    failed
}

#[test]
fn every_bad_input_is_reported_with_a_position_and_writes_nothing() {
    let cases = bad_inputs();
    eprintln!("{} bad inputs", cases.len());
    assert!(
        cases.len() >= 80,
        "the corpus holds {} bad inputs; it should hold at least 80",
        cases.len()
    );

    let mut names: Vec<&str> = cases.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "two cases share a name");

    let failed = failures(&cases, |c| c.name, check_bad);
    assert!(
        failed.is_empty(),
        "{} of {} bad inputs failed:\n{}",
        failed.len(),
        cases.len(),
        failed.join("\n")
    );
}

// ---------------------------------------------------------------------------
// Valid inputs

/// Fail a check with a message unless `cond` holds.
macro_rules! ensure {
    ($cond:expr, $($message:tt)+) => {
        if !$cond {
            return Err(format!($($message)+));
        }
    };
}

/// An awkward input that folio must accept, and what its output must be.
struct Valid {
    name: &'static str,
    files: Vec<File>,
    check: fn(&Site, &[File]) -> Result<(), String>,
}

fn valid(
    name: &'static str,
    files: Vec<File>,
    check: fn(&Site, &[File]) -> Result<(), String>,
) -> Valid {
    Valid { name, files, check }
}

fn one(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Vec<File> {
    vec![(path.into(), bytes.into())]
}

/// Every valid awkward input.
fn valid_inputs() -> Vec<Valid> {
    let mut cases = encoding_inputs();
    cases.extend(front_matter_inputs());
    cases.extend(link_inputs());
    cases.extend(escaping_inputs());
    cases.extend(size_inputs());
    cases.extend(output_inputs());
    cases
}

/// An instrument in Russian whose bytes the encoding cases vary.
const CYRILLIC: &str = "---\nid: tariff-guide-2000\ntitle: Доступность\ntype: guide\n\
                        body: secretariat\nsubjects: [facilitation, origin]\nstatus: current\n\
                        source: https://fixture.example.org/a\n---\n# Введение\n\nТекст.\n";

/// `text` with every non-ASCII byte percent-encoded, as a browser sends it.
fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii() { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// BC-001, BC-002: a BOM and any line endings give the plain file's site.
fn encoding_inputs() -> Vec<Valid> {
    vec![
        valid("bc001-byte-order-mark", one(GUIDE, bom(CYRILLIC)), |site, files| {
            same_as_plain(site, files)?;
            for (file, bytes) in site_files(&site.out()) {
                let text = String::from_utf8_lossy(&bytes);
                ensure!(!text.contains('\u{feff}'), "U+FEFF in {file}");
            }
            let page = read(site, "instruments/tariff-guide-2000/index.html")?;
            ensure!(page.contains("id=\"введение\""), "no heading id `введение`");
            Ok(())
        }),
        valid("bc002-crlf", one(GUIDE, crlf(CYRILLIC)), |site, files| {
            same_as_plain(site, files)?;
            no_carriage_returns(site)?;
            let subjects = &instrument_json(site, ID)?["subjects"];
            let expected = serde_json::json!(["facilitation", "origin"]);
            ensure!(*subjects == expected, "subjects {subjects}");
            Ok(())
        }),
        valid(
            "bc002-mixed-line-endings",
            one(GUIDE, CYRILLIC.replacen('\n', "\r\n", 5)),
            |site, files| {
                same_as_plain(site, files)?;
                no_carriage_returns(site)
            },
        ),
        valid("lone-cr-line-endings", one(GUIDE, CYRILLIC.replace('\n', "\r")), |site, files| {
            same_as_plain(site, files)?;
            no_carriage_returns(site)
        }),
        valid(
            "no-break-spaces-in-the-body",
            one(GUIDE, with_body("Article\u{a0}1, a&nbsp;b.\n")),
            |site, _| {
                let page = read(site, "instruments/tariff-guide-2000/index.html")?;
                let kept = page.contains("Article\u{a0}1") || page.contains("Article&nbsp;1");
                ensure!(kept, "the no-break space is gone");
                Ok(())
            },
        ),
    ]
}

/// BC-005 (a), BC-007, BC-008, BC-009, and YAML that is unusual but valid.
fn front_matter_inputs() -> Vec<Valid> {
    let numbers = replace(
        &guide("0123"),
        "title: Guide 0123",
        "title: 20240425\nshort_title: 1.10\nplace: 0008",
    );
    vec![
        valid(
            "bc005a-thematic-breaks-in-the-body",
            one(GUIDE, with_body("Part one\n\n---\n\nPart two\n\n---\n\nPart three\n")),
            |site, _| {
                let page = read(site, "instruments/tariff-guide-2000/index.html")?;
                for part in ["Part one", "Part two", "Part three"] {
                    ensure!(page.contains(part), "{part} is missing");
                }
                let rules = page.matches("<hr").count();
                ensure!(rules == 2, "{rules} <hr>, expected 2");
                Ok(())
            },
        ),
        valid(
            "bc007-yaml-1.1-booleans-stay-text",
            one(GUIDE, edit(TITLE, "title: N\nshort_title: yes\nplace: no")),
            |site, _| {
                let json = instrument_json(site, ID)?;
                ensure!(json["title"] == "N", "title {}", json["title"]);
                ensure!(json["short_title"] == "yes", "short_title {}", json["short_title"]);
                ensure!(json["place"] == "no", "place {}", json["place"]);
                Ok(())
            },
        ),
        valid(
            "bc008-numbers-and-dates-stay-text",
            vec![
                (path("0123"), numbers.into_bytes()),
                (GUIDE.to_owned(), edit(TITLE, "title: 2018-11-21").into()),
            ],
            |site, _| {
                let json = instrument_json(site, "0123")?;
                ensure!(json["title"] == "20240425", "title {}", json["title"]);
                ensure!(json["short_title"] == "1.10", "short_title {}", json["short_title"]);
                ensure!(json["place"] == "0008", "place {}", json["place"]);
                let other = instrument_json(site, ID)?;
                ensure!(other["title"] == "2018-11-21", "title {}", other["title"]);
                Ok(())
            },
        ),
        valid(
            "bc009-dates-ignore-the-time-zone",
            one(GUIDE, with_line("adopted: 2021-03-01")),
            |site, _| {
                let mut trees = Vec::new();
                for (out, zone) in [("east", "Asia/Vladivostok"), ("west", "America/New_York")] {
                    let run = folio(&site.root, &["build", "-q", "--out", out], &[("TZ", zone)]);
                    ensure!(run.code == Some(0), "TZ={zone}: {}", run.describe());
                    trees.push(site_files(&site.root.join(out)));
                }
                let differ = differing(&trees[0], &trees[1]);
                ensure!(trees[0] == trees[1], "the output differs between time zones: {differ}");
                ensure!(
                    trees[0] == site_files(&site.out()),
                    "the output differs from the build without TZ"
                );
                let json = instrument_json(site, ID)?;
                ensure!(json["adopted"] == "2021-03-01", "adopted {}", json["adopted"]);
                let feed = read(site, "feed.xml")?;
                ensure!(
                    feed.contains("<updated>2021-03-01T00:00:00Z</updated>"),
                    "feed date moved"
                );
                Ok(())
            },
        ),
        valid(
            "anchors-and-aliases-that-resolve",
            one(GUIDE, edit(TITLE, "title: &t Guide of tariffs\nshort_title: *t")),
            |site, _| {
                let short = &instrument_json(site, ID)?["short_title"];
                ensure!(*short == "Guide of tariffs", "short_title {short}");
                Ok(())
            },
        ),
        valid(
            "tab-after-a-colon",
            one(GUIDE, edit("subjects: [origin]", "subjects:\t[origin]")),
            |site, _| {
                let subjects = &instrument_json(site, ID)?["subjects"];
                ensure!(*subjects == serde_json::json!(["origin"]), "subjects {subjects}");
                Ok(())
            },
        ),
        valid("front-matter-only-and-no-body", one(GUIDE, with_body("")), |site, _| {
            read(site, "instruments/tariff-guide-2000/index.html").map(drop)
        }),
        valid(
            "bc028-an-optional-field-on-one-entry-only",
            vec![
                (GUIDE.to_owned(), with_line("reviewed: 2020-01-01").into()),
                (path(OTHER), guide(OTHER).into()),
            ],
            |site, _| {
                read(site, "instruments/tariff-guide-2000/index.html")?;
                read(site, "instruments/other-guide-2001/index.html")?;
                read(site, "instruments/index.html")?;
                Ok(())
            },
        ),
    ]
}

/// BC-018, BC-019, BC-020, BC-023: links between entries and to headings.
fn link_inputs() -> Vec<Valid> {
    let sections = replace(&guide(OTHER), "The text", "## Scope\n\n## Сфера действия\n\nThe text");
    let linking = format!(
        "[a](other-guide-2001.md), [b](<other-guide-2001.md>), \
         [c](../ops/other-guide-2001.md#scope), [d](#local), [e](other-guide-2001#{}), \
         [f](other-guide-2001#сфера-действия)\n\n## Local\n",
        percent("сфера-действия")
    );
    let anchors = format!(
        "## Обработка персональных данных\n\n[x](#обработка-персональных-данных) and [y](#{})\n",
        percent("обработка-персональных-данных")
    );
    vec![
        valid(
            "bc018-bc019-links-to-entries-resolve-and-keep-fragments",
            vec![(GUIDE.to_owned(), with_body(&linking).into()), (path(OTHER), sections.into())],
            |site, _| {
                let out = site.out();
                let page_path = out.join("instruments/tariff-guide-2000/index.html");
                let hrefs = links(&read(site, "instruments/tariff-guide-2000/index.html")?);
                for href in &hrefs {
                    ensure!(!href.contains(".md") && !href.contains("%25"), "href {href}");
                    if let Some(target) = resolve(&out, &page_path, href) {
                        ensure!(target.is_file(), "href {href} leads nowhere");
                    }
                }
                let to_other = hrefs.iter().filter(|h| h.contains("other-guide-2001/")).count();
                ensure!(to_other >= 5, "{to_other} links to the other guide in {hrefs:?}");
                let scope = hrefs.iter().any(|h| h.ends_with("other-guide-2001/#scope"));
                ensure!(scope, "#scope lost: {hrefs:?}");
                ensure!(hrefs.iter().any(|h| h == "#local"), "#local changed: {hrefs:?}");
                Ok(())
            },
        ),
        valid(
            "bc020-cyrillic-anchors-raw-and-percent-encoded",
            one(GUIDE, with_body(&anchors)),
            |site, _| {
                let page = read(site, "instruments/tariff-guide-2000/index.html")?;
                let id = "id=\"обработка-персональных-данных\"";
                ensure!(page.contains(id), "no readable heading id");
                Ok(())
            },
        ),
        valid(
            "bc023-footnote-after-a-list",
            one(GUIDE, with_body("Text.[^a]\n\nA list:\n* one\n* two\n\n[^a]: Note.\n")),
            |site, _| {
                let page = read(site, "instruments/tariff-guide-2000/index.html")?;
                let tight = page.contains("<li>one</li>") && page.contains("<li>two</li>");
                ensure!(tight, "the list is loose");
                let list = &page[page.find("<ul>").unwrap_or(0)..];
                let list = &list[..list.find("</ul>").unwrap_or(list.len())];
                ensure!(!list.contains("Note."), "the footnote is inside the list");
                ensure!(page.contains("Note."), "the footnote is gone");
                Ok(())
            },
        ),
    ]
}

/// BC-025, BC-027, BC-046: raw HTML and user text in pages, feed and data.
fn escaping_inputs() -> Vec<Valid> {
    let raw_html = "Intro.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n\
                    <a href=\"javascript:alert(1)\">x</a>\n\n\
                    <iframe src=\"https://example.org\"></iframe>\n\n\
                    <p style=\"color:red\" onclick=\"alert(1)\">styled</p>\n";
    let dated = |title: &str, body: &str| {
        replace(&edit(TITLE, title), "status: current", "status: current\nadopted: 2020-05-01")
            .replace(&format!("The text of {ID}."), body)
    };
    let fish = dated("title: 'Fish & Chips <b>\"best\"</b> it''s'", "He said \"no\" & left.");
    let draft = dated("title: Q&A <draft>", "Plans 2022 &ndash; 2023, a&nbsp;b, Fish &amp; Chips.");
    let guides = site_yaml("title: Fixture catalogue", "title: Guides & Rules");
    vec![
        valid("bc025-raw-html-is-sanitised", one(GUIDE, with_body(raw_html)), |site, _| {
            let page = read(site, "instruments/tariff-guide-2000/index.html")?.to_lowercase();
            let scripts = page.matches("<script").count();
            let data = page.matches("<script type=\"application/ld+json\">").count();
            ensure!(scripts == data, "{} <script> elements that are not JSON-LD", scripts - data);
            for bad in ["onerror", "onclick", "javascript:", "<iframe", "alert(1)", "style="] {
                ensure!(!page.contains(bad), "the page holds {bad:?}");
            }
            for file in ["feed.xml", "catalogue.json"] {
                let text = read(site, file)?.to_lowercase();
                ensure!(!text.contains("<script") && !text.contains("onerror"), "{file}: raw HTML");
            }
            Ok(())
        }),
        valid("bc027-titles-and-summaries-are-escaped-once", one(GUIDE, fish), |site, _| {
            for (file, bytes) in site_files(&site.out()) {
                let text = String::from_utf8_lossy(&bytes);
                let raw = text.contains("<b>\"best\"") || text.contains("<b>&quot;");
                ensure!(!raw, "{file}: a raw <b>");
                let twice = text.contains("&amp;amp;") || text.contains("&amp;lt;");
                ensure!(!twice, "{file}: escaped twice");
                ensure!(
                    !text.contains("content=\"He said \"no"),
                    "{file}: a quote ends an attribute"
                );
            }
            let page = read(site, "instruments/tariff-guide-2000/index.html")?;
            ensure!(page.contains("Fish &amp; Chips &lt;b&gt;"), "the title is not escaped");
            let title = &instrument_json(site, ID)?["title"];
            ensure!(*title == "Fish & Chips <b>\"best\"</b> it's", "title {title}");
            Ok(())
        }),
        valid(
            "bc046-feed-text-is-xml-escaped",
            vec![("content/site.yaml".to_owned(), guides.into()), (GUIDE.to_owned(), draft.into())],
            |site, _| {
                let feed = read(site, "feed.xml")?;
                ensure!(feed.contains("Q&amp;A &lt;draft&gt;"), "the entry title is not escaped");
                ensure!(feed.contains("Guides &amp; Rules"), "the site title is not escaped");
                well_formed_entities("feed.xml", &feed)?;
                well_formed_entities("sitemap.xml", &read(site, "sitemap.xml")?)
            },
        ),
    ]
}

/// Big and deep bodies: they build, and the whole text reaches the page.
fn size_inputs() -> Vec<Valid> {
    let deep = format!(
        "{}\n\n{}deep quote\n\n{}deep list\n\nEnd of the text.\n",
        "[".repeat(10_000),
        "> ".repeat(10_000),
        "- ".repeat(5_000)
    );
    vec![
        valid(
            "ten-thousand-nested-brackets-quotes-and-lists",
            one(GUIDE, with_body(&deep)),
            |site, _| {
                let page = read(site, "instruments/tariff-guide-2000/index.html")?;
                ensure!(page.contains("End of the text."), "the end of the body is missing");
                Ok(())
            },
        ),
        valid("twenty-megabyte-body", one(GUIDE, with_body(&big_body(20_000_000))), |site, _| {
            let page = read(site, "instruments/tariff-guide-2000/index.html")?;
            ensure!(page.len() > 20_000_000, "the page holds {} bytes", page.len());
            ensure!(page.contains("The last paragraph."), "the end of the body is missing");
            Ok(())
        }),
    ]
}

/// Control characters, addresses, page ids and builds that must repeat:
/// BC-021, BC-048.
fn output_inputs() -> Vec<Valid> {
    vec![
        valid("nul-in-the-body", one(GUIDE, with_body("Before\0after.\n")), |site, _| {
            no_control_characters(site)?;
            let page = read(site, "instruments/tariff-guide-2000/index.html")?;
            ensure!(page.contains("Before\u{fffd}after"), "the NUL was not replaced by U+FFFD");
            Ok(())
        }),
        valid(
            "control-characters-in-the-body",
            one(
                GUIDE,
                with_line("adopted: 2020-05-01")
                    .replace("The text", "Vertical\x0btab, \x1b[2J escape. The text"),
            ),
            |site, _| no_control_characters(site),
        ),
        valid(
            "bc048-sitemap-locations-are-ascii",
            vec![
                (
                    "content/site.yaml".to_owned(),
                    site_yaml(
                        "base_url: https://fixture.example.org/",
                        "base_url: https://fixture.example.org/каталог/",
                    )
                    .into_bytes(),
                ),
                (GUIDE.to_owned(), guide(ID).into_bytes()),
            ],
            |site, _| {
                let sitemap = read(site, "sitemap.xml")?;
                well_formed_entities("sitemap.xml", &sitemap)?;
                for loc in sitemap.split("<loc>").skip(1) {
                    let loc = &loc[..loc.find("</loc>").unwrap_or(loc.len())];
                    ensure!(
                        loc.is_ascii() && !loc.contains(' '),
                        "<loc>{loc}</loc> is not encoded"
                    );
                    ensure!(!loc.contains("%25"), "<loc>{loc}</loc> is encoded twice");
                }
                Ok(())
            },
        ),
        valid("two-builds-are-byte-identical", one(GUIDE, guide(ID)), |site, _| {
            let run = folio(&site.root, &["build", "-q", "--out", "again"], &[]);
            ensure!(run.code == Some(0), "the second build fails: {}", run.describe());
            let (first, second) = (tree(&site.out()), tree(&site.root.join("again")));
            ensure!(first == second, "two builds differ in {}", differing(&first, &second));
            Ok(())
        }),
        valid(
            "bc021-every-id-on-a-page-is-unique",
            one(
                GUIDE,
                with_body("## Scope\n## Scope\n## Scope 1\n<a id=\"scope-2\"></a>\n## Scope 2\n"),
            ),
            |site, _| {
                let page = read(site, "instruments/tariff-guide-2000/index.html")?;
                let mut ids: Vec<&str> =
                    page.split(" id=\"").skip(1).map(|s| &s[..s.find('"').unwrap_or(0)]).collect();
                ids.sort_unstable();
                let before = ids.len();
                ids.dedup();
                ensure!(ids.len() == before, "{} duplicate ids on the page", before - ids.len());
                Ok(())
            },
        ),
    ]
}

/// Markdown paragraphs adding up to about `bytes`, then a last one.
fn big_body(bytes: usize) -> String {
    let paragraph =
        "A paragraph of words with a [link](https://example.org/) and *emphasis*. ".repeat(10);
    let mut body = String::with_capacity(bytes + 100);
    while body.len() < bytes {
        body.push_str(&paragraph);
        body.push_str("\n\n");
    }
    body.push_str("The last paragraph.\n");
    body
}

fn read(site: &Site, path: &str) -> Result<String, String> {
    std::fs::read_to_string(site.out().join(path)).map_err(|err| format!("public/{path}: {err}"))
}

/// An instrument's object in `catalogue.json`.
fn instrument_json(site: &Site, id: &str) -> Result<Value, String> {
    let json: Value =
        serde_json::from_str(&read(site, "catalogue.json")?).map_err(|e| e.to_string())?;
    json["instruments"]
        .as_array()
        .and_then(|all| all.iter().find(|i| i["id"] == id))
        .cloned()
        .ok_or_else(|| format!("{id} is not in catalogue.json"))
}

/// The site built from the same files without BOM and with `\n` endings
/// gives byte-identical output.
fn same_as_plain(site: &Site, files: &[File]) -> Result<(), String> {
    let plain: Vec<File> = files
        .iter()
        .map(|(path, bytes)| {
            let text = String::from_utf8(bytes.clone()).expect("valid cases are UTF-8");
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            (path.clone(), text.replace("\r\n", "\n").replace('\r', "\n").into_bytes())
        })
        .collect();
    ensure!(plain != files, "the case has nothing to normalise");
    let twin = site_of(&plain, None);
    let run = folio(&twin.root, &["build", "-q"], &[]);
    ensure!(run.code == Some(0), "the plain twin fails: {}", run.describe());
    let (ours, theirs) = (site_files(&site.out()), site_files(&twin.out()));
    ensure!(
        ours == theirs,
        "the output differs from the plain twin's: {}",
        differing(&ours, &theirs)
    );
    Ok(())
}

/// Every file of a built site except the search index, whose stored fields
/// are compressed binary data; the index is compared on its own by
/// `two-builds-are-byte-identical`.
pub fn site_files(out: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = tree(out);
    files.retain(|path, _| !is_index_file(path));
    files
}

/// Whether a path of the output belongs to the search index.
pub fn is_index_file(path: &str) -> bool {
    path.split('/').any(|part| part == "search") && !path.ends_with(".html")
}

/// The files that differ between two output trees.
fn differing(
    a: &std::collections::BTreeMap<String, Vec<u8>>,
    b: &std::collections::BTreeMap<String, Vec<u8>>,
) -> String {
    let names: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let differ: Vec<&String> = names.into_iter().filter(|n| a.get(*n) != b.get(*n)).collect();
    format!("{differ:?}")
}

/// No HTML or XML file holds a C0 control character other than tab and line
/// feed: XML 1.0 forbids them, and HTML counts them as parse errors.
fn no_control_characters(site: &Site) -> Result<(), String> {
    for (file, bytes) in site_files(&site.out()) {
        if !(file.ends_with(".html") || file.ends_with(".xml")) {
            continue;
        }
        let bad = bytes.iter().find(|&&b| b < 0x20 && b != b'\t' && b != b'\n');
        ensure!(bad.is_none(), "{file} holds the control character {:#04x}", bad.unwrap());
    }
    Ok(())
}

fn no_carriage_returns(site: &Site) -> Result<(), String> {
    for (file, bytes) in site_files(&site.out()) {
        ensure!(!bytes.contains(&b'\r'), "a carriage return in {file}");
    }
    Ok(())
}

/// Every `&` of an XML text starts one of XML's own entities or a character
/// reference; HTML-only names such as `&nbsp;` are undefined in XML.
fn well_formed_entities(file: &str, xml: &str) -> Result<(), String> {
    for (at, _) in xml.match_indices('&') {
        let rest = &xml[at + 1..];
        let name = &rest[..rest.find(';').unwrap_or(0)];
        let known = matches!(name, "amp" | "lt" | "gt" | "quot" | "apos")
            || name
                .strip_prefix("#x")
                .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
            || name
                .strip_prefix('#')
                .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()));
        ensure!(known, "{file}: `&{}` is not an XML entity", &rest[..rest.len().min(12)]);
    }
    Ok(())
}

/// Build a valid case; what is wrong with folio's answer, if anything.
fn check_valid(case: &Valid) -> Result<(), String> {
    let site = site_of(&case.files, None);
    let run = folio(&site.root, &["build", "--format", "json"], &[]);
    let errors: Vec<Value> =
        run.diagnostics()?.into_iter().filter(|d| d["severity"] == "error").collect();
    ensure!(
        run.code == Some(0) && !run.stderr.contains("panicked") && errors.is_empty(),
        "expected a clean build\n{}",
        run.describe()
    );
    ensure!(site.out().is_dir(), "the build wrote no public/");
    ensure!(leftovers(&site.root).is_empty(), "the build left {:?}", leftovers(&site.root));
    (case.check)(&site, &case.files)
}

#[test]
fn every_awkward_valid_input_builds_the_right_output() {
    let cases = valid_inputs();
    eprintln!("{} valid inputs", cases.len());
    let failed = failures(&cases, |c| c.name, check_valid);
    assert!(
        failed.is_empty(),
        "{} of {} valid inputs failed:\n{}",
        failed.len(),
        cases.len(),
        failed.join("\n")
    );
}
