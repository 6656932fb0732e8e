//! folio's integration tests: one binary, a module per area, fixture sites
//! under `tests/fixtures/`.

mod build;
mod catalogue;
mod cli;
mod harness;
mod languages;
mod legal;
mod rules;
mod metadata;
mod formats;
