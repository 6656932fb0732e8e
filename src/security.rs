//! What folio promises a browser about the pages it writes. The default
//! theme has no inline script, no inline style, no event attributes and no
//! `javascript:` URLs, so a server can send [`CSP`] with every page. A site
//! that overrides the templates must keep to it, or send its own policy.
//!
//! `tests/testsuite/security.rs` builds the real catalogue and checks every
//! page against this policy.

/// The `Content-Security-Policy` header value the default theme meets.
///
/// Only the site's own files may be loaded (`'self'`); images may also be
/// `data:` URLs; no plugin content; `<base>` cannot point elsewhere. Neither
/// `'unsafe-inline'` nor `'unsafe-eval'` is needed. A JSON-LD data block
/// (`<script type="application/ld+json">`) is not script and is not blocked.
pub const CSP: &str = "default-src 'self'; img-src 'self' data:; \
     style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'";
