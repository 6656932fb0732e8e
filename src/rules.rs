//! The catalogue of validation rules. Each rule has a stable kebab-case name,
//! named after the problem it flags; fixtures, JSON output and suppressions
//! refer to rules by that name. The checks themselves live with the stage that
//! can see the problem (loading, validation, links).

/// A rule's name and a one-line description of what it flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable name, shown in brackets after the severity.
    pub name: &'static str,
    /// What the rule flags.
    pub summary: &'static str,
}

macro_rules! rules {
    ($($(#[$doc:meta])* $ident:ident = $name:literal: $summary:literal;)*) => {
        $( $(#[$doc])* pub const $ident: &str = $name; )*

        /// Every rule, in the order of this file.
        pub const ALL: &[Rule] = &[$(Rule { name: $name, summary: $summary }),*];
    };
}

rules! {
    UNREADABLE_FILE = "unreadable-file": "a content file cannot be read or is not UTF-8";
    EMPTY_FILE = "empty-file": "a content file is empty";
    MISSING_FRONT_MATTER = "missing-front-matter": "a file does not start with a `---` front matter block";
    UNCLOSED_FRONT_MATTER = "unclosed-front-matter": "the front matter has no closing `---` line";
    INVALID_YAML = "invalid-yaml": "the YAML cannot be parsed";
    CONTROL_CHARACTER = "control-character": "a text holds a control character other than tab and line feed (in the body a warning; it is replaced by U+FFFD)";
    DUPLICATE_KEY = "duplicate-key": "a key appears twice in one mapping";
    WRONG_TYPE = "wrong-type": "a value has the wrong type (a list where text is expected, ...)";
    UNKNOWN_FIELD = "unknown-field": "a field that the content format does not define";
    MISSING_FIELD = "missing-field": "a required field is absent or empty, also per type";
    INVALID_DATE = "invalid-date": "a date is not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, or does not exist";
    INVALID_ID = "invalid-id": "an id is not lowercase ASCII words joined by hyphens";
    ID_FILE_MISMATCH = "id-file-mismatch": "the file name is not the instrument's id";
    DUPLICATE_ID = "duplicate-id": "two files declare the same id, also when only the case differs";
    UNKNOWN_TYPE = "unknown-type": "`type` is not a type of the classification";
    UNKNOWN_BODY = "unknown-body": "`body` is not a body of the classification";
    UNKNOWN_SUBJECT = "unknown-subject": "a subject is not a subject of the classification";
    UNKNOWN_STATUS = "unknown-status": "`status` is not a status of the classification";
    STATUS_NOT_FOR_CATEGORY = "status-not-for-category": "the status does not apply to the type's category";
    UNKNOWN_RELATION = "unknown-relation": "a relation kind that the classification does not define";
    UNKNOWN_RELATION_TARGET = "unknown-relation-target": "a relation names an id that no instrument has";
    SELF_RELATION = "self-relation": "an instrument is related to itself";
    RELATION_BOTH_SIDES = "relation-both-sides": "a relation is declared on both instruments (warning)";
    RELATION_CYCLE = "relation-cycle": "`supersedes`, `amends` or `part-of` relations form a cycle";
    INVALID_PARTIES = "invalid-parties": "a parties file has an unknown column, a row of the wrong length or a bad value";
    TYPED_PARTY_COUNT = "typed-party-count": "`parties` is typed although a parties file gives the count";
    STATUS_CONFLICT = "status-conflict": "the status contradicts the relations or dates (in force, yet superseded)";
    IN_FORCE_BEFORE_ADOPTED = "in-force-before-adopted": "`in_force` is earlier than `adopted`";
    AMENDS_NEWER = "amends-newer": "an instrument amends or supersedes one adopted after it";
    UNKNOWN_LINK_TARGET = "unknown-link-target": "a body link names an instrument or page that does not exist";
    UNKNOWN_ANCHOR = "unknown-anchor": "a body link names a heading that the target does not have";
    UNSAFE_LINK = "unsafe-link": "a body link uses a `javascript:`, `vbscript:` or `data:` URL";
    BROKEN_OUTPUT_LINK = "broken-output-link": "a rendered page links to a page or id that the build does not write";
    ORPHAN_INSTRUMENT = "orphan-instrument": "nothing links to an instrument and it links to nothing (warning)";
    MISSING_SOURCE = "missing-source": "an instrument names no source (warning)";
    TRANSLATION_MISMATCH = "translation-mismatch": "a translation contradicts the original's classification fields";
    TRANSLATION_WITHOUT_ORIGINAL = "translation-without-original": "a translation has no default-language file";
    RESERVED_PAGE_ID = "reserved-page-id": "a free page's name collides with a folder of the built site";
    INVALID_CLASSIFICATION = "invalid-classification": "classification.yaml is inconsistent";
    INVALID_SITE_CONFIG = "invalid-site-config": "site.yaml has a wrong value";
}
