//! Front matter of any bytes: the split, the YAML read into a generic value
//! and into an instrument, every diagnostic printed in every format, and
//! (for some inputs) the whole `check` of a small site holding the bytes as
//! an instrument file.
//!
//! The split's spans must lie on character boundaries of the text and cover
//! it in order; nothing may panic.

#![no_main]

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use folio::content::{front_matter, instrument, yaml};
use folio::diagnostics::{self, Diagnostics, Format};
use folio::pipeline::{self, Settings};
use folio::source::SourceFile;
use libfuzzer_sys::fuzz_target;

/// A site with the test fixtures' settings and classification, made once.
fn site() -> &'static (tempfile::TempDir, PathBuf) {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    SITE.get_or_init(|| {
        let temp = tempfile::tempdir().expect("a temporary folder");
        let root = temp.path().join("site");
        let content = root.join("content");
        std::fs::create_dir_all(content.join("instruments")).unwrap();
        let base = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/base/content");
        for name in ["site.yaml", "classification.yaml"] {
            std::fs::copy(format!("{base}/{name}"), content.join(name)).unwrap();
        }
        (temp, root)
    })
}

fn print_all(found: Diagnostics) {
    let found = found.into_sorted();
    for format in [Format::Human, Format::Short, Format::Json, Format::Github] {
        let _ = diagnostics::render(&found, format, false);
    }
}

/// The whole `check` of the site with `data` as an instrument file, UTF-8
/// or not.
fn check_site(data: &[u8]) {
    let (_, root) = site();
    std::fs::write(root.join("content/instruments/fuzz-input-2000.md"), data).unwrap();
    let out = root.join("public");
    let settings = Settings { root: root.clone(), out, base_url: None, deny_warnings: false };
    let outcome = pipeline::check(&settings).expect("check runs");
    let _ = diagnostics::render(&outcome.diagnostics, Format::Human, false);
}

fuzz_target!(|data: &[u8]| {
    // A whole `check` costs a hundred times the rest: run it for one input
    // in four, chosen by content so that a crash replays.
    if data.iter().map(|&b| usize::from(b)).sum::<usize>() % 4 == 0 {
        check_site(data);
    }

    let Ok(text) = std::str::from_utf8(data) else { return };
    let file = Arc::new(SourceFile::new("content/instruments/fuzz-input-2000.md", text));
    let _ = yaml::parse::<serde_json::Value>(&file.text);
    let Ok(split) = front_matter::split(&file.text) else { return };

    for span in [split.yaml, split.yaml_body, split.body] {
        assert!(span.start <= span.end && span.end <= file.text.len(), "{span:?}");
        assert!(file.text.is_char_boundary(span.start) && file.text.is_char_boundary(span.end));
    }
    assert!(split.yaml_body.end <= split.body.start && split.body.end == file.text.len());

    let _ = yaml::parse::<serde_json::Value>(&file.text[split.yaml.start..split.yaml.end]);
    let mut found = Diagnostics::new();
    let _ = instrument::read(&file, split.yaml, split.body, "en", false, &mut found);
    print_all(found);
});
