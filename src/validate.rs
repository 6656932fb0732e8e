//! Validation of the assembled catalogue against the classification and
//! across instruments. Each check pushes diagnostics and moves on, so one run
//! reports every problem. Rule names live in [`crate::rules`].

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::catalogue::{Catalogue, Edge, Entry, Unresolved};
use crate::chronology;
use crate::classification::Requirement;
use crate::content::Instrument;
use crate::content::instrument::{TRANSLATION_FIELDS, is_valid_id};
use crate::diagnostics::{Diagnostic, Diagnostics, suggestion};
use crate::markdown::{LinkTarget, Outline, RESERVED_IDS};
use crate::rules;
use crate::source::{SourceFile, Spanned};

/// Folder names of the built site that a free page may not take.
pub const RESERVED_PAGE_IDS: &[&str] = &[
    "instruments",
    "categories",
    "types",
    "bodies",
    "subjects",
    "statuses",
    "years",
    "classification",
    "search",
    "assets",
    "ru",
    "en",
    "404",
];

/// Run every check on the catalogue.
pub fn validate(catalogue: &Catalogue, diagnostics: &mut Diagnostics) {
    diagnostics.extend(EntryDiagnostics::of(catalogue).0.into_iter().flatten());
    validate_catalogue(catalogue, diagnostics);
}

/// The checks of one entry: its fields against the classification, its
/// links, its translations and its standing among its relations. They read
/// other entries only through its relations and links, so after an edit
/// only the entries it touches need them again.
pub fn validate_entry(catalogue: &Catalogue, index: usize, diagnostics: &mut Diagnostics) {
    crate::work::count(crate::work::Work::EntryChecks);
    let entry = &catalogue.entries[index];
    check_instrument(catalogue, &entry.instrument, diagnostics);
    check_links(catalogue, &entry.instrument.file, &entry.outline, diagnostics);
    check_attention(entry, diagnostics);
    check_status(catalogue, index, diagnostics);
    for (translation, outline) in entry.translations.values() {
        check_id(translation, diagnostics);
        check_translation(&entry.instrument, translation, diagnostics);
        check_links(catalogue, &translation.file, outline, diagnostics);
    }
}

/// The checks that span the catalogue: translations without an original,
/// free pages, ids used twice, and the relations as a whole (repeats,
/// dates, cycles).
pub fn validate_catalogue(catalogue: &Catalogue, diagnostics: &mut Diagnostics) {
    for translation in &catalogue.orphan_translations {
        diagnostics.push(
            Diagnostic::error(
                rules::TRANSLATION_WITHOUT_ORIGINAL,
                &translation.file,
                translation.id.span,
                format!("no instrument has the id `{}`", translation.id.value),
            )
            .with_hint(suggestion(&translation.id.value, catalogue.ids())),
        );
    }
    for page in &catalogue.pages {
        if RESERVED_PAGE_IDS.contains(&page.page.id.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    rules::RESERVED_PAGE_ID,
                    &page.page.file,
                    crate::source::Span::new(0, 3),
                    format!(
                        "a page named `{}` would replace a folder of the built site",
                        page.page.id
                    ),
                )
                .with_hint("rename the file"),
            );
        }
        check_links(catalogue, &page.page.file, &page.outline, diagnostics);
    }
    check_page_names(catalogue, diagnostics);
    check_duplicate_ids(catalogue, diagnostics);
    check_relations(catalogue, diagnostics);
}

/// The diagnostics of [`validate_entry`], per entry, kept by `serve --watch`
/// so that an edit checks again only the entries it touches.
#[derive(Debug, Default)]
pub struct EntryDiagnostics(Vec<Vec<Diagnostic>>);

/// A fresh check of some entries, not yet kept.
#[derive(Debug)]
pub struct Rechecked {
    entries: Vec<(usize, Vec<Diagnostic>)>,
}

impl EntryDiagnostics {
    /// Check every entry, on all cores.
    pub fn of(catalogue: &Catalogue) -> Self {
        use rayon::prelude::*;
        let per_entry = (0..catalogue.entries.len())
            .into_par_iter()
            .map(|index| {
                let mut diagnostics = Diagnostics::new();
                validate_entry(catalogue, index, &mut diagnostics);
                diagnostics.into_sorted()
            })
            .collect();
        Self(per_entry)
    }

    /// Check the entries at `touched` again, and return them with the
    /// diagnostics of the whole catalogue: the kept ones of every other
    /// entry, the fresh ones, and those of the catalogue-wide checks.
    pub fn recheck(
        &self,
        catalogue: &Catalogue,
        touched: &BTreeSet<usize>,
    ) -> (Rechecked, Diagnostics) {
        let entries: Vec<(usize, Vec<Diagnostic>)> = touched
            .iter()
            .map(|&index| {
                let mut diagnostics = Diagnostics::new();
                validate_entry(catalogue, index, &mut diagnostics);
                (index, diagnostics.into_sorted())
            })
            .collect();
        let mut diagnostics = Diagnostics::new();
        for (index, kept) in self.0.iter().enumerate() {
            if !touched.contains(&index) {
                diagnostics.extend(kept.iter().cloned());
            }
        }
        diagnostics.extend(entries.iter().flat_map(|(_, fresh)| fresh.iter().cloned()));
        validate_catalogue(catalogue, &mut diagnostics);
        (Rechecked { entries }, diagnostics)
    }

    /// Keep what [`EntryDiagnostics::recheck`] found, once its edit is built.
    pub fn keep(&mut self, rechecked: Rechecked) {
        for (index, diagnostics) in rechecked.entries {
            self.0[index] = diagnostics;
        }
    }
}

/// The declared status against what the relations and dates say: an
/// instrument in force (or current) that an instrument in force supersedes,
/// and an entry into force after the catalogue's currency date.
fn check_status(catalogue: &Catalogue, index: usize, diagnostics: &mut Diagnostics) {
    let classification = &catalogue.classification;
    let active = |entry: &Entry| {
        classification.status(&entry.instrument.status.value).is_some_and(|s| s.active)
    };
    let entry = &catalogue.entries[index];
    let instrument = &entry.instrument;
    if !active(entry) {
        return;
    }
    let conflict = |message: String| {
        Diagnostic::error(rules::STATUS_CONFLICT, &instrument.file, instrument.status.span, message)
    };
    for (successor, date) in chronology::successors(catalogue, index) {
        let other = &catalogue.entries[successor];
        if !active(other) {
            continue;
        }
        let since = date.map(|d| format!(" (in effect since {})", d.long())).unwrap_or_default();
        diagnostics.push(
            conflict(format!(
                "the status is `{}`, but `{}`{since} supersedes it and is `{}` itself",
                instrument.status.value, other.instrument.id.value, other.instrument.status.value
            ))
            .with_hint(
                "set the status to `superseded`, or correct the relation or the successor's status",
            ),
        );
    }
    if let (Some(in_force), Some(current_to)) = (&instrument.in_force, &catalogue.config.current_to)
        && current_to.surely_before(&in_force.value)
    {
        diagnostics.push(
            conflict(format!(
                "the status is `{}`, but the instrument enters into force on {}, after the \
                 catalogue's currency date ({})",
                instrument.status.value,
                in_force.value.long(),
                current_to.long()
            ))
            .with_related(&instrument.file, in_force.span, "entry into force")
            .with_hint("on the currency date it was not yet in force: set a status that says so"),
        );
    }
}

fn check_id(instrument: &Instrument, diagnostics: &mut Diagnostics) {
    let id = &instrument.id;
    if !is_valid_id(&id.value) {
        diagnostics.push(
            Diagnostic::error(
                rules::INVALID_ID,
                &instrument.file,
                id.span,
                format!("`{}` is not a valid id", id.value),
            )
            .with_label("ids are part of URLs")
            .with_hint(format!(
                "use lowercase ASCII letters and digits joined by single hyphens, such as `{}`",
                crate::slug::id_from_title(&id.value)
            )),
        );
        return;
    }
    let stem = instrument
        .file
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let translated = format!("{}.{}", id.value, instrument.language);
    if stem != id.value && stem != translated {
        diagnostics.push(
            Diagnostic::error(
                rules::ID_FILE_MISMATCH,
                &instrument.file,
                id.span,
                format!("the id is `{}` but the file is named `{stem}.md`", id.value),
            )
            .with_hint(format!(
                "rename the file to `{}.md` or change the id",
                expected_name(instrument)
            )),
        );
    }
}

fn check_instrument(catalogue: &Catalogue, instrument: &Instrument, diagnostics: &mut Diagnostics) {
    let classification = &catalogue.classification;
    let file = &instrument.file;
    check_id(instrument, diagnostics);

    let mut term =
        |rule: &'static str, what: &str, value: &Spanned<String>, known: bool, keys: Vec<&str>| {
            if !known {
                diagnostics.push(
                    Diagnostic::error(
                        rule,
                        file,
                        value.span,
                        format!("unknown {what} `{}`", value.value),
                    )
                    .with_label(format!("not a {what} in classification.yaml"))
                    .with_hint(suggestion(&value.value, keys.iter().copied())),
                );
            }
        };
    let kind = classification.instrument_type(&instrument.kind.value);
    term(
        rules::UNKNOWN_TYPE,
        "type",
        &instrument.kind,
        kind.is_some(),
        classification.types.iter().map(|t| t.key.value.as_str()).collect(),
    );
    term(
        rules::UNKNOWN_BODY,
        "body",
        &instrument.body,
        classification.body(&instrument.body.value).is_some(),
        classification.bodies.iter().map(|t| t.key.value.as_str()).collect(),
    );
    for subject in &instrument.subjects {
        term(
            rules::UNKNOWN_SUBJECT,
            "subject",
            subject,
            classification.subject(&subject.value).is_some(),
            classification.subjects.iter().map(|t| t.key.value.as_str()).collect(),
        );
    }
    let status = classification.status(&instrument.status.value);
    term(
        rules::UNKNOWN_STATUS,
        "status",
        &instrument.status,
        status.is_some(),
        classification.statuses.iter().map(|t| t.key.value.as_str()).collect(),
    );

    if let (Some(kind), Some(status)) = (kind, status)
        && !status.categories.iter().any(|c| c.value == kind.category.value)
    {
        let allowed: Vec<&str> = classification
            .statuses
            .iter()
            .filter(|s| s.categories.iter().any(|c| c.value == kind.category.value))
            .map(|s| s.key.value.as_str())
            .collect();
        diagnostics.push(
            Diagnostic::error(
                rules::STATUS_NOT_FOR_CATEGORY,
                file,
                instrument.status.span,
                format!(
                    "status `{}` does not apply to a {} (category `{}`)",
                    status.key.value,
                    kind.label.to_lowercase(),
                    kind.category.value
                ),
            )
            .with_hint(format!(
                "a {} takes one of {}",
                kind.label.to_lowercase(),
                allowed.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
            )),
        );
    }
    if let Some(kind) = kind {
        for requirement in &kind.requires {
            let applies = match requirement {
                Requirement::Always(_) => true,
                Requirement::WhenStatus { when_status, .. } => {
                    *when_status == instrument.status.value
                }
            };
            let field = requirement.field();
            if applies && !instrument.has_value(field) {
                let when = match requirement {
                    Requirement::WhenStatus { when_status, .. } => {
                        format!(" with status `{when_status}`")
                    }
                    Requirement::Always(_) => String::new(),
                };
                diagnostics.push(
                    Diagnostic::error(
                        rules::MISSING_FIELD,
                        file,
                        instrument.kind.span,
                        format!("a {}{when} requires `{field}`", kind.label.to_lowercase()),
                    )
                    .with_label("this type")
                    .with_hint(format!("add `{field}: …` to the front matter")),
                );
            }
        }
    }
    if instrument.parties.is_some() && instrument.parties_table.is_some() {
        diagnostics.push(
            Diagnostic::error(
                rules::TYPED_PARTY_COUNT,
                file,
                instrument.field_span("parties"),
                "`parties` is typed, but a parties file lists the parties",
            )
            .with_hint("remove `parties:`; the page counts the rows of the parties file"),
        );
    }
    if let (Some(adopted), Some(in_force)) = (&instrument.adopted, &instrument.in_force)
        && in_force.value.surely_before(&adopted.value)
    {
        diagnostics.push(
            Diagnostic::error(
                rules::IN_FORCE_BEFORE_ADOPTED,
                file,
                in_force.span,
                format!(
                    "`in_force` ({}) is before `adopted` ({})",
                    in_force.value.long(),
                    adopted.value.long()
                ),
            )
            .with_related(file, adopted.span, "adopted here")
            .with_hint(
                "an instrument enters into force on or after its adoption; check both dates",
            ),
        );
    }
}

fn check_links(
    catalogue: &Catalogue,
    file: &Arc<SourceFile>,
    outline: &Outline,
    diagnostics: &mut Diagnostics,
) {
    for link in &outline.links {
        crate::work::count(crate::work::Work::LinkChecks);
        match &link.target {
            LinkTarget::Unsafe => diagnostics.push(
                Diagnostic::error(
                    rules::UNSAFE_LINK,
                    file,
                    link.span,
                    format!(
                        "the link `{}` would run code in the reader's browser",
                        link.destination
                    ),
                )
                .with_hint("link to a page with an http(s) address, or remove the link"),
            ),
            LinkTarget::Local { fragment } => {
                if !fragment.is_empty()
                    && !outline.has_anchor(fragment)
                    && !RESERVED_IDS.contains(&fragment.as_str())
                {
                    diagnostics.push(unknown_anchor(
                        file,
                        link.span,
                        fragment,
                        "this page",
                        outline,
                    ));
                }
            }
            LinkTarget::Entry { id, fragment } => {
                let target = catalogue
                    .index_of(id)
                    .map(|i| &catalogue.entries[i].outline)
                    .or_else(|| catalogue.page(id).map(|p| &p.outline));
                match (target, fragment) {
                    (None, _) => diagnostics.push(
                        Diagnostic::error(
                            rules::UNKNOWN_LINK_TARGET,
                            file,
                            link.span,
                            format!("no instrument or page has the id `{id}`"),
                        )
                        .with_label("link names an id")
                        .with_hint(suggestion(
                            id,
                            catalogue
                                .ids()
                                .chain(catalogue.pages.iter().map(|p| p.page.id.as_str())),
                        )),
                    ),
                    (Some(target), Some(fragment))
                        if !target.has_anchor(fragment)
                            && !RESERVED_IDS.contains(&fragment.as_str()) =>
                    {
                        diagnostics.push(unknown_anchor(
                            file,
                            link.span,
                            fragment,
                            &format!("`{id}`"),
                            target,
                        ));
                    }
                    _ => {}
                }
            }
            LinkTarget::External | LinkTarget::Asset => {}
        }
    }
}

fn unknown_anchor(
    file: &Arc<SourceFile>,
    span: crate::source::Span,
    fragment: &str,
    page: &str,
    target: &Outline,
) -> Diagnostic {
    let ids: Vec<&str> = target.headings.iter().map(|h| h.id.as_str()).collect();
    Diagnostic::error(
        rules::UNKNOWN_ANCHOR,
        file,
        span,
        format!("{page} has no heading with the id `{fragment}`"),
    )
    .with_hint(suggestion(fragment, ids.iter().copied()))
}

/// Warnings for an entry that readers cannot reach or cannot verify.
fn check_attention(entry: &Entry, diagnostics: &mut Diagnostics) {
    let instrument = &entry.instrument;
    if entry.relations.is_empty() && entry.referenced_by.is_empty() && entry.links_to.is_empty() {
        diagnostics.push(
            Diagnostic::warning(
                rules::ORPHAN_INSTRUMENT,
                &instrument.file,
                instrument.id.span,
                "nothing links to this instrument and it links to nothing",
            )
            .with_hint("add a relation or a link to a related instrument in the body"),
        );
    }
    let external_link = entry.outline.links.iter().any(|l| {
        let destination = l.destination.trim_start().to_ascii_lowercase();
        destination.starts_with("http://") || destination.starts_with("https://")
    });
    if instrument.source.is_none() && !external_link {
        diagnostics.push(
            Diagnostic::warning(
                rules::MISSING_SOURCE,
                &instrument.file,
                instrument.id.span,
                "the instrument names no source",
            )
            .with_hint("add `source:` with the official page, or list the sources in the body"),
        );
    }
}

/// Ids must be unique, also ignoring case. Among files that share an id,
/// the well-formed one in path order counts as the original and the others
/// are reported.
fn check_duplicate_ids(catalogue: &Catalogue, diagnostics: &mut Diagnostics) {
    let mut groups: HashMap<String, Vec<&Instrument>> = HashMap::new();
    for entry in &catalogue.entries {
        let instrument = &entry.instrument;
        groups.entry(instrument.id.value.to_lowercase()).or_default().push(instrument);
    }
    let mut groups: Vec<Vec<&Instrument>> = groups.into_values().filter(|g| g.len() > 1).collect();
    groups.sort_by(|a, b| a[0].file.path.cmp(&b[0].file.path));
    for mut group in groups {
        group.sort_by_key(|i| (!is_valid_id(&i.id.value), i.file.path.clone()));
        let original = group[0];
        for instrument in &group[1..] {
            let message = if original.id.value == instrument.id.value {
                format!("the id `{}` is already used", instrument.id.value)
            } else {
                let (this, that) = (&instrument.id.value, &original.id.value);
                format!("the id `{this}` differs only in case from `{that}`")
            };
            diagnostics.push(
                Diagnostic::error(
                    rules::DUPLICATE_ID,
                    &instrument.file,
                    instrument.id.span,
                    message,
                )
                .with_related(&original.file, original.id.span, "also used here")
                .with_hint("every instrument needs its own id; rename this one"),
            );
        }
    }
}

/// A free page's file name is its URL, so it follows the rules of ids: a
/// space or a Cyrillic letter would give an address that must be encoded,
/// and two names that differ only in case are one folder on some systems.
fn check_page_names(catalogue: &Catalogue, diagnostics: &mut Diagnostics) {
    // Well-formed names first, so that a duplicate is reported on the file
    // that also breaks the naming rule.
    let mut pages: Vec<&crate::content::Page> = catalogue.pages.iter().map(|p| &p.page).collect();
    pages.sort_by_key(|page| (!is_valid_id(&page.id), page.file.path.clone()));
    let mut seen: HashMap<(String, &str), &crate::content::Page> = HashMap::new();
    for page in pages {
        let file_name = |id: &str| {
            if page.language == catalogue.config.default_language() {
                format!("{id}.md")
            } else {
                format!("{id}.{}.md", page.language)
            }
        };
        if !is_valid_id(&page.id) {
            diagnostics.push(
                Diagnostic::error(
                    rules::INVALID_ID,
                    &page.file,
                    crate::source::Span::new(0, 3),
                    format!(
                        "the page name `{}` is not lowercase ASCII words joined by hyphens",
                        page.id
                    ),
                )
                .with_hint(format!(
                    "the file name is the page's address; rename the file to `{}`",
                    file_name(&crate::slug::id_from_title(&page.id))
                )),
            );
        }
        let key = (page.id.to_lowercase(), page.language.as_str());
        if let Some(original) = seen.get(&key) {
            let message = if original.id == page.id {
                format!("the page name `{}` is already used", page.id)
            } else {
                format!("the page name `{}` differs only in case from `{}`", page.id, original.id)
            };
            diagnostics.push(
                Diagnostic::error(
                    rules::DUPLICATE_ID,
                    &page.file,
                    crate::source::Span::new(0, 3),
                    message,
                )
                .with_related(&original.file, crate::source::Span::new(0, 3), "also used here")
                .with_hint("every page needs its own name; merge the two pages or rename one"),
            );
        } else {
            seen.insert(key, page);
        }
    }
}

/// The file name an instrument's id asks for: `<id>.md`, or `<id>.<lang>.md`
/// for a translation.
fn expected_name(instrument: &Instrument) -> String {
    let stem = instrument
        .file
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let id = &instrument.id.value;
    match stem.rsplit_once('.') {
        Some((_, language)) if language == instrument.language => format!("{id}.{language}"),
        _ => id.clone(),
    }
}

/// A translation may repeat the original's fields, but not contradict them.
fn check_translation(
    original: &Instrument,
    translation: &Instrument,
    diagnostics: &mut Diagnostics,
) {
    for key in &translation.fields_present {
        let field = key.value.as_str();
        if TRANSLATION_FIELDS.contains(&field)
            || !crate::content::instrument::FIELDS.contains(&field)
        {
            continue;
        }
        let (theirs, ours) = (field_text(translation, field), field_text(original, field));
        if theirs != ours {
            let message = format!(
                "`{field}` is {} here but {} in {}",
                theirs.as_deref().map_or("empty".to_owned(), |v| format!("`{v}`")),
                ours.as_deref().map_or("absent".to_owned(), |v| format!("`{v}`")),
                original.file.path.display()
            );
            diagnostics.push(
                Diagnostic::error(
                    rules::TRANSLATION_MISMATCH,
                    &translation.file,
                    key.span,
                    message,
                )
                .with_related(&original.file, original.field_span(field), "the original")
                .with_hint(format!(
                    "remove `{field}` from the translation; it comes from the original"
                )),
            );
        }
    }
}

/// A field's value as comparable text.
fn field_text(instrument: &Instrument, field: &str) -> Option<String> {
    let date =
        |d: &Option<Spanned<crate::content::date::PartialDate>>| d.as_ref().map(|d| d.value.iso());
    match field {
        "type" => Some(instrument.kind.value.clone()),
        "body" => Some(instrument.body.value.clone()),
        "status" => Some(instrument.status.value.clone()),
        "subjects" => Some(
            instrument.subjects.iter().map(|s| s.value.as_str()).collect::<Vec<_>>().join(", "),
        ),
        "adopted" => date(&instrument.adopted),
        "in_force" => date(&instrument.in_force),
        "reviewed" => date(&instrument.reviewed),
        "place" => instrument.place.clone(),
        "source" => instrument.source.clone(),
        "parties" => instrument.parties.as_ref().map(|p| p.count.to_string()),
        "relations" => Some(
            instrument
                .relations
                .iter()
                .map(|r| format!("{}: {}", r.kind.value, r.target.value))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        _ => None,
    }
}

fn check_relations(catalogue: &Catalogue, diagnostics: &mut Diagnostics) {
    let classification = &catalogue.classification;
    let entries = &catalogue.entries;
    for unresolved in &catalogue.unresolved {
        match *unresolved {
            Unresolved::Kind { instrument, declaration } => {
                let instrument = &entries[instrument].instrument;
                let kind = &instrument.relations[declaration].kind;
                let keys: Vec<&str> = classification
                    .relations
                    .iter()
                    .flat_map(|r| [r.key.value.as_str(), r.inverse.value.as_str()])
                    .collect();
                diagnostics.push(
                    Diagnostic::error(
                        rules::UNKNOWN_RELATION,
                        &instrument.file,
                        kind.span,
                        format!("unknown relation `{}`", kind.value),
                    )
                    .with_hint(suggestion(&kind.value, keys.iter().copied())),
                );
            }
            Unresolved::Target { instrument, declaration } => {
                let instrument = &entries[instrument].instrument;
                let target = &instrument.relations[declaration].target;
                diagnostics.push(
                    Diagnostic::error(
                        rules::UNKNOWN_RELATION_TARGET,
                        &instrument.file,
                        target.span,
                        format!("no instrument has the id `{}`", target.value),
                    )
                    .with_label("relation target")
                    .with_hint(suggestion(&target.value, catalogue.ids())),
                );
            }
        }
    }

    for (repeat, first) in &catalogue.repeated_edges {
        let kind = &classification.relations[repeat.kind];
        // Point at the declaration on the side acted on: that is the one to
        // remove.
        let (flagged, kept) = if first.declared_inverse && !repeat.declared_inverse {
            (first, repeat)
        } else {
            (repeat, first)
        };
        let here = &entries[flagged.declared_in].instrument;
        let there = &entries[kept.declared_in].instrument;
        diagnostics.push(
            Diagnostic::warning(
                rules::RELATION_BOTH_SIDES,
                &here.file,
                flagged.span,
                format!(
                    "the relation `{}` between `{}` and `{}` is declared twice",
                    kind.key.value,
                    entries[repeat.from].instrument.id.value,
                    entries[repeat.to].instrument.id.value
                ),
            )
            .with_related(&there.file, kept.span, "also declared here")
            .with_hint(
                "declare a relation once, on the acting side; folio shows the other side itself",
            ),
        );
    }

    for edge in &catalogue.edges {
        crate::work::count(crate::work::Work::EdgeChecks);
        let kind = &classification.relations[edge.kind];
        let declared = &entries[edge.declared_in].instrument;
        if edge.from == edge.to {
            diagnostics.push(
                Diagnostic::error(
                    rules::SELF_RELATION,
                    &declared.file,
                    edge.span,
                    format!("`{}` is related to itself", declared.id.value),
                )
                .with_hint("name another instrument"),
            );
            continue;
        }
        if matches!(kind.key.value.as_str(), "amends" | "supersedes") {
            let (from, to) = (&entries[edge.from].instrument, &entries[edge.to].instrument);
            if let (Some(a), Some(b)) = (&from.adopted, &to.adopted)
                && a.value.surely_before(&b.value)
            {
                diagnostics.push(
                    Diagnostic::error(rules::AMENDS_NEWER, &declared.file, edge.span, format!("`{}` ({}) {} `{}`, which was adopted later ({})", from.id.value, a.value.long(), kind.key.value, to.id.value, b.value.long()))
                        .with_hint("an instrument can only amend or supersede an older one; check the direction and the dates"),
                );
            }
        }
    }
    check_cycles(catalogue, diagnostics);
}

/// Report each cycle of an acyclic relation kind once, at the declaration
/// that closes it. Iterative depth-first search: linear in the edges.
fn check_cycles(catalogue: &Catalogue, diagnostics: &mut Diagnostics) {
    let classification = &catalogue.classification;
    let count = catalogue.entries.len();
    for (kind_index, kind) in classification.relations.iter().enumerate() {
        if !kind.acyclic {
            continue;
        }
        let edges: Vec<&Edge> =
            catalogue.edges.iter().filter(|e| e.kind == kind_index && e.from != e.to).collect();
        let mut outgoing: Vec<Vec<&Edge>> = vec![Vec::new(); count];
        for edge in &edges {
            outgoing[edge.from].push(edge);
        }
        // 0 unvisited, 1 on the current path, 2 done.
        let mut state = vec![0u8; count];
        for start in 0..count {
            if state[start] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            let mut path: Vec<usize> = vec![start];
            state[start] = 1;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                crate::work::count(crate::work::Work::CycleSteps);
                if let Some(edge) = outgoing[node].get(*next) {
                    *next += 1;
                    match state[edge.to] {
                        0 => {
                            state[edge.to] = 1;
                            stack.push((edge.to, 0));
                            path.push(edge.to);
                        }
                        1 => diagnostics.push(cycle_diagnostic(
                            catalogue,
                            kind.key.value.as_str(),
                            edge,
                            &path,
                        )),
                        _ => {}
                    }
                } else {
                    state[node] = 2;
                    stack.pop();
                    path.pop();
                }
            }
        }
    }
}

fn cycle_diagnostic(
    catalogue: &Catalogue,
    kind: &str,
    closing: &Edge,
    path: &[usize],
) -> Diagnostic {
    let start = path.iter().position(|&n| n == closing.to).unwrap_or(0);
    let mut names: Vec<&str> =
        path[start..].iter().map(|&n| catalogue.entries[n].instrument.id.value.as_str()).collect();
    names.push(catalogue.entries[closing.to].instrument.id.value.as_str());
    let declared = &catalogue.entries[closing.declared_in].instrument;
    Diagnostic::error(
        rules::RELATION_CYCLE,
        &declared.file,
        closing.span,
        format!("`{kind}` relations form a cycle: {}", names.join(" → ")),
    )
    .with_hint(format!(
        "`{kind}` cannot lead back to where it started; remove one of these relations"
    ))
}
