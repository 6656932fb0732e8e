//! An instrument as its file states it: front matter read into typed fields
//! with their spans, and the Markdown body's place in the file. Checks that
//! need nothing but the file itself happen here; checks against the
//! classification and the other instruments happen in `validate`.

use std::sync::Arc;

use serde::Deserialize;

use super::date::PartialDate;
use super::yaml::{self, MappingKeys};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::rules;
use crate::source::{SourceFile, Span, Spanned};

/// Every front matter field an instrument file may have, in the order the
/// content format lists them.
pub const FIELDS: &[&str] = &[
    "id",
    "title",
    "short_title",
    "type",
    "body",
    "subjects",
    "status",
    "adopted",
    "place",
    "in_force",
    "relations",
    "parties",
    "source",
    "reviewed",
];

/// The fields a translation sets itself; any other field it repeats must
/// agree with the default-language file.
pub const TRANSLATION_FIELDS: &[&str] = &["id", "title", "short_title"];

/// Fields every instrument must have.
pub const REQUIRED: &[&str] = &["id", "title", "type", "body", "subjects", "status"];

/// Whether `id` is lowercase ASCII letters and digits joined by single
/// hyphens, as ids and URLs must be.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|word| {
            !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[derive(Debug, Default, Deserialize)]
struct RawFrontMatter {
    id: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    short_title: Option<Spanned<String>>,
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    body: Option<Spanned<String>>,
    subjects: Option<Vec<Spanned<String>>>,
    status: Option<Spanned<String>>,
    adopted: Option<Spanned<String>>,
    place: Option<Spanned<String>>,
    in_force: Option<Spanned<String>>,
    relations: Option<RawRelationList>,
    parties: Option<RawParties>,
    source: Option<Spanned<String>>,
    reviewed: Option<Spanned<String>>,
}

/// One `kind: [targets]` entry of `relations`.
#[derive(Debug)]
struct RawRelation {
    kind: Spanned<String>,
    targets: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParties {
    count: Spanned<u32>,
    #[serde(default)]
    as_of: Option<Spanned<String>>,
}

/// A relation as declared in front matter, on the acting side.
#[derive(Debug, Clone)]
pub struct DeclaredRelation {
    /// The relation kind's key (`amends`).
    pub kind: Spanned<String>,
    /// The other instrument's id.
    pub target: Spanned<String>,
}

/// A count of parties with the date it was true.
#[derive(Debug, Clone)]
pub struct Parties {
    /// How many parties.
    pub count: u32,
    /// The date of that count.
    pub as_of: Option<PartialDate>,
}

/// One instrument file, read.
#[derive(Debug, Clone)]
pub struct Instrument {
    /// Its file.
    pub file: Arc<SourceFile>,
    /// The language of the file: the default language, or a translation's.
    pub language: String,
    /// The stable id.
    pub id: Spanned<String>,
    /// The full title.
    pub title: Spanned<String>,
    /// The common short name.
    pub short_title: Option<Spanned<String>>,
    /// The type key.
    pub kind: Spanned<String>,
    /// The issuing body key.
    pub body: Spanned<String>,
    /// Subject keys.
    pub subjects: Vec<Spanned<String>>,
    /// The status key.
    pub status: Spanned<String>,
    /// Date of adoption or signature.
    pub adopted: Option<Spanned<PartialDate>>,
    /// Place of adoption.
    pub place: Option<String>,
    /// Date of entry into force.
    pub in_force: Option<Spanned<PartialDate>>,
    /// Date the entry was last reviewed.
    pub reviewed: Option<Spanned<PartialDate>>,
    /// Relations declared in this file.
    pub relations: Vec<DeclaredRelation>,
    /// The number of parties, when known.
    pub parties: Option<Parties>,
    /// The official page.
    pub source: Option<String>,
    /// The parties, one row each, from `<id>.parties.csv`.
    pub parties_table: Option<super::parties::PartiesTable>,
    /// Where the Markdown body stands in the file.
    pub body_span: Span,
    /// Where the front matter stands (for diagnostics about missing fields).
    pub front_matter_span: Span,
    /// The fields present in the file.
    pub fields_present: Vec<Spanned<String>>,
    /// The fields present without a value (`adopted:` and nothing after it).
    pub blank_fields: Vec<String>,
}

impl Instrument {
    /// The Markdown body.
    pub fn markdown(&self) -> &str {
        &self.file.text[self.body_span.start..self.body_span.end]
    }

    /// The short title if there is one, else the title.
    pub fn display_title(&self) -> &str {
        self.short_title.as_ref().map_or(&self.title.value, |s| &s.value)
    }

    /// Whether a field is present with a value (an empty `adopted:` is not;
    /// a value that failed its own check is, so it is not reported twice).
    pub fn has_value(&self, field: &str) -> bool {
        self.fields_present.iter().any(|f| f.value == field)
            && !self.blank_fields.iter().any(|f| f == field)
    }

    /// The span of a present field's key, or of the front matter's first line.
    pub fn field_span(&self, field: &str) -> Span {
        self.fields_present
            .iter()
            .find(|f| f.value == field)
            .map_or(self.front_matter_span, |f| f.span)
    }
}

/// Read an instrument's front matter. `yaml` is the front matter with its
/// opening delimiter (a file prefix); `body` the Markdown's span. Problems go to
/// `diagnostics`; `None` when the file cannot give an instrument.
pub fn read(
    file: &Arc<SourceFile>,
    yaml: Span,
    body: Span,
    language: &str,
    translation: bool,
    diagnostics: &mut Diagnostics,
) -> Option<Instrument> {
    let text = &file.text[yaml.start..yaml.end];
    let opening = Span::new(0, 3);

    let empty_block = text.lines().skip(1).all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#')
    });
    let keys = match yaml::parse::<MappingKeys>(if empty_block { "{}" } else { text }) {
        Ok(keys) => keys.0,
        Err(err) => {
            diagnostics.push(err.into_diagnostic(file));
            return None;
        }
    };
    for key in &keys {
        if !FIELDS.contains(&key.value.as_str()) {
            diagnostics.push(unknown_field(file, key));
        }
    }
    let raw: RawFrontMatter = match yaml::parse(if empty_block { "{}" } else { text }) {
        Ok(raw) => raw,
        Err(err) => {
            diagnostics.push(err.into_diagnostic(file));
            return None;
        }
    };

    let required: &[&str] = if translation { &["id", "title"] } else { REQUIRED };
    let mut complete = true;
    for &field in required {
        if !present(&raw, field) {
            complete = false;
            // An empty value points at its key; a missing one at the block.
            let at = keys.iter().find(|k| k.value == field).map_or(opening, |k| k.span);
            let message = format!("missing required field `{field}`");
            diagnostics.push(
                Diagnostic::error(rules::MISSING_FIELD, file, at, message)
                    .with_label("in this front matter")
                    .with_hint(format!("add a line `{field}: …` between the `---` lines")),
            );
        }
    }

    let mut date = |value: &Option<Spanned<String>>, field: &str| {
        let value = value.as_ref()?;
        match PartialDate::parse(&value.value) {
            Ok(date) => Some(Spanned::new(date, value.span)),
            Err(err) => {
                diagnostics.push(
                    Diagnostic::error(
                        rules::INVALID_DATE,
                        file,
                        value.span,
                        format!("`{field}` is `{}`: {err}", value.value),
                    )
                    .with_hint(
                        "write a year (`1973`), a month (`1973-05`) or a day (`1973-05-18`)",
                    ),
                );
                None
            }
        }
    };
    let adopted = date(&raw.adopted, "adopted");
    let in_force = date(&raw.in_force, "in_force");
    let reviewed = date(&raw.reviewed, "reviewed");
    let parties = raw.parties.as_ref().map(|p| Parties {
        count: p.count.value,
        as_of: date(&p.as_of, "parties.as_of").map(|d| d.value),
    });
    if !complete {
        return None;
    }

    let blank_fields: Vec<String> =
        keys.iter().map(|k| k.value.clone()).filter(|field| !raw_has_value(&raw, field)).collect();
    let empty = || Spanned::new(String::new(), opening);
    let relations = raw
        .relations
        .unwrap_or_default()
        .0
        .into_iter()
        .flat_map(|r| {
            let kind = r.kind;
            r.targets.into_iter().map(move |target| DeclaredRelation { kind: kind.clone(), target })
        })
        .collect();
    Some(Instrument {
        file: Arc::clone(file),
        language: language.to_owned(),
        id: raw.id.expect("checked above"),
        title: raw.title.expect("checked above"),
        short_title: raw.short_title,
        kind: raw.kind.unwrap_or_else(empty),
        body: raw.body.unwrap_or_else(empty),
        subjects: raw.subjects.unwrap_or_default(),
        status: raw.status.unwrap_or_else(empty),
        adopted,
        place: raw.place.map(|p| p.value),
        in_force,
        reviewed,
        relations,
        parties,
        source: raw.source.map(|s| s.value),
        parties_table: None,
        body_span: body,
        front_matter_span: opening,
        blank_fields,
        fields_present: keys,
    })
}

/// Whether the raw front matter holds a value for a present key.
fn raw_has_value(raw: &RawFrontMatter, field: &str) -> bool {
    let text = |value: &Option<Spanned<String>>| {
        value.as_ref().is_some_and(|v| !v.value.trim().is_empty())
    };
    match field {
        "short_title" => text(&raw.short_title),
        "adopted" => text(&raw.adopted),
        "in_force" => text(&raw.in_force),
        "reviewed" => text(&raw.reviewed),
        "place" => text(&raw.place),
        "source" => text(&raw.source),
        "parties" => raw.parties.is_some(),
        "relations" => raw.relations.as_ref().is_some_and(|r| !r.0.is_empty()),
        _ => present(raw, field),
    }
}

fn present(raw: &RawFrontMatter, field: &str) -> bool {
    let text = |value: &Option<Spanned<String>>| {
        value.as_ref().is_some_and(|v| !v.value.trim().is_empty())
    };
    match field {
        "id" => text(&raw.id),
        "title" => text(&raw.title),
        "type" => text(&raw.kind),
        "body" => text(&raw.body),
        "subjects" => raw.subjects.as_ref().is_some_and(|s| !s.is_empty()),
        "status" => text(&raw.status),
        _ => true,
    }
}

fn unknown_field(file: &Arc<SourceFile>, key: &Spanned<String>) -> Diagnostic {
    let message = format!("unknown field `{}`", key.value);
    let diagnostic = Diagnostic::error(rules::UNKNOWN_FIELD, file, key.span, message);
    match did_you_mean(&key.value, FIELDS.iter().copied()) {
        Some(best) => diagnostic.with_hint(format!("did you mean `{best}`?")),
        None => diagnostic.with_hint(format!("the fields are {}", FIELDS.join(", "))),
    }
}

/// `relations` is read pair by pair so that the order of the file is kept.
impl<'de> Deserialize<'de> for RawRelationList {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PairsVisitor;

        impl<'de> serde::de::Visitor<'de> for PairsVisitor {
            type Value = RawRelationList;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mapping of relation kinds to lists of ids")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawRelationList, A::Error> {
                let mut relations = Vec::new();
                while let Some(kind) = map.next_key::<Spanned<String>>()? {
                    let targets = map.next_value::<Vec<Spanned<String>>>()?;
                    relations.push(RawRelation { kind, targets });
                }
                Ok(RawRelationList(relations))
            }
        }

        deserializer.deserialize_map(PairsVisitor)
    }
}

/// The `relations` mapping in source order.
#[derive(Debug, Default)]
struct RawRelationList(Vec<RawRelation>);
