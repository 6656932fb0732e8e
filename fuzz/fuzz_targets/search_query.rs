//! The search box: any text, and any JSON request the API accepts, against
//! the index of the real catalogue. The query parser is internal to
//! `folio::search`, so it is reached through `Searcher::search`, which every
//! query goes through. A search may answer with an error, never a panic.

#![no_main]

use std::sync::OnceLock;

use folio::pipeline::{self, Settings};
use folio::search::{Query, Searcher};
use libfuzzer_sys::fuzz_target;

/// The real catalogue built once into a temporary folder, and its index.
fn searcher() -> &'static (tempfile::TempDir, Searcher) {
    static SEARCHER: OnceLock<(tempfile::TempDir, Searcher)> = OnceLock::new();
    SEARCHER.get_or_init(|| {
        let temp = tempfile::tempdir().expect("a temporary folder");
        let out = temp.path().join("public");
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..").into();
        let settings = Settings { root, out: out.clone(), base_url: None, deny_warnings: false };
        let outcome = pipeline::build(&settings).expect("the real catalogue builds");
        assert!(outcome.written.is_some(), "the real catalogue has errors");
        let searcher = Searcher::open(&out.join("search")).expect("the index opens");
        (temp, searcher)
    })
}

fuzz_target!(|data: &[u8]| {
    let (_, searcher) = searcher();
    if let Ok(query) = serde_json::from_slice::<Query>(data) {
        let _ = searcher.search(&query);
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = searcher.search(&Query::text(text));
    let mut typing = Query::text(text);
    typing.prefix = true;
    typing.language = Some("all".to_owned());
    let _ = searcher.search(&typing);
});
