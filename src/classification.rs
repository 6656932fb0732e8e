//! The classification: the controlled vocabularies of `classification.yaml`
//! (categories, types, bodies, subjects, statuses, relation kinds) in the order
//! readers see them, with lookups by key. Loading checks the file against
//! itself: every reference between vocabularies must resolve.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Deserialize;

use crate::content::instrument::FIELDS;
use crate::content::yaml;
use crate::diagnostics::{Diagnostic, Diagnostics, suggestion};
use crate::rules;
use crate::source::{SourceFile, Spanned};

/// A named entry of a vocabulary.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The key front matter uses.
    pub key: Spanned<String>,
    /// The label readers see, in the default language.
    pub label: String,
    /// Labels in other languages, by language code.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// A sentence or two for the term's page.
    #[serde(default)]
    pub description: Option<String>,
}

/// The label in `language`, or the default label when there is none.
fn in_language<'a>(
    default: &'a str,
    labels: &'a BTreeMap<String, String>,
    language: &str,
) -> &'a str {
    labels.get(language).map_or(default, String::as_str)
}

impl Term {
    /// The label in `language`.
    pub fn label_in(&self, language: &str) -> &str {
        in_language(&self.label, &self.labels, language)
    }
}

/// An instrument type, such as `convention`, in one category.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstrumentType {
    /// The key front matter uses.
    pub key: Spanned<String>,
    /// The label of one instrument of this type.
    pub label: String,
    /// The label of a list of them.
    pub plural: String,
    /// Labels in other languages, by language code.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Plural labels in other languages, by language code.
    #[serde(default)]
    pub plurals: BTreeMap<String, String>,
    /// The category key.
    pub category: Spanned<String>,
    /// Fields an instrument of this type must have.
    #[serde(default)]
    pub requires: Vec<Requirement>,
}

/// A field a type requires, always or only with one status.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Requirement {
    /// The field is always required.
    Always(String),
    /// The field is required when the instrument has the status.
    WhenStatus {
        /// The front matter field.
        field: String,
        /// The status key.
        when_status: String,
    },
}

impl InstrumentType {
    /// The label in `language`.
    pub fn label_in(&self, language: &str) -> &str {
        in_language(&self.label, &self.labels, language)
    }

    /// The plural label in `language`.
    pub fn plural_in(&self, language: &str) -> &str {
        in_language(&self.plural, &self.plurals, language)
    }
}

impl Requirement {
    /// The field required.
    pub fn field(&self) -> &str {
        match self {
            Self::Always(field) | Self::WhenStatus { field, .. } => field,
        }
    }
}

/// A subject, possibly under a parent subject.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    /// The key front matter uses.
    pub key: Spanned<String>,
    /// The label.
    pub label: String,
    /// Labels in other languages, by language code.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// The parent subject key; subjects nest one level.
    #[serde(default)]
    pub parent: Option<Spanned<String>>,
}

/// A status, valid for some categories.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Status {
    /// The key front matter uses.
    pub key: Spanned<String>,
    /// The label.
    pub label: String,
    /// Labels in other languages, by language code.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// The categories whose instruments may have this status.
    pub categories: Vec<Spanned<String>>,
    /// Whether an instrument with this status is in force (or current).
    #[serde(default)]
    pub active: bool,
}

/// A kind of relation between two instruments and its inverse.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationKind {
    /// The key front matter uses, on the acting side.
    pub key: Spanned<String>,
    /// The label on the acting instrument's page.
    pub label: String,
    /// The key of the other side; equal to `key` for a symmetric relation.
    pub inverse: Spanned<String>,
    /// The label on the other instrument's page.
    pub inverse_label: String,
    /// Labels in other languages, by language code.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Inverse labels in other languages, by language code.
    #[serde(default)]
    pub inverse_labels: BTreeMap<String, String>,
    /// Whether a chain of this relation may never lead back to its start.
    #[serde(default)]
    pub acyclic: bool,
}

impl Subject {
    /// The label in `language`.
    pub fn label_in(&self, language: &str) -> &str {
        in_language(&self.label, &self.labels, language)
    }
}

impl Status {
    /// The label in `language`.
    pub fn label_in(&self, language: &str) -> &str {
        in_language(&self.label, &self.labels, language)
    }
}

impl RelationKind {
    /// The label of one side in `language`.
    pub fn side_label_in(&self, inverse: bool, language: &str) -> &str {
        if inverse {
            in_language(&self.inverse_label, &self.inverse_labels, language)
        } else {
            in_language(&self.label, &self.labels, language)
        }
    }

    /// Whether the relation reads the same from both sides.
    pub fn is_symmetric(&self) -> bool {
        self.key.value == self.inverse.value
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClassification {
    categories: Vec<Term>,
    types: Vec<InstrumentType>,
    bodies: Vec<Term>,
    subjects: Vec<Subject>,
    statuses: Vec<Status>,
    relations: Vec<RelationKind>,
}

/// The loaded, self-consistent classification.
#[derive(Debug)]
pub struct Classification {
    /// The file it was read from.
    pub file: Arc<SourceFile>,
    /// Categories, in order.
    pub categories: Vec<Term>,
    /// Types, in order.
    pub types: Vec<InstrumentType>,
    /// Issuing bodies, in order.
    pub bodies: Vec<Term>,
    /// Subjects, in order; children follow their parent.
    pub subjects: Vec<Subject>,
    /// Statuses, in order.
    pub statuses: Vec<Status>,
    /// Relation kinds, in order.
    pub relations: Vec<RelationKind>,
    index: Index,
}

/// Positions of each key in its vocabulary.
#[derive(Debug, Default)]
struct Index {
    categories: HashMap<String, usize>,
    types: HashMap<String, usize>,
    bodies: HashMap<String, usize>,
    subjects: HashMap<String, usize>,
    statuses: HashMap<String, usize>,
    relations: HashMap<String, usize>,
}

fn index_of<'a>(
    keys: impl Iterator<Item = &'a Spanned<String>>,
    what: &str,
    file: &Arc<SourceFile>,
    diagnostics: &mut Diagnostics,
) -> HashMap<String, usize> {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut spans = Vec::new();
    for (position, key) in keys.enumerate() {
        if let Some(&first) = index.get(&key.value) {
            let first_span: crate::source::Span = spans[first];
            diagnostics.push(
                Diagnostic::error(
                    rules::INVALID_CLASSIFICATION,
                    file,
                    key.span,
                    format!("{what} `{}` is declared twice", key.value),
                )
                .with_related(file, first_span, "first declared here"),
            );
        } else {
            index.insert(key.value.clone(), position);
        }
        spans.push(key.span);
    }
    index
}

impl Classification {
    /// Read and check `classification.yaml`. Returns `None` when the file is
    /// unusable; every problem found is in `diagnostics`.
    pub fn load(file: &Arc<SourceFile>, diagnostics: &mut Diagnostics) -> Option<Self> {
        let raw: RawClassification = match yaml::parse(&file.text) {
            Ok(raw) => raw,
            Err(err) => {
                diagnostics.push(err.into_diagnostic(file));
                return None;
            }
        };
        let errors_before = diagnostics.count(crate::diagnostics::Severity::Error);
        let index = Index {
            categories: index_of(
                raw.categories.iter().map(|t| &t.key),
                "category",
                file,
                diagnostics,
            ),
            types: index_of(raw.types.iter().map(|t| &t.key), "type", file, diagnostics),
            bodies: index_of(raw.bodies.iter().map(|t| &t.key), "body", file, diagnostics),
            subjects: index_of(raw.subjects.iter().map(|t| &t.key), "subject", file, diagnostics),
            statuses: index_of(raw.statuses.iter().map(|t| &t.key), "status", file, diagnostics),
            relations: index_of(
                raw.relations.iter().map(|r| &r.key),
                "relation",
                file,
                diagnostics,
            ),
        };
        let classification = Self {
            file: Arc::clone(file),
            categories: raw.categories,
            types: raw.types,
            bodies: raw.bodies,
            subjects: raw.subjects,
            statuses: raw.statuses,
            relations: raw.relations,
            index,
        };
        classification.check_references(diagnostics);
        (diagnostics.count(crate::diagnostics::Severity::Error) == errors_before)
            .then_some(classification)
    }

    fn check_references(&self, diagnostics: &mut Diagnostics) {
        let file = &self.file;
        let category_keys = || self.categories.iter().map(|c| c.key.value.as_str());
        let unknown = |what: &str, key: &Spanned<String>, candidates: Vec<&str>| {
            Diagnostic::error(
                rules::INVALID_CLASSIFICATION,
                file,
                key.span,
                format!("unknown {what} `{}`", key.value),
            )
            .with_hint(suggestion(&key.value, candidates.iter().copied()))
        };
        for kind in &self.types {
            if self.category(&kind.category.value).is_none() {
                diagnostics.push(unknown("category", &kind.category, category_keys().collect()));
            }
            for requirement in &kind.requires {
                let field = requirement.field();
                if !FIELDS.contains(&field) {
                    let message = format!(
                        "`requires` of type `{}` names an unknown field `{field}`",
                        kind.key.value
                    );
                    diagnostics.push(
                        Diagnostic::error(
                            rules::INVALID_CLASSIFICATION,
                            file,
                            kind.key.span,
                            message,
                        )
                        .with_hint(suggestion(field, FIELDS.iter().copied())),
                    );
                }
                if let Requirement::WhenStatus { when_status, .. } = requirement
                    && self.status(when_status).is_none()
                {
                    let message = format!(
                        "`requires` of type `{}` names an unknown status `{when_status}`",
                        kind.key.value
                    );
                    let statuses = self.statuses.iter().map(|s| s.key.value.as_str());
                    diagnostics.push(
                        Diagnostic::error(
                            rules::INVALID_CLASSIFICATION,
                            file,
                            kind.key.span,
                            message,
                        )
                        .with_hint(suggestion(when_status, statuses)),
                    );
                }
            }
        }
        for status in &self.statuses {
            for category in &status.categories {
                if self.category(&category.value).is_none() {
                    diagnostics.push(unknown("category", category, category_keys().collect()));
                }
            }
        }
        for (position, relation) in self.relations.iter().enumerate() {
            let taken = self.relations.iter().enumerate().any(|(other, r)| {
                other != position
                    && (r.key.value == relation.inverse.value
                        || r.inverse.value == relation.inverse.value)
            });
            if taken {
                diagnostics.push(
                    Diagnostic::error(
                        rules::INVALID_CLASSIFICATION,
                        file,
                        relation.inverse.span,
                        format!(
                            "the inverse `{}` is already the name of another relation side",
                            relation.inverse.value
                        ),
                    )
                    .with_hint("give every side of every relation its own key"),
                );
            }
        }
        for subject in &self.subjects {
            let Some(parent) = &subject.parent else { continue };
            match self.subject(&parent.value) {
                None => diagnostics.push(unknown(
                    "parent subject",
                    parent,
                    self.subjects.iter().map(|s| s.key.value.as_str()).collect(),
                )),
                Some(p) if p.parent.is_some() => diagnostics.push(
                    Diagnostic::error(
                        rules::INVALID_CLASSIFICATION,
                        file,
                        parent.span,
                        format!("`{}` is itself a child subject", parent.value),
                    )
                    .with_hint("subjects nest one level: name a top-level subject as the parent"),
                ),
                Some(_) => {}
            }
        }
    }

    /// The category with this key.
    pub fn category(&self, key: &str) -> Option<&Term> {
        self.index.categories.get(key).map(|&i| &self.categories[i])
    }

    /// The type with this key.
    pub fn instrument_type(&self, key: &str) -> Option<&InstrumentType> {
        self.index.types.get(key).map(|&i| &self.types[i])
    }

    /// The body with this key.
    pub fn body(&self, key: &str) -> Option<&Term> {
        self.index.bodies.get(key).map(|&i| &self.bodies[i])
    }

    /// The subject with this key.
    pub fn subject(&self, key: &str) -> Option<&Subject> {
        self.index.subjects.get(key).map(|&i| &self.subjects[i])
    }

    /// The status with this key.
    pub fn status(&self, key: &str) -> Option<&Status> {
        self.index.statuses.get(key).map(|&i| &self.statuses[i])
    }

    /// The relation kind declared with this key (the acting side only).
    pub fn relation(&self, key: &str) -> Option<&RelationKind> {
        self.index.relations.get(key).map(|&i| &self.relations[i]).filter(|r| r.key.value == key)
    }

    /// The relation kind whose inverse side has this key (`amended-by`).
    pub fn relation_by_inverse(&self, key: &str) -> Option<&RelationKind> {
        self.relations.iter().find(|r| r.inverse.value == key)
    }

    /// The position of a key in its vocabulary, for ordering.
    pub fn type_order(&self, key: &str) -> usize {
        self.index.types.get(key).copied().unwrap_or(usize::MAX)
    }

    /// The position of a category key.
    pub fn category_order(&self, key: &str) -> usize {
        self.index.categories.get(key).copied().unwrap_or(usize::MAX)
    }
}
