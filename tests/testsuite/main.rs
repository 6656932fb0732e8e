//! folio's integration tests: one binary, a module per area, fixture sites
//! under `tests/fixtures/`.

mod authors;
mod bad_input;
mod browser;
mod build;
mod catalogue;
mod cli;
mod edition;
mod faults;
mod formats;
mod harness;
mod languages;
mod legal;
mod metadata;
mod performance;
mod rules;
mod security;
mod serve;
