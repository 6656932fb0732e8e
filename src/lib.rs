//! folio builds a published guidelines catalogue — instruments written as
//! Markdown with YAML front matter, classified by a controlled vocabulary —
//! into a cross-linked static site with a prebuilt search index.
//!
//! The pipeline, in the order [`pipeline`] runs it:
//!
//! 1. [`content`] finds and reads `content/`: settings, classification,
//!    instruments, translations and pages, each with source spans.
//! 2. [`catalogue`] assembles them: outlines of every body ([`markdown`]),
//!    relations resolved on both sides, body links as backlinks.
//! 3. [`validate`] checks the catalogue against the classification and
//!    itself; every problem is a [`diagnostics::Diagnostic`].
//! 4. [`render`] turns the catalogue into pages through view models and tera
//!    templates; [`output`] writes them beside the previous site and swaps.

pub mod catalogue;
pub mod chronology;
pub mod classification;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod diff;
pub mod edition;
pub mod error;
pub mod html_text;
pub mod linkcheck;
pub mod markdown;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod render;
pub mod rules;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod security;
pub mod serve;
pub mod slug;
pub mod source;
pub mod synth;
pub mod validate;
pub mod work;
